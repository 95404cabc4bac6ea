"""Fault knobs of the 1.6 reference station for unlock, configuration, meter values, DataTransfer.

Wire mutants (data for the mutation layer) that break the rules TC_017 to
TC_018, TC_030, TC_031, TC_040, TC_062, TC_070 and TC_071 judge, and the one
behaviour knob a wire rule cannot say. :mod:`harness.sim.station.v16_mutants`
adds them to the station's tables.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from harness.sim.mutants import WireMutant
from harness.sim.mutation import CALL, REPLY, Answer, AnswerError, Rule, Set, Where

__all__ = ["BEHAVIOUR_KNOBS", "MUTANTS"]

_FIRST_VALUE = ("meterValue", 0, "sampledValue", 0)


def _second_later(stamp: Any) -> Any:
    """An RFC 3339 timestamp one second later (unparsable values stay as they are)."""
    try:
        when = datetime.fromisoformat(str(stamp).replace("Z", "+00:00"))
    except ValueError:
        return stamp
    later = when + timedelta(seconds=1)
    return later.isoformat(timespec="milliseconds").replace("+00:00", "Z")


#: The station's wire mutants for these actions.
MUTANTS: tuple[WireMutant, ...] = (
    WireMutant(
        "unlock_always_unlocked",
        "answers every UnlockConnector `Unlocked` (unknown connector, fixed cable or failing "
        "lock alike) and does nothing",
        lambda _a, _side: [Rule(REPLY, "UnlockConnector", Answer({"status": "Unlocked"}))],
    ),
    WireMutant(
        "accept_any_configuration",
        "answers every ChangeConfiguration `Accepted` (unknown key or invalid value alike) "
        "and changes nothing",
        lambda _a, _side: [Rule(REPLY, "ChangeConfiguration", Answer({"status": "Accepted"}))],
    ),
    WireMutant(
        "data_transfer_error",
        "answers DataTransfer with a CALLERROR `NotImplemented` instead of a DataTransfer.conf",
        lambda _a, _side: [
            Rule(REPLY, "DataTransfer", AnswerError("NotImplemented", "no data transfer"))
        ],
    ),
    WireMutant(
        "wrong_measurand",
        "reports the first sampled value of every MeterValues as measurand `Voltage`",
        lambda _a, _side: [Rule(CALL, "MeterValues", Set((*_FIRST_VALUE, "measurand"), "Voltage"))],
    ),
    WireMutant(
        "clock_misaligned",
        "stamps clock-aligned MeterValues (`Sample.Clock`) one second after the interval's "
        "boundary",
        lambda _a, _side: [
            Rule(
                CALL,
                "MeterValues",
                Set(("meterValue", 0, "timestamp"), _second_later),
                (Where((*_FIRST_VALUE, "context"), "Sample.Clock"),),
            )
        ],
    ),
)

#: Knobs a wire rule cannot say, each with what it does and (after ``—``) why.
BEHAVIOUR_KNOBS: dict[str, str] = {
    "sample_interval_third": "samples MeterValues three times per `MeterValueSampleInterval` "
    "— a timer, not a message",
}
