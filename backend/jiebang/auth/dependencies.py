"""Request dependencies: the current user and role checks."""

from __future__ import annotations

from collections.abc import Callable
from typing import Annotated

from fastapi import Depends, Request
from fastapi.security import OAuth2PasswordBearer
from sqlmodel import Session

from jiebang.auth import service as user_service
from jiebang.auth.models import Role, User
from jiebang.auth.security import decode_token
from jiebang.config import get_settings
from jiebang.core.errors import Forbidden, Unauthorized
from jiebang.db import get_session

SessionDep = Annotated[Session, Depends(get_session)]
bearer_token = OAuth2PasswordBearer(tokenUrl="/api/v1/auth/token", auto_error=False)


def current_user(
    request: Request, db: SessionDep, token: Annotated[str | None, Depends(bearer_token)]
) -> User:
    """The user the bearer token names; 401 for a missing, bad or expired token."""
    if not token:
        raise Unauthorized()
    subject = decode_token(token, secret=get_settings().secret_key)
    user = user_service.get(db=db, user_id=int(subject)) if subject and subject.isdigit() else None
    if user is None or not user.is_active:
        raise Unauthorized()
    request.state.locale = str(user.locale)
    return user


def optional_user(
    request: Request, db: SessionDep, token: Annotated[str | None, Depends(bearer_token)]
) -> User | None:
    """The user if a valid token came with the request; public views use this."""
    if not token:
        return None
    try:
        return current_user(request, db, token)
    except Unauthorized:
        return None


CurrentUser = Annotated[User, Depends(current_user)]
OptionalUser = Annotated[User | None, Depends(optional_user)]


def require_role(*roles: Role) -> Callable[[User], User]:
    def check(user: CurrentUser) -> User:
        if user.role not in roles:
            raise Forbidden()
        return user

    return check


Organiser = Annotated[User, Depends(require_role(Role.organiser))]
Judge = Annotated[User, Depends(require_role(Role.judge, Role.organiser))]


def is_staff(user: User | None) -> bool:
    """Organisers and judges see unpublished and live data."""
    return user is not None and user.role in (Role.organiser, Role.judge)
