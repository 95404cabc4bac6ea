"""Variants: the choices the standard leaves a station, as switches of the reference.

Where OCPP or the catalogue allows a station more than one conforming
behaviour, the reference simulators take one by default and offer the others
as ``[embedded.options]`` of the profile, so self-tests can prove every test
case accepts each of them. A variant is never a fault: the station stays
correct with any setting (fault knobs, in :mod:`harness.sim.faults`, make
mutants).

========================  =======  ===========================================
option                    version  the allowed behaviour it selects
========================  =======  ===========================================
``availability``          2.0.1    how a connector's state is reported:
                                   ``"both"`` (default), ``"status"``
                                   (StatusNotification only) or ``"event"``
                                   (NotifyEvent AvailabilityState only)
``attribute_type``        2.0.1    ``false``: GetVariables/SetVariables results
                                   omit the optional ``attributeType``
                                   (the schema's default is Actual)
``results_reversed``      2.0.1    ``true``: GetVariables/SetVariables results
                                   in the reverse order of the request's data
                                   (the order is free)
``boot_trigger``          2.0.1    ``false``: TriggerMessage BootNotification
                                   while Pending is answered ``NotImplemented``
                                   (the boot is retried after the interval)
``early_heartbeat``       1.6      ``true``: a Heartbeat right after the
                                   Accepted boot, before the first interval
``timers_early``          both     seconds (0 to 1) by which the boot-retry and
                                   heartbeat timers fire early, as a station
                                   with a whole-second clock does
``readonly_keys``         1.6      configuration keys the station keeps
                                   read-only at their configured value (a
                                   case's configuration state is met when the
                                   value already holds)
``connector0_error``      1.6      ``true``: RemoteStartTransaction for
                                   connector 0 is answered with a CALLERROR
                                   instead of ``Rejected``
``card_again_keeps``      1.6      ``true``: the idTag waiting for the cable,
                                   presented again, keeps waiting (until
                                   ConnectionTimeOut) instead of being withdrawn
``status_before_stop``    1.6      ``true``: the status after a transaction ends
                                   (Finishing, Available) goes out before its
                                   StopTransaction
``authorize_reserved``    1.6      ``false``: the reservation's own idTag,
                                   presented at its connector, is taken
                                   without Authorize (validating it is only
                                   RECOMMENDED, OCPP 1.6 section 5.13)
``unsupported_error``     1.6      ``true``: requests of a feature profile the
                                   station lacks (local list) and a
                                   TriggerMessage for an unknown connector
                                   are answered with a CALLERROR
                                   (``NotSupported``, ``PropertyConstraint
                                   Violation``) instead of a status
``firmware_unavailable``  1.6      ``true``: every connector is Unavailable
                                   while a firmware update runs
``installed_first``       1.6      ``true``: FirmwareStatusNotification
                                   Installed before the reboot, not after it
``failed_install_reboot`` 1.6      ``true``: the station reboots after a
                                   failed installation too
``no_installing``         1.6      ``true``: an image that cannot be installed
                                   fails at once (no Installing)
``soft_reset_reboot``     1.6      ``false``: a soft reset stops the
                                   transactions and restarts the application
                                   on the same connection (no BootNotification)
``hard_reset_stop_first`` 1.6      ``true``: a hard reset stops the
                                   transactions (``HardReset``) before the
                                   reboot, not after it
``data_transfer_status``  1.6      the answer to a DataTransfer of an unknown
                                   vendor: ``UnknownVendorId`` (default),
                                   ``UnknownMessageId``, ``Rejected`` or
                                   ``Accepted``
``invalid_value_error``   1.6      ``true``: ChangeConfiguration with an
                                   invalid value is answered with a CALLERROR
                                   ``PropertyConstraintViolation``, not
                                   ``Rejected``
``network_priority_status`` 2.0.1  the SetVariables answer to a new
                                   NetworkConfigurationPriority:
                                   ``RebootRequired`` (default) or ``Accepted``
                                   (applied at the next boot either way)
``stop_token_starter``    2.0.1    ``true``: the TransactionEvent of a stop by
                                   another idToken of the group carries the
                                   idToken that started the transaction, not
                                   the one that stopped it
``master_pass_no_token``  2.0.1    ``true``: the TransactionEvent of a stop by
                                   a master pass carries no idToken (C16
                                   allows it to be omitted)
``ev_side_stopped_reason`` 2.0.1  the stoppedReason of a transaction the EV
                                   side disconnect ends: ``EVDisconnected``
                                   (default) or ``StoppedByEV`` (an EV with
                                   high level communication, TC_E_54_CS; read
                                   in ``v201_ev_side``)
========================  =======  ===========================================

1.6 also takes ``resume_after_power_loss`` (``true``: a transaction a power
loss without backup power interrupted resumes after the reboot instead of
being stopped) and ``offline_status_history`` (``true``: every status change
made offline is sent once back, oldest first; by default only the current
status of each connector that changed).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from harness.errors import ConfigurationError

__all__ = ["AVAILABILITY", "DATA_TRANSFER_STATUSES", "Variants", "choice"]

#: The allowed values of the ``availability`` option.
AVAILABILITY = ("both", "status", "event")
#: The answers a 2.0.1 station may give a new NetworkConfigurationPriority (first: default).
NETWORK_PRIORITY_STATUSES = ("RebootRequired", "Accepted")
#: The DataTransfer statuses a side may give a vendorId it does not support (1.6
#: DataTransferStatus; the first is the default): the station's and the CSMS's option.
DATA_TRANSFER_STATUSES = ("UnknownVendorId", "UnknownMessageId", "Rejected", "Accepted")


def _flag(options: Mapping[str, Any], key: str, default: bool) -> bool:
    value = options.get(key, default)
    if not isinstance(value, bool):
        raise ConfigurationError(
            f"[embedded.options] {key} must be true or false, not {value!r}",
            field=f"embedded.options.{key}",
        )
    return value


def choice(options: Mapping[str, Any], key: str, allowed: tuple[str, ...]) -> str:
    """The option ``key``, one of ``allowed`` (the first is the default).

    Raises:
        ConfigurationError: another value, naming ``embedded.options.<key>``.
    """
    value = options.get(key, allowed[0])
    if value not in allowed:
        raise ConfigurationError(
            f"[embedded.options] {key} must be one of {', '.join(allowed)}, not {value!r}",
            field=f"embedded.options.{key}",
        )
    return str(value)


@dataclass(frozen=True)
class Variants:
    """The allowed alternatives a reference station takes (see the module docstring).

    Attributes:
        availability: ``both``, ``status`` or ``event`` (2.0.1).
        attribute_type: whether variable results carry ``attributeType`` (2.0.1).
        results_reversed: variable results in the reverse order of the request (2.0.1).
        boot_trigger: TriggerMessage BootNotification is implemented (2.0.1).
        early_heartbeat: a Heartbeat at once after the Accepted boot (1.6).
        timers_early: seconds by which timers fire before their interval.
        readonly_keys: 1.6 configuration keys reported read-only.
        connector0_error: a CALLERROR, not Rejected, for a remote start on connector 0 (1.6).
        card_again_keeps: a second presentation keeps the idTag waiting for the cable (1.6).
        status_before_stop: the status after a transaction ends precedes StopTransaction (1.6).
        authorize_reserved: a reservation's own idTag is authorized when presented (1.6).
        unsupported_error: CALLERROR rather than a status for what it lacks (1.6).
        firmware_unavailable: connectors Unavailable during a firmware update (1.6).
        installed_first: Installed before the reboot after a firmware update (1.6).
        failed_install_reboot: a reboot after a failed installation (1.6).
        no_installing: no Installing before a failed installation (1.6).
        soft_reset_reboot: a 1.6 soft reset reboots (False: restarts in place).
        hard_reset_stop_first: a 1.6 hard reset stops transactions before rebooting.
        data_transfer_status: the 1.6 answer to a DataTransfer of an unknown vendor.
        invalid_value_error: a 1.6 invalid configuration value gets a CALLERROR.
        network_priority_status: the answer to a new NetworkConfigurationPriority (2.0.1).
        stop_token_starter: a 2.0.1 stop by the group names the starting idToken.
        master_pass_no_token: a 2.0.1 stop by a master pass names no idToken.
        resume_after_power_loss: interrupted transactions resume after a power loss (1.6).
        offline_status_history: every status change made offline is sent once back (1.6).
    """

    availability: str = "both"
    attribute_type: bool = True
    early_heartbeat: bool = False
    timers_early: float = 0.0
    readonly_keys: frozenset[str] = frozenset()
    connector0_error: bool = False
    card_again_keeps: bool = False
    status_before_stop: bool = False
    authorize_reserved: bool = True
    unsupported_error: bool = False
    firmware_unavailable: bool = False
    installed_first: bool = False
    failed_install_reboot: bool = False
    no_installing: bool = False
    soft_reset_reboot: bool = True
    hard_reset_stop_first: bool = False
    data_transfer_status: str = "UnknownVendorId"
    invalid_value_error: bool = False
    network_priority_status: str = "RebootRequired"
    stop_token_starter: bool = False
    master_pass_no_token: bool = False
    resume_after_power_loss: bool = False
    offline_status_history: bool = False
    results_reversed: bool = False
    boot_trigger: bool = True

    @classmethod
    def from_options(cls, options: Mapping[str, Any]) -> Variants:
        """Read the variants from ``[embedded.options]``.

        Raises:
            ConfigurationError: a value the option does not allow, naming it.
        """
        availability = choice(options, "availability", AVAILABILITY)
        early = options.get("timers_early", 0.0)
        if isinstance(early, bool) or not isinstance(early, int | float) or not 0 <= early <= 1:
            raise ConfigurationError(
                f"[embedded.options] timers_early must be a number of seconds from 0 to 1, "
                f"not {early!r}",
                field="embedded.options.timers_early",
            )
        readonly = options.get("readonly_keys", [])
        if not isinstance(readonly, list | tuple) or not all(isinstance(k, str) for k in readonly):
            raise ConfigurationError(
                f"[embedded.options] readonly_keys must be a list of key names, not {readonly!r}",
                field="embedded.options.readonly_keys",
            )
        data_transfer = choice(options, "data_transfer_status", DATA_TRANSFER_STATUSES)
        return cls(
            availability=availability,
            readonly_keys=frozenset(readonly),
            attribute_type=_flag(options, "attribute_type", True),
            results_reversed=_flag(options, "results_reversed", False),
            boot_trigger=_flag(options, "boot_trigger", True),
            early_heartbeat=_flag(options, "early_heartbeat", False),
            authorize_reserved=_flag(options, "authorize_reserved", True),
            timers_early=float(early),
            connector0_error=_flag(options, "connector0_error", False),
            card_again_keeps=_flag(options, "card_again_keeps", False),
            status_before_stop=_flag(options, "status_before_stop", False),
            unsupported_error=_flag(options, "unsupported_error", False),
            firmware_unavailable=_flag(options, "firmware_unavailable", False),
            installed_first=_flag(options, "installed_first", False),
            failed_install_reboot=_flag(options, "failed_install_reboot", False),
            no_installing=_flag(options, "no_installing", False),
            soft_reset_reboot=_flag(options, "soft_reset_reboot", True),
            hard_reset_stop_first=_flag(options, "hard_reset_stop_first", False),
            data_transfer_status=data_transfer,
            invalid_value_error=_flag(options, "invalid_value_error", False),
            network_priority_status=choice(
                options, "network_priority_status", NETWORK_PRIORITY_STATUSES
            ),
            stop_token_starter=_flag(options, "stop_token_starter", False),
            master_pass_no_token=_flag(options, "master_pass_no_token", False),
            resume_after_power_loss=_flag(options, "resume_after_power_loss", False),
            offline_status_history=_flag(options, "offline_status_history", False),
        )

    def timer(self, seconds: float) -> float:
        """How long a timer of ``seconds`` really runs (never negative)."""
        return max(0.0, seconds - self.timers_early)
