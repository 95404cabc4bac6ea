"""Fault knobs of the 2.0.1 reference station for remote control (block F).

Wire mutants (data for the mutation layer) that break what TC_F_02 to TC_F_27
judge: remote start and stop, UnlockConnector, TriggerMessage.
:mod:`harness.sim.station.v201_mutants` adds them to the station's table.
"""

from __future__ import annotations

from harness.sim.mutants import WireMutant
from harness.sim.mutation import CALL, REPLY, Answer, Drop, Rule, Set, Unset, Where

__all__ = ["MUTANTS"]

_ENDED = Where(("eventType",), "Ended")
_TRIGGERED = Where(("triggerReason",), "Trigger")
_FIRST_VALUE = ("meterValue", 0, "sampledValue", 0)

#: The station's wire mutants for remote control.
MUTANTS: tuple[WireMutant, ...] = (
    WireMutant(
        "skip_authorize",
        "never sends an Authorize (a remote start is not checked with the CSMS)",
        lambda _a, _side: [Rule(CALL, "Authorize", Drop())],
    ),
    WireMutant(
        "ended_trigger",
        "ends every transaction with triggerReason `<TriggerReason>`",
        lambda v, _side: [Rule(CALL, "TransactionEvent", Set(("triggerReason",), v), (_ENDED,))],
        "<TriggerReason>",
    ),
    WireMutant(
        "stop_any_transaction",
        "answers every RequestStopTransaction `Accepted`, an unknown transactionId too",
        lambda _a, _side: [Rule(REPLY, "RequestStopTransaction", Answer({"status": "Accepted"}))],
    ),
    WireMutant(
        "unlock_answer",
        "answers every UnlockConnector `<UnlockStatus>` and does nothing",
        lambda v, _side: [Rule(REPLY, "UnlockConnector", Answer({"status": v}))],
        "<UnlockStatus>",
    ),
    WireMutant(
        "trigger_answer",
        "answers every TriggerMessage `<TriggerMessageStatus>` and sends nothing",
        lambda v, _side: [Rule(REPLY, "TriggerMessage", Answer({"status": v}))],
        "<TriggerMessageStatus>",
    ),
    WireMutant(
        "trigger_context",
        "gives the first sampled value of MeterValues and of triggered TransactionEvents the "
        "context `<ReadingContext>`",
        lambda v, _side: [
            Rule(CALL, "MeterValues", Set((*_FIRST_VALUE, "context"), v)),
            Rule(CALL, "TransactionEvent", Set((*_FIRST_VALUE, "context"), v), (_TRIGGERED,)),
        ],
        "<ReadingContext>",
    ),
    WireMutant(
        "trigger_no_meter",
        "sends triggered TransactionEvents without meterValue",
        lambda _a, _side: [Rule(CALL, "TransactionEvent", Unset(("meterValue",)), (_TRIGGERED,))],
    ),
    WireMutant(
        "log_status_value",
        "reports status `<UploadLogStatus>` in every LogStatusNotification",
        lambda v, _side: [Rule(CALL, "LogStatusNotification", Set(("status",), v))],
        "<UploadLogStatus>",
    ),
    WireMutant(
        "firmware_status_value",
        "reports status `<FirmwareStatus>` in every FirmwareStatusNotification",
        lambda v, _side: [Rule(CALL, "FirmwareStatusNotification", Set(("status",), v))],
        "<FirmwareStatus>",
    ),
)
