"""The chain of CSMS root generations that lets the new-root cases run again on one station.

Each generation's root is signed by the one before; between cases (and from
the start of a run) the endpoints present the newest server certificate with
the newer roots as intermediates, which a station trusting any of those
generations accepts.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives.asymmetric import ec

from harness.flows.v201.tls_network import lists_root, root_hash_data
from harness.flows.v201.tls_roots import Generation, RootChain
from harness.sim.station.v201_certificates import CSMS_ROOT, Certificates201
from harness.transport import server_ssl_context
from harness.transport.presented import first_presented
from harness.transport.throwaway_pki import (
    _issue,
    _write_cert,
    _write_key,
    generated_pki,
    next_generation,
    sign_with,
)
from tests.transport.conftest import MakeCsms
from tests.transport.test_transport_new_root import PASSWORD, _connects


def _cert(path: Path) -> x509.Certificate:
    return x509.load_pem_x509_certificate(path.read_bytes())


def _chain() -> RootChain:
    pki = generated_pki()
    return RootChain(
        [
            Generation(0, pki.root, pki.server_cert, pki.server_key),
            Generation(1, pki.root2, pki.server2_cert, pki.server2_key),
        ]
    )


class _Link:
    """What :meth:`RootChain.settle` needs of a CsmsLink: the certificate both endpoints adopt."""

    adopted: tuple[Path, Path] | None = None

    def adopt(self, cert: Path, key: Path) -> None:
        self.adopted = (cert, key)


def test_each_new_generation_is_signed_by_the_one_before() -> None:
    """Root 3 is issued by root 2, its server certificate by root 3; asking again gives the same."""
    pki = generated_pki()
    made = next_generation(pki.root2)
    assert made is not None
    root3, server3, key3 = made
    _cert(root3).verify_directly_issued_by(_cert(pki.root2))
    _cert(server3).verify_directly_issued_by(_cert(root3))
    assert key3.stat().st_mode & 0o077 == 0
    assert next_generation(pki.root2) == made


def test_no_generation_after_a_root_whose_key_the_harness_lacks(tmp_path: Path) -> None:
    """A profile's root 2 has a next generation only once its key is given (csms_root2_key_file)."""
    key = ec.generate_private_key(ec.SECP256R1())
    root = _write_cert(tmp_path / "lab-root2.pem", _issue("Lab Root 2", key, None, ca=True))
    key_file = _write_key(tmp_path / "lab-root2.key", key)
    assert next_generation(root) is None
    sign_with(root, key_file)
    made = next_generation(root)
    assert made is not None
    _cert(made[0]).verify_directly_issued_by(_cert(root))
    assert made[0].parent != tmp_path


async def test_between_cases_every_trusted_generation_reaches_the_endpoint(
    make_csms: MakeCsms,
) -> None:
    """Whatever generation a case settled on, stations trusting root 0, 1 or 2 all connect."""
    chain = _chain()
    newest = chain.generation(2)
    for settled in (0, 2):
        link = _Link()
        chain.settle(link, settled)  # type: ignore[arg-type]
        assert link.adopted is not None
        assert link.adopted[1] == newest.key
        context = server_ssl_context(2, cert=link.adopted[0], key=link.adopted[1])
        server = await make_csms(security_profile=2, password=PASSWORD, ssl=context)
        for generation in chain.generations:
            store = Certificates201.starting_with(generation.root_file, single_root=True)
            assert await _connects(server, store.client_context()), (settled, generation.index)


def test_roots_that_do_not_chain_present_the_settled_generation() -> None:
    """A profile whose root 2 is not signed by its root: the settled generation's certificate."""
    pki = generated_pki()
    chain = RootChain(
        [
            Generation(0, pki.root2, pki.server_cert, pki.server_key),
            Generation(1, pki.root, pki.server2_cert, pki.server2_key),
        ]
    )
    link = _Link()
    chain.settle(link, 1)  # type: ignore[arg-type]
    assert link.adopted == (pki.server2_cert, pki.server2_key)


def test_a_later_root_is_listed_with_its_own_or_its_signers_key() -> None:
    """Root 2's hash data: the station's, with or without its signer installed, matches."""
    pki = generated_pki()
    root, root2 = pki.root.read_text(), pki.root2.read_text()
    forms = (root_hash_data(root2), root_hash_data(root2, root))
    alone = Certificates201.starting_with(pki.root2, single_root=True)
    beside = Certificates201.starting_with(pki.root)
    assert beside.install(CSMS_ROOT, root2) == "Accepted"
    own, signers = forms
    assert lists_root(CSMS_ROOT, own)(alone.hash_data([CSMS_ROOT]))
    assert lists_root(CSMS_ROOT, signers)(beside.hash_data([CSMS_ROOT]))
    assert own != signers
    for store in (alone, beside):
        assert lists_root(CSMS_ROOT, *forms)(store.hash_data([CSMS_ROOT]))


@dataclass(frozen=True)
class _Files:
    """The TLS files of a profile's [connection] (what first_presented reads)."""

    cert_file: Path
    key_file: Path
    csms_root_file: Path
    csms_root2_file: Path
    cert2_file: Path
    key2_file: Path


async def test_a_station_left_at_root_2_reaches_a_restarted_harness(make_csms: MakeCsms) -> None:
    """From the start the endpoints present root 2's chain, which the old root and root 2 accept."""
    pki = generated_pki()
    files = _Files(
        pki.server_cert, pki.server_key, pki.root, pki.root2, pki.server2_cert, pki.server2_key
    )
    presented = first_presented(files)
    assert presented is not None
    assert presented[1] == pki.server2_key
    context = server_ssl_context(2, cert=presented[0], key=presented[1])
    server = await make_csms(security_profile=2, password=PASSWORD, ssl=context)
    for root in (pki.root, pki.root2):
        store = Certificates201.starting_with(root, single_root=True)
        assert await _connects(server, store.client_context()), root.name
    unsigned = replace(files, csms_root_file=pki.root2, csms_root2_file=pki.root)
    assert first_presented(unsigned) == (pki.server_cert, pki.server_key)
