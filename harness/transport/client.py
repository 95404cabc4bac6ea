"""The charging-station role: open an OCPP-J websocket to a CSMS."""

from __future__ import annotations

import logging
import ssl as ssl_module
from collections.abc import Mapping, Sequence
from typing import Any
from urllib.parse import quote

from websockets.asyncio.client import ClientConnection, connect
from websockets.exceptions import InvalidHandshake, InvalidStatus, InvalidURI, NegotiationError
from websockets.typing import Subprotocol

from harness.errors import ConfigurationError, ConnectionRefusedByPeer, TransportError
from harness.ocppj.versions import OcppVersion
from harness.transport.channel import WebsocketChannel
from harness.transport.handshake import Revealable, basic_auth_header, revealed

__all__ = ["connect_station", "station_url"]

logger = logging.getLogger("harness.transport")

NO_SUBPROTOCOL_CLOSE_CODE = 1002
"""Close code used when the CSMS accepted without one of our subprotocols."""

HeadersArg = Mapping[str, str] | Sequence[tuple[str, str]]


def station_url(url: str, identity: str) -> str:
    """The URL a station connects to: ``{url}/{percent-encoded identity}``.

    A URL holding ``{identity}`` (``wss://host/ocpp/{identity}/``) gets the
    percent-encoded identity there instead, and keeps the rest as written.
    """
    encoded = quote(identity, safe="")
    if "{identity}" in url:
        return url.replace("{identity}", encoded)
    return f"{url.rstrip('/')}/{encoded}"


async def connect_station(
    url: str,
    identity: str,
    versions: Sequence[OcppVersion],
    *,
    password: Revealable | str | None = None,
    ssl: ssl_module.SSLContext | None = None,
    timeout: float,
    extra_headers: HeadersArg | None = None,
    max_size: int = 2**20,
    ping_interval: float | None = None,
    close_timeout: float = 5.0,
) -> WebsocketChannel:
    """Connect to a CSMS as the charging station ``identity``.

    Environment proxy settings are ignored: the harness talks to the system
    under test directly.

    Args:
        url: the CSMS endpoint without the identity, e.g. ``ws://127.0.0.1:9000/ocpp``,
            or with an ``{identity}`` placeholder, e.g. ``ws://host/ocpp/{identity}/``.
        identity: the station identity, appended percent-encoded to ``url`` (or
            put in place of its ``{identity}``).
        versions: the OCPP versions to offer, in order of preference.
        password: when given, sent as ``Authorization: Basic`` with the
            identity as username (security profiles 1 and 2). Pass the
            profile's :class:`~harness.profile.Secret` itself: a traceback
            shows this function's arguments, and a Secret shows as ``******``;
            its value is revealed only into the header.
        ssl: client TLS context for a ``wss://`` URL (see
            :func:`harness.transport.tls.client_ssl_context`).
        timeout: bound on TCP connect, TLS and websocket handshakes, in seconds.
        extra_headers: more request headers, sent after ours; a second
            Authorization header is sent as is (for negative tests).
        max_size: largest incoming message in bytes.
        ping_interval: seconds between keepalive pings; None disables them.
        close_timeout: bound on the closing handshake, in seconds.

    Returns:
        The open channel, its ``version`` being the one the CSMS selected.

    Raises:
        ConnectionRefusedByPeer: when the CSMS answers the handshake with an
            HTTP error (``status`` 400, 401, 404, ...) or accepts it without
            selecting one of our subprotocols (``status`` 101).
        TransportError: when the CSMS cannot be reached (refused, DNS, TLS,
            timeout), naming the URL and the cause.
        ConfigurationError: when the URL, TLS context or versions are unusable.
    """
    if not versions:
        raise ConfigurationError("offer at least one OCPP version", field="versions")
    if not identity:
        raise ConfigurationError("the station identity is empty", field="identity")
    target = station_url(url, identity)
    headers: list[tuple[str, str]] = []
    if password is not None:
        try:
            headers.append(("Authorization", _authorization(identity, password)))
        except ValueError as exc:
            raise ConfigurationError(f"identity {identity!r}: {exc}", field="identity") from exc
    if extra_headers is not None:
        items = extra_headers.items() if isinstance(extra_headers, Mapping) else extra_headers
        headers.extend(items)
    offered = [Subprotocol(version.subprotocol) for version in versions]
    # ssl=None must not reach websockets: with wss:// it means "no TLS" and fails.
    extra: dict[str, Any] = {"ssl": ssl} if ssl is not None else {}
    try:
        connection = await connect(
            target,
            subprotocols=offered,
            additional_headers=headers,
            proxy=None,
            open_timeout=timeout,
            ping_interval=ping_interval,
            close_timeout=close_timeout,
            max_size=max_size,
            **extra,
        )
    except InvalidStatus as exc:
        response = exc.response
        body = bytes(response.body).decode("utf-8", errors="replace").strip()
        detail = f": {body}" if body else ""
        raise ConnectionRefusedByPeer(
            f"{target} refused the websocket handshake with HTTP "
            f"{response.status_code} {response.reason_phrase}{detail}",
            status=response.status_code,
        ) from exc
    except NegotiationError as exc:
        raise ConnectionRefusedByPeer(
            f"{target} accepted the handshake but the negotiation failed: {exc}", status=101
        ) from exc
    except InvalidURI as exc:
        raise ConfigurationError(f"invalid CSMS URL {target!r}: {exc}", field="url") from exc
    except TimeoutError as exc:
        raise TransportError(f"{target}: no connection within {timeout:g} s ({exc})") from exc
    except ssl_module.SSLError as exc:
        raise TransportError(f"{target}: TLS handshake failed: {exc}") from exc
    except OSError as exc:
        raise TransportError(f"{target}: cannot connect: {exc}") from exc
    except InvalidHandshake as exc:
        hint = ""
        if ssl is not None and isinstance(exc.__cause__, EOFError):
            hint = " (with TLS this often means the CSMS rejected our client certificate)"
        raise TransportError(f"{target}: websocket handshake failed: {_causes(exc)}{hint}") from exc
    except ValueError as exc:  # e.g. an ssl context with a ws:// URL
        raise ConfigurationError(f"{target}: {exc}", field="url") from exc
    return await _channel_for(connection, target, identity, offered)


def _authorization(identity: str, password: Revealable | str) -> str:
    """The Basic header value, revealing a secret only here (no error message holds it)."""
    return basic_auth_header(identity, revealed(password))


def _causes(exc: BaseException) -> str:
    """The exception's message followed by those of its causes."""
    parts = [str(exc)]
    cause = exc.__cause__
    while cause is not None and len(parts) < 4:
        parts.append(str(cause))
        cause = cause.__cause__
    return "; ".join(part for part in parts if part)


async def _channel_for(
    connection: ClientConnection, target: str, identity: str, offered: Sequence[str]
) -> WebsocketChannel:
    """Wrap the connection, or close it when no OCPP version was selected."""
    selected = connection.subprotocol
    version = OcppVersion.from_subprotocol(selected) if selected is not None else None
    if version is None:
        await connection.close(NO_SUBPROTOCOL_CLOSE_CODE, "no OCPP subprotocol selected")
        raise ConnectionRefusedByPeer(
            f"{target} accepted the handshake without selecting a subprotocol; "
            f"offered: [{', '.join(offered)}]",
            status=101,
        )
    channel = WebsocketChannel(connection, identity=identity, version=version, description=target)
    logger.info("station %r connected to %s with %s", identity, target, channel.subprotocol)
    return channel
