"""Migrate the e2e database and create the staff accounts, in one interpreter start."""

from sqlmodel import Session

from jiebang.auth import service as user_service
from jiebang.auth.models import Role, UserCreate
from jiebang.cli import db as db_cli
from jiebang.db import get_engine

STAFF = [
    ("organiser@example.com", "E2E Organiser", "organiser-pass-1", Role.organiser),
    ("judge@example.com", "E2E Judge", "judge-pass-1", Role.judge),
]

db_cli.upgrade_to_head()
with Session(get_engine()) as db:
    for email, name, password, role in STAFF:
        user_service.create(db=db, user_in=UserCreate(email=email, display_name=name, password=password), role=role)
print("seeded", len(STAFF), "staff users")
