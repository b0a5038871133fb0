"""Throttling of logins and team joins with the `limits` library (moving window).

The counts live in Redis when ``JIEBANG_REDIS_URL`` is set, so that every API process of a
deployment shares them; otherwise in this process's memory. A client is the TCP peer, or,
only when that peer is one of ``JIEBANG_TRUSTED_PROXIES``, the right-most address in
``X-Forwarded-For`` that is not a trusted proxy: a client cannot choose its own address.
"""

from __future__ import annotations

import ipaddress
import logging
import time
from functools import lru_cache

from fastapi import Request
from limits import RateLimitItem, parse
from limits.errors import StorageError
from limits.storage import MemoryStorage, RedisStorage, Storage
from limits.strategies import MovingWindowRateLimiter

from jiebang.auth.identity import normalise_email
from jiebang.config import get_settings
from jiebang.core.errors import ServiceUnavailable, TooManyRequests

log = logging.getLogger(__name__)

REDIS_KEY_PREFIX = "jiebang-limits"
Network = ipaddress.IPv4Network | ipaddress.IPv6Network


def make_limiter(
    redis_url: str = "", *, key_prefix: str = REDIS_KEY_PREFIX
) -> MovingWindowRateLimiter:
    """A limiter counting in Redis (shared by every process) or, without a URL, in memory."""
    storage: Storage = (
        RedisStorage(redis_url, key_prefix=key_prefix, wrap_exceptions=True)
        if redis_url
        else MemoryStorage()
    )
    return MovingWindowRateLimiter(storage)


@lru_cache
def _limiter() -> MovingWindowRateLimiter:
    return make_limiter(get_settings().redis_url, key_prefix=REDIS_KEY_PREFIX)


def reset_login_limits() -> None:
    """Forget this process's limiter (in-memory counts go with it; Redis counts stay)."""
    _limiter.cache_clear()
    _trusted_networks.cache_clear()


@lru_cache
def _trusted_networks(proxies: tuple[str, ...]) -> tuple[Network, ...]:
    return tuple(ipaddress.ip_network(p.strip(), strict=False) for p in proxies if p.strip())


def _is_trusted(address: str, networks: tuple[Network, ...]) -> bool:
    try:
        ip = ipaddress.ip_address(address.strip())
    except ValueError:
        return False
    return any(ip in net for net in networks)


def client_address(request: Request) -> str:
    """The address requests are counted against (see the module docstring)."""
    peer = request.client.host if request.client else "unknown"
    networks = _trusted_networks(tuple(get_settings().trusted_proxies))
    if not networks or not _is_trusted(peer, networks):
        return peer
    hops = [
        hop.strip()
        for header in request.headers.getlist("x-forwarded-for")
        for hop in header.split(",")
        if hop.strip()
    ]
    for hop in reversed(hops):
        if not _is_trusted(hop, networks):
            return hop
    return hops[0] if hops else peer


def _hit_all(*, item: RateLimitItem, namespace: str, keys: list[str], message: str) -> None:
    limiter = _limiter()
    try:
        for key in keys:
            if not limiter.hit(item, namespace, key):
                reset_at, _ = limiter.get_window_stats(item, namespace, key)
                raise TooManyRequests(message, seconds=max(1, int(reset_at - time.time())))
    except StorageError as exc:  # Redis unreachable: refuse rather than stop counting
        log.error("rate-limit storage unavailable: %s", exc)
        raise ServiceUnavailable("limits_unavailable") from exc


def check_login_allowed(*, email: str, client: str) -> None:
    """Count one attempt per email and per client address; raise 429 past the limit."""
    _hit_all(
        item=parse(get_settings().login_rate_limit),
        namespace="login",
        keys=[f"email:{normalise_email(email)}", f"client:{client}"],
        message="rate_limited",
    )


def check_join_allowed(*, user_id: int, client: str) -> None:
    """Count one invite-code attempt per user and per client address; 429 past the limit."""
    _hit_all(
        item=parse(get_settings().join_rate_limit),
        namespace="join",
        keys=[f"user:{user_id}", f"client:{client}"],
        message="join_rate_limited",
    )
