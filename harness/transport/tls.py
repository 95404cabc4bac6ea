"""TLS contexts for OCPP security profiles 2 and 3.

- Profile 2: TLS with server authentication; the station authenticates with
  HTTP Basic auth inside the TLS connection.
- Profile 3: mutual TLS; the station authenticates with a client certificate,
  so the server requires one and the client must present one.

OCPP's security requirements ask for TLS 1.2 or newer, so older versions are
disabled in both roles. Problems with the TLS material are configuration
errors and name the offending field (``tls.cert``, ``tls.key``, ``tls.ca``).
"""

from __future__ import annotations

import os
import ssl
from pathlib import Path

from harness.errors import ConfigurationError

__all__ = ["TLS_PROFILES", "client_ssl_context", "present_certificate", "server_ssl_context"]

TLS_PROFILES = (2, 3)
"""The security profiles that run over TLS."""

PathLike = str | os.PathLike[str]


def _check_profile(security_profile: int) -> None:
    if security_profile not in TLS_PROFILES:
        raise ConfigurationError(
            f"security profile {security_profile} does not use TLS; "
            f"a TLS context is built for profiles 2 and 3 only",
            field="security_profile",
        )


def _existing(path: PathLike, field: str) -> str:
    resolved = Path(path)
    if not resolved.is_file():
        raise ConfigurationError(f"{field}: no such file {str(resolved)!r}", field=field)
    return str(resolved)


def _load_chain(context: ssl.SSLContext, cert: PathLike, key: PathLike | None) -> None:
    certfile = _existing(cert, "tls.cert")
    keyfile = _existing(key, "tls.key") if key is not None else None
    try:
        context.load_cert_chain(certfile, keyfile)
    except (ssl.SSLError, OSError) as exc:
        raise ConfigurationError(
            f"tls.cert/tls.key: cannot load certificate {certfile!r}"
            f"{f' with key {keyfile!r}' if keyfile else ''}: {exc}",
            field="tls.cert",
        ) from exc


def _load_ca(context: ssl.SSLContext, ca: PathLike) -> None:
    cafile = _existing(ca, "tls.ca")
    try:
        context.load_verify_locations(cafile=cafile)
    except (ssl.SSLError, OSError) as exc:
        raise ConfigurationError(
            f"tls.ca: cannot load CA certificates from {cafile!r}: {exc}", field="tls.ca"
        ) from exc


def server_ssl_context(
    security_profile: int,
    *,
    cert: PathLike,
    key: PathLike | None = None,
    ca: PathLike | None = None,
) -> ssl.SSLContext:
    """Build the TLS context of the CSMS role.

    Args:
        security_profile: 2 (server authentication) or 3 (mutual TLS).
        cert: PEM file with the server certificate (and chain; and the key when
            ``key`` is None).
        key: PEM file with the private key, when not inside ``cert``.
        ca: PEM file with the CA certificates that sign station certificates;
            required for profile 3, unused for profile 2.

    Returns:
        A server context; with profile 3 it requires a client certificate.

    Raises:
        ConfigurationError: naming the field that is missing or unreadable.
    """
    _check_profile(security_profile)
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.minimum_version = ssl.TLSVersion.TLSv1_2
    _load_chain(context, cert, key)
    if security_profile == 3:
        if ca is None:
            raise ConfigurationError(
                "tls.ca: security profile 3 (mutual TLS) needs the CA that signs "
                "station certificates",
                field="tls.ca",
            )
        _load_ca(context, ca)
        context.verify_mode = ssl.CERT_REQUIRED
    return context


def present_certificate(context: ssl.SSLContext, cert: PathLike, key: PathLike | None) -> None:
    """Make a server context present another certificate from its next handshake on.

    OpenSSL replaces the context's certificate and key in place, so a server
    already listening with ``context`` presents the new one to the next
    client (the TLS network-profile cases switch what an endpoint presents).

    Raises:
        ConfigurationError: naming the field that is missing or unreadable.
    """
    _load_chain(context, cert, key)


def client_ssl_context(
    security_profile: int,
    *,
    ca: PathLike | None = None,
    cert: PathLike | None = None,
    key: PathLike | None = None,
    check_hostname: bool = True,
) -> ssl.SSLContext:
    """Build the TLS context of the charging-station role.

    Args:
        security_profile: 2 (server authentication) or 3 (mutual TLS).
        ca: PEM file with the CA certificates that sign the CSMS certificate
            (then only those are trusted); the system's trust store when None.
        cert: PEM file with the station certificate; required for profile 3,
            presented when given with profile 2.
        key: PEM file with the station's private key, when not inside ``cert``.
        check_hostname: whether the CSMS certificate must name the host of the
            URL (keep True unless a lab's certificates say otherwise).

    Returns:
        A client context that verifies the CSMS certificate.

    Raises:
        ConfigurationError: naming the field that is missing or unreadable.
    """
    _check_profile(security_profile)
    if security_profile == 3 and cert is None:
        raise ConfigurationError(
            "tls.cert: security profile 3 (mutual TLS) needs a station certificate",
            field="tls.cert",
        )
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
    context.minimum_version = ssl.TLSVersion.TLSv1_2
    if ca is not None:
        _load_ca(context, ca)
    else:
        context.load_default_certs(ssl.Purpose.SERVER_AUTH)
    context.check_hostname = check_hostname
    if cert is not None:
        _load_chain(context, cert, key)
    return context
