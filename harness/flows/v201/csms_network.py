"""OCPP 2.0.1 ``_CSMS`` network profiles: the CSMS sets one in a slot of the harness station.

The harness station's own network configuration (B09): slot 1 holds the
profile it is connected with; slot :data:`NEW_SLOT` is free for a new one, on
its interface :data:`INTERFACE`. The "configured" values of TC_B_42_CSMS are
the station's slot and interface and the connection it has now: the CSMS's
URL (without the station identity), the security profile and the message
timeout of the profile.
"""

from __future__ import annotations

from typing import Any

from harness.flows.requested import requested
from harness.ocppj.connection import IncomingCall
from harness.profile import DutProfile
from harness.session import Session
from harness.trigger import CsmsTrigger

__all__ = ["INTERFACE", "NEW_SLOT", "network_profile", "set_network_profile"]

#: The harness station's configuration slot free for a new network profile.
NEW_SLOT = 2
#: The harness station's OCPP interface.
INTERFACE = "Wired0"


def network_profile(dut: DutProfile, csms_url: str) -> dict[str, Any]:
    """The SetNetworkProfileRequest the CSMS is asked to send: the configured values."""
    return {
        "configurationSlot": NEW_SLOT,
        "connectionData": {
            "ocppVersion": "OCPP20",
            "ocppTransport": "JSON",
            "ocppCsmsUrl": csms_url,
            "messageTimeout": round(dut.timing.message_timeout),
            "securityProfile": dut.connection.security_profile,
            "ocppInterface": INTERFACE,
        },
    }


async def set_network_profile(
    station: Session,
    dut: DutProfile,
    trigger: CsmsTrigger,
    csms_url: str,
    *,
    answer: str,
    judged: bool,
) -> IncomingCall:
    """Steps 1-2: the CSMS sends SetNetworkProfileRequest; the station answers ``answer``.

    Args:
        csms_url: the CSMS endpoint the station is connected to.
        judged: check the request against the configured values (TC_B_42's
            validation; TC_B_44 has none).
    """
    __tracebackhide__ = True
    wanted = network_profile(dut, csms_url)
    data = wanted["connectionData"]
    words = (
        f"configurationSlot {NEW_SLOT}, connectionData: ocppCsmsUrl {csms_url}, messageTimeout "
        f"{data['messageTimeout']}, securityProfile {data['securityProfile']}, ocppInterface "
        f"{INTERFACE}, ocppTransport JSON, ocppVersion OCPP20"
    )
    return await requested(
        trigger,
        station,
        "SetNetworkProfile",
        wanted,
        description=f"Make the CSMS set a new network profile in slot {NEW_SLOT} of the station: "
        f"{words}",
        request_step=f"1. The CSMS sends SetNetworkProfileRequest for slot {NEW_SLOT}",
        answer_step=f"2. The station responds with SetNetworkProfileResponse {answer}",
        answer={"status": answer},
        checks=[(words, wanted)] if judged else [],
    )
