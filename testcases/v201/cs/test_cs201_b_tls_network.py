"""OCPP 2.0.1 Provisioning (block B), charging station under test: a new CSMS root over TLS.

Migrating to a new network connection profile (B10) whose CSMS presents a
server certificate signed by a new CSMS root certificate that the harness
installed first (M05). The harness is the CSMS on two endpoints; the one the
station migrates to presents the certificate the case names.
"""

from __future__ import annotations

import contextlib

from harness.checks import conform_reply
from harness.errors import NotRun
from harness.flows.v201.cs import StationFlow
from harness.flows.v201.network import comm_configured
from harness.flows.v201.tls_network import (
    CSMS_ROOT,
    lists_root,
    migrated_presenting,
    new_root_material,
    root2_signed_by_root,
    root_hash_data,
)
from harness.network_link import CsmsLink
from harness.profile import DutProfile
from harness.rig import Rig
from harness.session import Session
from harness.steps import step
from harness.testcase import Mutant, testcase

#: The builtin profile whose station connects with security profile 2.
TLS_PROFILE = "station-2.0.1-serial-rig"
#: The PICS flag of A-S2: AdditionalRootCertificateCheck is true.
SINGLE_ROOT = "additional_root_certificate_check"


def _tls(knob: str, at: str, says: str) -> Mutant:
    """A mutant of the station that connects over TLS (the only builtin one that does)."""
    return Mutant(knob, step=at, says=says, builtin=TLS_PROFILE)


@testcase(
    "TC_B_47_CS",
    requires=(SINGLE_ROOT,),
    proof=[
        _tls(
            "root_check_ignored",
            "9-10. Booted: the station connects with the expected profile",
            "expects it",
        ),
        _tls("reject:Reset", "5-6. ResetRequest OnIdle", "'Rejected'"),
        _tls(
            "reject:GetInstalledCertificateIds",
            "11-12. GetInstalledCertificateIdsRequest",
            "status",
        ),
    ],
)
async def test_TC_B_47_CS_new_root_fallback(
    csms: Session, rig: Rig, dut: DutProfile, csms_link: CsmsLink
) -> None:
    """A new CSMS that presents an old-root certificate is refused; the station falls back."""
    material = new_root_material(dut)
    root2_signed_by_root(material)
    if not csms_link.presents_profile_certificate():
        raise NotRun(
            "the station no longer trusts the old CSMS root: an earlier case moved it to root 2 "
            "(TC_B_50_CS, with AdditionalRootCertificateCheck true)"
        )
    flow = StationFlow(csms, dut, rig)
    async with contextlib.AsyncExitStack() as configured:
        with step("Before: OCPPCommCtrlr.NetworkProfileConnectionAttempts is 1"):
            attempts = {"NetworkProfileConnectionAttempts": "1"}
            await configured.enter_async_context(comm_configured(flow, attempts))
        await migrated_presenting(
            flow,
            csms_link,
            material,
            (material.cert, material.key),
            case="TC_B_47_CS",
            refused_title="7-8. The new endpoint presents a certificate signed by the old root; "
            "the station begins the TLS handshake and refuses it",
            wait_title="9-10. The station falls back to the previous profile and the old root, "
            "the harness accepts it; Booted",
            falls_back=True,
        )
    with step("11-12. GetInstalledCertificateIdsRequest CSMSRootCertificate: the old root"):
        reply = await csms.call("GetInstalledCertificateIds", {"certificateType": [CSMS_ROOT]})
        expected = {
            "status": "Accepted",
            "certificateHashDataChain": lists_root(CSMS_ROOT, root_hash_data(material.root)),
        }
        conform_reply(reply, "the old CSMS root is installed (TC_B_47_CS step 12)", expected)


@testcase(
    "TC_B_50_CS",
    proof=[
        _tls("reject:InstallCertificate", "Before: CertificateInstalled", "'Rejected'"),
        _tls("reject:Reset", "5-6. ResetRequest OnIdle", "'Rejected'"),
        _tls(
            "ignore_install_certificate",
            "7-9. The station connects to the new endpoint",
            "did not reconnect",
        ),
    ],
)
async def test_TC_B_50_CS_migrate_to_new_csms_root(
    csms: Session, rig: Rig, dut: DutProfile, csms_link: CsmsLink
) -> None:
    """After the migration the station accepts the new CSMS's certificate, signed by root 2."""
    material = new_root_material(dut)
    flow = StationFlow(csms, dut, rig)
    await migrated_presenting(
        flow,
        csms_link,
        material,
        (material.cert2, material.key2),
        case="TC_B_50_CS",
        wait_title="7-9. The station connects to the new endpoint (TLS: a certificate signed by "
        "root 2), the harness accepts it; Booted",
        falls_back=False,
    )
    if dut.supports(SINGLE_ROOT):
        # A-S2: having connected with root 2 the station removed the old root, so
        # every CSMS endpoint must present a root-2 certificate from now on.
        csms_link.adopt(material.cert2, material.key2)
