"""The 2.0.1 reference station's installed CA certificates and how it trusts its CSMS.

* **M05 InstallCertificate.** A CA certificate of a known ``certificateType``
  is stored when it is a readable X.509 CA certificate that is valid now,
  else answered ``Rejected``; installing one already there is ``Accepted``
  again. ``SecurityCtrlr.CertificateEntries`` counts what is installed.
* **The CSMS certificate (A00, security profiles 2 and 3).** Over ``wss://``
  the station validates the CSMS server certificate against its installed
  ``CSMSRootCertificate`` entries only (an installed root may itself be signed
  by another: it is a trust anchor as it is), and the certificate must name
  the host of the URL. The station starts with the root of its profile
  (``[connection].csms_root_file``).
* **A-S2 AdditionalRootCertificateCheck** (``SecurityCtrlr``, ReadOnly; true
  with the PICS flag ``additional_root_certificate_check``). One CSMS root at
  a time: a new one must be signed by the installed one (else ``Rejected``)
  and replaces it, the old one kept as fallback. Once a TLS handshake fails
  validation with the new root, the station validates with the fallback; the
  first connection that succeeds settles it: with the new root the fallback
  is removed, with the fallback the new root is given up and the old one is
  installed again.
* **M03 GetInstalledCertificateIds** lists the installed certificates of the
  requested types (all when none is named) with their SHA256 hash data, or
  answers ``NotFound``.
"""

from __future__ import annotations

import datetime
import hashlib
import ssl
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from harness.errors import TransportError
from harness.ocppj.connection import IncomingCall
from harness.sim.station.base import Handled
from harness.sim.station.v201_device_model import Variable

if TYPE_CHECKING:
    from cryptography import x509

    from harness.sim.station.v201 import Station201

__all__ = [
    "CA_TYPES",
    "CSMS_ROOT",
    "Certificates201",
    "certificates_for",
    "get_installed_certificate_ids",
    "install_certificate",
    "open_tls",
]

CSMS_ROOT = "CSMSRootCertificate"
#: The PICS flag that makes ``SecurityCtrlr.AdditionalRootCertificateCheck`` true.
SINGLE_ROOT_FLAG = "additional_root_certificate_check"
#: The InstallCertificateUseEnumType values (CA certificates the CSMS may install).
CA_TYPES = (
    "V2GRootCertificate",
    "MORootCertificate",
    CSMS_ROOT,
    "ManufacturerRootCertificate",
)


@dataclass
class Certificates201:
    """The station's installed CA certificates (PEM text) per certificateType.

    Attributes:
        installed: certificateType -> the PEM of each installed certificate.
    """

    installed: dict[str, list[str]] = field(default_factory=dict)
    single_root: bool = False
    fallback: str | None = None
    using_fallback: bool = False

    @classmethod
    def starting_with(cls, csms_root: Path | None, *, single_root: bool = False) -> Certificates201:
        """The store of a station that trusts ``csms_root`` (None: no CSMS root yet).

        Args:
            single_root: AdditionalRootCertificateCheck is true.
        """
        store = cls(single_root=single_root)
        if csms_root is not None:
            store.installed[CSMS_ROOT] = [csms_root.read_text(encoding="ascii")]
        return store

    def count(self) -> int:
        """How many certificates are installed (SecurityCtrlr.CertificateEntries)."""
        return sum(len(pems) for pems in self.installed.values())

    def install(self, kind: str, pem: str, *, keep_old_root: bool = False) -> str:
        """M05: store ``pem`` as a ``kind`` certificate; the InstallCertificate status.

        Args:
            keep_old_root: the mutant ``root_check_ignored``: a new CSMS root is
                added beside the old one whatever AdditionalRootCertificateCheck says.
        """
        if kind not in CA_TYPES or not _usable_ca(pem):
            return "Rejected"
        pems = self.installed.setdefault(kind, [])
        if pem.strip() in (p.strip() for p in pems):
            return "Accepted"
        if kind == CSMS_ROOT and self.single_root and pems and not keep_old_root:
            if not _signed_by(pem, pems[0]):
                return "Rejected"  # A-S2: the new root must be signed by the one it replaces
            self.fallback, self.using_fallback = pems[0], False
            pems[:] = [pem]
            return "Accepted"
        pems.append(pem)
        return "Accepted"

    def validation_failed(self) -> None:
        """A TLS handshake failed validation: a pending fallback root is tried next."""
        if self.fallback is not None:
            self.using_fallback = True

    def connected(self) -> None:
        """A connection succeeded: the new root, or its fallback, is settled."""
        if self.fallback is not None and self.using_fallback:
            self.installed[CSMS_ROOT] = [self.fallback]
        self.fallback, self.using_fallback = None, False

    def hash_data(self, kinds: list[str]) -> list[dict[str, object]]:
        """The CertificateHashDataChain entries of the installed ``kinds`` (all when empty)."""
        return [
            {"certificateType": kind, "certificateHashData": _hash_data(pem, self._issuer(pem))}
            for kind, pems in self.installed.items()
            if not kinds or kind in kinds
            for pem in pems
        ]

    def _issuer(self, pem: str) -> str:
        """The installed certificate that signed ``pem`` (itself for a self-signed root)."""
        candidates = [p for pems in self.installed.values() for p in pems]
        if self.fallback is not None:
            candidates.append(self.fallback)
        return next((p for p in candidates if p != pem and _signed_by(pem, p)), pem)

    def client_context(self) -> ssl.SSLContext:
        """The TLS context that validates the CSMS certificate with the installed roots.

        With no CSMS root installed nothing validates, so no connection succeeds.
        """
        context = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
        context.minimum_version = ssl.TLSVersion.TLSv1_2
        # An installed root is a trust anchor even when another CA signed it.
        context.verify_flags |= ssl.VERIFY_X509_PARTIAL_CHAIN
        roots = self.installed.get(CSMS_ROOT, [])
        if self.using_fallback and self.fallback is not None:
            roots = [self.fallback]
        if roots:
            context.load_verify_locations(cadata="\n".join(roots))
        return context


