"""A scenario may open a new AP: its town or postcode district and whom it is for; more referrals say whether
they are men's or women's (those added before were men's)

Revision ID: 0022
Revises: 0021
Create Date: 2026-12-02 17:45:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0022'
down_revision = '0021'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('scenario_change', schema=None) as batch_op:
        batch_op.add_column(sa.Column('place', sa.String(length=120), nullable=True))
        batch_op.add_column(sa.Column('gender', sa.Enum('male', 'female', name='gender', native_enum=False), nullable=True))
    op.execute("UPDATE scenario_change SET gender = 'male' WHERE kind = 'more_referrals'")


def downgrade():
    with op.batch_alter_table('scenario_change', schema=None) as batch_op:
        batch_op.drop_column('gender')
        batch_op.drop_column('place')
