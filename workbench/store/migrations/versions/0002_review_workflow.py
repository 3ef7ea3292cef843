"""Review workflow: when a claim's status changed; history rows can no longer be changed or deleted.

Revision ID: 0002
Revises: 0001
"""
import sqlalchemy as sa
import sqlmodel
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None

PG_FUNCTION = """
CREATE OR REPLACE FUNCTION history_event_append_only() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'history is append-only: % on history_event refused', TG_OP;
END;
$$ LANGUAGE plpgsql
"""


def upgrade() -> None:
    with op.batch_alter_table("claim", schema=None) as batch_op:
        batch_op.add_column(sa.Column("status_changed", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True))
    if op.get_bind().dialect.name == "postgresql":
        op.execute(PG_FUNCTION)
        op.execute("CREATE TRIGGER history_event_no_update BEFORE UPDATE OR DELETE ON history_event "
                   "FOR EACH ROW EXECUTE FUNCTION history_event_append_only()")
    else:
        for verb in ("UPDATE", "DELETE"):
            op.execute(f"CREATE TRIGGER history_event_no_{verb.lower()} BEFORE {verb} ON history_event "
                       f"BEGIN SELECT RAISE(ABORT, 'history is append-only: {verb} on history_event refused'); END")


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP TRIGGER IF EXISTS history_event_no_update ON history_event")
        op.execute("DROP FUNCTION IF EXISTS history_event_append_only()")
    else:
        op.execute("DROP TRIGGER IF EXISTS history_event_no_update")
        op.execute("DROP TRIGGER IF EXISTS history_event_no_delete")
    with op.batch_alter_table("claim", schema=None) as batch_op:
        batch_op.drop_column("status_changed")
