"""Exercise tables: exercises, their steps, and people's feedback.

Revision ID: 0001
Revises:
"""

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "exercises",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("slug", sa.String(64), nullable=False, unique=True),
        sa.Column("name", sa.String(120), nullable=False),
        sa.Column("purpose", sa.Text, nullable=False),
        sa.Column("stages", sa.String(64), nullable=False),
        sa.Column("suits_pain", sa.String(64), nullable=False),
        sa.Column("position", sa.String(16), nullable=False),
        sa.Column("sort_order", sa.Integer, nullable=False),
        sa.Column("dose", sa.Text, nullable=False),
        sa.Column("cautions", sa.Text, nullable=False),
        sa.Column("easier_slug", sa.String(64)),
        sa.Column("harder_slug", sa.String(64)),
        sa.Column("source", sa.String(32), nullable=False),
        sa.Column("active", sa.Boolean, nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_table(
        "exercise_steps",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column(
            "exercise_id", sa.Integer, sa.ForeignKey("exercises.id", ondelete="CASCADE"), nullable=False
        ),
        sa.Column("number", sa.Integer, nullable=False),
        sa.Column("text", sa.Text, nullable=False),
        sa.UniqueConstraint("exercise_id", "number"),
    )
    op.create_table(
        "exercise_feedback",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("conversation_id", sa.String(255), nullable=False, index=True),
        sa.Column("exercise_slug", sa.String(64), nullable=False),
        sa.Column("kind", sa.String(32), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
    )


def downgrade() -> None:
    op.drop_table("exercise_feedback")
    op.drop_table("exercise_steps")
    op.drop_table("exercises")
