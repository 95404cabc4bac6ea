"""OCPP 2.0.1 steps of the TLS network-profile cases (B10 with M05): a new CSMS root.

The harness plays the CSMS over security profile 2 or 3. A case installs the
<Configured (new) CSMS Root certificate 2> (Memory State CertificateInstalled)
and makes the endpoint the station migrates to present a server certificate
signed by the root the case names.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from harness.errors import NotApplicable, NotRun
from harness.flows.v201.cs import StationFlow
from harness.flows.v201.network import booted_after_migration, migrate
from harness.network_link import CsmsLink
from harness.profile import DutProfile
from harness.session import Session
from harness.steps import step

__all__ = [
    "CSMS_ROOT",
    "NewRoot",
    "certificate_installed",
    "lists_root",
    "migrated_presenting",
    "new_root_material",
    "root2_signed_by_root",
    "root_hash_data",
]

CSMS_ROOT = "CSMSRootCertificate"


@dataclass(frozen=True)
class NewRoot:
    """The configured material of a migration to a new CSMS root.

    Attributes:
        root: <Configured (old) CSMS Root certificate> (PEM text).
        cert: the CSMS server certificate signed by it.
        key: the private key of ``cert``.
        root2: <Configured (new) CSMS Root certificate 2> (PEM text).
        cert2: a CSMS server certificate signed by it.
        key2: the private key of ``cert2``.
    """

    root: str
    cert: Path
    key: Path
    root2: str
    cert2: Path
    key2: Path


def new_root_material(dut: DutProfile) -> NewRoot:
    """The new CSMS root and its server certificate, checked before the first step.

    Raises:
        NotApplicable: the station is not connected with security profile 2 or 3
            (the catalogue's prerequisite).
        NotRun: the profile names no new root or no server certificate signed by it.
    """
    conn = dut.connection
    if conn.security_profile not in (2, 3):
        raise NotApplicable(
            "the station is not connected with security profile 2 or 3 "
            f"([connection].security_profile = {conn.security_profile})"
        )
    root, cert, key = conn.csms_root_file, conn.cert_file, conn.key_file
    root2, cert2, key2 = conn.csms_root2_file, conn.cert2_file, conn.key2_file
    if root is None or cert is None or key is None:
        raise NotRun(
            "the profile names no <Configured CSMS Root certificate> and server certificate "
            "signed by it ([connection] csms_root_file, cert_file, key_file)"
        )
    if root2 is None or cert2 is None or key2 is None:
        raise NotRun(
            "the profile names no <Configured (new) CSMS Root certificate 2> and server "
            "certificate signed by it ([connection] csms_root2_file, cert2_file, key2_file)"
        )
    return NewRoot(
        root.read_text(encoding="ascii"), cert, key, root2.read_text(encoding="ascii"), cert2, key2
    )


def root2_signed_by_root(material: NewRoot) -> None:
    """The prerequisite of a single-root station: root 2 is signed by the old root.

    Raises:
        NotRun: the configured root 2 is not issued by the configured old root.
    """
    from cryptography import x509
    from cryptography.exceptions import InvalidSignature

    old = x509.load_pem_x509_certificate(material.root.encode("ascii"))
    new = x509.load_pem_x509_certificate(material.root2.encode("ascii"))
    try:
        new.verify_directly_issued_by(old)
    except (ValueError, TypeError, InvalidSignature) as error:
        raise NotRun(
            "the configured CSMS Root certificate 2 (csms_root2_file) is not signed by the "
            f"configured old CSMS Root certificate (csms_root_file): {error}"
        ) from None


async def certificate_installed(csms: Session, kind: str, certificate: str) -> None:
    """Memory State CertificateInstalled: InstallCertificateRequest, answered Accepted."""
    with step(f"Before: CertificateInstalled for {kind} is answered Accepted"):
        payload = {"certificateType": kind, "certificate": certificate}
        await csms.call("InstallCertificate", payload, status="Accepted")


def root_hash_data(pem: str) -> dict[str, str]:
    """<HashData> of a self-signed root certificate (SHA256), as OCSP names a certificate.

    The root is its own issuer: the issuer name and key hashes are of its own
    name and key (OCPP 2.0.1 CertificateHashDataType, RFC 6960 CertID).
    """
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes
    from cryptography.x509 import ocsp

    root = x509.load_pem_x509_certificate(pem.encode("ascii"))
    request = ocsp.OCSPRequestBuilder().add_certificate(root, root, hashes.SHA256()).build()
    return {
        "hashAlgorithm": "SHA256",
        "issuerNameHash": request.issuer_name_hash.hex(),
        "issuerKeyHash": request.issuer_key_hash.hex(),
        "serialNumber": format(request.serial_number, "x"),
    }


def lists_root(kind: str, expected: dict[str, str]) -> Callable[[Any], bool]:
    """A certificateHashDataChain that holds an entry of ``kind`` with the ``expected`` hash data.

    Hex strings compare without regard to the case of their digits (OCPP does
    not fix it); the serial number is hex without leading zeroes, as OCPP says.
    """
    fields = ("issuerNameHash", "issuerKeyHash", "serialNumber")

    def same(entry: Any) -> bool:
        if not isinstance(entry, dict) or entry.get("certificateType") != kind:
            return False
        data = entry.get("certificateHashData")
        return (
            isinstance(data, dict)
            and data.get("hashAlgorithm") == expected["hashAlgorithm"]
            and all(str(data.get(name, "")).lower() == expected[name] for name in fields)
        )

    def holds(chain: Any) -> bool:
        return isinstance(chain, list) and any(same(entry) for entry in chain)

    holds.__name__ = f"holds_{kind}_{expected['serialNumber']}"
    return holds


async def migrated_presenting(
    flow: StationFlow,
    link: CsmsLink,
    material: NewRoot,
    presented: tuple[Path, Path],
    *,
    case: str,
    refused_title: str | None = None,
    wait_title: str,
    falls_back: bool,
) -> None:
    """Root 2 installed, steps 1-6 of a migration, and the reconnection, over TLS.

    The Memory State CertificateInstalled (root 2), then the new profile at the
    harness's other endpoint, which presents ``presented`` (certificate, key)
    until the station is booted again.

    Args:
        refused_title: the step of the TLS handshake the station begins at the
            new endpoint and gives up (it refuses the certificate), if due.
        wait_title: the step of the accepted connection and its boot.
        falls_back: whether the station must end at the previous endpoint.
    """
    await certificate_installed(flow.csms, CSMS_ROOT, material.root2)
    with link.presenting(link.other_endpoint(), *presented):
        migration = await migrate(flow, link, case)
        refused = [(refused_title, migration.new_url)] if refused_title else []
        await booted_after_migration(
            flow,
            link,
            migration,
            tls_refused=refused,
            wait_title=wait_title,
            at=migration.old_url if falls_back else migration.new_url,
            case=f"{case} step {wait_title.split('.')[0]}",
        )
