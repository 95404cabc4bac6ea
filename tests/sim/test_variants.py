"""The reference stations' variants: each allowed alternative is read, checked and documented."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest

from harness import errors
from harness.profile import resolve_profile
from harness.sim.station.v16 import Station16
from harness.sim.station.v201 import Station201
from harness.sim.variants import Variants

DOCS = Path(__file__).resolve().parents[2] / "docs"


def test_no_options_mean_the_default_behaviour() -> None:
    """Without options a station reports both forms, sends attributeType, beats on time."""
    assert Variants.from_options({}) == Variants("both", True, False, 0.0)


@pytest.mark.parametrize(
    "options",
    [
        {"availability": "statusnotification"},
        {"attribute_type": "no"},
        {"early_heartbeat": 1},
        {"timers_early": 2},
        {"timers_early": True},
    ],
)
def test_a_bad_variant_value_is_refused_naming_the_option(options: dict[str, Any]) -> None:
    """A value the option does not allow is a configuration error naming embedded.options.<key>."""
    with pytest.raises(errors.ConfigurationError) as raised:
        Variants.from_options(options)
    assert raised.value.field == f"embedded.options.{next(iter(options))}"


def test_a_timer_fires_early_but_never_before_zero() -> None:
    """timers_early shortens every timer by that many seconds, down to zero."""
    variants = Variants(timers_early=1.0)
    assert variants.timer(4.0) == 3.0
    assert variants.timer(0.5) == 0.0


@pytest.mark.parametrize(
    ("builtin", "cls"), [("station-1.6", Station16), ("station-2.0.1", Station201)]
)
def test_both_stations_read_their_variants(builtin: str, cls: type[Any]) -> None:
    """A station built from a profile with [embedded.options] takes its variants from there."""
    base = resolve_profile(f"builtin:{builtin}")
    assert base.embedded is not None
    options = {**base.embedded.options, "timers_early": 0.5}
    dut = replace(base, embedded=replace(base.embedded, options=options))
    station = cls(dut, csms_url="ws://127.0.0.1:1/ocpp")
    assert station.variants.timers_early == 0.5


@pytest.mark.parametrize(
    ("page", "options"),
    [
        ("station-simulator-2.0.1.md", ("availability", "attribute_type", "timers_early")),
        (
            "station-simulator-1.6.md",
            (
                "early_heartbeat",
                "timers_early",
                "connector0_error",
                "card_again_keeps",
                "status_before_stop",
                "resume_after_power_loss",
                "offline_status_history",
            ),
        ),
    ],
)
def test_every_variant_is_documented(page: str, options: tuple[str, ...]) -> None:
    """Each simulator page lists the variants its station understands."""
    text = (DOCS / page).read_text(encoding="utf-8")
    for option in options:
        assert f"| `{option}` |" in text, option


def test_readonly_keys_must_be_a_list_of_names() -> None:
    """readonly_keys given as one bare name is refused, naming the option."""
    with pytest.raises(errors.ConfigurationError) as raised:
        Variants.from_options({"readonly_keys": "UnlockConnectorOnEVSideDisconnect"})
    assert raised.value.field == "embedded.options.readonly_keys"
    assert Variants.from_options({"readonly_keys": ("A", "B")}).readonly_keys == {"A", "B"}
