"""Payload validation: date-time and multipleOf semantics, and the fast path held to jsonschema."""

from __future__ import annotations

import copy
from typing import Any

import jsonschema
import pytest
from engine_support import NOW, V16, V21, V201, at, paths
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from harness.ocppj import OcppVersion, Problem, validate_payload
from harness.ocppj.actions import actions
from harness.ocppj.fastcheck import is_multiple_of
from harness.ocppj.validation import _fast, _has_response, _schema, _validator, is_date_time

# -- date-time ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "2024-05-01T12:00:00Z",
        "2024-05-01T12:00:00.123Z",
        "2024-05-01T12:00:00.123456789Z",
        "2024-05-01T12:00:00+02:00",
        "2024-05-01T12:00:00-05:30",
        "2024-05-01T12:00:00.5+00:00",
        "2024-05-01t12:00:00z",
        "2024-02-29T00:00:00Z",
        "2000-02-29T00:00:00Z",
        "2024-12-31T23:59:60Z",
        "2024-05-01T23:59:59+23:59",
    ],
)
def test_date_time_accepts_rfc3339(text: str) -> None:
    """RFC 3339 timestamps with Z or an offset, fractions, leap days and leap seconds are valid."""
    assert is_date_time(text)


@pytest.mark.parametrize(
    "text",
    [
        pytest.param("2024-05-01T12:00:00", id="no-zone"),
        pytest.param("2024-05-01T12:00:00.123", id="fraction-no-zone"),
        pytest.param("2024-05-01", id="date-only"),
        pytest.param("12:00:00Z", id="time-only"),
        pytest.param("2024-13-01T12:00:00Z", id="month-13"),
        pytest.param("2024-00-01T12:00:00Z", id="month-0"),
        pytest.param("2024-05-00T12:00:00Z", id="day-0"),
        pytest.param("2024-04-31T12:00:00Z", id="april-31"),
        pytest.param("2024-02-30T10:00:00Z", id="feb-30"),
        pytest.param("2023-02-29T12:00:00Z", id="no-leap-day-2023"),
        pytest.param("1900-02-29T12:00:00Z", id="no-leap-day-1900"),
        pytest.param("2024-05-01T24:00:00Z", id="hour-24"),
        pytest.param("2024-05-01T12:60:00Z", id="minute-60"),
        pytest.param("2024-05-01T12:00:61Z", id="second-61"),
        pytest.param("2024-05-01T12:00:00+24:00", id="offset-24h"),
        pytest.param("2024-05-01T12:00:00+02:60", id="offset-60min"),
        pytest.param("2024-05-01T12:00:00+0200", id="offset-no-colon"),
        pytest.param("2024-05-01T12:00:00.Z", id="empty-fraction"),
        pytest.param("24-05-01T12:00:00Z", id="two-digit-year"),
        pytest.param("2024-5-1T12:00:00Z", id="one-digit-month"),
        pytest.param(" 2024-05-01T12:00:00Z", id="leading-blank"),
        pytest.param("2024-05-01T12:00:00Z ", id="trailing-blank"),
        pytest.param("2024-05-01T12:00:00Z\n", id="trailing-newline"),
        pytest.param("٢٠٢٤-05-01T12:00:00Z", id="arabic-indic-digits"),
        pytest.param("yesterday", id="yesterday"),
        pytest.param("", id="empty"),
    ],
)
def test_date_time_rejects_everything_else(text: str) -> None:
    """A timestamp without zone, with an impossible date or time, or any garbage, is invalid."""
    assert not is_date_time(text)


@pytest.mark.parametrize("value", [1, None, ["2024-05-01T12:00:00Z"]])
def test_date_time_leaves_non_strings_to_the_type_keyword(value: Any) -> None:
    """The format check passes non-strings, so their error is reported once, as a type error."""
    assert is_date_time(value)


