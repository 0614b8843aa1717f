"""Indexes on placements' dates, so that the figures of a period find its stays among years of them

Revision ID: 0020
Revises: 0019
Create Date: 2026-12-02 15:30:00.000000

"""
from alembic import op


# revision identifiers, used by Alembic.
revision = '0020'
down_revision = '0019'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('placement', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_placement_expected_arrival'), ['expected_arrival'], unique=False)
        batch_op.create_index(batch_op.f('ix_placement_actual_arrival'), ['actual_arrival'], unique=False)
        batch_op.create_index(batch_op.f('ix_placement_actual_departure'), ['actual_departure'], unique=False)


def downgrade():
    with op.batch_alter_table('placement', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_placement_actual_departure'))
        batch_op.drop_index(batch_op.f('ix_placement_actual_arrival'))
        batch_op.drop_index(batch_op.f('ix_placement_expected_arrival'))
