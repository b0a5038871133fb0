"""Login throttling with the `limits` library (moving window, in process memory)."""

from __future__ import annotations

import time
from functools import lru_cache

from limits import parse
from limits.storage import MemoryStorage
from limits.strategies import MovingWindowRateLimiter

from jiebang.config import get_settings
from jiebang.core.errors import TooManyRequests


@lru_cache
def _limiter() -> MovingWindowRateLimiter:
    return MovingWindowRateLimiter(MemoryStorage())


def check_login_allowed(*, email: str, client: str) -> None:
    """Count one attempt per email and per client address; raise 429 past the limit."""
    item = parse(get_settings().login_rate_limit)
    limiter = _limiter()
    for key in (f"email:{email.lower()}", f"client:{client}"):
        if not limiter.hit(item, "login", key):
            reset_at, _ = limiter.get_window_stats(item, "login", key)
            raise TooManyRequests("rate_limited", seconds=max(1, int(reset_at - time.time())))


def reset_login_limits() -> None:
    _limiter.cache_clear()
