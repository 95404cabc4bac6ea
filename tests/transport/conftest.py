"""Fixtures for the transport tests: servers on loopback, connected pairs, TLS material."""

from __future__ import annotations

import shutil
import subprocess
from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from harness.ocppj.versions import OcppVersion
from harness.transport import CsmsServer, WebsocketChannel, connect_station

WAIT = 5.0
"""Bound for waits that succeed in a working harness (generous, never reached)."""

MakeCsms = Callable[..., Awaitable[CsmsServer]]


@pytest.fixture
async def make_csms() -> AsyncIterator[MakeCsms]:
    """Start CsmsServers on 127.0.0.1 (OCPP 2.0.1 unless told); all stopped at teardown."""
    servers: list[CsmsServer] = []

    async def make(**options: Any) -> CsmsServer:
        options.setdefault("versions", [OcppVersion.V201])
        server = CsmsServer(**options)
        await server.start()
        servers.append(server)
        return server

    yield make
    for server in servers:
        await server.stop()


Pair = tuple[CsmsServer, WebsocketChannel, WebsocketChannel]


@pytest.fixture
async def pair(make_csms: MakeCsms) -> AsyncIterator[Pair]:
    """A station ``CP1`` connected over OCPP 2.0.1 to a plain CSMS server.

    Yields ``(server, csms_side, station_side)``; both ends are closed at teardown.
    """
    server = await make_csms()
    station_side = await connect_station(server.url, "CP1", [OcppVersion.V201], timeout=WAIT)
    csms_side = await server.accept("CP1", timeout=WAIT)
    yield server, csms_side, station_side
    await station_side.close()
    await csms_side.close()


@dataclass(frozen=True)
class TlsFiles:
    """PEM files of a throwaway PKI: one CA signing a server and a station certificate."""

    ca: Path
    server_cert: Path
    server_key: Path
    client_cert: Path
    client_key: Path
    other_ca: Path


def _openssl(*args: str, cwd: Path) -> None:
    subprocess.run(["openssl", *args], cwd=cwd, check=True, capture_output=True, timeout=60)


def _make_ca(directory: Path, name: str) -> None:
    _openssl(
        "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1",
        "-nodes", "-keyout", f"{name}.key", "-out", f"{name}.pem", "-days", "2",
        "-subj", f"/CN={name}",
        "-addext", "basicConstraints=critical,CA:TRUE",
        "-addext", "keyUsage=critical,keyCertSign,cRLSign",
        cwd=directory,
    )  # fmt: skip


def _make_leaf(directory: Path, name: str, subject: str, extensions: str) -> None:
    (directory / f"{name}.ext").write_text(extensions)
    _openssl(
        "req", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes",
        "-keyout", f"{name}.key", "-out", f"{name}.csr", "-subj", subject,
        cwd=directory,
    )  # fmt: skip
    _openssl(
        "x509", "-req", "-in", f"{name}.csr", "-CA", "ca.pem", "-CAkey", "ca.key",
        "-CAcreateserial", "-out", f"{name}.pem", "-days", "2", "-extfile", f"{name}.ext",
        cwd=directory,
    )  # fmt: skip


@pytest.fixture(scope="session")
def tls_files(tmp_path_factory: pytest.TempPathFactory) -> TlsFiles:
    """Generate the PKI with the ``openssl`` command line; skip when it is absent."""
    if shutil.which("openssl") is None:
        pytest.skip("the openssl command line is not installed: cannot generate test certificates")
    directory = tmp_path_factory.mktemp("pki")
    _make_ca(directory, "ca")
    _make_ca(directory, "other-ca")
    _make_leaf(
        directory,
        "server",
        "/CN=127.0.0.1",
        "subjectAltName=IP:127.0.0.1,DNS:localhost\nextendedKeyUsage=serverAuth\n",
    )
    _make_leaf(directory, "client", "/CN=CP1", "extendedKeyUsage=clientAuth\n")
    return TlsFiles(
        ca=directory / "ca.pem",
        server_cert=directory / "server.pem",
        server_key=directory / "server.key",
        client_cert=directory / "client.pem",
        client_key=directory / "client.key",
        other_ca=directory / "other-ca.pem",
    )
