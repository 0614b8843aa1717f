"""The placement request a placement meets, so that figures can follow a placement back to its referral

Placements saved before this meet none.

Revision ID: 0014
Revises: 0013
Create Date: 2026-12-03 09:00:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0014'
down_revision = '0013'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('placement', schema=None) as batch_op:
        batch_op.add_column(sa.Column('placement_request_id', sa.Integer(), nullable=True))
        batch_op.create_index(batch_op.f('ix_placement_placement_request_id'), ['placement_request_id'], unique=False)
        batch_op.create_foreign_key(batch_op.f('fk_placement_placement_request_id_placement_request'),
                                    'placement_request', ['placement_request_id'], ['id'])


def downgrade():
    with op.batch_alter_table('placement', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_placement_placement_request_id_placement_request'), type_='foreignkey')
        batch_op.drop_index(batch_op.f('ix_placement_placement_request_id'))
        batch_op.drop_column('placement_request_id')
