"""The user an organiser names when adding a unit member or assigning a reviewer."""

from __future__ import annotations

from sqlmodel import Session

from jiebang.auth import service as auth_service
from jiebang.auth.models import User
from jiebang.core.errors import InvalidInput, NotFound
from jiebang.organisations.models import PersonIn


def named_user(*, db: Session, person: PersonIn) -> User:
    """The user with this e-mail (422 on `email` when none has it), else the one with this id
    (404, as before e-mails were accepted); 422 on `email` when neither is given."""
    if person.email is not None:
        found = auth_service.get_by_email(db=db, email=str(person.email))
        if found is None:
            raise InvalidInput("email", "no_user_with_email", email=str(person.email))
        return found
    if person.user_id is not None:
        by_id = db.get(User, person.user_id)
        if by_id is None:
            raise NotFound("user")
        return by_id
    raise InvalidInput("email", "person_email_required")
