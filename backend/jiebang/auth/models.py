"""Users and their roles."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from pydantic import EmailStr
from sqlmodel import Column, Field, SQLModel, String

from jiebang.auth.identity import LoginEmail, NewEmail, SafeName
from jiebang.db import EnumString, UTCDateTime, utcnow


class Role(StrEnum):
    organiser = "organiser"
    judge = "judge"
    participant = "participant"


class UserLocale(StrEnum):
    zh_cn = "zh-CN"
    en = "en"


class UserBase(SQLModel):
    email: EmailStr = Field(sa_column=Column(String(320), unique=True, nullable=False))
    display_name: str = Field(min_length=1, max_length=80)
    locale: UserLocale = Field(
        default=UserLocale.zh_cn, sa_column=Column(EnumString(UserLocale, 8), nullable=False)
    )


class User(UserBase, table=True):
    id: int | None = Field(default=None, primary_key=True)
    # the address with look-alike letters folded to ASCII (auth.identity): finds impostors
    email_skeleton: str = Field(default="", max_length=320, index=True)
    password_hash: str = Field(max_length=200)
    role: Role = Field(
        default=Role.participant, sa_column=Column(EnumString(Role, 16), nullable=False)
    )
    is_active: bool = True
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)


class UserCreate(SQLModel):
    email: NewEmail
    display_name: SafeName = Field(min_length=1, max_length=80)
    password: str = Field(min_length=8, max_length=128)
    locale: UserLocale = UserLocale.zh_cn


class UserUpdate(SQLModel):
    display_name: SafeName | None = Field(default=None, min_length=1, max_length=80)
    locale: UserLocale | None = None


class UserPublic(SQLModel):
    id: int
    email: str
    display_name: str
    locale: UserLocale
    role: Role


class RoleChange(SQLModel):
    role: Role


class Token(SQLModel):
    access_token: str
    token_type: str = "bearer"  # noqa: S105 - the OAuth2 token type, not a secret
    expires_in: int


class LoginRequest(SQLModel):
    email: LoginEmail
    password: str = Field(min_length=1, max_length=128)
