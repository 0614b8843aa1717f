"""A running optimiser run keeps its best plan so far, so that proposals are on screen long before it finishes

Revision ID: 0017
Revises: 0016
Create Date: 2026-12-02 15:10:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0017'
down_revision = '0016'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('optimiser_run', schema=None) as batch_op:
        batch_op.add_column(sa.Column('plan_so_far', sa.JSON(), nullable=False, server_default='[]'))


def downgrade():
    with op.batch_alter_table('optimiser_run', schema=None) as batch_op:
        batch_op.drop_column('plan_so_far')
