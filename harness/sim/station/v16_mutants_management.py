"""Fault knobs of the 1.6 station's Local Auth List, Firmware Management and Remote Trigger.

Wire mutants as data (:data:`MUTANTS`, applied by the mutation layer) and the
behaviour knobs a wire rule cannot say (:data:`BEHAVIOUR_KNOBS`), added to the
station's tables in :mod:`harness.sim.station.v16_mutants`.
"""

from __future__ import annotations

from harness.sim.mutants import WireMutant
from harness.sim.mutation import CALL, REPLY, Answer, Drop, Rule, Set, Where

__all__ = ["BEHAVIOUR_KNOBS", "MUTANTS"]

MUTANTS: tuple[WireMutant, ...] = (
    WireMutant(
        "list_update_accepted",
        "answers every SendLocalList `Accepted` and changes nothing",
        lambda _a, _side: [Rule(REPLY, "SendLocalList", Answer({"status": "Accepted"}))],
    ),
    WireMutant(
        "differential_failed",
        "answers a Differential SendLocalList `Failed` and changes nothing",
        lambda _a, _side: [
            Rule(
                REPLY,
                "SendLocalList",
                Answer({"status": "Failed"}),
                (Where(("updateType",), "Differential"),),
            )
        ],
    ),
    WireMutant(
        "version_mismatch_accepted",
        "answers `Accepted` a Differential SendLocalList it refuses with `VersionMismatch` "
        "(the list stays as it was)",
        lambda _a, _side: [
            Rule(
                REPLY,
                "SendLocalList",
                Set(("status",), "Accepted"),
                (Where(("status",), "VersionMismatch"),),
            )
        ],
    ),
    WireMutant(
        "list_version_stale",
        "answers GetLocalListVersion with listVersion 1 whatever the list's version "
        "(also when it is empty, 0, or disabled, -1)",
        lambda _a, _side: [Rule(REPLY, "GetLocalListVersion", Set(("listVersion",), 1))],
    ),
    WireMutant(
        "trigger_accepts_all",
        "answers `Accepted` a TriggerMessage it would reject (a connector it lacks) and sends "
        "nothing",
        lambda _a, _side: [
            Rule(
                REPLY,
                "TriggerMessage",
                Set(("status",), "Accepted"),
                (Where(("status",), "Rejected"),),
            )
        ],
    ),
    WireMutant(
        "skip_firmware_status",
        "never sends FirmwareStatusNotification `<Status>`",
        lambda status, _side: [
            Rule(CALL, "FirmwareStatusNotification", Drop(), (Where(("status",), status),))
        ],
        "<Status>",
    ),
    WireMutant(
        "skip_diagnostics_status",
        "never sends DiagnosticsStatusNotification `<Status>`",
        lambda status, _side: [
            Rule(CALL, "DiagnosticsStatusNotification", Drop(), (Where(("status",), status),))
        ],
        "<Status>",
    ),
)

#: Knobs a wire rule cannot say, each with what it does and (after ``—``) why.
BEHAVIOUR_KNOBS: dict[str, str] = {
    "firmware_no_reboot": "installs a firmware without rebooting and reports Installed at once "
    "— a reboot is no message to drop",
}
