"""Build the rig backend a DUT profile names (``[rig] backend``)."""

from __future__ import annotations

from harness.errors import ConfigurationError
from harness.ocppj.versions import OcppVersion
from harness.profile import DutProfile
from harness.rig.base import Capability, Rig
from harness.rig.hooks import HooksRig, hook_capabilities
from harness.rig.manual import ManualRig, Operator
from harness.rig.null import NoRig
from harness.rig.options import RigOptions
from harness.rig.serial_rig import open_serial_rig
from harness.rig.sim import SimRig, StationInputs

__all__ = ["connector_list", "known_capabilities", "open_rig"]


def connector_list(dut: DutProfile) -> list[tuple[int, int]]:
    """The ``(evse, connector)`` pairs of the profile in order: rig connector n is the n-th."""
    pairs = [(evse.id, connector) for evse in dut.evses for connector in evse.connectors]
    return pairs or [(1, 1)]


def known_capabilities(dut: DutProfile) -> frozenset[Capability] | None:
    """What the profile's rig can do, known without opening it (None: only once opened).

    A ``serial`` rig tells its capabilities when greeted (``CAPS?``); every
    other backend's follow from the profile. Lets a case the rig cannot serve
    be skipped before anything is sent to the device.
    """
    backend = dut.rig.backend
    if backend == "sim" and dut.version is OcppVersion.V16:
        # The 1.6 simulator has neither a screen nor a parking bay sensor.
        return frozenset(Capability) - {Capability.UI, Capability.PARKING}
    if backend in ("sim", "manual"):
        return frozenset(Capability)
    if backend == "hooks":
        return hook_capabilities(dut.rig.hooks)
    if backend == "none":
        return frozenset()
    return None


async def open_rig(
    dut: DutProfile,
    *,
    station: StationInputs | None = None,
    operator: Operator | None = None,
) -> Rig:
    """Open the rig backend of the profile; the caller closes it.

    Args:
        dut: the profile; its ``[rig]`` table chooses and configures the backend.
        station: the embedded station simulator (needed by the ``sim`` backend).
        operator: who answers the ``manual`` backend (the terminal by default).

    Returns:
        The rig, ready to use.

    Raises:
        ConfigurationError: the backend cannot be built from the profile.
        RigError: the ``serial`` rig could not be reached or greeted.
    """
    settings = dut.rig
    backend = settings.backend
    if backend == "sim":
        if station is None:
            raise ConfigurationError(
                "the sim rig drives the embedded station simulator, but the profile "
                "has no [embedded] station",
                field="rig.backend",
            )
        return SimRig(station)
    if backend == "serial":
        return await open_serial_rig(
            settings, connector_list(dut), time_factor=dut.timing.time_factor
        )
    if backend == "manual":
        RigOptions(settings.options, "manual", {})
        return ManualRig(dut.timing.scaled(settings.prompt_timeout), operator)
    if backend == "hooks":
        return HooksRig(settings.hooks, settings.options)
    if backend == "none":
        return NoRig()
    raise ConfigurationError(
        f"rig backend {backend!r} is unknown; use sim, serial, manual, hooks or none",
        field="rig.backend",
    )
