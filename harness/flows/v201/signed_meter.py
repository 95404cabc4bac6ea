"""A generated ``SignedMeterValueType`` for the harness station (TxStartPoint DataSigned).

OCTT sends "<Generated SignedMeterValueType>": a CSMS needs every field of it
(signed data, signing and encoding method, public key) and must not reject a
reading it cannot verify itself. The harness meter encodes the reading as JSON,
appends a SHA-256 digest keyed by the station's identity, and sends both in
base64: a well-formed signed reading, not a calibrated meter's signature.
"""

from __future__ import annotations

import base64
import hashlib
import json
from typing import Any

__all__ = ["signed_sample"]

_ENCODING = "OCPP-HARNESS-JSON"
_METHOD = "SHA256-DIGEST-KEYED-BY-IDENTITY"


def signed_sample(identity: str, value: float, context: str, timestamp: str) -> dict[str, Any]:
    """A ``SampledValueType`` of the energy register with its ``signedMeterValue``.

    Args:
        identity: the station's identity, which keys the digest.
        value: the register reading in Wh.
        context: the ``ReadingContextEnumType`` (``Transaction.Begin``, ...).
        timestamp: when the reading was taken (the meter value's timestamp).
    """
    reading = {"at": timestamp, "Wh": value, "context": context}
    data = json.dumps(reading, sort_keys=True).encode()
    digest = hashlib.sha256(identity.encode() + b"\0" + data).hexdigest().encode()
    return {
        "value": value,
        "context": context,
        "measurand": "Energy.Active.Import.Register",
        "signedMeterValue": {
            "signedMeterData": base64.b64encode(data + b"." + digest).decode(),
            "signingMethod": _METHOD,
            "encodingMethod": _ENCODING,
            "publicKey": base64.b64encode(f"harness-meter:{identity}".encode()).decode(),
        },
    }
