"""OCPP 2.0.1 steps of the TLS network-profile cases (B10 with M05): a new CSMS root.

The harness plays the CSMS over security profile 2 or 3. A case installs the
<Configured (new) CSMS Root certificate 2> (Memory State CertificateInstalled)
and makes the endpoint the station migrates to present a server certificate
signed by the root the case names.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from harness.errors import NotApplicable, NotRun
from harness.profile import DutProfile
from harness.session import Session
from harness.steps import step

__all__ = ["CSMS_ROOT", "NewRoot", "certificate_installed", "new_root_material"]

CSMS_ROOT = "CSMSRootCertificate"


@dataclass(frozen=True)
class NewRoot:
    """The configured material of a migration to a new CSMS root.

    Attributes:
        root2: <Configured (new) CSMS Root certificate 2> (PEM text).
        cert2: a CSMS server certificate signed by it.
        key2: the private key of ``cert2``.
    """

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
    if conn.csms_root2_file is None or conn.cert2_file is None or conn.key2_file is None:
        raise NotRun(
            "the profile names no <Configured (new) CSMS Root certificate 2> and server "
            "certificate signed by it ([connection] csms_root2_file, cert2_file, key2_file)"
        )
    root2 = conn.csms_root2_file.read_text(encoding="ascii")
    return NewRoot(root2, conn.cert2_file, conn.key2_file)


async def certificate_installed(csms: Session, kind: str, certificate: str) -> None:
    """Memory State CertificateInstalled: InstallCertificateRequest, answered Accepted."""
    with step(f"Before: CertificateInstalled for {kind} is answered Accepted"):
        payload = {"certificateType": kind, "certificate": certificate}
        await csms.call("InstallCertificate", payload, status="Accepted")
