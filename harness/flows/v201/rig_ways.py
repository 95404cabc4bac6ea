"""OCPP 2.0.1 reusable states Authorized and StopAuthorized, the way the rig allows.

The catalogue lets the OCTT authorize and stop either locally (an idToken at
the reader) or remotely (RequestStart/StopTransaction). A case that needs
neither in particular takes the card when the rig can present one, else the
CSMS's request, so it also runs on a rig without a card reader.
"""

from __future__ import annotations

from harness.flows.v201.cs import StationFlow
from harness.rig import Capability

__all__ = ["authorize", "stop_authorization"]


async def authorize(flow: StationFlow) -> None:
    """Reusable state Authorized, the way the rig allows: a card, else a remote start."""
    if Capability.CARD in flow.rig.capabilities:
        await flow.authorized_local()
    else:
        await flow.authorized_remote()


async def stop_authorization(flow: StationFlow) -> None:
    """Reusable state StopAuthorized, the way the rig allows: the card again, else remotely."""
    if Capability.CARD in flow.rig.capabilities:
        await flow.stop_authorized_local()
    else:
        await flow.stop_authorized_remote()
