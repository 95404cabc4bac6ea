"""Authorization of the 2.0.1 reference station: cards, remote starts, the cache.

A card at the reader (C01) stops the authorization it started, or one of its
group (C09); otherwise it is checked with the cache or an Authorize request
and, when accepted, authorizes the EVSE with a plugged cable (else the first
free one). A RequestStartTransaction (F01) is checked with Authorize when
``AuthCtrlr.AuthorizeRemoteStart`` is true. ``AuthCtrlr.AuthEnabled`` false
authorizes every token without asking.

The authorization cache (C10, C11) remembers the ``idTokenInfo`` the CSMS
returned for each idToken, in Authorize and TransactionEvent answers. With
``AuthCacheCtrlr.Enabled`` and ``AuthCtrlr.LocalPreAuthorize`` true, a token
cached as ``Accepted`` (and not expired, neither by its ``cacheExpiryDateTime``
nor by ``AuthCacheCtrlr.LifeTime``) is authorized without asking the CSMS.
``ClearCache`` empties it. The cache survives reboots, as the specification
requires of persistent station data. With ``AuthCtrlr.DisableRemoteAuthorization``
true the station never sends Authorize: a token the cache does not accept is refused.
"""

from __future__ import annotations

import asyncio
import time
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from harness.sim.station.v201_cable import unlock_with
from harness.sim.station.v201_group_auth import master_pass, stop_by_other_token
from harness.sim.station.v201_state import Authorization, Evse201

if TYPE_CHECKING:
    from harness.sim.station.v201 import Station201

__all__ = [
    "AuthCache",
    "CachedToken",
    "authorize_token",
    "post_authorize_disabled",
    "present_card",
    "remote_authorize",
    "token_key",
    "watch_connection_timeout",
]


def token_key(id_token: dict[str, Any]) -> tuple[str, str]:
    """How the cache tells tokens apart: value and type."""
    return (str(id_token.get("idToken", "")), str(id_token.get("type", "")))


@dataclass
class CachedToken:
    """One cache entry: the CSMS's verdict on a token and when it was stored."""

    info: dict[str, Any]
    stored_at: float

    def expired(self, lifetime: float, now: float) -> bool:
        if lifetime > 0 and now - self.stored_at > lifetime:
            return True
        expiry = self.info.get("cacheExpiryDateTime")
        if isinstance(expiry, str):
            try:
                when = datetime.fromisoformat(expiry.replace("Z", "+00:00"))
            except ValueError:
                return True
            return when <= datetime.now(UTC)
        return False


class AuthCache:
    """The station's authorization cache.

    Args:
        disabled: the ``cache_disabled`` fault knob: the cache stores and finds
            nothing although the device model says it is enabled.
    """

    def __init__(self, *, disabled: bool = False) -> None:
        self._entries: dict[tuple[str, str], CachedToken] = {}
        self._disabled = disabled

    def __len__(self) -> int:
        return len(self._entries)

    def store(self, id_token: dict[str, Any], info: dict[str, Any]) -> None:
        """Remember the CSMS's ``idTokenInfo`` for ``id_token``."""
        if self._disabled:
            return
        self._entries[token_key(id_token)] = CachedToken(dict(info), time.monotonic())

    def lookup(self, id_token: dict[str, Any], *, lifetime: float) -> dict[str, Any] | None:
        """The cached ``idTokenInfo`` of a token, or None (unknown or expired)."""
        if self._disabled:
            return None
        key = token_key(id_token)
        entry = self._entries.get(key)
        if entry is None:
            return None
        if entry.expired(lifetime, time.monotonic()):
            del self._entries[key]
            return None
        return entry.info

    def clear(self) -> None:
        self._entries.clear()


async def authorize_token(st: Station201, id_token: dict[str, Any]) -> dict[str, Any] | None:
    """The verdict on a token: the cache's (LocalPreAuthorize) or the CSMS's (Authorize).

    Returns None when the CSMS could not be asked.
    """
    dm = st.dm
    if not dm.flag("AuthCtrlr", "AuthEnabled"):
        return {"status": "Accepted"}
    if st.invalid_id.offline():
        return st.invalid_id.offline_verdict(id_token)  # C13, C15: no CSMS to ask
    cache_on = dm.flag("AuthCacheCtrlr", "Enabled")
    pre_authorize = dm.flag("AuthCtrlr", "LocalPreAuthorize")
    local_only = dm.flag("AuthCtrlr", "DisableRemoteAuthorization") and not st.faults.on(
        "ignore_disable_remote_authorization"
    )
    if cache_on and (local_only or pre_authorize or st.faults.on("ignore_local_pre_authorize")):
        lifetime = dm.number("AuthCacheCtrlr", "LifeTime")
        if st.faults.on("ignore_cache_lifetime"):
            lifetime = 0.0
        cached = st.cache.lookup(id_token, lifetime=lifetime)
        if cached is not None and cached.get("status") == "Accepted":
            if st.faults.on("cache_hit_refused"):
                return {"status": "Invalid"}
            return cached
        if cached is not None and post_authorize_disabled(st):
            return cached  # C10.FR.03 / C12.FR.05 switched off: refused without asking
    if local_only:
        # C01: DisableRemoteAuthorization true: only local information decides, never Authorize.
        return {"status": "Unknown"}
    reply = await st.call("Authorize", {"idToken": id_token})
    if reply is None:
        return None
    info = dict(reply["idTokenInfo"])
    if cache_on:
        st.cache.store(id_token, info)
    return info


