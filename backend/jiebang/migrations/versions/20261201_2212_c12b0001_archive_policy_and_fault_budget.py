"""archive policy and fault budget

Revision ID: c12b0001
Revises: c12a0001
Create Date: 2026-12-01 22:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa  # noqa: F401
import sqlmodel  # noqa: F401
from alembic import op  # noqa: F401

import jiebang.db  # noqa: F401

revision: str = "c12b0001"
down_revision: str | None = "c12a0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    pass


def downgrade() -> None:
    pass
