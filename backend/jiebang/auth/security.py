"""Password hashing (argon2id) and access tokens (JWT, HS256 only)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from functools import lru_cache

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from jose import JWTError, jwt

from jiebang.config import get_settings

ALGORITHM = "HS256"
_ALLOWED_ALGORITHMS = [ALGORITHM]  # explicit: never let the token header choose


@lru_cache
def _hasher(time_cost: int, memory_kib: int) -> PasswordHasher:
    return PasswordHasher(time_cost=time_cost, memory_cost=memory_kib, parallelism=1)


def _current_hasher() -> PasswordHasher:
    settings = get_settings()
    return _hasher(settings.argon2_time_cost, settings.argon2_memory_kib)


def hash_password(password: str) -> str:
    return _current_hasher().hash(password)


def verify_password(password_hash: str, password: str) -> bool:
    """Hashes carry their own parameters, so older or cheaper ones still verify."""
    try:
        return _current_hasher().verify(password_hash, password)
    except (VerificationError, InvalidHashError):
        return False


def create_access_token(*, subject: str, secret: str, minutes: int, kind: str = "access") -> str:
    """A signed token carrying the subject, its kind and an expiry."""
    now = datetime.now(UTC)
    claims = {"sub": subject, "typ": kind, "iat": now, "exp": now + timedelta(minutes=minutes)}
    return jwt.encode(claims, secret, algorithm=ALGORITHM)


def decode_token(token: str, *, secret: str, kind: str = "access") -> str | None:
    """The token's subject, or None if it is malformed, expired, forged or of another kind."""
    try:
        claims = jwt.decode(
            token, secret, algorithms=_ALLOWED_ALGORITHMS, options={"require_exp": True}
        )
    except JWTError:
        return None
    if claims.get("typ") != kind or not isinstance(claims.get("sub"), str):
        return None
    return str(claims["sub"])
