"""Per-test Allure attachments: trace (text, JSON), sequence diagram, findings, DUT profile.

Every text attached here has passed through the trace's masker or the
profile's :meth:`~harness.profile.DutProfile.masked`, so no secret of the DUT
profile reaches the results directory; and through
:func:`~harness.safetext.safe_text`, so no text the device sent can make the
results directory unwritable.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

import allure as _allure

from harness.ocppj.versions import Role
from harness.profile import DutProfile
from harness.report.diagram import RigEvent, sequence_svg
from harness.report.failure import Failure, locate_failure
from harness.safetext import safe_text
from harness.trace import Direction, Trace

__all__ = ["attach_profile", "attach_trace", "findings_text", "remarks_text", "rig_log_text"]

allure: Any = _allure  # allure-python ships partial annotations only

_WIDTH = 400


def _attach(body: str, name: str, attachment_type: Any) -> None:
    allure.attach(safe_text(body), name=safe_text(name), attachment_type=attachment_type)


#: Frames listed in the findings attachment; the trace attachments keep every one.
MAX_FLAGGED = 200


def findings_text(trace: Trace) -> str | None:
    """The frames of ``trace`` that carry findings, with them; None when there are none.

    At most :data:`MAX_FLAGGED` frames are listed, then how many more: a
    device flooding garbage must not make an unreadable report.
    """
    flagged = [entry for entry in trace if entry.findings]
    if not flagged:
        return None
    lines = [
        f"findings in trace {trace.name} ({len(flagged)} frames; > sent, < received; "
        "! fails the test, ~ is a remark (a broken SHOULD), i is information)"
    ]
    lines += [entry.format(trace.start_mono, trace.mask, _WIDTH) for entry in flagged[:MAX_FLAGGED]]
    if len(flagged) > MAX_FLAGGED:
        lines.append(
            f"... and {len(flagged) - MAX_FLAGGED} more frames with findings "
            "(all of them are in the trace attachment)"
        )
    return "\n".join(lines)


def remarks_text(trace: Trace) -> str | None:
    """The remarks on the device's frames (broken SHOULDs), or None when there are none.

    Remarks never change the verdict; they tell the user what a stricter peer
    might not accept.
    """
    remarks = trace.remarks()
    if not remarks:
        return None
    lines = [
        f"remarks in trace {trace.name}: {len(remarks)} (broken SHOULDs or frames no rule "
        "forbids; reported, never a failure)"
    ]
    for entry, finding in remarks[:MAX_FLAGGED]:
        lines.append(f"{entry.format(trace.start_mono, trace.mask, _WIDTH).splitlines()[0]}")
        lines.append(f"{'':12}~ {trace.mask(str(finding))}")
    if len(remarks) > MAX_FLAGGED:
        lines.append(f"... and {len(remarks) - MAX_FLAGGED} more remarks")
    return "\n".join(lines)


def rig_log_text(trace: Trace) -> str | None:
    """The rig and trigger events recorded in ``trace`` (``rig: ...``), or None."""
    events = [
        entry
        for entry in trace
        if entry.direction is Direction.EVENT
        and entry.raw.lower().startswith(("rig:", "rig ", "trigger:"))
    ]
    if not events:
        return None
    lines = [f"rig log of trace {trace.name}"]
    lines += [entry.format(trace.start_mono, trace.mask, _WIDTH) for entry in events]
    return "\n".join(lines)


def attach_trace(
    trace: Trace,
    *,
    harness_role: Role,
    dut_identity: str,
    failure: Failure | None,
    rig_events: Sequence[RigEvent] = (),
) -> None:
    """Attach one session's trace to the running Allure test.

    Args:
        trace: the session's trace.
        harness_role: the role the harness played in it.
        dut_identity: the DUT's identity, for the diagram.
        failure: the failed verdict of the test, None when it has not failed.
        rig_events: the rig's own log lines, drawn on the diagram's rig lifeline.
    """
    text = allure.attachment_type.TEXT
    _attach(trace.format_text(), f"trace {trace.name}", text)
    _attach(
        trace.to_json(),
        f"trace {trace.name} (JSON)",
        allure.attachment_type.JSON,
    )
    highlight = locate_failure(trace, failure) if failure is not None else None
    _attach(
        sequence_svg(
            trace,
            harness_role=harness_role,
            dut_identity=dut_identity,
            highlight=highlight,
            failure=failure,
            rig_events=rig_events,
        ),
        f"sequence diagram {trace.name}",
        allure.attachment_type.SVG,
    )
    findings = findings_text(trace)
    if findings is not None:
        _attach(findings, f"findings {trace.name}", text)
    remarks = remarks_text(trace)
    if remarks is not None:
        _attach(remarks, f"remarks {trace.name}", text)
    rig_log = rig_log_text(trace)
    if rig_log is not None:
        _attach(rig_log, f"rig log {trace.name}", text)


def attach_profile(dut: DutProfile) -> None:
    """Attach the effective DUT profile, secrets masked, as JSON."""
    _attach(
        json.dumps(dut.masked(), indent=2, ensure_ascii=False, default=str),
        "DUT profile (secrets masked)",
        allure.attachment_type.JSON,
    )
