"""Security profiles 2 and 3 over loopback, with certificates made by the openssl CLI.

The ``tls_files`` fixture skips these tests when ``openssl`` is not installed.
"""

from __future__ import annotations

import asyncio
import ssl
from collections.abc import Awaitable, Callable
from typing import Any

import pytest

from harness.errors import ConfigurationError, ConnectionRefusedByPeer, TransportError
from harness.ocppj.versions import OcppVersion
from harness.transport import (
    CsmsServer,
    client_ssl_context,
    connect_station,
    server_ssl_context,
)

MakeCsms = Callable[..., Awaitable[CsmsServer]]
WAIT = 5.0  # bound for waits that succeed; never reached in a passing run
V201 = OcppVersion.V201
PASSWORD = "tls-profile-2-password"


async def _round_trip(server: CsmsServer, identity: str, **connect_options: Any) -> None:
    """Connect, exchange one frame each way, close both ends."""
    station = await connect_station(server.url, identity, [V201], timeout=WAIT, **connect_options)
    csms_side = await server.accept(identity, timeout=WAIT)
    await station.send("to csms")
    await csms_side.send("to station")
    async with asyncio.timeout(WAIT):
        assert await csms_side.recv() == "to csms"
        assert await station.recv() == "to station"
    await station.close()
    await csms_side.close()


async def test_profile_2_tls_with_basic_auth(make_csms: MakeCsms, tls_files: Any) -> None:
    """Profile 2: the station verifies the CSMS certificate and sends Basic auth."""
    server = await make_csms(
        security_profile=2,
        password=PASSWORD,
        ssl=server_ssl_context(2, cert=tls_files.server_cert, key=tls_files.server_key),
    )
    assert server.url.startswith("wss://127.0.0.1:")
    client = client_ssl_context(2, ca=tls_files.ca)
    await _round_trip(server, "CP1", password=PASSWORD, ssl=client)
    with pytest.raises(ConnectionRefusedByPeer) as caught:
        await connect_station(server.url, "CP1", [V201], password="wrong", ssl=client, timeout=WAIT)
    assert caught.value.status == 401


async def test_profile_2_untrusted_server_certificate(make_csms: MakeCsms, tls_files: Any) -> None:
    """A station that does not trust the CSMS's CA fails with a TLS TransportError."""
    server = await make_csms(
        security_profile=2,
        password=PASSWORD,
        ssl=server_ssl_context(2, cert=tls_files.server_cert, key=tls_files.server_key),
    )
    untrusting = client_ssl_context(2, ca=tls_files.other_ca)
    with pytest.raises(TransportError, match="TLS handshake failed") as caught:
        await connect_station(
            server.url, "CP1", [V201], password=PASSWORD, ssl=untrusting, timeout=WAIT
        )
    assert not isinstance(caught.value, ConnectionRefusedByPeer)
    assert "certificate verify failed" in str(caught.value)
    assert server.handshakes == []


async def test_profile_3_mutual_tls(make_csms: MakeCsms, tls_files: Any) -> None:
    """Profile 3: a station with a certificate from the CA connects without Basic auth."""
    server = await make_csms(
        security_profile=3,
        ssl=server_ssl_context(
            3, cert=tls_files.server_cert, key=tls_files.server_key, ca=tls_files.ca
        ),
    )
    client = client_ssl_context(
        3, ca=tls_files.ca, cert=tls_files.client_cert, key=tls_files.client_key
    )
    await _round_trip(server, "CP1", ssl=client)
    assert server.handshakes[-1].authorization_present is False


async def test_profile_3_refuses_a_station_without_certificate(
    make_csms: MakeCsms, tls_files: Any
) -> None:
    """Without a client certificate the TLS handshake fails: TransportError, no websocket."""
    server = await make_csms(
        security_profile=3,
        ssl=server_ssl_context(
            3, cert=tls_files.server_cert, key=tls_files.server_key, ca=tls_files.ca
        ),
    )
    no_certificate = client_ssl_context(2, ca=tls_files.ca)
    with pytest.raises(TransportError) as caught:
        await connect_station(server.url, "CP1", [V201], ssl=no_certificate, timeout=WAIT)
    assert not isinstance(caught.value, ConnectionRefusedByPeer)
    assert "rejected our client certificate" in str(caught.value)
    assert server.handshakes == []


def test_tls_material_problems_name_the_field(tls_files: Any, tmp_path: Any) -> None:
    """Missing files and missing mTLS material are configuration errors naming the field."""
    cases: list[tuple[Callable[[], object], str, str]] = [
        (lambda: server_ssl_context(2, cert=tmp_path / "absent.pem"), "tls.cert", "no such file"),
        (
            lambda: server_ssl_context(2, cert=tls_files.server_cert, key=tmp_path / "k.pem"),
            "tls.key",
            "no such file",
        ),
        (
            lambda: server_ssl_context(3, cert=tls_files.server_cert, key=tls_files.server_key),
            "tls.ca",
            "needs the CA",
        ),
        (lambda: client_ssl_context(3, ca=tls_files.ca), "tls.cert", "needs a station certificate"),
        (lambda: client_ssl_context(1), "security_profile", "does not use TLS"),
        (
            lambda: server_ssl_context(2, cert=tls_files.ca, key=tls_files.server_key),
            "tls.cert",
            "cannot load certificate",
        ),
    ]
    for build, field, words in cases:
        with pytest.raises(ConfigurationError, match=words) as caught:
            build()
        assert caught.value.field == field


def test_contexts_require_tls_1_2_and_profile_3_requires_client_certificates(
    tls_files: Any,
) -> None:
    """Both roles refuse TLS below 1.2; the profile 3 server demands a certificate."""
    server_2 = server_ssl_context(2, cert=tls_files.server_cert, key=tls_files.server_key)
    server_3 = server_ssl_context(
        3, cert=tls_files.server_cert, key=tls_files.server_key, ca=tls_files.ca
    )
    client = client_ssl_context(2, ca=tls_files.ca)
    assert server_2.minimum_version == server_3.minimum_version == ssl.TLSVersion.TLSv1_2
    assert client.minimum_version == ssl.TLSVersion.TLSv1_2
    assert server_2.verify_mode == ssl.CERT_NONE
    assert server_3.verify_mode == ssl.CERT_REQUIRED
    assert client.verify_mode == ssl.CERT_REQUIRED
    assert client.check_hostname
    with pytest.raises(ConfigurationError, match="requires client certificates"):
        CsmsServer(versions=[V201], security_profile=3, ssl=server_2)
