"""Exercise texts in other languages than English (German first).

Revision ID: 0005
Revises: 0004
"""

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # A database made from the models before migrations existed is stamped 0001
    # but may already have this table.
    if "exercise_translations" in sa.inspect(op.get_bind()).get_table_names():
        return
    op.create_table(
        "exercise_translations",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column(
            "exercise_id",
            sa.Integer,
            sa.ForeignKey("exercises.id", ondelete="CASCADE"),
            nullable=False,
        ),
        sa.Column("language", sa.String(8), nullable=False),
        sa.Column("name", sa.String(120), nullable=False),
        sa.Column("purpose", sa.Text, nullable=False),
        sa.Column("position_name", sa.String(64), nullable=False),
        sa.Column("steps", sa.Text, nullable=False),
        sa.Column("dose", sa.Text, nullable=False),
        sa.Column("cautions", sa.Text, nullable=False),
        sa.Column("condition_cautions", sa.Text, nullable=False, server_default=""),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.UniqueConstraint("exercise_id", "language"),
    )


def downgrade() -> None:
    op.drop_table("exercise_translations")
