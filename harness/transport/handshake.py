"""Pure rules of the OCPP-J websocket opening handshake.

Everything the CSMS role decides about an incoming handshake lives here as a
function of strings, so it can be unit-tested without a socket:

- the station identity is the percent-decoded path segment after the
  configured prefix (``/ocpp/CP%201`` -> ``CP 1``), 1 to 48 characters;
- the subprotocol is the first one *in the client's order* that names an
  accepted OCPP version;
- for security profiles 1 and 2 the ``Authorization: Basic`` header carries the
  identity as username and the configured password.

Reasons returned or raised here are shown in reports, so they never contain a
password.
"""

from __future__ import annotations

import base64
import binascii
import hmac
import time
from collections.abc import Collection, Sequence
from dataclasses import dataclass, field
from typing import Protocol
from urllib.parse import unquote

from websockets.exceptions import InvalidHeader
from websockets.headers import parse_subprotocol

from harness.ocppj.versions import OcppVersion

__all__ = [
    "MAX_IDENTITY_LENGTH",
    "HandshakeRecord",
    "IdentityError",
    "Revealable",
    "Verdict",
    "basic_auth_header",
    "check_basic_auth",
    "choose_subprotocol",
    "identity_from_path",
    "judge_handshake",
    "normalize_prefix",
    "parse_basic_auth",
    "revealed",
]

MAX_IDENTITY_LENGTH = 48
"""Longest station identity OCPP allows (``identifierString[0..48]``)."""


class Revealable(Protocol):
    """A secret that shows its value only when asked (:class:`harness.profile.Secret`).

    The transport takes the profile's secret itself, not its value: pytest
    shows the arguments of every function in a traceback, and a Secret
    shows as ``******``. The value is revealed only where it is used.
    """

    def reveal(self) -> str:
        """The secret value itself."""
        ...


def revealed(password: Revealable | str) -> str:
    """The plain value of ``password`` (a plain string is returned as it is)."""
    return password if isinstance(password, str) else password.reveal()


class IdentityError(ValueError):
    """The request path does not name a valid station identity.

    Attributes:
        status: the HTTP status a server answers with: 404 when the path is not
            under the prefix, 400 when the identity itself is invalid.
    """

    def __init__(self, message: str, *, status: int) -> None:
        super().__init__(message)
        self.status = status


@dataclass(frozen=True)
class HandshakeRecord:
    """The outcome of one opening handshake seen by the CSMS role.

    Attributes:
        accepted: whether the websocket connection was opened.
        status: HTTP status sent (101 when accepted).
        path: the request path as received, query included.
        identity: the station identity read from the path, when readable.
        offered_subprotocols: ``Sec-WebSocket-Protocol`` tokens, client order.
        subprotocol: the subprotocol selected, when accepted.
        authorization_present: whether an ``Authorization`` header was sent
            (its value is never recorded).
        reason: why the handshake was refused, empty when accepted.
        remote: the peer address as ``host:port``.
        timestamp: wall-clock time (``time.time()``) of the decision.
        mono: monotonic time (``time.monotonic()``) of the decision, to
            measure the intervals between a station's connection attempts.
    """

    accepted: bool
    status: int
    path: str
    identity: str | None
    offered_subprotocols: tuple[str, ...]
    subprotocol: str | None
    authorization_present: bool
    reason: str
    remote: str
    timestamp: float = field(default_factory=time.time)
    mono: float = field(default_factory=time.monotonic)

    def __str__(self) -> str:
        offered = ", ".join(self.offered_subprotocols)
        auth = "with" if self.authorization_present else "without"
        head = f"{self.remote} GET {self.path} [{offered}] {auth} Authorization"
        if self.accepted:
            return f"{head} -> 101 accepted ({self.subprotocol})"
        return f"{head} -> {self.status} refused: {self.reason}"


def normalize_prefix(prefix: str) -> str:
    """The path prefix with one leading slash and no trailing slash.

    ``""`` and ``"/"`` both mean the root, returned as ``""``.
    """
    stripped = prefix.strip("/")
    return f"/{stripped}" if stripped else ""


def identity_from_path(path: str, prefix: str) -> str:
    """Read the station identity from a request path.

    The path must be ``{prefix}/{identity}``: exactly one segment after the
    prefix, percent-decoded as UTF-8. A query string is ignored.

    Args:
        path: the request target, e.g. ``/ocpp/CP%201?x=1``.
        prefix: the configured prefix, e.g. ``/ocpp``.

    Returns:
        The decoded identity, e.g. ``CP 1``.

    Raises:
        IdentityError: with ``status`` 404 when the path is not under the
            prefix or has more segments, 400 when the identity is empty,
            longer than 48 characters, or not valid percent-encoded UTF-8.
    """
    base = normalize_prefix(prefix)
    target = path.split("?", 1)[0]
    expected = f"{base}/<identity>"
    if not target.startswith(base + "/"):
        if target in (base, base + "/"):
            raise IdentityError(f"no station identity in path {target!r}", status=400)
        raise IdentityError(f"path {target!r} is not of the form {expected!r}", status=404)
    raw = target[len(base) + 1 :]
    if "/" in raw:
        raise IdentityError(f"path {target!r} is not of the form {expected!r}", status=404)
    if not raw:
        raise IdentityError(f"no station identity in path {target!r}", status=400)
    try:
        identity = unquote(raw, encoding="utf-8", errors="strict")
    except UnicodeDecodeError:
        raise IdentityError(
            f"station identity {raw!r} is not percent-encoded UTF-8", status=400
        ) from None
    if len(identity) > MAX_IDENTITY_LENGTH:
        raise IdentityError(
            f"station identity is {len(identity)} characters long; "
            f"at most {MAX_IDENTITY_LENGTH} are allowed",
            status=400,
        )
    return identity


