"""OCPP 2.0.1 Provisioning (block B), charging station under test: network connection.

Network connection profiles (B09), migrating between them (B10) and
reconnecting after a connection loss (Part 4, section 5.3). The harness is
the CSMS: it closes the station's websocket connection and refuses its
attempts where the catalogue's OCTT does.
"""

from __future__ import annotations

import contextlib

from harness.flows.v201.cs import StationFlow
from harness.flows.v201.network import (
    accepted_attempt,
    booted_after_migration,
    comm_configured,
    connection_data,
    migrate,
    reconnection_time,
)
from harness.network_link import CsmsLink
from harness.profile import DutProfile
from harness.rig import Rig
from harness.session import Session
from harness.steps import step
from harness.testcase import Mutant, testcase

#: A configuration slot no station has (TC_B_43_CS): the profile must be refused.
INVALID_SLOT = 999


@testcase(
    "TC_B_43_CS",
    proof=[
        Mutant(
            "accept_network_profile",
            step="1-2. SetNetworkProfileRequest for slot 999",
            says="'Accepted'",
        )
    ],
)
async def test_TC_B_43_CS_set_network_profile_rejected(
    csms: Session, dut: DutProfile, csms_link: CsmsLink
) -> None:
    """A network connection profile for a configuration slot the station lacks is rejected."""
    with step("1-2. SetNetworkProfileRequest for slot 999 is answered Rejected"):
        data = connection_data(dut, csms_link.role.url)
        await csms.call(
            "SetNetworkProfile",
            {"configurationSlot": INVALID_SLOT, "connectionData": data},
            status="Rejected",
        )


@testcase(
    "TC_B_57_CS",
    proof=[
        Mutant(
            "reconnect_at_once",
            step="2-3. The station waits RetryBackOffWaitMinimum",
            says="at least the interval",
        ),
        Mutant(
            "backoff_not_doubled",
            step="7-8. The station waits the doubled back-off",
            says="at least the interval",
        ),
    ],
)
async def test_TC_B_57_CS_reconnect_after_connection_loss(
    csms: Session, rig: Rig, dut: DutProfile, csms_link: CsmsLink
) -> None:
    """After a lost connection the station reconnects with back-off, doubled after a refusal."""
    flow = StationFlow(csms, dut, rig)
    wait = dut.timing.retry_backoff_wait_minimum
    connect = dut.timing.connect_timeout
    before = {
        "RetryBackOffRepeatTimes": "2",
        "RetryBackOffRandomRange": "0",
        "RetryBackOffWaitMinimum": str(wait),
    }
    async with contextlib.AsyncExitStack() as configured:
        with step("Before: RetryBackOffRepeatTimes 2, RandomRange 0, WaitMinimum as configured"):
            await configured.enter_async_context(comm_configured(flow, before))
        url = csms_link.endpoint()
        mark = csms_link.mark(url)
        async with contextlib.AsyncExitStack() as stack:
            with step("1. The harness closes the websocket connection"):
                await stack.enter_async_context(csms.reconnection(timeout=wait + connect))
                dropped = await csms_link.drop()
            with step("2-3. The station waits RetryBackOffWaitMinimum, reconnects, is accepted"):
                await stack.aclose()
                back = accepted_attempt(csms_link, mark, url)
                reconnection_time(
                    flow,
                    back,
                    dropped,
                    wait,
                    what="the harness closed the connection",
                    rule="TC_B_57_CS step 2: at least RetryBackOffWaitMinimum",
                )
        mark = csms_link.mark(url)
        async with contextlib.AsyncExitStack() as stack:
            with step("4. The harness closes the websocket connection again"):
                await stack.enter_async_context(csms.reconnection(timeout=3 * wait + connect))
                csms_link.refuse(1)
                dropped = await csms_link.drop()
            with step("5-6. The station reconnects after the back-off; the harness refuses it"):
                refused = await csms_link.attempt(
                    mark, timeout=wait + connect, what="TC_B_57_CS step 5", url=url
                )
                first = refused.mono - dropped
            with step("7-8. The station waits the doubled back-off, reconnects, is accepted"):
                await stack.aclose()
                back = accepted_attempt(csms_link, mark + 1, url)
                reconnection_time(
                    flow,
                    back,
                    refused.mono,
                    2 * first,
                    what=f"the refused attempt (step 5 waited {first:.2f} s)",
                    rule="TC_B_57_CS step 7: at least twice the reconnection time of step 5",
                )


