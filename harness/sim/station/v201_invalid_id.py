"""The 2.0.1 reference station offline, and when the CSMS refuses a transaction's idToken.

* **Offline authorization (C13, C15).** While the station has no connection
  to its CSMS it cannot send an AuthorizeRequest. With
  ``AuthCtrlr.LocalAuthorizeOffline`` true it decides with its authorization
  cache (a token cached ``Accepted`` is authorized, one cached with another
  status is refused, C13.FR.02); with ``AuthCtrlr.OfflineTxForUnknownIdEnabled``
  true a token it does not know at all is authorized too (C15.FR.01). Any
  other token is refused.
* **A refused idToken (C15.FR.02..08, E05).** When the CSMS answers a
  TransactionEvent (sent at once or from the offline queue) with an
  ``idTokenInfo.status`` other than ``Accepted``, the station, with
  ``TxCtrlr.StopTxOnInvalidId`` true, deauthorizes the transaction
  (``triggerReason`` ``Deauthorized``): it ends (``stoppedReason``
  ``DeAuthorized``) as ``TxCtrlr.TxStopPoint`` says, at once when
  ``Authorized`` is a stop point.
  With it false the transaction goes on, but the station delivers no more than
  ``TxCtrlr.MaxEnergyOnInvalidId`` Wh from then on: with 0 (or the variable
  absent) it withholds the energy at once, reported as ``chargingState``
  ``SuspendedEVSE``; with more, once its meter has counted that much.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from harness.sim.station.v201_device_model import Variable
from harness.sim.station.v201_state import Evse201, Transaction

if TYPE_CHECKING:
    from harness.sim.station.v201 import Station201

__all__ = ["InvalidIdPolicy"]

TX = "TxCtrlr"
MAX_ENERGY = "MaxEnergyOnInvalidId"


class InvalidIdPolicy:
    """One station's offline verdicts and its reaction to a refused idToken.

    Args:
        st: the station; its device model gets ``TxCtrlr.MaxEnergyOnInvalidId``.
    """

    def __init__(self, st: Station201) -> None:
        self.st = st
        st.dm.add(Variable(TX, MAX_ENERGY, "0", data_type="integer", min_limit=0, unit="Wh"))

    # -- C13, C15: offline ----------------------------------------------------------------

    def offline(self) -> bool:
        """Whether the station has no open connection to its CSMS."""
        return self.st.txq.offline()

    def offline_verdict(self, id_token: dict[str, Any]) -> dict[str, Any] | None:
        """The ``idTokenInfo`` the station gives a token offline; None: refused."""
        st = self.st
        dm = st.dm
        cached: dict[str, Any] | None = None
        if dm.flag("AuthCacheCtrlr", "Enabled"):
            cached = st.cache.lookup(id_token, lifetime=dm.number("AuthCacheCtrlr", "LifeTime"))
        if cached is not None:
            return cached if dm.flag("AuthCtrlr", "LocalAuthorizeOffline") else None
        if dm.flag("AuthCtrlr", "OfflineTxForUnknownIdEnabled") and not st.faults.on(
            "refuse_unknown_offline"
        ):
            return {"status": "Accepted"}
        return None

    # -- C15, E05: the CSMS refuses the idToken of a running transaction ---------------------

    async def refused(self, evse: Evse201, transaction_id: str) -> None:
        """The CSMS answered the transaction's idToken with a status other than Accepted."""
        st = self.st
        tx = evse.tx
        if tx is None or tx.id != transaction_id:
            return
        stop = st.dm.flag(TX, "StopTxOnInvalidId") or st.faults.on("stop_tx_on_any_invalid_id")
        if stop:
            # Deauthorized: the transaction ends as TxStopPoint says (at once with Authorized,
            # the default); else it goes on without authorization (no energy) until it does.
            await st.tx.stop_authorization(evse, "Deauthorized", "DeAuthorized")
            return
        limit = 0.0
        if not st.faults.on("ignore_max_energy_on_invalid_id"):
            limit = st.dm.number(TX, MAX_ENERGY)
        tx.invalid_energy_from = tx.energy_wh
        tx.invalid_energy_limit = limit
        await st.tx.changed(evse, "ChargingStateChanged")

    @staticmethod
    def withheld(tx: Transaction | None) -> bool:
        """Whether the station withholds the energy of ``tx`` (MaxEnergyOnInvalidId reached)."""
        if tx is None or tx.invalid_energy_limit is None or tx.invalid_energy_from is None:
            return False
        return tx.energy_wh - tx.invalid_energy_from >= tx.invalid_energy_limit
