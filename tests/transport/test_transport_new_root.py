"""The generated test PKI, an endpoint switching its certificate, and a station's CSMS roots.

What TC_B_50_CS relies on: a new CSMS root 2 signed by the old root, a server
certificate signed by each, an endpoint that presents either, and a station
that validates the CSMS certificate with exactly the roots it has installed.
"""

from __future__ import annotations

import ssl
from pathlib import Path

import pytest
from cryptography import x509

from harness.errors import ConfigurationError, TransportError
from harness.flows.v201.tls_network import lists_root, root_hash_data
from harness.ocppj.versions import OcppVersion
from harness.profile.loader import resolve_profile
from harness.sim.station.v201_certificates import CSMS_ROOT, Certificates201
from harness.transport import CsmsServer, connect_station, server_ssl_context
from harness.transport.throwaway_pki import generated_pki
from tests.transport.conftest import MakeCsms

WAIT = 5.0  # bound for waits that succeed; never reached in a passing run
V201 = OcppVersion.V201
PASSWORD = "pw-0123456789"


def _cert(path: Path) -> x509.Certificate:
    return x509.load_pem_x509_certificate(path.read_bytes())


def test_root2_is_signed_by_the_old_root() -> None:
    """Root 2 is a CA issued by the old root; each server certificate by its own root."""
    pki = generated_pki()
    root, root2 = _cert(pki.root), _cert(pki.root2)
    root2.verify_directly_issued_by(root)
    _cert(pki.server_cert).verify_directly_issued_by(root)
    _cert(pki.server2_cert).verify_directly_issued_by(root2)
    assert pki.server_key.stat().st_mode & 0o077 == 0


def _station(*roots: Path) -> ssl.SSLContext:
    store = Certificates201.starting_with(roots[0] if roots else None)
    for extra in roots[1:]:
        assert store.install(CSMS_ROOT, extra.read_text()) == "Accepted"
    return store.client_context()


async def _connects(server: CsmsServer, context: ssl.SSLContext) -> bool:
    """Whether the station's TLS context accepts the certificate the server presents."""
    try:
        channel = await connect_station(
            server.url, "CP1", [V201], password=PASSWORD, ssl=context, timeout=WAIT
        )
    except TransportError as error:
        refused = str(error)
    else:
        accepted = await server.accept("CP1", timeout=WAIT)
        await channel.close()
        await accepted.close()
        return True
    if "certificate verify failed" not in refused:
        raise AssertionError(f"the connection failed for another reason: {refused}")
    return False


async def test_the_station_trusts_only_its_installed_roots(make_csms: MakeCsms) -> None:
    """Root 2's server certificate fails with the old root alone and passes once root 2 is in."""
    pki = generated_pki()
    context = server_ssl_context(2, cert=pki.server_cert, key=pki.server_key)
    server = await make_csms(security_profile=2, password=PASSWORD, ssl=context)
    old_only = _station(pki.root)
    assert not await _connects(server, _station())
    server.present(pki.server2_cert, pki.server2_key)
    assert not await _connects(server, old_only)
    assert await _connects(server, _station(pki.root, pki.root2))
    assert await _connects(server, _station(pki.root2))
    server.present(pki.server_cert, pki.server_key)
    assert await _connects(server, old_only)


def test_install_refuses_what_is_no_ca_certificate() -> None:
    """InstallCertificate: garbage, a server certificate or an unknown type is Rejected."""
    pki = generated_pki()
    store = Certificates201()
    assert store.install(CSMS_ROOT, "not a certificate") == "Rejected"
    assert store.install(CSMS_ROOT, pki.server_cert.read_text()) == "Rejected"
    assert store.install("ChargingStationCertificate", pki.root.read_text()) == "Rejected"
    assert store.install(CSMS_ROOT, pki.root2.read_text()) == "Accepted"
    assert store.install(CSMS_ROOT, pki.root2.read_text()) == "Accepted"
    assert store.count() == 1


def _profile(tmp_path: Path, connection: str) -> Path:
    path = tmp_path / "p.toml"
    path.write_text(
        '[dut]\nrole = "station"\nocpp_version = "2.0.1"\nidentity = "X"\n'
        f"[connection]\n{connection}\n"
    )
    return path


def test_generated_material_fills_the_tls_files(tmp_path: Path) -> None:
    """tls_material = "generated" names the run's test PKI in every TLS file key."""
    conn = resolve_profile(
        str(
            _profile(
                tmp_path,
                'security_profile = 2\nbasic_auth_password = "pw"\ntls_material = "generated"',
            )
        )
    ).connection
    pki = generated_pki()
    assert (conn.cert_file, conn.key_file) == (pki.server_cert, pki.server_key)
    assert (conn.csms_root_file, conn.csms_root2_file) == (pki.root, pki.root2)
    assert (conn.cert2_file, conn.key2_file) == (pki.server2_cert, pki.server2_key)


@pytest.mark.parametrize(
    ("connection", "field"),
    [
        ('security_profile = 0\ntls_material = "generated"', "tls_material"),
        (
            'security_profile = 2\nbasic_auth_password = "pw"\ntls_material = "generated"\n'
            f'cert_file = "{__file__}"',
            "cert_file",
        ),
        (f'cert2_file = "{__file__}"', "key2_file"),
    ],
)
def test_generated_material_refuses_a_contradiction(
    tmp_path: Path, connection: str, field: str
) -> None:
    """Generated material without TLS, or beside named files, and half a pair are refused."""
    with pytest.raises(ConfigurationError, match=field):
        resolve_profile(str(_profile(tmp_path, connection)))


def test_a_single_root_store_replaces_the_old_root_and_falls_back() -> None:
    """A-S2: root 2 replaces the old root; a failed validation falls back, a success settles."""
    pki = generated_pki()
    old, new = pki.root.read_text(), pki.root2.read_text()
    store = Certificates201.starting_with(pki.root, single_root=True)
    assert store.install(CSMS_ROOT, pki.root.read_text()) == "Accepted"
    assert store.install(CSMS_ROOT, new) == "Accepted"
    assert store.installed[CSMS_ROOT] == [new]
    store.validation_failed()
    store.connected()
    assert store.installed[CSMS_ROOT] == [old]
    assert store.install(CSMS_ROOT, new) == "Accepted"
    store.connected()
    assert (store.installed[CSMS_ROOT], store.fallback) == ([new], None)
    unsigned = Certificates201.starting_with(pki.root2, single_root=True)
    assert unsigned.install(CSMS_ROOT, old) == "Rejected"


def test_the_station_hash_data_is_the_judge_hash_data() -> None:
    """The station's GetInstalledCertificateIds hash data of a root is what OCSP computes."""
    pki = generated_pki()
    store = Certificates201.starting_with(pki.root)
    [entry] = store.hash_data([CSMS_ROOT])
    expected = root_hash_data(pki.root.read_text())
    assert entry == {"certificateType": CSMS_ROOT, "certificateHashData": expected}
    assert lists_root(CSMS_ROOT, expected)([entry])
    assert not lists_root(CSMS_ROOT, expected)(store.hash_data(["V2GRootCertificate"]))


async def test_a_refused_tls_handshake_is_recorded(make_csms: MakeCsms) -> None:
    """The server records a TLS handshake even when the station refuses its certificate."""
    pki = generated_pki()
    context = server_ssl_context(2, cert=pki.server_cert, key=pki.server_key)
    server = await make_csms(security_profile=2, password=PASSWORD, ssl=context)
    assert not await _connects(server, _station(pki.root2))
    assert await server.tls_hello(0, timeout=WAIT) > 0
    assert server.handshakes == []
