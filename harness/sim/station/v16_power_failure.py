"""Power failure without backup power, OCPP 1.6 reference station: stop or resume.

A charge point without backup power goes down at once when the mains fail;
its running transactions are interrupted. After the reboot it either stops
them (StopTransaction ``PowerLoss``, the default, in the core's
``settle_interrupted``) or, with the variant ``resume_after_power_loss``,
resumes those whose cable is still in: the transaction goes on with its id,
its status is reported (``Charging``) with the others after the boot, and
periodic meter values start again. Both are allowed (TC_032_2_CS: "when
transaction is resumed by Charge Point"); a hard reset never resumes.
"""

from __future__ import annotations

from harness.sim.station.v16_handlers import Station16Handlers

__all__ = ["Station16PowerFailure"]


class Station16PowerFailure(Station16Handlers):
    """Resumes transactions interrupted by a power loss, with ``resume_after_power_loss``."""

    def on_power_on(self) -> None:
        super().on_power_on()
        if not self.variants.resume_after_power_loss:
            return
        kept = []
        for connector, transaction, reason in self.interrupted:
            if reason == "PowerLoss" and connector.plugged and connector.transaction is None:
                connector.transaction = transaction
                connector.update_energy()
            else:
                kept.append((connector, transaction, reason))
        self.interrupted[:] = kept

    async def on_accepted(self) -> None:
        await super().on_accepted()
        for connector in self.connectors.values():
            if connector.transaction is not None and connector.id not in self._samplers:
                self._samplers[connector.id] = self.spawn(self._sample_loop(connector))
