"""Signed meter values of the 2.0.1 reference station (``SampledDataCtrlr.SignReadings``).

The station's meter "signs" each reading with a SHA-256 digest keyed by the
station's identity: enough for a CSMS to see every field of a
``SignedMeterValueType`` filled and to check that the data was not altered,
without pretending to be a calibrated meter's public-key signature.
"""

from __future__ import annotations

import base64
import hashlib
import json
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from harness.sim.station.v201 import Station201

__all__ = ["signed_reading", "signing"]

#: How the reference meter encodes and signs its data (informative names of its own).
ENCODING = "JSON-BASE64"
METHOD = "SHA256-KEYED-DIGEST"


def signing(st: Station201) -> bool:
    """Whether the station signs its meter readings now."""
    return st.dm.flag("SampledDataCtrlr", "SignReadings")


def signed_reading(st: Station201, sample: dict[str, Any], timestamp: str) -> dict[str, str]:
    """A ``SignedMeterValueType`` for one sampled value taken at ``timestamp``."""
    data = json.dumps(
        {"t": timestamp, "v": sample["value"], "m": sample["measurand"]}, separators=(",", ":")
    ).encode()
    key = st.dut.identity.encode()
    digest = hashlib.sha256(key + data).hexdigest()
    return {
        "signedMeterData": base64.b64encode(data + b"|" + digest.encode()).decode(),
        "signingMethod": METHOD,
        "encodingMethod": ENCODING,
        "publicKey": base64.b64encode(b"ref-meter:" + key).decode(),
    }
