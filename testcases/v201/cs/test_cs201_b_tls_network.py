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
from harness.flows.v201.network import booted_after_migration, comm_configured, migrate
from harness.flows.v201.tls_network import (
    CSMS_ROOT,
    certificate_installed,
    lists_root,
    new_root_material,
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


@testcase(
    "TC_B_47_CS",
    requires=(SINGLE_ROOT,),
    proof=[
        Mutant(
            "root_check_ignored",
            step="9-10. Booted: the station connects with the expected profile",
            says="expects it",
            builtin=TLS_PROFILE,
        ),
        Mutant(
            "reject:Reset",
            step="5-6. ResetRequest OnIdle",
            says="'Rejected'",
            builtin=TLS_PROFILE,
        ),
        Mutant(
            "reject:GetInstalledCertificateIds",
            step="11-12. GetInstalledCertificateIdsRequest",
            says="status",
            builtin=TLS_PROFILE,
        ),
    ],
)
async def test_TC_B_47_CS_new_root_fallback(
    csms: Session, rig: Rig, dut: DutProfile, csms_link: CsmsLink
) -> None:
    """A new CSMS that presents an old-root certificate is refused; the station falls back."""
    material = new_root_material(dut)
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
        await certificate_installed(csms, CSMS_ROOT, material.root2)
        new = csms_link.other_endpoint()
        with csms_link.presenting(new, material.cert, material.key):
            migration = await migrate(flow, csms_link, "TC_B_47_CS")
            await booted_after_migration(
                flow,
                csms_link,
                migration,
                tls_refused=[
                    (
                        "7-8. The new endpoint presents a certificate signed by the old root; "
                        "the station begins the TLS handshake and refuses it",
                        migration.new_url,
                    )
                ],
                wait_title="9-10. The station falls back to the previous profile and the old "
                "root, the harness accepts it; Booted",
                at=migration.old_url,
                case="TC_B_47_CS step 9",
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
        Mutant(
            "reject:InstallCertificate",
            step="Before: CertificateInstalled",
            says="'Rejected'",
            builtin=TLS_PROFILE,
        ),
        Mutant(
            "reject:Reset",
            step="5-6. ResetRequest OnIdle",
            says="'Rejected'",
            builtin=TLS_PROFILE,
        ),
        Mutant(
            "ignore_install_certificate",
            step="7-9. The station connects to the new endpoint",
            says="did not reconnect",
            builtin=TLS_PROFILE,
        ),
    ],
)
async def test_TC_B_50_CS_migrate_to_new_csms_root(
    csms: Session, rig: Rig, dut: DutProfile, csms_link: CsmsLink
) -> None:
    """After the migration the station accepts the new CSMS's certificate, signed by root 2."""
    material = new_root_material(dut)
    flow = StationFlow(csms, dut, rig)
    await certificate_installed(csms, CSMS_ROOT, material.root2)
    with csms_link.presenting(csms_link.other_endpoint(), material.cert2, material.key2):
        migration = await migrate(flow, csms_link, "TC_B_50_CS")
        await booted_after_migration(
            flow,
            csms_link,
            migration,
            wait_title="7-9. The station connects to the new endpoint (TLS: a certificate "
            "signed by root 2), the harness accepts it; Booted",
            at=migration.new_url,
            case="TC_B_50_CS step 7",
        )
    if dut.supports(SINGLE_ROOT):
        # A-S2: having connected with root 2 the station removed the old root, so
        # every CSMS endpoint must present a root-2 certificate from now on.
        csms_link.adopt(material.cert2, material.key2)