@pytest.mark.parametrize("version", list(OcppVersion), ids=lambda v: f"ocpp{v.value}")
@pytest.mark.parametrize("stamp", ["2024-02-30T10:00:00Z", "yesterday", "2024-05-01T12:00:00"])
def test_bad_timestamp_is_a_format_violation(version: OcppVersion, stamp: str) -> None:
    """A malformed timestamp in StatusNotification is a SCHEMA_FORMAT violation at its path."""
    payload = _STATUS[version] | {"timestamp": stamp}
    [violation] = validate_payload(version, "StatusNotification", payload, response=False)
    assert violation.problem is Problem.SCHEMA_FORMAT
    assert violation.path == "$.timestamp"


# -- multipleOf ----------------------------------------------------------------------------


def _charging_profile_16(limit: float) -> dict[str, Any]:
    return {
        "connectorId": 1,
        "csChargingProfiles": {
            "chargingProfileId": 1,
            "stackLevel": 0,
            "chargingProfilePurpose": "TxDefaultProfile",
            "chargingProfileKind": "Absolute",
            "chargingSchedule": {
                "chargingRateUnit": "A",
                "chargingSchedulePeriod": [{"startPeriod": 0, "limit": limit}],
            },
        },
    }


@pytest.mark.parametrize("limit", [0.3, 32.3, 0.7, 16, 6.1, 0, 1e3])
def test_multiple_of_is_decimal(limit: float) -> None:
    """multipleOf 0.1 accepts decimal multiples such as 0.3 and 32.3, which binary floats miss."""
    payload = _charging_profile_16(limit)
    assert validate_payload(V16, "SetChargingProfile", payload, response=False) == []


@pytest.mark.parametrize("limit", [0.3, 32.3])
def test_plain_jsonschema_rejects_decimal_multiples(limit: float) -> None:
    """Plain jsonschema rejects 0.3 and 32.3 as multiples of 0.1: why the harness overrides it."""
    schema = _schema(V16, "SetChargingProfile", False)
    assert not jsonschema.Draft4Validator(schema).is_valid(_charging_profile_16(limit))


@pytest.mark.parametrize("limit", [0.25, 32.35, 0.01])
def test_multiple_of_rejects_non_multiples(limit: float) -> None:
    """multipleOf 0.1 rejects 0.25 as a value out of its constraints, at its path."""
    payload = _charging_profile_16(limit)
    [violation] = validate_payload(V16, "SetChargingProfile", payload, response=False)
    assert violation.problem is Problem.SCHEMA_VALUE
    assert violation.path == "$.csChargingProfiles.chargingSchedule.chargingSchedulePeriod[0].limit"


@pytest.mark.parametrize(
    ("value", "step", "expected"),
    [(0.3, 0.1, True), (32.3, 0.1, True), (0.25, 0.1, False), (10, 0.5, True), (1e-7, 0.1, False)],
)
def test_is_multiple_of_compares_decimals(value: float, step: float, expected: bool) -> None:
    """is_multiple_of compares the shortest decimal forms of value and step."""
    assert is_multiple_of(value, step) is expected


# -- violations ------------------------------------------------------------------------------


def test_violations_come_most_basic_first() -> None:
    """With several violations, the unknown field comes before the missing one, then type, value."""
    payload = {"bogus": 1, "connectorId": "1", "status": "Sleeping", "timestamp": NOW}
    problems = [
        v.problem for v in validate_payload(V16, "StatusNotification", payload, response=False)
    ]
    assert problems == [
        Problem.SCHEMA_ADDITIONAL,
        Problem.SCHEMA_REQUIRED,
        Problem.SCHEMA_TYPE,
        Problem.SCHEMA_VALUE,
    ]


def test_unknown_action_and_missing_response_raise_key_error() -> None:
    """validate_payload raises KeyError for an action the version lacks, or a SEND's response."""
    with pytest.raises(KeyError):
        validate_payload(V16, "TransactionEvent", {}, response=False)
    with pytest.raises(KeyError):
        validate_payload(V21, "NotifyPeriodicEventStream", {}, response=True)


def test_integer_beyond_float_range_validates() -> None:
    """A JSON integer too large for a float is validated (as an integer), not an OverflowError."""
    payload = _STATUS[V201] | {"evseId": 10**400}
    assert validate_payload(V201, "StatusNotification", payload, response=False) == []


# -- the fast path agrees with jsonschema ---------------------------------------------------

