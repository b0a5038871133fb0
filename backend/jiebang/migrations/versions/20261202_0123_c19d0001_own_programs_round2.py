"""own programs round2

Revision ID: c19d0001
Revises: c19c0001
Create Date: 2026-12-02 01:23:00
"""

from collections.abc import Sequence

import sqlalchemy as sa  # noqa: F401
import sqlmodel  # noqa: F401
from alembic import op  # noqa: F401

import jiebang.db  # noqa: F401

revision: str = "c19d0001"
down_revision: str | None = "c19c0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    pass  # slot reserved: filled by the helper that owns it


def downgrade() -> None:
    pass  # slot reserved: filled by the helper that owns it
