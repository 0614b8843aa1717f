"""Unable to match: a placement request's status for no premises can take the person, with the binding reason

Revision ID: 0018
Revises: 0017
Create Date: 2026-12-03 10:00:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0018'
down_revision = '0017'
branch_labels = None
depends_on = None

REASONS = ('no_bed_in_window', 'ap_type_or_gender', 'essential_characteristics', 'exclusion_zones', 'non_associates',
           'maximum_distance', 'left_unplaced', 'other')


def upgrade():
    with op.batch_alter_table('placement_request', schema=None) as batch_op:
        batch_op.add_column(sa.Column('unable_to_match_reason', sa.Enum(*REASONS, name='unabletomatchreason',
                                                                        native_enum=False), nullable=True))
        batch_op.add_column(sa.Column('unable_to_match_detail', sa.Text(), nullable=True))
        # VARCHAR(15): the longest status is now "unable_to_match"
        batch_op.alter_column('status', existing_type=sa.String(length=14), type_=sa.String(length=15),
                              existing_nullable=False)


def downgrade():
    op.execute("UPDATE placement_request SET status = 'ready_to_match' WHERE status = 'unable_to_match'")
    with op.batch_alter_table('placement_request', schema=None) as batch_op:
        batch_op.alter_column('status', existing_type=sa.String(length=15), type_=sa.String(length=14),
                              existing_nullable=False)
        batch_op.drop_column('unable_to_match_detail')
        batch_op.drop_column('unable_to_match_reason')
