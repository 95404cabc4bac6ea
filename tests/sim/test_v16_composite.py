"""The 1.6 reference station's composite schedule, as a pure function of the installed profiles."""

from __future__ import annotations

from harness.sim.station.v16_composite import Period, Profile, composite_schedule, epoch

T0 = 1_800_000_000.0  # the profiles' start, seconds since the epoch
LOCAL = 32.0


def profile(
    pid: int,
    purpose: str,
    periods: list[tuple[int, float]],
    *,
    connector: int = 1,
    stack: int = 0,
    duration: float | None = None,
    valid: tuple[float, float] | None = None,
    kind: str = "Absolute",
    recurrency: str | None = None,
    unit: str = "A",
    transaction_id: int | None = None,
) -> Profile:
    return Profile(
        id=pid,
        connector=connector,
        purpose=purpose,
        stack_level=stack,
        kind=kind,
        unit=unit,
        periods=tuple(Period(float(s), v) for s, v in periods),
        recurrency=recurrency,
        valid_from=None if valid is None else valid[0],
        valid_to=None if valid is None else valid[1],
        start=None if kind == "Relative" else T0,
        duration=duration,
        transaction_id=transaction_id,
    )


def composite(profiles: list[Profile], **kwargs: object) -> list[tuple[int, float]]:
    options: dict[str, object] = {
        "connector": 1,
        "begin": T0 + 10,
        "duration": 350,
        "unit": "A",
        "local_limit": LOCAL,
    }
    options.update(kwargs)
    return composite_schedule(profiles, **options)  # type: ignore[arg-type]


def test_no_profile_gives_the_local_limit() -> None:
    """Without profiles the composite is one period at the charge point's own limit."""
    assert composite([]) == [(0, LOCAL)]


def test_higher_stack_level_prevails_while_its_schedule_runs() -> None:
    """TC_072: stack 1 holds for its 150 s, then stack 0 takes over (x = 10 s)."""
    valid = (T0, T0 + 401)
    low = profile(1, "TxDefaultProfile", [(0, 6), (100, 8), (200, 10)], duration=400, valid=valid)
    high = profile(2, "TxDefaultProfile", [(0, 7), (100, 9)], duration=150, stack=1, valid=valid)
    assert composite([low, high]) == [(0, 7), (90, 9), (140, 8), (190, 10)]


def test_lowest_stack_choice_is_the_mutant() -> None:
    """With ``choose=min`` the stack-0 profile prevails: the stacking mutant differs."""
    low = profile(1, "TxDefaultProfile", [(0, 6), (100, 8), (200, 10)], duration=400)
    high = profile(2, "TxDefaultProfile", [(0, 7), (100, 9)], duration=150, stack=1)
    assert composite([low, high], choose=min) == [(0, 6), (90, 8), (190, 10)]


def test_tx_profile_overrules_tx_default_and_the_cap_limits_both() -> None:
    """TC_066: the TxProfile rules the transaction even after it ends; the cap holds at 10 A."""
    valid = (T0, T0 + 401)
    cap = profile(1, "ChargePointMaxProfile", [(0, 10)], connector=0, duration=86400)
    default = profile(
        2,
        "TxDefaultProfile",
        [(0, 6), (60, 10), (120, 8), (180, 15), (260, 8)],
        duration=300,
        valid=valid,
    )
    tx = profile(
        3,
        "TxProfile",
        [(0, 8), (50, 11), (140, 16), (200, 6), (240, 12)],
        duration=260,
        valid=valid,
        transaction_id=7,
    )
    found = composite([cap, default, tx], duration=400, transaction=(7, T0 - 100))
    assert found == [(0, 8), (40, 10), (190, 6), (230, 10)]
    # Without the transaction the TxProfile does not apply: the TxDefaultProfile does.
    assert composite([cap, default, tx], duration=400)[:3] == [(0, 6), (50, 10), (110, 8)]


def test_tx_profile_of_another_transaction_does_not_apply() -> None:
    """A TxProfile bound to another transaction leaves the TxDefaultProfile in force."""
    default = profile(1, "TxDefaultProfile", [(0, 6)], duration=400)
    tx = profile(2, "TxProfile", [(0, 8)], duration=400, transaction_id=5)
    assert composite([default, tx], transaction=(6, T0)) == [(0, 6)]


def test_profile_ends_with_its_validity_and_duration() -> None:
    """Past validTo or the schedule's duration the local limit holds again."""
    short = profile(1, "TxDefaultProfile", [(0, 6)], duration=100)
    expired = profile(2, "TxDefaultProfile", [(0, 7)], stack=1, valid=(T0, T0 + 50))
    assert composite([short, expired]) == [(0, 7), (40, 6), (90, LOCAL)]


def test_connector_profile_wins_over_connector_zero_on_one_level() -> None:
    """A TxDefaultProfile of the connector beats one of connector 0 with the same stack level."""
    everyone = profile(1, "TxDefaultProfile", [(0, 9)], connector=0)
    own = profile(2, "TxDefaultProfile", [(0, 7)], connector=1)
    assert composite([everyone, own]) == [(0, 7)]
    assert composite([everyone, own], connector=2) == [(0, 9)]


def test_connector_zero_composite_is_the_cap() -> None:
    """For connector 0 only the ChargePointMaxProfile counts."""
    cap = profile(1, "ChargePointMaxProfile", [(0, 11), (200, 12)], connector=0)
    default = profile(2, "TxDefaultProfile", [(0, 6)])
    assert composite([cap, default], connector=0) == [(0, 11), (190, 12)]


def test_units_convert_at_230_volts_and_the_phases() -> None:
    """A profile in amperes asked in watts: A x 230 V x phases (3 by default)."""
    amps = profile(1, "TxDefaultProfile", [(0, 6)])
    assert composite([amps], unit="W", local_limit=22080.0) == [(0, 4140.0)]
    watts = profile(2, "TxDefaultProfile", [(0, 6900)], unit="W")
    assert composite([watts]) == [(0, 10.0)]


def test_unmerged_periods_repeat_the_limit_at_each_boundary() -> None:
    """``merge=False`` lists every boundary even where the limit stays (an allowed split)."""
    cap = profile(1, "ChargePointMaxProfile", [(0, 10)], connector=0)
    tx_default = profile(2, "TxDefaultProfile", [(0, 12), (100, 14)], duration=400)
    assert composite([cap, tx_default], merge=False) == [(0, 10), (90, 10)]
    assert composite([cap, tx_default]) == [(0, 10)]


def test_relative_profile_starts_with_the_transaction() -> None:
    """A Relative profile counts from the transaction's start."""
    relative = profile(1, "TxDefaultProfile", [(0, 6), (60, 8)], kind="Relative")
    assert composite([relative], transaction=(1, T0 - 20)) == [(0, 6), (30, 8)]


def test_recurring_daily_profile_repeats() -> None:
    """A daily profile's periods come back the next day."""
    daily = profile(
        1,
        "TxDefaultProfile",
        [(0, 6), (3600, 8)],
        kind="Recurring",
        recurrency="Daily",
        duration=7200,
    )
    found = composite([daily], begin=T0 + 86400 - 10, duration=3700)
    assert found == [(0, LOCAL), (10, 6), (3610, 8)]


def test_epoch_reads_rfc3339() -> None:
    """Timestamps with Z or an offset read as the same instant."""
    assert epoch("2027-01-15T08:00:00Z") == epoch("2027-01-15T09:00:00+01:00")
