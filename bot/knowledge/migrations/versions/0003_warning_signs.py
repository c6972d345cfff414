"""Warning signs a person reported, kept beyond one conversation session.

Revision ID: 0003
Revises: 0002
"""

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # A database made from the models before migrations existed is stamped 0001
    # but may already have this table.
    if "warning_signs" in sa.inspect(op.get_bind()).get_table_names():
        return
    op.create_table(
        "warning_signs",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("conversation_id", sa.String(255), nullable=False),
        sa.Column("code", sa.String(64), nullable=False),
        sa.Column("urgency", sa.String(16), nullable=False),
        sa.Column("reported_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("cleared_at", sa.DateTime(timezone=True)),
    )
    op.create_index("ix_warning_signs_conversation_id", "warning_signs", ["conversation_id"])


def downgrade() -> None:
    op.drop_index("ix_warning_signs_conversation_id", table_name="warning_signs")
    op.drop_table("warning_signs")
