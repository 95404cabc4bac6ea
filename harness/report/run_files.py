"""Per-run Allure files: ``environment.properties``, ``categories.json``, ``executor.json``.

Written once per run into the Allure results directory (by the xdist
controller only; see ``fixtures/reporting.py``):

* the environment names the DUT as it announced itself in its BootNotification
  when it sent one during the run (a station under test), else as the profile
  describes it, with the OCPP version, security profile, rig and harness version;
* the categories sort failures by who is at fault, from the ``category`` of
  the harness's exception classes (so a new exception class is categorised
  without touching this file), then "not applicable" skips (the DUT lacks the
  feature) apart from "not run" ones (the rig, trigger or operator could not);
* the executor names the harness and the build.
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Mapping
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from harness import errors
from harness.ocppj.versions import Role
from harness.profile import DutProfile, mask
from harness.trace import Direction, Trace

__all__ = [
    "boot_identity",
    "categories",
    "environment_properties",
    "executor",
    "write_run_files",
]

#: Category names and the Allure statuses they apply to, in matching order.
_CATEGORIES: tuple[tuple[str, str, str], ...] = (
    ("dut-timeout", "DUT timeout", "failed"),
    ("schema-violation", "Schema violation", "failed"),
    ("non-conformance", "DUT non-conformance", "failed"),
    ("rig-error", "Rig error", "broken"),
    ("harness-error", "Harness error", "broken"),
)
#: Failures that are not harness exceptions but still verdicts on the DUT.
_PLAIN_FAILURES = ("AssertionError", "Failed")

_BOOT_FIELDS_16 = {
    "vendor": ("chargePointVendor",),
    "model": ("chargePointModel",),
    "firmware": ("firmwareVersion",),
    "serial": ("chargePointSerialNumber", "chargeBoxSerialNumber"),
}
_BOOT_FIELDS_2X = {
    "vendor": ("vendorName",),
    "model": ("model",),
    "firmware": ("firmwareVersion",),
    "serial": ("serialNumber",),
}


def boot_identity(trace: Trace) -> dict[str, str]:
    """Vendor, model, firmware and serial from the last BootNotification received in ``trace``.

    Returns:
        The fields the DUT sent (masked), keyed ``vendor``/``model``/``firmware``/
        ``serial``; empty when the trace holds no readable BootNotification.
    """
    for entry in reversed(list(trace)):
        if not (
            entry.direction is Direction.RECEIVED
            and entry.message_type == 2
            and entry.action == "BootNotification"
        ):
            continue
        try:
            payload = json.loads(entry.raw)[3]
        except (ValueError, IndexError, KeyError, TypeError):
            continue
        if not isinstance(payload, dict):
            continue
        station = payload.get("chargingStation")
        source, fields = (
            (station, _BOOT_FIELDS_2X) if isinstance(station, dict) else (payload, _BOOT_FIELDS_16)
        )
        found = {}
        for key, names in fields.items():
            value = next((source[n] for n in names if isinstance(source.get(n), str)), None)
            if value:
                found[key] = mask(value)
        if found:
            return found
    return {}


def _escape_properties(text: str, *, key: bool) -> str:
    out = []
    for index, char in enumerate(text):
        if char == "\\" or (key and char in "=:#! ") or (char == " " and index == 0):
            out.append("\\" + char)
        elif char == "\n":
            out.append("\\n")
        elif char == "\r":
            out.append("\\r")
        elif char == "\t":
            out.append("\\t")
        elif not 0x20 <= ord(char) <= 0x7E:
            out.append("".join(f"\\u{unit:04x}" for unit in _utf16(char)))
        else:
            out.append(char)
    return "".join(out)


def _utf16(char: str) -> Iterator[int]:
    data = char.encode("utf-16-be")
    for i in range(0, len(data), 2):
        yield int.from_bytes(data[i : i + 2], "big")


def environment_properties(dut: DutProfile, boot: Mapping[str, str], harness_version: str) -> str:
    """The ``environment.properties`` text (Java properties, ASCII with escapes).

    Args:
        dut: the DUT profile of the run.
        boot: what the DUT sent in its BootNotification (see :func:`boot_identity`);
            a missing field falls back to the profile's value.
        harness_version: the harness's version.
    """
    from_profile = {
        "vendor": dut.vendor,
        "model": dut.model,
        "firmware": dut.firmware,
        "serial": dut.serial,
    }
    values: dict[str, str | None] = {
        "DUT": dut.name,
        "DUT.identity": dut.identity,
        "DUT.role": dut.role.value,
    }
    for field, fallback in from_profile.items():
        values[f"DUT.{field}"] = boot.get(field) or fallback
    values["DUT.identified.by"] = "BootNotification" if boot else "DUT profile"
    values["OCPP.version"] = dut.version.value
    values["Security.profile"] = str(dut.connection.security_profile)
    if dut.role is Role.STATION:
        values["Rig.backend"] = dut.rig.backend
    else:
        values["Trigger"] = dut.trigger.kind
    if dut.embedded is not None:
        faults = ", ".join(dut.embedded.faults) or "none"
        values["Embedded.simulator"] = f"{dut.embedded.simulator} (faults: {faults})"
    values["Profile"] = dut.source
    values["Harness.version"] = harness_version
    lines = [
        f"{_escape_properties(key, key=True)}={_escape_properties(mask(value), key=False)}"
        for key, value in values.items()
        if value
    ]
    return "\n".join(lines) + "\n"


def _exception_names() -> dict[str, list[str]]:
    """Class names of the harness's exceptions (imported so far), by their ``category``."""
    names: dict[str, list[str]] = {}
    stack: list[type[BaseException]] = [errors.NonConformance, errors.HarnessError]
    seen: set[type[BaseException]] = set()
    while stack:
        cls = stack.pop()
        if cls in seen:
            continue
        seen.add(cls)
        category = getattr(cls, "category", None)
        if isinstance(category, str):
            names.setdefault(category, []).append(cls.__name__)
        stack.extend(cls.__subclasses__())
    return {category: sorted(set(listed)) for category, listed in names.items()}


