"""The sequence diagram: valid, self-contained SVG with the failing frame in red."""

from __future__ import annotations

import xml.etree.ElementTree as ET

from harness.ocppj.versions import Role
from harness.profile import register_secret
from harness.report.diagram import MAX_ROWS, sequence_svg
from harness.report.failure import Failure, locate_failure
from harness.trace import Direction, Finding, Trace

SVG = "{http://www.w3.org/2000/svg}"


def exchange() -> Trace:
    """A short exchange: a boot, a status with a schema finding, a rig event, a reply."""
    trace = Trace("CS-1 <-> harness CSMS")
    trace.event("connected: ws://127.0.0.1/ocpp/CS-1 (ocpp2.0.1)")
    boot = trace.record(Direction.RECEIVED, '[2,"b1","BootNotification",{"reason":"PowerUp"}]')
    boot.message_type, boot.unique_id, boot.action = 2, "b1", "BootNotification"
    reply = trace.record(Direction.SENT, '[3,"b1",{"status":"Accepted"}]')
    reply.message_type, reply.unique_id, reply.action = 3, "b1", "BootNotification"
    trace.event("rig: plug in EVSE 1 connector 1")
    status = trace.record(Direction.RECEIVED, '[2,"s1","StatusNotification",{"bad":1}]')
    status.message_type, status.unique_id, status.action = 2, "s1", "StatusNotification"
    status.add(Finding("schema", "Additional properties are not allowed"))
    return trace


def frames(svg: ET.Element) -> dict[str, ET.Element]:
    return {g.get("data-seq", ""): g for g in svg.iter(f"{SVG}g") if g.get("class") == "frame"}


def test_svg_parses_and_has_three_lifelines_and_one_arrow_per_frame() -> None:
    """The SVG parses; harness, DUT and rig are drawn; each frame and rig event is an arrow."""
    svg = ET.fromstring(sequence_svg(exchange(), harness_role=Role.CSMS, dut_identity="CS-1"))
    assert svg.tag == f"{SVG}svg"
    text = " ".join(svg.itertext())
    assert "Harness (CSMS)" in text
    assert "CS-1" in text
    assert "Rig" in text
    assert set(frames(svg)) == {"1", "2", "4"}
    rig = [g for g in svg.iter(f"{SVG}g") if g.get("class") == "rig"]
    assert "plug in EVSE 1 connector 1" in "".join(rig[0].itertext())
    assert all(len(list(g.iter(f"{SVG}line"))) == 1 for g in frames(svg).values())
    assert "+0.0" in text  # relative times


def test_self_contained() -> None:
    """No external references, scripts or styles: Allure shows it inline as it is."""
    text = sequence_svg(exchange(), harness_role=Role.CSMS, dut_identity="CS-1")
    assert "<script" not in text
    assert "href" not in text
    assert "http://www.w3.org/2000/svg" in text


def test_frame_with_findings_has_a_warning_glyph_and_lists_them() -> None:
    """A frame with findings shows a warning glyph; its tooltip lists the findings."""
    svg = ET.fromstring(sequence_svg(exchange(), harness_role=Role.CSMS, dut_identity="CS-1"))
    status = frames(svg)["4"]
    assert "\u26a0" in "".join(status.itertext())
    assert "Additional properties" in (status.findtext(f"{SVG}title") or "")


def test_failed_frame_is_red_and_verdict_line_drawn() -> None:
    """The frame a failure names is drawn red and marked; the verdict time is a red line."""
    trace = exchange()
    failure = Failure("ExpectationFailed", 'nearest: [2,"s1","StatusNotification"', trace[4].mono)
    seq = locate_failure(trace, failure)
    assert seq == 4
    svg = ET.fromstring(
        sequence_svg(trace, harness_role=Role.CSMS, dut_identity="CS-1", highlight=seq,
                     failure=failure)
    )  # fmt: skip
    failed = [g for g in svg.iter(f"{SVG}g") if g.get("data-failed") == "true"]
    assert [g.get("data-seq") for g in failed] == ["4"]
    line = failed[0].find(f"{SVG}line")
    assert line is not None
    assert line.get("stroke") == "#c62828"
    verdict = [g for g in svg.iter(f"{SVG}g") if g.get("class") == "verdict"]
    assert "ExpectationFailed" in "".join(verdict[0].itertext())


def test_secrets_and_control_characters_never_reach_the_svg() -> None:
    """Texts are masked by the trace's masker, and characters XML forbids are replaced."""
    from harness.profile import mask

    register_secret("pw-in-diagram-123")
    trace = Trace("t", mask=mask)
    entry = trace.record(
        Direction.RECEIVED, '[2,"x","DataTransfer",{"data":"pw-in-diagram-123\x01"}]'
    )
    entry.message_type, entry.unique_id, entry.action = 2, "x", "DataTransfer"
    text = sequence_svg(trace, harness_role=Role.STATION, dut_identity="CSMS")
    ET.fromstring(text)
    assert "pw-in-diagram-123" not in text
    assert "Harness (Station)" in text
    assert "Trigger" in text


def test_long_trace_is_cut_but_keeps_the_failed_frame() -> None:
    """Beyond MAX_ROWS entries only a window is drawn, and it includes the failed frame."""
    trace = Trace("long")
    for n in range(MAX_ROWS + 100):
        entry = trace.record(Direction.RECEIVED, f'[2,"{n}","Heartbeat",{{}}]')
        entry.message_type, entry.unique_id, entry.action = 2, str(n), "Heartbeat"
    svg = ET.fromstring(sequence_svg(trace, harness_role=Role.CSMS, dut_identity="x", highlight=5))
    drawn = frames(svg)
    assert len(drawn) == MAX_ROWS
    assert drawn["5"].get("data-failed") == "true"
    assert "100 later entries not drawn" in " ".join(svg.itertext())
    tail = ET.fromstring(sequence_svg(trace, harness_role=Role.CSMS, dut_identity="x"))
    assert "100 earlier entries not drawn" in " ".join(tail.itertext())
    assert "499" in frames(tail)


def test_rig_log_lines_are_merged_by_time_onto_the_rig_lifeline() -> None:
    """Lines of the rig's own log are drawn as rig arrows between the frames they came between."""
    trace = exchange()
    for entry in trace:  # spread the entries so "between" is unambiguous
        entry.mono = trace.start_mono + entry.seq
    between = trace.start_mono + 1.5
    svg = ET.fromstring(
        sequence_svg(trace, harness_role=Role.CSMS, dut_identity="CS-1",
                     rig_events=[(between, "> PLUG IN")])
    )  # fmt: skip
    groups = [g for g in svg.iter(f"{SVG}g") if g.get("class") in ("frame", "rig")]
    order = [g.get("data-seq") for g in groups]
    assert order.index("-1") == order.index("1") + 1
    rig = groups[order.index("-1")]
    assert "> PLUG IN" in "".join(rig.itertext())
