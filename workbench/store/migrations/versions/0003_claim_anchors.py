"""Claim anchors on earlier revisions, kept when claims move to a new revision.

Revision ID: 0003
Revises: 0002
"""
import sqlalchemy as sa
import sqlmodel
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "claim_anchor",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("claim_id", sa.Integer(), nullable=False),
        sa.Column("revision_id", sa.Integer(), nullable=False),
        sa.Column("start", sa.Integer(), nullable=False),
        sa.Column("end", sa.Integer(), nullable=False),
        sa.Column("exact", sa.Text(), nullable=False),
        sa.Column("prefix", sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
        sa.Column("suffix", sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
        sa.Column("verdict", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=True),
        sa.Column("status", sqlmodel.sql.sqltypes.AutoString(length=32), nullable=False),
        sa.Column("created", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(["claim_id"], ["claim.id"]),
        sa.ForeignKeyConstraint(["revision_id"], ["revision.id"]),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("claim_id", "revision_id"),
    )
    with op.batch_alter_table("claim_anchor", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_claim_anchor_claim_id"), ["claim_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_claim_anchor_revision_id"), ["revision_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("claim_anchor", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_claim_anchor_revision_id"))
        batch_op.drop_index(batch_op.f("ix_claim_anchor_claim_id"))
    op.drop_table("claim_anchor")
