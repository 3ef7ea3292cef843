"""Indexes for the corrections log, which the article page reads on every view: an article's
events by kind, and its transitions that carry a reason.

Revision ID: 0009
Revises: 0008
"""
import sqlalchemy as sa
from alembic import op

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_index("ix_history_event_article_action", "history_event", ["article_id", "action"])
    op.create_index("ix_history_event_article_noted", "history_event", ["article_id", "action"],
                    sqlite_where=sa.text("note != ''"), postgresql_where=sa.text("note != ''"))


def downgrade() -> None:
    op.drop_index("ix_history_event_article_noted", table_name="history_event")
    op.drop_index("ix_history_event_article_action", table_name="history_event")