def _message_regex(class_names: list[str]) -> str:
    # Allure matches the whole message (Java Pattern.matches); exconly() qualifies the
    # class name with its module: "harness.errors.ExpectationFailed: ...".
    return r"(?s)(?:[\w.]+\.)?(?:" + "|".join(class_names) + r")(?::.*)?"


def categories() -> list[dict[str, Any]]:
    """The ``categories.json`` content: our exception classes, then "not applicable" and
    "not run" skips."""
    names = _exception_names()
    out: list[dict[str, Any]] = []
    for key, title, status in _CATEGORIES:
        listed = list(names.get(key, []))
        if key == "non-conformance":
            listed += _PLAIN_FAILURES
        if not listed:
            continue
        out.append(
            {
                "name": title,
                "description": f"exceptions of category {key!r}",
                "matchedStatuses": [status],
                "messageRegex": _message_regex(listed),
            }
        )
    out.append(
        {
            "name": "Not applicable",
            "description": "skipped: the DUT profile says the case does not apply",
            "matchedStatuses": ["skipped"],
            "messageRegex": r"(?s)(?:[\w.]+\.)?Skipped: not applicable:.*",
        }
    )
    out.append(
        {
            "name": "Not run",
            "description": "skipped: the rig, trigger or operator could not perform the case",
            "matchedStatuses": ["skipped"],
            "messageRegex": r"(?s)(?:[\w.]+\.)?Skipped: not run:.*",
        }
    )
    return out


def executor(dut: DutProfile, now: datetime) -> dict[str, Any]:
    """The ``executor.json`` content for a run started at ``now``."""
    stamp = now.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    return {
        "name": "ocpp-harness",
        "type": "pytest",
        "buildName": mask(f"{dut.name} {stamp}"),
        "buildOrder": int(now.timestamp()),
        "reportName": mask(f"OCPP {dut.version.value} {dut.role.value} conformance: {dut.name}"),
    }


def write_run_files(
    directory: Path,
    dut: DutProfile,
    *,
    boot: Mapping[str, str],
    harness_version: str,
    now: datetime | None = None,
) -> list[Path]:
    """Write the three per-run files into the Allure results ``directory``.

    Returns:
        The paths written.
    """
    directory.mkdir(parents=True, exist_ok=True)
    when = now or datetime.now(UTC)
    files = {
        "environment.properties": environment_properties(dut, boot, harness_version),
        "categories.json": json.dumps(categories(), indent=2),
        "executor.json": json.dumps(executor(dut, when), indent=2),
    }
    written = []
    for name, text in files.items():
        path = directory / name
        path.write_text(text, encoding="utf-8")
        written.append(path)
    return written
