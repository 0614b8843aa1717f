"""An index on each stay's departure (actual, else expected), so that counting who is in a bed today reads only the
stays not yet over, not years of past ones

Revision ID: 0023
Revises: 0022
Create Date: 2026-12-02 18:00:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0023'
down_revision = '0022'
branch_labels = None
depends_on = None


def upgrade():
    op.create_index('ix_placement_departure', 'placement',
                    [sa.text('coalesce(actual_departure, expected_departure)')], unique=False)


def downgrade():
    op.drop_index('ix_placement_departure', table_name='placement')
