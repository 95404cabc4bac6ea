"""OCPP 2.0.1 Provisioning (block B), charging station under test: a new CSMS root over TLS.

Migrating to a new network connection profile (B10) whose CSMS presents a
server certificate signed by a new CSMS root certificate that the harness
installed first (M05). The harness is the CSMS on two endpoints; the one the
station migrates to presents the certificate the case names.
"""

from __future__ import annotations

from harness.flows.v201.cs import StationFlow
from harness.flows.v201.network import booted_after_migration, migrate
from harness.flows.v201.tls_network import CSMS_ROOT, certificate_installed, new_root_material
from harness.network_link import CsmsLink
from harness.profile import DutProfile
from harness.rig import Rig
from harness.session import Session
from harness.testcase import Mutant, testcase

#: The builtin profile whose station connects with security profile 2.
TLS_PROFILE = "station-2.0.1-serial-rig"


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
