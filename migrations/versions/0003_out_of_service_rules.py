"""No bed out of service twice at once, enforced by PostgreSQL

Revision ID: 0003
Revises: 0002
Create Date: 2026-12-02 03:00:00

An exclusion constraint on PostgreSQL only (btree_gist lets a gist index compare bed ids with =); SQLite has no
such constraint, and the service checks there inside a write transaction. Upgrading fails if live data already
holds overlapping uncancelled periods for a bed: cancel one of each pair first.
"""
from alembic import op


# revision identifiers, used by Alembic.
revision = '0003'
down_revision = '0002'
branch_labels = None
depends_on = None

CONSTRAINT = 'ex_out_of_service_bed_no_overlap'


def _is_postgresql() -> bool:
    return op.get_bind().dialect.name == 'postgresql'


def upgrade():
    if not _is_postgresql():
        return
    op.execute('CREATE EXTENSION IF NOT EXISTS btree_gist')
    op.execute(
        f"ALTER TABLE out_of_service_bed ADD CONSTRAINT {CONSTRAINT} EXCLUDE USING gist "
        "(bed_id WITH =, daterange(start_date, end_date, '[]') WITH &&) WHERE (cancelled_at IS NULL)"
    )

def downgrade():
    if not _is_postgresql():
        return
    op.drop_constraint(CONSTRAINT, 'out_of_service_bed')
    op.execute('DROP EXTENSION IF EXISTS btree_gist')
