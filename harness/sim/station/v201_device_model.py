"""The 2.0.1 reference station's device model: components, variables, attributes.

A :class:`DeviceModel` holds one :class:`Variable` per (component, variable)
address and answers the device-model requests of the CSMS the way use cases
B06 (GetVariables), B05 (SetVariables) and B07 (GetBaseReport) describe:
unknown components and variables are reported as such, only the ``Actual``
attribute exists, ``ReadOnly`` variables refuse writes, ``WriteOnly`` ones
refuse reads, and a written value must fit the variable's data type, limits
and list of allowed values.

The variables the station offers are listed in
:mod:`harness.sim.station.v201_variables`.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

__all__ = ["DeviceModel", "Variable"]

Address = tuple[str, str | None, int | None, int | None, str, str | None]


@dataclass
class Variable:
    """One variable of one component, with its ``Actual`` attribute.

    Attributes:
        component: the component name, e.g. ``OCPPCommCtrlr``.
        name: the variable name, e.g. ``OfflineThreshold``.
        value: the ``Actual`` value, as text (OCPP carries every value as a string).
        mutability: ``ReadOnly``, ``ReadWrite`` or ``WriteOnly``.
        data_type: ``string``, ``integer``, ``decimal``, ``boolean``, ``dateTime``,
            ``OptionList``, ``MemberList`` or ``SequenceList``.
        evse: the EVSE of an EVSE- or connector-level component.
        connector: the connector of a connector-level component.
        instance: the component instance.
        variable_instance: the variable instance (``MessageAttempts`` per message, ...).
        values_list: the allowed values of list-typed variables.
        min_limit: the lowest allowed number.
        max_limit: the highest allowed number.
        unit: the unit, e.g. ``s``.
    """

    component: str
    name: str
    value: str
    mutability: str = "ReadWrite"
    data_type: str = "string"
    evse: int | None = None
    connector: int | None = None
    instance: str | None = None
    variable_instance: str | None = None
    values_list: tuple[str, ...] = ()
    min_limit: float | None = None
    max_limit: float | None = None
    unit: str | None = None

    @property
    def address(self) -> Address:
        return (
            self.component,
            self.instance,
            self.evse,
            self.connector,
            self.name,
            self.variable_instance,
        )

    def component_json(self) -> dict[str, Any]:
        """The ``ComponentType`` of this variable."""
        component: dict[str, Any] = {"name": self.component}
        if self.instance is not None:
            component["instance"] = self.instance
        if self.evse is not None:
            evse: dict[str, Any] = {"id": self.evse}
            if self.connector is not None:
                evse["connectorId"] = self.connector
            component["evse"] = evse
        return component

    def variable_json(self) -> dict[str, Any]:
        """The ``VariableType`` of this variable."""
        variable: dict[str, Any] = {"name": self.name}
        if self.variable_instance is not None:
            variable["instance"] = self.variable_instance
        return variable

    def check(self, value: str) -> str | None:
        """Why ``value`` cannot be written to this variable, or None when it can."""
        if self.data_type == "integer" or self.data_type == "decimal":
            try:
                number = int(value) if self.data_type == "integer" else float(value)
            except ValueError:
                return "InvalidValue"
            if self.min_limit is not None and number < self.min_limit:
                return "ValueTooLow"
            if self.max_limit is not None and number > self.max_limit:
                return "ValueTooHigh"
        elif self.data_type == "dateTime":
            if value and not _is_date_time(value):  # empty: no date set
                return "InvalidValue"
        elif self.data_type == "boolean":
            if value not in ("true", "false"):
                return "InvalidValue"
        elif self.data_type == "OptionList":
            if value not in self.values_list:
                return "InvalidValue"
        elif self.data_type in ("MemberList", "SequenceList"):
            members = [m.strip() for m in value.split(",")] if value else []
            if any(m not in self.values_list for m in members):
                return "InvalidValue"
            if len(set(members)) != len(members):
                return "InvalidValue"
        return None


def _is_date_time(value: str) -> bool:
    """Whether ``value`` is an RFC 3339 date-time with its offset (as OCPP sends them)."""
    if "T" not in value:
        return False
    try:
        parsed = datetime.fromisoformat(value)
    except ValueError:
        return False
    return parsed.tzinfo is not None


def _matches_evse(variable: Variable, evse: Mapping[str, Any] | None) -> bool:
    if evse is None:
        return variable.evse is None
    if variable.evse != evse.get("id"):
        return False
    return variable.connector == evse.get("connectorId")


class DeviceModel:
    """The station's variables, addressed like OCPP addresses them."""

    def __init__(self) -> None:
        self._variables: dict[Address, Variable] = {}

    def add(self, variable: Variable) -> None:
        self._variables[variable.address] = variable

    def __iter__(self) -> Iterator[Variable]:
        return iter(self._variables.values())

    def find(
        self,
        component: str,
        name: str,
        *,
        evse: int | None = None,
        connector: int | None = None,
        instance: str | None = None,
        variable_instance: str | None = None,
    ) -> Variable | None:
        return self._variables.get((component, instance, evse, connector, name, variable_instance))

    def value(self, component: str, name: str, **where: Any) -> str:
        """The ``Actual`` value of a variable the station itself relies on."""
        variable = self.find(component, name, **where)
        if variable is None:
            raise KeyError(f"{component}.{name} is not in the device model")
        return variable.value

    def flag(self, component: str, name: str, **where: Any) -> bool:
        return self.value(component, name, **where) == "true"

    def number(self, component: str, name: str, **where: Any) -> float:
        return float(self.value(component, name, **where))

    def members(self, component: str, name: str, **where: Any) -> frozenset[str]:
        text = self.value(component, name, **where)
        return frozenset(m.strip() for m in text.split(",") if m.strip())

    def update(self, component: str, name: str, value: str, **where: Any) -> None:
        """Change a value from inside the station (state, clock, boot interval)."""
        variable = self.find(component, name, **where)
        if variable is not None:
            variable.value = value

    # -- requests of the CSMS ----------------------------------------------------

    def _lookup(self, data: Mapping[str, Any]) -> tuple[Variable | None, str]:
        component = data["component"]
        variable = data["variable"]
        candidates = [
            v
            for v in self._variables.values()
            if v.component == component["name"]
            and v.instance == component.get("instance")
            and _matches_evse(v, component.get("evse"))
        ]
        if not candidates:
            return None, "UnknownComponent"
        for candidate in candidates:
            if candidate.name == variable["name"] and candidate.variable_instance == variable.get(
                "instance"
            ):
                return candidate, "Accepted"
        return None, "UnknownVariable"

    def get(self, data: Mapping[str, Any]) -> dict[str, Any]:
        """One ``GetVariableResult`` for one ``GetVariableData``."""
        attribute = data.get("attributeType", "Actual")
        result: dict[str, Any] = {
            "component": data["component"],
            "variable": data["variable"],
        }
        if "attributeType" in data:
            result["attributeType"] = attribute
        variable, status = self._lookup(data)
        if variable is not None and attribute != "Actual":
            status = "NotSupportedAttributeType"
        elif variable is not None and variable.mutability == "WriteOnly":
            status = "Rejected"
            result["attributeStatusInfo"] = {"reasonCode": "WriteOnly"}
        result["attributeStatus"] = status
        if status == "Accepted" and variable is not None:
            result["attributeValue"] = variable.value
        return result

    def set(self, data: Mapping[str, Any]) -> tuple[dict[str, Any], Variable | None]:
        """One ``SetVariableResult`` for one ``SetVariableData``, and the variable written."""
        attribute = data.get("attributeType", "Actual")
        result: dict[str, Any] = {
            "component": data["component"],
            "variable": data["variable"],
            "attributeType": attribute,
        }
        variable, status = self._lookup(data)
        written: Variable | None = None
        if variable is not None:
            reason = None
            if attribute != "Actual":
                status = "NotSupportedAttributeType"
            elif variable.mutability == "ReadOnly":
                status, reason = "Rejected", "ReadOnly"
            else:
                reason = variable.check(str(data["attributeValue"]))
                status = "Rejected" if reason else "Accepted"
            if reason:
                result["attributeStatusInfo"] = {"reasonCode": reason}
            if status == "Accepted":
                variable.value = str(data["attributeValue"])
                written = variable
        result["attributeStatus"] = status
        return result, written

    def report(self, base: str) -> list[dict[str, Any]]:
        """The ``ReportData`` entries of a base report (B07)."""
        entries: list[dict[str, Any]] = []
        for variable in self._variables.values():
            if base == "ConfigurationInventory" and variable.mutability == "ReadOnly":
                continue
            if base == "SummaryInventory" and variable.name not in ("AvailabilityState", "Problem"):
                continue
            attribute: dict[str, Any] = {
                "type": "Actual",
                "mutability": variable.mutability,
                "persistent": True,
                "constant": False,
            }
            if variable.mutability != "WriteOnly":
                attribute["value"] = variable.value
            characteristics: dict[str, Any] = {
                "dataType": variable.data_type,
                "supportsMonitoring": False,
            }
            if variable.values_list:
                characteristics["valuesList"] = ",".join(variable.values_list)
            if variable.min_limit is not None:
                characteristics["minLimit"] = variable.min_limit
            if variable.max_limit is not None:
                characteristics["maxLimit"] = variable.max_limit
            if variable.unit is not None:
                characteristics["unit"] = variable.unit
            entries.append(
                {
                    "component": variable.component_json(),
                    "variable": variable.variable_json(),
                    "variableAttribute": [attribute],
                    "variableCharacteristics": characteristics,
                }
            )
        return entries