@testcase(
    "TC_B_45_CS",
    proof=[
        Mutant(
            "reject:SetNetworkProfile",
            step="1-2. SetNetworkProfileRequest",
            says="'Rejected'",
        ),
        Mutant(
            "ignore_network_priority",
            step="7. Booted: the station connects with the expected profile",
            says="expects it",
        ),
    ],
)
async def test_TC_B_45_CS_migrate_to_new_profile(
    csms: Session, rig: Rig, dut: DutProfile, csms_link: CsmsLink
) -> None:
    """A new profile put first in NetworkConfigurationPriority is used after the reboot."""
    flow = StationFlow(csms, dut, rig)
    migration = await migrate(flow, csms_link, "TC_B_45_CS")
    await booted_after_migration(
        flow,
        csms_link,
        migration,
        wait_title="7. Booted 3-4. The station connects with the new profile, boot Accepted",
        at=migration.new_url,
        case="TC_B_45_CS step 7",
    )


@testcase(
    "TC_B_46_CS",
    proof=[
        Mutant("reject:Reset", step="5-6. ResetRequest OnIdle", says="'Rejected'"),
        Mutant(
            "reject:SetNetworkProfile",
            step="1-2. SetNetworkProfileRequest",
            says="'Rejected'",
        ),
    ],
)
async def test_TC_B_46_CS_migrate_fallback(
    csms: Session, rig: Rig, dut: DutProfile, csms_link: CsmsLink
) -> None:
    """A new profile whose CSMS refuses both attempts is given up for the previous one."""
    flow = StationFlow(csms, dut, rig)
    async with contextlib.AsyncExitStack() as before:
        with step("Before: OCPPCommCtrlr.NetworkProfileConnectionAttempts is 2"):
            attempts = {"NetworkProfileConnectionAttempts": "2"}
            await before.enter_async_context(comm_configured(flow, attempts))
        migration = await migrate(flow, csms_link, "TC_B_46_CS")
        new = migration.new_url
        await booted_after_migration(
            flow,
            csms_link,
            migration,
            refused=[
                ("7. The harness does not accept the first attempt with the new profile", new),
                ("7. The harness does not accept the second attempt with the new profile", new),
            ],
            wait_title="8-9. The harness accepts the previous profile; Booted 3-4, boot Accepted",
            at=migration.old_url,
            case="TC_B_46_CS step 9",
        )


@testcase(
    "TC_B_49_CS",
    requires=("network_profile_fallback",),
    proof=[Mutant("reject:Reset", step="5-6. ResetRequest OnIdle", says="'Rejected'")],
)
async def test_TC_B_49_CS_fallback_after_connection_attempts(
    csms: Session, rig: Rig, dut: DutProfile, csms_link: CsmsLink
) -> None:
    """After its one attempt with the new profile fails, the station falls back and retries."""
    flow = StationFlow(csms, dut, rig)
    before = {
        "NetworkProfileConnectionAttempts": "1",
        "RetryBackOffRepeatTimes": "0",
        "RetryBackOffRandomRange": "0",
        "RetryBackOffWaitMinimum": str(dut.timing.retry_backoff_wait_minimum),
    }
    async with contextlib.AsyncExitStack() as configured:
        with step("Before: NetworkProfileConnectionAttempts 1, RetryBackOff* as configured"):
            await configured.enter_async_context(comm_configured(flow, before))
        migration = await migrate(flow, csms_link, "TC_B_49_CS")
        new, old = migration.new_url, migration.old_url
        await booted_after_migration(
            flow,
            csms_link,
            migration,
            refused=[
                ("7-8. The station tries the new profile; the harness does not accept it", new),
                ("9-10. The station falls back to the previous profile; not accepted", old),
            ],
            wait_title="11-13. After RetryBackOffWaitMinimum it reconnects, accepted; Booted 3-4",
            at=old,
            case="TC_B_49_CS step 11",
        )
