"""Users: creation, lookup, authentication."""

from __future__ import annotations

from functools import lru_cache

from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, select

from jiebang.auth.identity import email_skeleton, normalise_email
from jiebang.auth.models import Role, User, UserCreate, UserUpdate
from jiebang.auth.security import hash_password, verify_password
from jiebang.core.errors import Conflict, NotFound
from jiebang.db import save


@lru_cache
def _dummy_hash() -> str:
    """A real hash, so that logins for unknown emails cost the same time as real ones."""
    return hash_password("timing-equaliser")


def get(*, db: Session, user_id: int) -> User | None:
    """The user with this id, or None."""
    return db.get(User, user_id)


def get_by_email(*, db: Session, email: str) -> User | None:
    """The user with this email (compared after NFKC and case folding), or None."""
    return db.exec(select(User).where(User.email == normalise_email(email))).first()


def get_lookalike(*, db: Session, email: str) -> User | None:
    """Another account whose address differs from this one only by look-alike letters."""
    normalised = normalise_email(email)
    return db.exec(
        select(User).where(
            User.email_skeleton == email_skeleton(normalised), User.email != normalised
        )
    ).first()


def create(*, db: Session, user_in: UserCreate, role: Role = Role.participant) -> User:
    """Register a user; 409 if the email, or an address that looks the same, is taken."""
    email = normalise_email(user_in.email)
    if get_by_email(db=db, email=email):
        raise Conflict("email")
    if get_lookalike(db=db, email=email):
        raise Conflict("email", key="email_lookalike")
    user = User(
        email=email,
        email_skeleton=email_skeleton(email),
        display_name=user_in.display_name,
        locale=user_in.locale,
        password_hash=hash_password(user_in.password),
        role=role,
    )
    try:
        return save(db, user)
    except IntegrityError as exc:  # a concurrent registration of the same address
        db.rollback()
        raise Conflict("email") from exc


def authenticate(*, db: Session, email: str, password: str) -> User | None:
    """The active user whose password matches, or None."""
    user = get_by_email(db=db, email=email)
    if user is None:
        verify_password(_dummy_hash(), password)
        return None
    if not user.is_active or not verify_password(user.password_hash, password):
        return None
    return user


def update(*, db: Session, user: User, user_in: UserUpdate) -> User:
    """Change a user's own display name or locale."""
    for key, value in user_in.model_dump(exclude_unset=True, exclude_none=True).items():
        setattr(user, key, value)
    return save(db, user)


def set_role(*, db: Session, user_id: int, role: Role) -> User:
    """Give a user a role (organiser only)."""
    user = get(db=db, user_id=user_id)
    if user is None:
        raise NotFound("user")
    user.role = role
    return save(db, user)
