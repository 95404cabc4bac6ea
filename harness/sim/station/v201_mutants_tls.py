"""Fault knobs of the 2.0.1 reference station's certificates and TLS (M05, A00).

Added to the tables of :mod:`harness.sim.station.v201_mutants` with one line each.
"""

from __future__ import annotations

from harness.sim.mutants import WireMutant
from harness.sim.mutation import REPLY, Answer, Rule

__all__ = ["BEHAVIOUR_KNOBS", "MUTANTS"]

#: Wire mutants: answers the station gives to the CSMS's certificate requests.
MUTANTS: tuple[WireMutant, ...] = (
    WireMutant(
        "ignore_install_certificate",
        "answers every InstallCertificate `Accepted` and installs nothing, so it validates the "
        "CSMS certificate with the roots it had",
        lambda _a, _side: [Rule(REPLY, "InstallCertificate", Answer({"status": "Accepted"}))],
    ),
)

#: Behaviour knobs: what each does — why it is not a wire rule.
BEHAVIOUR_KNOBS: dict[str, str] = {
    "root_check_ignored": "installs a new CSMS root beside the old one although "
    "AdditionalRootCertificateCheck is true, so it still accepts a CSMS certificate signed by "
    "the old root — which roots validate a TLS handshake is no OCPP message",
}