_STATUS = {
    V16: {"connectorId": 1, "errorCode": "NoError", "status": "Available", "timestamp": NOW},
    V201: {"timestamp": NOW, "connectorStatus": "Available", "evseId": 1, "connectorId": 1},
    V21: {"timestamp": NOW, "connectorStatus": "Available", "evseId": 1, "connectorId": 1},
}
_TX_EVENT = {
    "eventType": "Started",
    "timestamp": NOW,
    "triggerReason": "Authorized",
    "seqNo": 0,
    "transactionInfo": {"transactionId": "t1", "chargingState": "Charging"},
    "idToken": {"idToken": "T1", "type": "ISO14443"},
    "evse": {"id": 1, "connectorId": 1},
    "meterValue": [
        {
            "timestamp": NOW,
            "sampledValue": [{"value": 1.5, "measurand": "Energy.Active.Import.Register"}],
        }
    ],
}
_METER_2X = {
    "evseId": 1,
    "meterValue": [
        {
            "timestamp": NOW,
            "sampledValue": [{"value": 230.1, "measurand": "Voltage", "phase": "L1"}],
        }
    ],
}
_PROFILE_2X = {
    "evseId": 1,
    "chargingProfile": {
        "id": 1,
        "stackLevel": 0,
        "chargingProfilePurpose": "TxDefaultProfile",
        "chargingProfileKind": "Absolute",
        "chargingSchedule": [
            {
                "id": 1,
                "chargingRateUnit": "A",
                "chargingSchedulePeriod": [{"startPeriod": 0, "limit": 16.0}],
            }
        ],
    },
}
_GET_VARIABLES = {
    "getVariableData": [
        {
            "component": {"name": "OCPPCommCtrlr", "evse": {"id": 1}},
            "variable": {"name": "HeartbeatInterval"},
            "attributeType": "Actual",
        }
    ]
}
_BOOT_2X = {"reason": "PowerUp", "chargingStation": {"model": "M1", "vendorName": "Acme"}}
_BOOT_RESPONSE = {"status": "Accepted", "currentTime": NOW, "interval": 60}

#: (version, action, response, a valid example); the property test mutates each.
EXAMPLES: list[tuple[OcppVersion, str, bool, dict[str, Any]]] = [
    (V16, "BootNotification", False, {"chargePointVendor": "Acme", "chargePointModel": "M1"}),
    (V16, "BootNotification", True, _BOOT_RESPONSE),
    (V16, "StatusNotification", False, _STATUS[V16] | {"info": "ok"}),
    (
        V16,
        "MeterValues",
        False,
        {
            "connectorId": 1,
            "transactionId": 5,
            "meterValue": [
                {
                    "timestamp": NOW,
                    "sampledValue": [
                        {"value": "12.5", "measurand": "Energy.Active.Import.Register"}
                    ],
                }
            ],
        },
    ),
    (V16, "SetChargingProfile", False, _charging_profile_16(32.3)),
    (
        V16,
        "GetConfiguration",
        True,
        {"configurationKey": [{"key": "K", "readonly": False, "value": "1"}], "unknownKey": ["X"]},
    ),
    (V201, "BootNotification", False, _BOOT_2X),
    (V201, "BootNotification", True, _BOOT_RESPONSE),
    (V201, "StatusNotification", False, _STATUS[V201]),
    (V201, "TransactionEvent", False, _TX_EVENT),
    (V201, "MeterValues", False, _METER_2X),
    (V201, "GetVariables", False, _GET_VARIABLES),
    (V201, "SetChargingProfile", False, _PROFILE_2X),
    (V21, "BootNotification", False, _BOOT_2X),
    (V21, "StatusNotification", False, _STATUS[V21]),
    (V21, "TransactionEvent", False, _TX_EVENT),
    (V21, "MeterValues", False, _METER_2X),
    (V21, "GetVariables", False, _GET_VARIABLES),
    (V21, "SetChargingProfile", False, _PROFILE_2X),
    (
        V21,
        "NotifyPeriodicEventStream",
        False,
        {"id": 1, "pending": 0, "basetime": NOW, "data": [{"t": 0.5, "v": "230.1"}]},
    ),
]
_EXAMPLE_IDS = [f"{v.value}-{a}{'Response' if r else ''}" for v, a, r, _ in EXAMPLES]


