"""An index on an article's events by id, so its latest event, which names its history for the
article page's kept corrections log, is one index step away.

Revision ID: 0010
Revises: 0009
"""
from alembic import op

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_index("ix_history_event_article_latest", "history_event", ["article_id", "id"])


def downgrade() -> None:
    op.drop_index("ix_history_event_article_latest", table_name="history_event")