def certificates_for(st: Station201) -> Certificates201:
    """The station's store, with the profile's CSMS root and A-S2 as its PICS flag says."""
    single = SINGLE_ROOT_FLAG in st.dut.features
    store = Certificates201.starting_with(st.dut.connection.csms_root_file, single_root=single)
    st.dm.add(
        Variable(
            "SecurityCtrlr",
            "AdditionalRootCertificateCheck",
            "true" if single else "false",
            mutability="ReadOnly",
            data_type="boolean",
        )
    )
    st.dm.update("SecurityCtrlr", "CertificateEntries", str(store.count()))
    return store


async def open_tls(st: Station201, url: str) -> None:
    """Connect over TLS, validating the CSMS certificate with the installed roots (A00).

    Raises:
        TransportError: the connection failed (a certificate that does not
            validate included: a pending fallback root is then used next).
    """
    store = st.certificates
    try:
        await st.open_connection(url, store.client_context())
    except TransportError as error:
        if isinstance(error.__cause__, ssl.SSLCertVerificationError):
            store.validation_failed()
        raise
    store.connected()
    st.dm.update("SecurityCtrlr", "CertificateEntries", str(store.count()))


def _usable_ca(pem: str) -> bool:
    """Whether ``pem`` is one X.509 CA certificate, valid now."""
    from cryptography import x509  # the simulator's only use of it: installing certificates

    try:
        cert = x509.load_pem_x509_certificate(pem.encode("ascii"))
    except (ValueError, UnicodeEncodeError):
        return False
    now = datetime.datetime.now(datetime.UTC)
    if not cert.not_valid_before_utc <= now <= cert.not_valid_after_utc:
        return False
    try:
        constraints = cert.extensions.get_extension_for_class(x509.BasicConstraints).value
    except x509.ExtensionNotFound:
        return False
    return constraints.ca


def _load(pem: str) -> x509.Certificate:
    from cryptography import x509

    return x509.load_pem_x509_certificate(pem.encode("ascii"))


def _signed_by(pem: str, issuer_pem: str) -> bool:
    """Whether the certificate ``pem`` was issued and signed by ``issuer_pem``."""
    from cryptography.exceptions import InvalidSignature

    try:
        _load(pem).verify_directly_issued_by(_load(issuer_pem))
    except (ValueError, TypeError, InvalidSignature):
        return False
    return True


def _hash_data(pem: str, issuer_pem: str) -> dict[str, str]:
    """CertificateHashDataType (SHA256): the issuer's name and key, and the serial number."""
    from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat

    cert, issuer = _load(pem), _load(issuer_pem)
    # The issuer key hash covers the key's BIT STRING content, as in OCSP (RFC 6960).
    info = issuer.public_key().public_bytes(Encoding.DER, PublicFormat.SubjectPublicKeyInfo)
    key_bits = _bit_string(info)
    return {
        "hashAlgorithm": "SHA256",
        "issuerNameHash": hashlib.sha256(cert.issuer.public_bytes()).hexdigest(),
        "issuerKeyHash": hashlib.sha256(key_bits).hexdigest(),
        "serialNumber": format(cert.serial_number, "x"),
    }


def _bit_string(spki: bytes) -> bytes:
    """The public key bits of a DER SubjectPublicKeyInfo (its last element, a BIT STRING)."""
    position = 1 + _length(spki, 1)[1]  # past the outer SEQUENCE header
    position += 1 + sum(_length(spki, position + 1))  # past the AlgorithmIdentifier
    size, header = _length(spki, position + 1)
    start = position + 1 + header + 1  # past the tag, the length and the unused-bits byte
    return spki[start : position + 1 + header + size]


def _length(der: bytes, at: int) -> tuple[int, int]:
    """A DER length at ``at``: (the length, how many bytes it takes)."""
    first = der[at]
    if first < 0x80:
        return first, 1
    count = first & 0x7F
    return int.from_bytes(der[at + 1 : at + 1 + count], "big"), 1 + count


def get_installed_certificate_ids(st: Station201, call: IncomingCall) -> Handled:
    """M03: the hash data of the installed certificates of the requested types."""
    chain = st.certificates.hash_data(list(call.payload.get("certificateType", [])))
    if not chain:
        return Handled({"status": "NotFound"})
    return Handled({"status": "Accepted", "certificateHashDataChain": chain})


def install_certificate(st: Station201, call: IncomingCall) -> Handled:
    """M05: install a CA certificate."""
    kind, pem = call.payload["certificateType"], call.payload["certificate"]
    status = st.certificates.install(kind, pem, keep_old_root=st.faults.on("root_check_ignored"))
    if status == "Accepted":
        st.dm.update("SecurityCtrlr", "CertificateEntries", str(st.certificates.count()))
    return Handled({"status": status})
