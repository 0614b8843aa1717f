"""Referral submission and withdrawal: the reference given on submission, and the withdrawal's time and reason

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-02 12:00:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0012'
down_revision = '0011'
branch_labels = None
depends_on = None

WITHDRAWAL_REASONS = ('change_in_circumstances_new_application_to_be_submitted', 'error_in_application',
                      'duplicate_application', 'other_accommodation_identified', 'death', 'other')


def upgrade():
    with op.batch_alter_table('referral', schema=None) as batch_op:
        batch_op.add_column(sa.Column('reference', sa.String(length=12), nullable=True))
        batch_op.add_column(sa.Column('withdrawn_at', sa.DateTime(), nullable=True))
        batch_op.add_column(sa.Column('withdrawal_reason', sa.Enum(*WITHDRAWAL_REASONS, name='withdrawalreason',
                                                                   native_enum=False), nullable=True))
        batch_op.add_column(sa.Column('withdrawal_detail', sa.String(length=500), nullable=True))
        batch_op.create_unique_constraint(batch_op.f('uq_referral_reference'), ['reference'])


def downgrade():
    with op.batch_alter_table('referral', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('uq_referral_reference'), type_='unique')
        batch_op.drop_column('withdrawal_detail')
        batch_op.drop_column('withdrawal_reason')
        batch_op.drop_column('withdrawn_at')
        batch_op.drop_column('reference')
