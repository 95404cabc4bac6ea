"""Variants of the reference CSMS: the choices OCPP leaves a Central System, as switches.

Where OCPP allows a Central System more than one conforming behaviour, the
reference takes one by default and offers the others as ``[embedded.options]``
of a CSMS profile, so self-tests prove each case accepts every one. A variant
is never a fault (fault knobs are in :mod:`harness.sim.csms.mutants`).

==========================  =========================================================
option                      the allowed behaviour it selects
==========================  =========================================================
``data_transfer_status``    the answer to a DataTransfer of an unknown vendorId:
                            ``UnknownVendorId`` (default), ``UnknownMessageId``,
                            ``Rejected`` or ``Accepted`` (allowed; TC_064_CSMS warns)
``remote_start_connector``  ``false``: a 1.6 RemoteStartTransaction leaves out the
                            optional ``connectorId`` (the charge point picks one)
``all_keys``                how a 1.6 GetConfiguration for every key says so:
                            ``"absent"`` (no ``key``, default) or ``"empty"``
                            (``"key": []``)
==========================  =========================================================
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from harness.errors import ConfigurationError
from harness.sim.variants import DATA_TRANSFER_STATUSES
from harness.sim.variants import choice as _one_of

__all__ = ["ALL_KEYS", "DATA_TRANSFER_STATUSES", "OPTIONS", "CsmsVariants"]

#: The forms of a GetConfiguration asking for every key.
ALL_KEYS = ("absent", "empty")
#: The option names this module reads.
OPTIONS = ("data_transfer_status", "remote_start_connector", "all_keys")


@dataclass(frozen=True)
class CsmsVariants:
    """The allowed alternatives the reference CSMS takes (see the module docstring).

    Attributes:
        data_transfer_status: the answer to a DataTransfer it does not support.
        remote_start_connector: whether RemoteStartTransaction names the connector.
        all_keys: ``absent`` or ``empty``: GetConfiguration for every key.
    """

    data_transfer_status: str = DATA_TRANSFER_STATUSES[0]
    remote_start_connector: bool = True
    all_keys: str = ALL_KEYS[0]

    @classmethod
    def from_options(cls, options: Mapping[str, Any]) -> CsmsVariants:
        """Read the variants from ``[embedded.options]``.

        Raises:
            ConfigurationError: a value the option does not allow, naming it.
        """
        connector = options.get("remote_start_connector", True)
        if not isinstance(connector, bool):
            raise ConfigurationError(
                f"[embedded.options] remote_start_connector must be true or false, "
                f"not {connector!r}",
                field="embedded.options.remote_start_connector",
            )
        return cls(
            _one_of(options, "data_transfer_status", DATA_TRANSFER_STATUSES),
            connector,
            _one_of(options, "all_keys", ALL_KEYS),
        )

    def complete_v16(self, action: str, request: dict[str, Any]) -> dict[str, Any]:
        """A 1.6 request the CSMS sends, in the form these variants choose."""
        if action == "RemoteStartTransaction" and not self.remote_start_connector:
            request.pop("connectorId", None)
        if action == "GetConfiguration" and not request.get("key") and self.all_keys == "empty":
            request["key"] = []
        return request
