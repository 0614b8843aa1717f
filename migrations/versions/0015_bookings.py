"""Bookings: why a placement was cancelled, and the email address that hears of bookings at a premises

Revision ID: 0015
Revises: 0014
Create Date: 2026-12-02 14:16:19.028082

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0015'
down_revision = '0014'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('placement', schema=None) as batch_op:
        batch_op.add_column(sa.Column('cancellation_reason', sa.Enum('withdrawn', 'booked_in_error', 'error_in_details', 'alternative_accommodation', 'parole_not_granted', 'in_custody', 'died', 'other', name='cancellationreason', native_enum=False), nullable=True))
        batch_op.add_column(sa.Column('cancellation_detail', sa.Text(), nullable=True))

    with op.batch_alter_table('premises', schema=None) as batch_op:
        batch_op.add_column(sa.Column('email', sa.String(length=254), nullable=True))



def downgrade():
    with op.batch_alter_table('premises', schema=None) as batch_op:
        batch_op.drop_column('email')

    with op.batch_alter_table('placement', schema=None) as batch_op:
        batch_op.drop_column('cancellation_detail')
        batch_op.drop_column('cancellation_reason')

