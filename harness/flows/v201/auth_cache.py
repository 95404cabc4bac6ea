"""The 2.0.1 memory state IdTokenCached, and the configuration of the authorization cache.

:func:`id_token_cached` puts an idToken into the station's authorization cache
the way a driver does: the CSMS answers it once. An accepted idToken charges
one short session (EVConnectedPreSession, Authorized, EnergyTransferStarted,
StopAuthorized, EVDisconnected); a refused one is only presented and answered,
so it starts nothing. The memory state walks its own :class:`StationFlow`, so
the case's flow starts from an idle EVSE.
"""

from __future__ import annotations

from typing import Any

from harness.flows.v201.auth import (
    answer_authorize,
    answer_transaction_events,
    authorize_at_reader,
)
from harness.flows.v201.cs import StationFlow
from harness.profile import DutProfile
from harness.rig import Rig
from harness.session import Session
from harness.steps import step

__all__ = ["CACHE_ON", "id_token_cached"]

#: "AuthCacheCtrlr.Enabled is true (if implemented); AuthCtrlr.LocalPreAuthorize is true
#: (if implemented)".
CACHE_ON = {
    ("AuthCacheCtrlr", "Enabled"): "true",
    ("AuthCtrlr", "LocalPreAuthorize"): "true",
}


async def id_token_cached(
    csms: Session,
    rig: Rig,
    dut: DutProfile,
    token: str = "valid",
    status: str = "Accepted",
    *,
    info: dict[str, Any] | None = None,
) -> None:
    """Memory state IdTokenCached: the CSMS answered ``token`` with ``status`` once.

    Args:
        csms: the harness-as-CSMS session.
        rig: the card reader, cable and EV.
        dut: the profile naming ``token``.
        token: the profile's token name.
        status: the ``idTokenInfo.status`` the CSMS gives it.
        info: the whole ``idTokenInfo`` instead (a group, an expiry), in every
            answer about the idToken (Authorize and TransactionEvent).
    """
    memory = StationFlow(csms, dut, rig)
    given = info or {"status": status}
    title = f"IdTokenCached ({token}, {given['status']})"
    with step(f"{title}: the cache is enabled where it can be"):
        await memory.prefer(CACHE_ON)
    answer_authorize(csms, given)
    answer_transaction_events(csms, given)
    try:
        if given["status"] != "Accepted":
            await authorize_at_reader(
                csms, rig, dut, token, f"{title}: AuthorizeRequest, answered {given['status']}"
            )
            return
        with step(f"{title}: a session of the idToken"):
            await memory.ev_connected_pre_session()
            await memory.authorized_local(token)
            await memory.energy_transfer_started()
            await memory.stop_authorized_local()
            await memory.ev_connected_post_session()
            await memory.ev_disconnected()
    finally:
        csms.reset_response("Authorize")
        csms.reset_response("TransactionEvent")