def choose_subprotocol(
    offered: Sequence[str], accepted: Collection[OcppVersion]
) -> OcppVersion | None:
    """Pick the OCPP version for a connection.

    Args:
        offered: subprotocol tokens the client offered, in its order.
        accepted: the versions this endpoint accepts.

    Returns:
        The version of the first offered token that names an accepted version,
        or None when there is none (unknown tokens are skipped).
    """
    for token in offered:
        version = OcppVersion.from_subprotocol(token)
        if version is not None and version in accepted:
            return version
    return None


def basic_auth_header(username: str, password: str) -> str:
    """The ``Authorization`` header value for HTTP Basic authentication.

    Raises:
        ValueError: when the username contains ``:``, which Basic auth cannot
            carry (RFC 7617).
    """
    if ":" in username:
        raise ValueError("a Basic auth username cannot contain ':'")
    token = base64.b64encode(f"{username}:{password}".encode()).decode("ascii")
    return f"Basic {token}"


def parse_basic_auth(header_value: str) -> tuple[str, str]:
    """Split a Basic ``Authorization`` header value into username and password.

    Raises:
        ValueError: naming what is wrong (scheme, base64, UTF-8, missing
            colon); the message never quotes the credentials.
    """
    scheme, _, token = header_value.strip().partition(" ")
    if scheme.lower() != "basic":
        raise ValueError(f"authorization scheme is {scheme!r}, not 'Basic'")
    try:
        decoded = base64.b64decode(token.strip(), validate=True)
    except binascii.Error:
        raise ValueError("Basic credentials are not valid base64") from None
    try:
        text = decoded.decode("utf-8")
    except UnicodeDecodeError:
        raise ValueError("Basic credentials are not valid UTF-8") from None
    username, colon, password = text.partition(":")
    if not colon:
        raise ValueError("Basic credentials have no ':' between username and password")
    return username, password


def check_basic_auth(header_value: str | None, identity: str, password: str) -> str | None:
    """Check a Basic ``Authorization`` header against a station's credentials.

    Args:
        header_value: the header value, None when the header is absent.
        identity: the station identity from the path; the username must equal it.
        password: the password the station must present.

    Returns:
        None when the credentials are right, else a reason for the refusal that
        never contains a password.
    """
    if header_value is None:
        return "missing Authorization header (Basic authentication is required)"
    try:
        username, presented = parse_basic_auth(header_value)
    except ValueError as exc:
        return f"malformed Authorization header: {exc}"
    if username != identity:
        return f"Basic auth username {username!r} does not match station identity {identity!r}"
    if not hmac.compare_digest(presented.encode(), password.encode()):
        return f"wrong password for station {identity!r}"
    return None


@dataclass(frozen=True)
class Verdict:
    """What the CSMS role decides about a handshake request.

    Attributes:
        status: 101 when the handshake may proceed, else the HTTP status of
            the refusal (400, 401, 404).
        reason: why it is refused; empty when it may proceed.
        identity: the station identity, when the path yields one.
        offered: the offered subprotocol tokens, in the client's order.
        version: the version to select, when the handshake may proceed.
        authorization_present: whether an ``Authorization`` header was sent.
    """

    status: int
    reason: str
    identity: str | None
    offered: tuple[str, ...]
    version: OcppVersion | None
    authorization_present: bool


def judge_handshake(
    path: str,
    subprotocol_headers: Sequence[str],
    authorization_headers: Sequence[str],
    *,
    prefix: str,
    versions: Collection[OcppVersion],
    password: str | None,
) -> Verdict:
    """Judge an opening handshake request: path, then credentials, then subprotocol.

    Args:
        path: the request target.
        subprotocol_headers: every ``Sec-WebSocket-Protocol`` header value.
        authorization_headers: every ``Authorization`` header value.
        prefix: the path prefix before the identity.
        versions: the OCPP versions accepted.
        password: the Basic auth password to require; None when the security
            profile requires no Basic auth (profiles 0 and 3).

    Returns:
        The verdict; its reason never contains a password.
    """
    present = bool(authorization_headers)
    try:
        identity = identity_from_path(path, prefix)
    except IdentityError as exc:
        return Verdict(exc.status, str(exc), None, (), None, present)
    try:
        offered = tuple(t for value in subprotocol_headers for t in parse_subprotocol(value))
    except InvalidHeader as exc:
        reason = f"malformed Sec-WebSocket-Protocol header: {exc}"
        return Verdict(400, reason, identity, tuple(subprotocol_headers), None, present)
    if password is not None:
        if len(authorization_headers) > 1:
            refusal: str | None = "more than one Authorization header"
        else:
            header = authorization_headers[0] if present else None
            refusal = check_basic_auth(header, identity, password)
        if refusal is not None:
            return Verdict(401, refusal, identity, offered, None, present)
    version = choose_subprotocol(offered, versions)
    if version is None:
        got = ", ".join(offered)
        accepted = ", ".join(sorted(v.subprotocol for v in versions))
        reason = f"no acceptable OCPP subprotocol offered: got [{got}]; accepted: {accepted}"
        return Verdict(400, reason, identity, offered, None, present)
    return Verdict(101, "", identity, offered, version, present)