def post_authorize_disabled(st: Station201) -> bool:
    """``AuthCacheCtrlr.DisablePostAuthorize``: a cached refusal is not asked about again."""
    disabled = st.dm.flag("AuthCacheCtrlr", "DisablePostAuthorize")
    return disabled or st.faults.on("ignore_post_authorize")


def _accepted(st: Station201, info: dict[str, Any] | None) -> bool:
    if info is None:
        return False
    return info.get("status") == "Accepted" or st.faults.on("accept_any_token")


async def present_card(st: Station201, value: str, evse_id: int | None) -> None:
    """C01/C09/E07: a card at the reader starts or stops an authorization."""
    id_token = {"idToken": value, "type": st.dut.tokens.token_type}
    st.ui.withdraw()  # a master pass's offer on the screen ends with the next card
    if unlock_with(st, id_token):
        return  # E10: the idToken only unlocks the cable left in the socket
    evses = [st.evses[evse_id]] if evse_id in st.evses else list(st.evses.values())
    for evse in evses:
        if evse.auth is not None and token_key(evse.auth.id_token) == token_key(id_token):
            await st.tx.stop_authorization(evse, "StopAuthorized", "Local")
            return
    info = await authorize_token(st, id_token)
    group = (info or {}).get("groupIdToken", {}).get("idToken")
    for evse in evses:
        same_group = group and evse.auth is not None and evse.auth.group == group
        if _accepted(st, info) and same_group and not st.faults.on("ignore_group_id"):
            await stop_by_other_token(st, evse, id_token, "Local", group=True)
            return
    if _accepted(st, info) and await master_pass(st, evses, id_token, group):
        return
    if _accepted(st, info) and st.faults.on("stop_with_any_token"):
        for evse in evses:
            if evse.auth is not None:
                await stop_by_other_token(st, evse, id_token, "Local")
                return
    free = [e for e in evses if e.auth is None and st.tx.usable(e)]
    target = next((e for e in free if e.plugged), free[0] if free else None)
    if target is None or not _accepted(st, info) or info is None:
        return
    target.auth = Authorization(id_token, info)
    await st.tx.authorized(target)
    st.watch_connection_timeout(target)


async def remote_authorize(
    st: Station201, evse: Evse201, id_token: dict[str, Any], remote_start_id: int
) -> None:
    """F01/F02: authorize a RequestStartTransaction's idToken (Authorize first if configured)."""
    info: dict[str, Any] | None = {"status": "Accepted"}
    if st.dm.flag("AuthCtrlr", "AuthorizeRemoteStart"):
        info = await authorize_token(st, id_token)
    if not _accepted(st, info) or info is None or evse.auth is not None:
        return
    evse.auth = Authorization(id_token, info, remote_start_id=remote_start_id)
    await st.tx.authorized(evse)
    st.watch_connection_timeout(evse)


def watch_connection_timeout(st: Station201, evse: Evse201) -> None:
    """E03: drop an authorization whose cable does not come within EVConnectionTimeOut."""
    if evse.plugged or evse.auth is None:
        return
    auth = evse.auth
    timeout = st.dm.number("TxCtrlr", "EVConnectionTimeOut")

    async def expire() -> None:
        if evse.auth is not auth or evse.plugged:
            return
        if evse.tx is not None and "Authorized" in st.tx.stop_points():
            await st.tx.end(evse, "EVConnectTimeout", "Timeout")
        else:
            # E03.FR.05: without Authorized as stop point the transaction goes on, deauthorized.
            evse.auth = None
            await st.tx.changed(evse, "EVConnectTimeout")

    async def watch() -> None:
        await asyncio.sleep(timeout)
        if st.faults.on("ignore_ev_connection_timeout"):
            return
        if evse.auth is auth and not evse.plugged:
            st.react(expire, "EV connection timeout")

    if timeout > 0:
        st.spawn(watch())
