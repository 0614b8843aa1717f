"""Arrivals, departures and preparation: the times, reasons and key worker AP staff record on a placement, and
the ticked items of its preparation checklist

Placements saved before this have none of them: arrivals already recorded keep their date without a time.

Revision ID: 0013
Revises: 0012
Create Date: 2026-12-02 11:03:04.832923

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0013'
down_revision = '0012'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('preparation_check',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('placement_id', sa.Integer(), nullable=False),
    sa.Column('item', sa.Enum('bed_allocated', 'key_worker_assigned', 'risk_read', 'licence_conditions_briefed', 'police_notified', 'non_associates_checked', 'move_on_plan_known', name='preparationitem', native_enum=False), nullable=False),
    sa.Column('checked_at', sa.DateTime(), nullable=False),
    sa.Column('checked_by_id', sa.Integer(), nullable=False),
    sa.Column('police_notified_on', sa.Date(), nullable=True),
    sa.Column('police_notified_by', sa.Enum('secure_email', 'telephone', 'in_person', name='policenotificationmethod', native_enum=False), nullable=True),
    sa.ForeignKeyConstraint(['checked_by_id'], ['user.id'], name=op.f('fk_preparation_check_checked_by_id_user')),
    sa.ForeignKeyConstraint(['placement_id'], ['placement.id'], name=op.f('fk_preparation_check_placement_id_placement'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_preparation_check')),
    sa.UniqueConstraint('placement_id', 'item', name=op.f('uq_preparation_check_placement_id'))
    )
    with op.batch_alter_table('preparation_check', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_preparation_check_placement_id'), ['placement_id'], unique=False)

    with op.batch_alter_table('placement', schema=None) as batch_op:
        batch_op.add_column(sa.Column('actual_arrival_time', sa.Time(), nullable=True))
        batch_op.add_column(sa.Column('actual_departure_time', sa.Time(), nullable=True))
        batch_op.add_column(sa.Column('key_worker_id', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('key_worker_name', sa.String(length=120), nullable=True))
        batch_op.add_column(sa.Column('non_arrival_reason', sa.Enum('failed_to_arrive', 'parole_not_granted', 'admitted_to_hospital', 'in_custody', 'other', name='nonarrivalreason', native_enum=False), nullable=True))
        batch_op.add_column(sa.Column('non_arrival_detail', sa.Text(), nullable=True))
        batch_op.add_column(sa.Column('departure_reason', sa.Enum('planned_move_on', 'breach_or_recall', 'arrested', 'admitted_to_hospital', 'died', 'end_of_rotl', 'order_or_licence_expired', 'bed_withdrawn', name='departurereason', native_enum=False), nullable=True))
        batch_op.add_column(sa.Column('breach_or_recall_reason', sa.Enum('absconded', 'behaviour_or_risk', 'curfew', 'licence_or_bail_condition', 'positive_drug_test', 'positive_alcohol_test', name='breachorrecallreason', native_enum=False), nullable=True))
        batch_op.add_column(sa.Column('move_on_category', sa.Enum('family_partner_other', 'private_rented', 'social_rented', 'supported_housing', 'cas3', 'cas2', 'temporary', 'owner_occupied', 'custody', 'deported', 'another_ap', 'no_fixed_abode', name='moveoncategory', native_enum=False), nullable=True))
        batch_op.add_column(sa.Column('departure_notes', sa.Text(), nullable=True))
        batch_op.create_foreign_key(batch_op.f('fk_placement_key_worker_id_user'), 'user', ['key_worker_id'], ['id'])



def downgrade():
    with op.batch_alter_table('placement', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_placement_key_worker_id_user'), type_='foreignkey')
        batch_op.drop_column('departure_notes')
        batch_op.drop_column('move_on_category')
        batch_op.drop_column('breach_or_recall_reason')
        batch_op.drop_column('departure_reason')
        batch_op.drop_column('non_arrival_detail')
        batch_op.drop_column('non_arrival_reason')
        batch_op.drop_column('key_worker_name')
        batch_op.drop_column('key_worker_id')
        batch_op.drop_column('actual_departure_time')
        batch_op.drop_column('actual_arrival_time')

    with op.batch_alter_table('preparation_check', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_preparation_check_placement_id'))

    op.drop_table('preparation_check')
