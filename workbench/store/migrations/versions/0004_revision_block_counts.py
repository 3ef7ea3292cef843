"""How many blocks each revision kept and dropped, so the article page need not read the blocks.

Revision ID: 0004
Revises: 0003
"""
import json

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("revision", schema=None) as batch_op:
        batch_op.add_column(sa.Column("blocks_kept", sa.Integer(), nullable=False, server_default="0"))
        batch_op.add_column(sa.Column("blocks_dropped", sa.Integer(), nullable=False, server_default="0"))
    revisions = sa.table("revision", sa.column("id", sa.Integer()), sa.column("blocks", sa.JSON()),
                         sa.column("blocks_kept", sa.Integer()), sa.column("blocks_dropped", sa.Integer()))
    conn = op.get_bind()
    for row in conn.execute(sa.select(revisions.c.id, revisions.c.blocks)).all():
        blocks = json.loads(row.blocks) if isinstance(row.blocks, str) else (row.blocks or [])
        kept = sum(1 for block in blocks if block.get("kept"))
        conn.execute(revisions.update().where(revisions.c.id == row.id)
                     .values(blocks_kept=kept, blocks_dropped=len(blocks) - kept))


def downgrade() -> None:
    with op.batch_alter_table("revision", schema=None) as batch_op:
        batch_op.drop_column("blocks_dropped")
        batch_op.drop_column("blocks_kept")
