"""A running optimiser run can be asked to stop searching and keep its best plan so far

Revision ID: 0024
Revises: 0023
Create Date: 2026-12-02 18:20:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0024'
down_revision = '0023'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('optimiser_run', schema=None) as batch_op:
        batch_op.add_column(sa.Column('finish_requested', sa.Boolean(), nullable=False, server_default=sa.false()))


def downgrade():
    with op.batch_alter_table('optimiser_run', schema=None) as batch_op:
        batch_op.drop_column('finish_requested')
