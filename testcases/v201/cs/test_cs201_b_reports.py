"""OCPP 2.0.1 Provisioning (block B), station under test: base reports (B07).

GetBaseReport ConfigurationInventory and FullInventory, reported over as many
NotifyReport messages as the station needs (any split is allowed), the
required variables of the device model, and a base report the station does not
support.
"""

from __future__ import annotations

from harness.checks import conform_reply
from harness.expect import or_absent
from harness.flows.v201.reports import ask_base_report, full_report, new_request_id
from harness.profile import DutProfile
from harness.session import Session
from harness.steps import step
from harness.testcase import Mutant, testcase


@testcase(
    "TC_B_12_CS",
    proof=[
        Mutant("base_report_status:Rejected", step="1-2. GetBaseReportRequest", says='"Rejected"'),
        Mutant("report_seqno_stuck", step="3-4. NotifyReportRequest", says="$.seqNo"),
        Mutant("report_wrong_request_id", step="3-4. NotifyReportRequest", says="$.requestId"),
        Mutant("report_no_values_list", step="3-4. NotifyReportRequest", says="valuesList"),
        Mutant("report_mutability:ReadOnly", step="Post", says="mutability ReadOnly"),
        Mutant("report_without:OfflineThreshold", step="Post", says="OfflineThreshold"),
    ],
)
async def test_TC_B_12_CS_configuration_inventory(csms: Session, dut: DutProfile) -> None:
    """The ConfigurationInventory reports the writable variables, the required ones among them."""
    report = await full_report(csms, dut, "ConfigurationInventory", "TC_B_12_CS")
    with step("Post: characteristics present, ReadWrite/WriteOnly only, required writables"):
        report.characteristics()
        report.writable_only()
        report.holds(dut, writable=True, hardware=False)


@testcase(
    "TC_B_13_CS",
    proof=[
        Mutant("base_report_status:Rejected", step="1-2. GetBaseReportRequest", says='"Rejected"'),
        Mutant("report_seqno_stuck", step="3-4. NotifyReportRequest", says="$.seqNo"),
        Mutant("report_no_values_list", step="3-4. NotifyReportRequest", says="valuesList"),
        Mutant("report_without:SupplyPhases", step="Post", says="SupplyPhases"),
    ],
)
async def test_TC_B_13_CS_full_inventory(csms: Session, dut: DutProfile) -> None:
    """The FullInventory reports every required variable, of the hardware too."""
    report = await full_report(csms, dut, "FullInventory", "TC_B_13_CS")
    with step("Post: characteristics present, the required variables reported"):
        report.characteristics()
        report.holds(dut)


@testcase(
    "TC_B_53_CS",
    proof=[
        Mutant("report_wrong_request_id", step="3-4. NotifyReportRequest", says="$.requestId"),
        Mutant("report_without:TxStartPoint", step="Post", says="TxCtrlr.TxStartPoint"),
        Mutant("report_no_values_list", step="3-4. NotifyReportRequest", says="valuesList"),
    ],
)
async def test_TC_B_53_CS_mandatory_variables(csms: Session, dut: DutProfile) -> None:
    """A FullInventory holds every required variable, list values in their lists, no secrets."""
    report = await full_report(csms, dut, "FullInventory", "TC_B_53_CS")
    with step("Post: required variables, valuesList values, WriteOnly values omitted"):
        report.holds(dut)
        report.values_allowed()


@testcase(
    "TC_B_15_CS",
    excludes=("summary_inventory",),
    proof=[
        Mutant(
            "base_report_status:EmptyResultSet",
            step="1-2. GetBaseReportRequest SummaryInventory",
            says='"EmptyResultSet"',
            builtin="station-2.0.1-basic-auth",
        ),
    ],
)
async def test_TC_B_15_CS_summary_not_supported(csms: Session, dut: DutProfile) -> None:
    """A station without the SummaryInventory report answers NotSupported and reports nothing."""
    with step("1-2. GetBaseReportRequest SummaryInventory is answered NotSupported"):
        mark = csms.mark()
        reply = await ask_base_report(csms, "SummaryInventory", new_request_id())
        expected = {
            "status": "NotSupported",
            "statusInfo": or_absent({"reasonCode": "UnsupportedParam"}),
        }
        conform_reply(reply, "status NotSupported (TC_B_15_CS step 2)", expected)
    with step("After 2. No NotifyReportRequest follows"):
        # The tool waits to make sure none comes: one message timeout.
        await csms.expect_none("NotifyReport", during=dut.timing.message_timeout, after=mark)
