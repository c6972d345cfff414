"""A person's care over weeks: people, check-ins, reminders.

Revision ID: 0004
Revises: 0003
"""

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # A database made from the models before migrations existed is stamped 0001
    # but may already have these tables.
    if "people" in sa.inspect(op.get_bind()).get_table_names():
        return
    op.create_table(
        "people",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("channel", sa.String(16), nullable=False),
        sa.Column("sender_id", sa.String(255), nullable=False),
        sa.Column("conversation_id", sa.String(255), nullable=False, unique=True),
        sa.Column("first_seen_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("episode_started_at", sa.DateTime(timezone=True)),
        sa.Column("stage", sa.String(16)),
        sa.Column("leg_pain", sa.String(16)),
        sa.Column("time_zone", sa.String(64)),
        sa.Column("plan_week", sa.Integer, nullable=False, server_default="1"),
        sa.Column("plan_changed_at", sa.DateTime(timezone=True)),
        sa.Column("plan_note", sa.String(32)),
        sa.Column("last_active_at", sa.DateTime(timezone=True), nullable=False),
        sa.UniqueConstraint("channel", "sender_id"),
    )
    op.create_table(
        "check_ins",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("person_id", sa.Integer, sa.ForeignKey("people.id", ondelete="CASCADE"), nullable=False),
        sa.Column("checked_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("pain", sa.Integer),
        sa.Column("warning_signs", sa.String(16), nullable=False),
        sa.Column("source", sa.String(16), nullable=False),
    )
    op.create_index("ix_check_ins_person_id", "check_ins", ["person_id"])
    op.create_table(
        "reminders",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column(
            "person_id",
            sa.Integer,
            sa.ForeignKey("people.id", ondelete="CASCADE"),
            nullable=False,
            unique=True,
        ),
        sa.Column("hour", sa.Integer, nullable=False),
        sa.Column("minute", sa.Integer, nullable=False),
        sa.Column("time_zone", sa.String(64), nullable=False),
        sa.Column("active", sa.Boolean, nullable=False),
        sa.Column("next_due_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("last_sent_at", sa.DateTime(timezone=True)),
        sa.Column("waiting_since", sa.DateTime(timezone=True)),
        sa.Column("unanswered", sa.Integer, nullable=False, server_default="0"),
    )
    op.create_index("ix_reminders_next_due_at", "reminders", ["next_due_at"])


def downgrade() -> None:
    op.drop_index("ix_reminders_next_due_at", table_name="reminders")
    op.drop_table("reminders")
    op.drop_index("ix_check_ins_person_id", table_name="check_ins")
    op.drop_table("check_ins")
    op.drop_table("people")
