"""The generations of CSMS roots the TLS network-profile cases move a station through.

A station that keeps one CSMS root at a time (A-S2 AdditionalRootCertificateCheck)
trusts only root 2 once TC_B_50_CS has passed; root 1 cannot come back (a new
root must be signed by the installed one). So the harness's roots form a chain
of generations, each root signed by the one before: generation 0 is the
profile's ``csms_root_file`` (with ``cert_file``), generation 1 its
``csms_root2_file`` (with ``cert2_file``), and later ones the harness makes
(:func:`~harness.transport.throwaway_pki.next_generation`) with the key of
the last: the generated test PKI's, or the profile's ``csms_root2_key_file``.

Each case starts from the generation the station trusts now (its <Configured
(old) CSMS Root certificate>) and installs the next one (its <new CSMS Root
certificate 2>). Between cases both endpoints present a certificate that a
station trusting any of the generations accepts: the newest server
certificate with the newer roots as intermediates. So the station reaches the
harness whatever a failed case left it with.
"""

from __future__ import annotations

import itertools
import weakref
from dataclasses import dataclass
from pathlib import Path

from harness.errors import NotApplicable, NotRun
from harness.network_link import CsmsLink
from harness.profile import DutProfile
from harness.roles import CsmsRole
from harness.session import Session
from harness.steps import step
from harness.transport.presented import chained, signed_by
from harness.transport.throwaway_pki import next_generation, sign_with

__all__ = ["Generation", "RootChain", "root_chain"]

CSMS_ROOT = "CSMSRootCertificate"


@dataclass(frozen=True)
class Generation:
    """One CSMS root and a server certificate it signs.

    Attributes:
        index: 0 for the profile's root, 1 for its root 2, and so on.
        root_file: the root certificate (PEM file).
        cert: a CSMS server certificate signed by the root (leaf only).
        key: the private key of ``cert``.
    """

    index: int
    root_file: Path
    cert: Path
    key: Path

    @property
    def root(self) -> str:
        """The root certificate as PEM text."""
        return self.root_file.read_text(encoding="ascii")


@dataclass
class RootChain:
    """The generations made so far for one station, and the one it was last seen to trust.

    Attributes:
        generations: generation ``i`` at index ``i``.
        trusted: the generation the station trusted when the last case ended.
    """

    generations: list[Generation]
    trusted: int = 0

    def generation(self, index: int) -> Generation:
        """Generation ``index``, made from the one before when the harness can sign with it.

        Raises:
            NotRun: the profile's roots end before it and the harness holds no
                key to make it.
        """
        while len(self.generations) <= index:
            last = self.generations[-1]
            made = next_generation(last.root_file)
            if made is None:
                raise NotRun(
                    f"the station trusts CSMS root generation {last.index} ({last.root_file}), "
                    "and the harness cannot make a root signed by it: name the key of root 2 "
                    "([connection] csms_root2_key_file), or give the station its original CSMS "
                    "root again (see docs/real-devices.md)"
                )
            self.generations.append(Generation(last.index + 1, *made))
        return self.generations[index]

    async def trusted_now(self, csms: Session) -> int:
        """Before a case: the generation whose root the station has installed.

        Asked with GetInstalledCertificateIds (so it holds whatever an earlier
        case or run did); when the station does not tell, the generation it
        trusted when the last case ended. With several generations installed
        (a station without A-S2) the oldest one counts, so the store does not
        grow from run to run.
        """
        title = "Before: the CSMS root the station trusts now (GetInstalledCertificateIdsRequest)"
        with step(title):
            reply = await csms.call(
                "GetInstalledCertificateIds", {"certificateType": [CSMS_ROOT]}, allow_error=True
            )
        chain = reply.payload.get("certificateHashDataChain")
        serials = {
            str(entry.get("certificateHashData", {}).get("serialNumber", "")).lower()
            for entry in (chain if isinstance(chain, list) else [])
            if isinstance(entry, dict) and isinstance(entry.get("certificateHashData"), dict)
        }
        found = [g.index for g in self.generations if _serial(g.root) in serials]
        return min(found) if found else self.trusted

    def settle(self, link: CsmsLink, trusted: int) -> None:
        """After a case: the station trusts generation ``trusted`` (as far as the case knows).

        Both endpoints present the newest server certificate with every newer
        root as an intermediate, which a station trusting any generation
        validates: one the case left elsewhere than it thinks, or a new one
        (``--dut-lifetime=test``) starting from the profile's root. Only when
        the profile's roots do not chain, the certificate of ``trusted``.
        """
        self.trusted = trusted
        newest = self.generations[-1]
        intermediates = [g.root for g in reversed(self.generations[1:])]
        if _each_signed_by_next(self.generations):
            link.adopt(chained(newest.cert, intermediates), newest.key)
        else:
            link.adopt(self.generation(trusted).cert, self.generation(trusted).key)


#: One chain per harness CSMS role (one station), kept for the whole run.
_chains: weakref.WeakKeyDictionary[CsmsRole, RootChain] = weakref.WeakKeyDictionary()


def root_chain(link: CsmsLink, dut: DutProfile) -> RootChain:
    """The station's chain of CSMS roots, from the profile's material (checked first).

    Raises:
        NotApplicable: the station is not connected with security profile 2 or 3
            (the catalogue's prerequisite).
        NotRun: the profile names no root 2 or no server certificate signed by it.
    """
    conn = dut.connection
    if conn.security_profile not in (2, 3):
        raise NotApplicable(
            "the station is not connected with security profile 2 or 3 "
            f"([connection].security_profile = {conn.security_profile})"
        )
    root, cert, key = conn.csms_root_file, conn.cert_file, conn.key_file
    root2, cert2, key2 = conn.csms_root2_file, conn.cert2_file, conn.key2_file
    if root is None or cert is None or key is None:
        raise NotRun(
            "the profile names no <Configured CSMS Root certificate> and server certificate "
            "signed by it ([connection] csms_root_file, cert_file, key_file)"
        )
    if root2 is None or cert2 is None or key2 is None:
        raise NotRun(
            "the profile names no <Configured (new) CSMS Root certificate 2> and server "
            "certificate signed by it ([connection] csms_root2_file, cert2_file, key2_file)"
        )
    chain = _chains.get(link.role)
    if chain is None:
        if conn.csms_root2_key_file is not None:
            sign_with(root2, conn.csms_root2_key_file)
        chain = RootChain([Generation(0, root, cert, key), Generation(1, root2, cert2, key2)])
        _chains[link.role] = chain
    return chain


def _serial(pem: str) -> str:
    """A certificate's serial number as OCPP writes it: hex, no leading zeroes."""
    from cryptography import x509

    return format(x509.load_pem_x509_certificate(pem.encode("ascii")).serial_number, "x")


def _each_signed_by_next(generations: list[Generation]) -> bool:
    """Whether each root of ``generations`` is signed by the one before it."""
    roots = [g.root for g in generations]
    return all(signed_by(newer, older) for older, newer in itertools.pairwise(roots))