@pytest.mark.parametrize(("version", "action", "response", "example"), EXAMPLES, ids=_EXAMPLE_IDS)
def test_examples_are_valid(
    version: OcppVersion, action: str, response: bool, example: dict[str, Any]
) -> None:
    """The examples the property test mutates are valid to start with."""
    assert validate_payload(version, action, example, response=response) == []


# Values a mutation puts in place of another: other types, boundaries, near-miss strings.
_VALUES = st.one_of(
    st.integers(-5, 10**6),
    st.integers(min_value=10**308, max_value=10**320),  # beyond float range
    st.floats(allow_nan=False, allow_infinity=False, width=64),
    st.sampled_from([0.1, 0.3, 0.25, 32.3, 2.0, -0.0, -1, 1e300]),
    st.booleans(),
    st.none(),
    st.text(max_size=6),
    st.integers(0, 3000).map(lambda n: "x" * n),  # maxLength boundaries
    st.sampled_from(
        [
            NOW,
            "2024-02-30T10:00:00Z",
            "2023-02-29T00:00:00Z",
            "2024-05-01T12:00:00",
            "2024-05-01T12:00:00+01:00",
            "yesterday",
        ]
    ),
    st.sampled_from(["Accepted", "Available", "PowerUp", "Started", "A", "W", "Actual", "Bogus"]),
    st.lists(st.integers(0, 3), max_size=2),
    st.dictionaries(st.sampled_from(["id", "name", "value", "vendorId", "x"]), st.integers(0, 2)),
)
_KEYS = st.sampled_from(["bogus", "customData", "id", "name", "value", "timestamp", "status"])


@st.composite
def _mutated(draw: st.DrawFn, example: dict[str, Any]) -> dict[str, Any]:
    """Apply one to three mutations: drop a key, add a key, or replace a value."""
    payload = copy.deepcopy(example)
    for _ in range(draw(st.integers(1, 3))):
        path = draw(st.sampled_from(list(paths(payload))))
        target = at(payload, path)
        ops = ["replace"] if path else []
        if isinstance(target, dict):
            ops.append("add")
        if path and isinstance(at(payload, path[:-1]), dict):
            ops.append("drop")
        if not ops:
            continue
        op = draw(st.sampled_from(ops))
        if op == "add":
            target[draw(_KEYS)] = draw(_VALUES)
        elif op == "drop":
            del at(payload, path[:-1])[path[-1]]
        else:
            at(payload, path[:-1])[path[-1]] = draw(_VALUES)
    return payload


@pytest.mark.parametrize(("version", "action", "response", "example"), EXAMPLES, ids=_EXAMPLE_IDS)
@settings(
    max_examples=60,
    deadline=None,
    database=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
@given(data=st.data())
def test_fast_path_agrees_with_jsonschema(
    version: OcppVersion,
    action: str,
    response: bool,
    example: dict[str, Any],
    data: st.DataObject,
) -> None:
    """The compiled fast check and jsonschema (decimal multipleOf) give the same verdict."""
    payload = data.draw(_mutated(example))
    fast = _fast(version, action, response)
    assert fast is not None
    expected = _validator(version, action, response).is_valid(payload)
    assert fast(payload) is expected
    assert (validate_payload(version, action, payload, response=response) == []) is expected


def _every_schema() -> list[Any]:
    return [
        pytest.param(version, action, id=f"{version.value}-{action}")
        for version in OcppVersion
        for action in sorted(actions(version))
    ]


@pytest.mark.parametrize(("version", "action"), _every_schema())
def test_every_schema_compiles_to_a_fast_check(version: OcppVersion, action: str) -> None:
    """Every request schema, and every response schema that exists, has a compiled fast check."""
    assert _fast(version, action, False) is not None
    if _has_response(version, action):
        assert _fast(version, action, True) is not None
    else:
        assert (version, action) == (V21, "NotifyPeriodicEventStream")  # the only SEND


def test_action_counts_per_version() -> None:
    """Each version defines the number of actions its specification lists."""
    assert {v: len(actions(v)) for v in OcppVersion} == {V16: 39, V201: 64, V21: 91}
