"""A proposal records its decision: accepted, rejected, or superseded by a later run's

Revision ID: 0019
Revises: 0018
Create Date: 2026-12-02 15:35:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0019'
down_revision = '0018'
branch_labels = None
depends_on = None

DECISIONS = ('pending', 'accepted', 'rejected', 'superseded')


def upgrade():
    with op.batch_alter_table('proposal', schema=None) as batch_op:
        batch_op.alter_column('decision', existing_type=sa.Enum('pending', name='proposaldecision', native_enum=False),
                              type_=sa.Enum(*DECISIONS, name='proposaldecision', native_enum=False),
                              existing_nullable=False)


def downgrade():
    with op.batch_alter_table('proposal', schema=None) as batch_op:
        batch_op.alter_column('decision', existing_type=sa.Enum(*DECISIONS, name='proposaldecision', native_enum=False),
                              type_=sa.Enum('pending', name='proposaldecision', native_enum=False),
                              existing_nullable=False)
