"""Registration, login and the current user's profile."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Request
from fastapi.security import OAuth2PasswordRequestForm

from jiebang.auth import service
from jiebang.auth.dependencies import CurrentUser, Organiser, SessionDep
from jiebang.auth.models import LoginRequest, RoleChange, Token, UserCreate, UserPublic, UserUpdate
from jiebang.auth.ratelimit import check_login_allowed, client_address
from jiebang.auth.security import create_access_token
from jiebang.config import get_settings
from jiebang.core.errors import Unauthorized

router = APIRouter(prefix="/auth", tags=["auth"])
public_router = APIRouter(prefix="/auth", tags=["auth"])


def _issue_token(*, request: Request, db: SessionDep, email: str, password: str) -> Token:
    check_login_allowed(email=email, client=client_address(request))
    user = service.authenticate(db=db, email=email, password=password)
    if user is None:
        raise Unauthorized("bad_credentials")
    settings = get_settings()
    token = create_access_token(
        subject=str(user.id), secret=settings.secret_key, minutes=settings.access_token_minutes
    )
    return Token(access_token=token, expires_in=settings.access_token_minutes * 60)


@public_router.post("/register", response_model=UserPublic, status_code=201)
def register(user_in: UserCreate, db: SessionDep) -> object:
    """Create a participant account."""
    return service.create(db=db, user_in=user_in)


@public_router.post("/login", response_model=Token)
def login(body: LoginRequest, request: Request, db: SessionDep) -> Token:
    """Exchange email and password for an access token (JSON body)."""
    return _issue_token(request=request, db=db, email=body.email, password=body.password)


@public_router.post("/token", response_model=Token, include_in_schema=False)
def token_form(
    form: Annotated[OAuth2PasswordRequestForm, Depends()], request: Request, db: SessionDep
) -> Token:
    """OAuth2 password form, for the /docs "Authorize" button."""
    return _issue_token(request=request, db=db, email=form.username, password=form.password)


@router.get("/me", response_model=UserPublic)
def me(user: CurrentUser) -> object:
    """The signed-in user."""
    return user


@router.patch("/me", response_model=UserPublic)
def update_me(user_in: UserUpdate, user: CurrentUser, db: SessionDep) -> object:
    """Change display name or preferred language."""
    return service.update(db=db, user=user, user_in=user_in)


@router.put("/users/{user_id}/role", response_model=UserPublic)
def change_role(user_id: int, body: RoleChange, _: Organiser, db: SessionDep) -> object:
    """Make a user an organiser, judge or participant."""
    return service.set_role(db=db, user_id=user_id, role=body.role)
