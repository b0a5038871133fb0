"""Issuing and applicant units (发榜单位, 揭榜单位), their members, and roles held in a scope."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from pydantic import EmailStr, field_validator
from sqlalchemy import Column, String, UniqueConstraint
from sqlmodel import Field, SQLModel

from jiebang.db import EnumString, UTCDateTime, utcnow


class OrgType(StrEnum):
    enterprise = "enterprise"
    university = "university"
    research_institute = "research_institute"
    government = "government"
    other = "other"


class ScopeKind(StrEnum):
    platform = "platform"
    organisation = "organisation"
    contest = "contest"
    challenge_list = "challenge_list"
    challenge_item = "challenge_item"


class ScopedRole(StrEnum):
    platform_admin = "platform_admin"  # everything, everywhere
    organiser = "organiser"  # edits the items and contests of its scope
    judge = "judge"  # a contest's boards and verification
    reviewer = "reviewer"  # expert review (专家评审) of a list's or an item's applications


# ---------------------------------------------------------------- organisations
class OrganisationBase(SQLModel):
    name_zh: str = Field(min_length=1, max_length=200)
    name_en: str = Field(min_length=1, max_length=200)
    org_type: OrgType = Field(sa_column=Column(EnumString(OrgType, 24), nullable=False))
    credit_code: str | None = Field(
        default=None,
        sa_column=Column(String(18), unique=True, nullable=True),
        description="Unified social credit code (GB 32100-2015), checked when given",
    )
    contact_name: str = Field(default="", max_length=80)
    contact_email: EmailStr | None = Field(default=None, sa_column=Column(String(320)))
    contact_phone: str = Field(default="", max_length=32)

    @field_validator("credit_code")
    @classmethod
    def _normalised(cls, value: str | None) -> str | None:
        # the checksum is checked by the service, so that the 422 is in the user's words
        return value.strip().upper() or None if value is not None else None


class Organisation(OrganisationBase, table=True):
    id: int | None = Field(default=None, primary_key=True)
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)


class OrganisationCreate(OrganisationBase):
    pass


class OrganisationUpdate(SQLModel):
    name_zh: str | None = Field(default=None, min_length=1, max_length=200)
    name_en: str | None = Field(default=None, min_length=1, max_length=200)
    contact_name: str | None = Field(default=None, max_length=80)
    contact_email: EmailStr | None = None
    contact_phone: str | None = Field(default=None, max_length=32)


class OrganisationPublic(OrganisationBase):
    id: int


# ---------------------------------------------------------------- memberships and roles
class Membership(SQLModel, table=True):
    __table_args__ = (UniqueConstraint("organisation_id", "user_id"),)

    id: int | None = Field(default=None, primary_key=True)
    organisation_id: int = Field(foreign_key="organisation.id", index=True, ondelete="CASCADE")
    user_id: int = Field(foreign_key="user.id", index=True)
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)


class PersonIn(SQLModel):
    """Someone an organiser names: by e-mail, as people know each other; `user_id` still works
    for older API clients (the e-mail wins when both are given)."""

    email: EmailStr | None = None
    user_id: int | None = None


class MembershipIn(PersonIn):
    pass


class MembershipPublic(SQLModel):
    organisation_id: int
    user_id: int
    display_name: str
    email: str


class RoleGrant(SQLModel, table=True):
    """A role a user holds in one scope; the platform scope has scope_id 0."""

    __tablename__ = "role_grant"
    __table_args__ = (UniqueConstraint("user_id", "role", "scope_kind", "scope_id"),)

    id: int | None = Field(default=None, primary_key=True)
    user_id: int = Field(foreign_key="user.id", index=True)
    role: ScopedRole = Field(sa_column=Column(EnumString(ScopedRole, 16), nullable=False))
    scope_kind: ScopeKind = Field(sa_column=Column(EnumString(ScopeKind, 16), nullable=False))
    scope_id: int = 0
    granted_by: int | None = Field(default=None, foreign_key="user.id")
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)


class RoleGrantIn(PersonIn):
    """A role for someone named by e-mail (or, for older clients, by user_id)."""

    role: ScopedRole


class RoleGrantPublic(SQLModel):
    id: int
    user_id: int
    role: ScopedRole
    scope_kind: ScopeKind
    scope_id: int


class RoleHolderPublic(RoleGrantPublic):
    """A grant with its holder's name and e-mail, for the organisers who hand roles out."""

    display_name: str
    email: str
