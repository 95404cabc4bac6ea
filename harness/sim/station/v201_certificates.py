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
"""

from __future__ import annotations

import datetime
import ssl
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from harness.ocppj.connection import IncomingCall
from harness.sim.station.base import Handled

if TYPE_CHECKING:
    from harness.sim.station.v201 import Station201

__all__ = ["CA_TYPES", "CSMS_ROOT", "Certificates201", "install_certificate"]

CSMS_ROOT = "CSMSRootCertificate"
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

    @classmethod
    def starting_with(cls, csms_root: Path | None) -> Certificates201:
        """The store of a station that trusts ``csms_root`` (None: no CSMS root yet)."""
        store = cls()
        if csms_root is not None:
            store.installed[CSMS_ROOT] = [csms_root.read_text(encoding="ascii")]
        return store

    def count(self) -> int:
        """How many certificates are installed (SecurityCtrlr.CertificateEntries)."""
        return sum(len(pems) for pems in self.installed.values())

    def install(self, kind: str, pem: str) -> str:
        """M05: store ``pem`` as a ``kind`` certificate; the InstallCertificate status."""
        if kind not in CA_TYPES or not _usable_ca(pem):
            return "Rejected"
        pems = self.installed.setdefault(kind, [])
        if pem.strip() not in (p.strip() for p in pems):
            pems.append(pem)
        return "Accepted"

    def client_context(self) -> ssl.SSLContext:
        """The TLS context that validates the CSMS certificate with the installed roots.

        With no CSMS root installed nothing validates, so no connection succeeds.
        """
        context = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
        context.minimum_version = ssl.TLSVersion.TLSv1_2
        # An installed root is a trust anchor even when another CA signed it.
        context.verify_flags |= ssl.VERIFY_X509_PARTIAL_CHAIN
        roots = self.installed.get(CSMS_ROOT, [])
        if roots:
            context.load_verify_locations(cadata="\n".join(roots))
        return context


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


def install_certificate(st: Station201, call: IncomingCall) -> Handled:
    """M05: install a CA certificate."""
    status = st.certificates.install(call.payload["certificateType"], call.payload["certificate"])
    if status == "Accepted":
        st.dm.update("SecurityCtrlr", "CertificateEntries", str(st.certificates.count()))
    return Handled({"status": status})
