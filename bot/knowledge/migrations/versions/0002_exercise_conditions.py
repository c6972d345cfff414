"""Exercises: the conditions that rule them out, and cautions per condition.

Revision ID: 0002
Revises: 0001
"""

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def _new_columns() -> list:
    """Fresh column objects: a Column can belong to one table only."""
    return [
        sa.Column("unsuitable_for", sa.String(64), nullable=False, server_default=""),
        sa.Column("condition_cautions", sa.Text, nullable=False, server_default=""),
    ]


def _existing_columns() -> set:
    return {column["name"] for column in sa.inspect(op.get_bind()).get_columns("exercises")}


def upgrade() -> None:
    # A database made from the models before migrations existed is stamped 0001
    # but may already have these columns.
    existing = _existing_columns()
    missing = [column for column in _new_columns() if column.name not in existing]
    if not missing:
        return
    with op.batch_alter_table("exercises") as batch:
        for column in missing:
            batch.add_column(column)


def downgrade() -> None:
    with op.batch_alter_table("exercises") as batch:
        for column in _new_columns():
            batch.drop_column(column.name)
