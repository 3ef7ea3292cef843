"""Approvals bound to content, withdrawn claims kept with who, when and why.

Existing approved claims get an approval snapshot of their current content, so they stay
published exactly as they are; deleted and retired claims get their withdrawal details from
their history.

Revision ID: 0005
Revises: 0004
"""
import sqlalchemy as sa
import sqlmodel
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    from workbench.services.approvals import claim_content, content_digest

    op.create_table(
        "claim_approval",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("claim_id", sa.Integer(), nullable=False),
        sa.Column("approved_by_id", sa.Integer(), nullable=True),
        sa.Column("approved_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.Column("content", sa.JSON(), nullable=False),
        sa.Column("verdict", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=True),
        sa.Column("digest", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
        sa.Column("withdrawn_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True),
        sa.Column("withdrawn_reason", sa.Text(), nullable=False, server_default=""),
        sa.ForeignKeyConstraint(["approved_by_id"], ["user.id"]),
        sa.ForeignKeyConstraint(["claim_id"], ["claim.id"]),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index(op.f("ix_claim_approval_claim_id"), "claim_approval", ["claim_id"], unique=False)
    # Plain ADD COLUMNs: SQLite takes them without rebuilding the table, which its foreign keys forbid.
    op.add_column("claim", sa.Column("withdrawn_kind", sqlmodel.sql.sqltypes.AutoString(length=16), nullable=True))
    op.add_column("claim", sa.Column("withdrawn_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True))
    op.add_column("claim", sa.Column("withdrawn_by_id", sa.Integer(), nullable=True))
    op.add_column("claim", sa.Column("withdrawn_reason", sa.Text(), nullable=False, server_default=""))
    op.add_column("claim", sa.Column("approved_digest", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=True))
    op.add_column("claim", sa.Column("re_review", sa.Boolean(), nullable=False, server_default=sa.false()))

    conn = op.get_bind()
    claim = sa.table("claim", *(sa.column(name) for name in (
        "id", "revision_id", "start", "end", "exact", "anchor_state", "verdict", "rationale", "status",
        "last_editor_id", "withdrawn_kind", "withdrawn_by_id", "withdrawn_reason", "approved_digest")),
        sa.column("tags", sa.JSON()), sa.column("deleted", sa.Boolean()),
        sa.column("modified", sqlmodel.sql.sqltypes.UTCDateTime()),
        sa.column("withdrawn_at", sqlmodel.sql.sqltypes.UTCDateTime()))
    link = sa.table("claim_source", *(sa.column(n) for n in ("claim_id", "source_id", "stance", "excerpt")))
    source = sa.table("source", sa.column("id"), sa.column("url"), sa.column("title"), sa.column("publisher"),
                      sa.column("date_published", sa.Date()), sa.column("archived_url"),
                      sa.column("archived_date", sqlmodel.sql.sqltypes.UTCDateTime()))
    revision_table = sa.table("revision", sa.column("id"), sa.column("number"))
    events = sa.table("history_event", *(sa.column(n) for n in ("claim_id", "actor_id", "action", "note", "id")),
                      sa.column("at", sqlmodel.sql.sqltypes.UTCDateTime()))
    approvals = sa.table("claim_approval", *(sa.column(n) for n in (
        "claim_id", "approved_by_id", "digest", "withdrawn_reason", "verdict")), sa.column("content", sa.JSON()),
        sa.column("approved_at", sqlmodel.sql.sqltypes.UTCDateTime()))

    for row in conn.execute(sa.select(claim).where(claim.c.status == "approved", claim.c.deleted == sa.false())).all():
        rows = conn.execute(sa.select(link, source).join(source, source.c.id == link.c.source_id)
                            .where(link.c.claim_id == row.id)).all()
        number = conn.execute(sa.select(revision_table.c.number).where(revision_table.c.id == row.revision_id)).scalar()
        content = claim_content(_Row(row._asdict()), [(_Row(r._asdict()), _Row(r._asdict())) for r in rows], number)
        digest = content_digest(content)
        approved = conn.execute(sa.select(events.c.actor_id, events.c.at).where(
            events.c.claim_id == row.id, events.c.action == "transition").order_by(events.c.id.desc()).limit(1)).first()
        conn.execute(approvals.insert().values(
            claim_id=row.id, approved_by_id=approved.actor_id if approved else None,
            approved_at=approved.at if approved else row.modified, content=content, digest=digest,
            verdict=row.verdict,
            withdrawn_reason=""))
        conn.execute(claim.update().where(claim.c.id == row.id).values(approved_digest=digest))

    for row in conn.execute(sa.select(claim.c.id, claim.c.modified, claim.c.last_editor_id)
                            .where(claim.c.deleted == sa.true())).all():
        last = conn.execute(sa.select(events.c.action, events.c.actor_id, events.c.at, events.c.note).where(
            events.c.claim_id == row.id, events.c.action.in_(("deleted", "retired"))
        ).order_by(events.c.id.desc()).limit(1)).first()
        conn.execute(claim.update().where(claim.c.id == row.id).values(
            withdrawn_kind=last.action if last else "deleted", withdrawn_at=last.at if last else row.modified,
            withdrawn_by_id=last.actor_id if last else row.last_editor_id, withdrawn_reason=(last.note if last else "")))


class _Row:
    """Attribute access over a row's values, as claim_content reads them."""

    def __init__(self, values: dict):
        self.__dict__.update(values)


def downgrade() -> None:
    with op.batch_alter_table("claim", schema=None) as batch_op:
        for name in ("re_review", "approved_digest", "withdrawn_reason", "withdrawn_by_id", "withdrawn_at",
                     "withdrawn_kind"):
            batch_op.drop_column(name)
    op.drop_index(op.f("ix_claim_approval_claim_id"), table_name="claim_approval")
    op.drop_table("claim_approval")
