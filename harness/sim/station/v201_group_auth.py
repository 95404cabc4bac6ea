"""Stops by another idToken than the one that started (C09 group, C16 master pass).

An idToken of the same ``groupIdToken`` as the one that authorized a
transaction may stop it (C09); the TransactionEvent that follows carries the
idToken that stopped it. An idToken whose group is ``AuthCtrlr.MasterPassGroupId``
is a master pass (C16): it never starts a transaction, and at a station
without a user interface it stops every running transaction with
``stoppedReason`` ``MasterPass``; a station with one lets the holder pick
(:mod:`harness.sim.station.v201_user_interface`).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from harness.sim.station.v201_state import Evse201

if TYPE_CHECKING:
    from harness.sim.station.v201 import Station201

__all__ = ["master_pass", "stop_by_other_token"]


async def stop_by_other_token(
    st: Station201, evse: Evse201, id_token: dict[str, Any], reason: str, *, group: bool = False
) -> None:
    """End the authorization of ``evse`` for ``id_token``, which did not start it.

    A stop by the ``group`` names, with the ``stop_token_starter`` variant, the
    idToken that started the transaction instead (the catalogue accepts either);
    a master pass's stop names none with the ``master_pass_no_token`` variant.
    """
    named = id_token
    if group and st.variants.stop_token_starter and evse.auth is not None:
        named = evse.auth.id_token
    silent = reason == "MasterPass" and st.variants.master_pass_no_token
    if evse.tx is not None and not silent:
        evse.tx.stop_token = dict(named)
    await st.tx.stop_authorization(evse, "StopAuthorized", reason)


async def master_pass(
    st: Station201, evses: list[Evse201], id_token: dict[str, Any], group: str | None
) -> bool:
    """Whether ``group`` makes the accepted ``id_token`` a master pass; if so, act on it.

    The ``ignore_master_pass`` knob treats it as any other accepted idToken.
    """
    configured = st.dm.value("AuthCtrlr", "MasterPassGroupId")
    if not configured or group != configured or st.faults.on("ignore_master_pass"):
        return False
    if st.ui.present:
        st.ui.offer_stop(id_token)  # the holder picks on the screen what to stop
        return True
    for evse in evses:
        if evse.tx is not None and evse.auth is not None:
            await stop_by_other_token(st, evse, id_token, "MasterPass")
    return True
