"""Referral answers for risk of serious harm, likelihood of reoffending, offences, needs,
licence conditions, move-on, and the contingency plan and arrival information

Each answer a typed column of the referral; risk flags a JSON list of their codes; one yes or no per need.

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-02 04:17:57.210075

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0007'
down_revision = '0006'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('referral', schema=None) as batch_op:
        batch_op.add_column(sa.Column('rosh_overall', sa.Enum('LOW', 'MEDIUM', 'HIGH', 'VERY_HIGH', name='risklevel', native_enum=False), nullable=True))
        batch_op.add_column(sa.Column('rosh_children', sa.Enum('LOW', 'MEDIUM', 'HIGH', 'VERY_HIGH', name='risklevel', native_enum=False), nullable=True))
        batch_op.add_column(sa.Column('rosh_public', sa.Enum('LOW', 'MEDIUM', 'HIGH', 'VERY_HIGH', name='risklevel', native_enum=False), nullable=True))
        batch_op.add_column(sa.Column('rosh_known_adult', sa.Enum('LOW', 'MEDIUM', 'HIGH', 'VERY_HIGH', name='risklevel', native_enum=False), nullable=True))
        batch_op.add_column(sa.Column('rosh_staff', sa.Enum('LOW', 'MEDIUM', 'HIGH', 'VERY_HIGH', name='risklevel', native_enum=False), nullable=True))
        batch_op.add_column(sa.Column('rosh_assessed_on', sa.Date(), nullable=True))
        batch_op.add_column(sa.Column('rosh_review_due_on', sa.Date(), nullable=True))
        batch_op.add_column(sa.Column('risk_flags', sa.JSON(), nullable=True))
        batch_op.add_column(sa.Column('ogrs_percentage', sa.SmallInteger(), nullable=True))
        batch_op.add_column(sa.Column('reoffending_tier', sa.Enum('a', 'b', 'c', 'd', name='reoffendingtier', native_enum=False), nullable=True))
        batch_op.add_column(sa.Column('arson_offence', sa.Enum('current', 'previous', 'none', name='offencehistory', native_enum=False), nullable=True))
        batch_op.add_column(sa.Column('sexual_offence_against_adults', sa.Enum('current', 'previous', 'none', name='offencehistory', native_enum=False), nullable=True))
        batch_op.add_column(sa.Column('contact_sexual_offence_against_children', sa.Enum('current', 'previous', 'none', name='offencehistory', native_enum=False), nullable=True))
        batch_op.add_column(sa.Column('non_contact_sexual_offence_against_children', sa.Enum('current', 'previous', 'none', name='offencehistory', native_enum=False), nullable=True))
        batch_op.add_column(sa.Column('non_sexual_offence_against_children', sa.Enum('current', 'previous', 'none', name='offencehistory', native_enum=False), nullable=True))
        batch_op.add_column(sa.Column('hate_crime_offence', sa.Enum('current', 'previous', 'none', name='offencehistory', native_enum=False), nullable=True))
        batch_op.add_column(sa.Column('uses_wheelchair', sa.Boolean(), nullable=True))
        batch_op.add_column(sa.Column('has_mobility_needs', sa.Boolean(), nullable=True))
        batch_op.add_column(sa.Column('has_sight_impairment', sa.Boolean(), nullable=True))
        batch_op.add_column(sa.Column('has_hearing_impairment', sa.Boolean(), nullable=True))
        batch_op.add_column(sa.Column('has_learning_disability', sa.Boolean(), nullable=True))
        batch_op.add_column(sa.Column('is_neurodivergent', sa.Boolean(), nullable=True))
        batch_op.add_column(sa.Column('has_health_needs', sa.Boolean(), nullable=True))
        batch_op.add_column(sa.Column('takes_medication', sa.Boolean(), nullable=True))
        batch_op.add_column(sa.Column('is_pregnant', sa.Boolean(), nullable=True))
        batch_op.add_column(sa.Column('needs_catering', sa.Boolean(), nullable=True))
        batch_op.add_column(sa.Column('needs_single_room', sa.Boolean(), nullable=True))
        batch_op.add_column(sa.Column('is_vulnerable_to_exploitation', sa.Boolean(), nullable=True))
        batch_op.add_column(sa.Column('needs_interpreter', sa.Boolean(), nullable=True))
        batch_op.add_column(sa.Column('health_needs_detail', sa.Text(), nullable=True))
        batch_op.add_column(sa.Column('medication_detail', sa.Text(), nullable=True))
        batch_op.add_column(sa.Column('interpreter_language', sa.String(length=60), nullable=True))
        batch_op.add_column(sa.Column('has_standard_licence_conditions', sa.Boolean(), nullable=True))
        batch_op.add_column(sa.Column('additional_licence_conditions', sa.Text(), nullable=True))
        batch_op.add_column(sa.Column('has_electronic_monitoring', sa.Boolean(), nullable=True))
        batch_op.add_column(sa.Column('has_curfew', sa.Boolean(), nullable=True))
        batch_op.add_column(sa.Column('curfew_starts_at', sa.Time(), nullable=True))
        batch_op.add_column(sa.Column('curfew_ends_at', sa.Time(), nullable=True))
        batch_op.add_column(sa.Column('move_on_category', sa.Enum('family_partner_other', 'private_rented', 'social_rented', 'supported_housing', 'cas3', 'cas2', 'temporary', 'owner_occupied', 'custody', 'deported', 'another_ap', 'no_fixed_abode', name='moveoncategory', native_enum=False), nullable=True))
        batch_op.add_column(sa.Column('relocation_area', sa.String(length=60), nullable=True))
        batch_op.add_column(sa.Column('has_move_on_plans', sa.Boolean(), nullable=True))
        batch_op.add_column(sa.Column('has_immigration_issues', sa.Boolean(), nullable=True))
        batch_op.add_column(sa.Column('contingency_plan', sa.Text(), nullable=True))
        batch_op.add_column(sa.Column('arrival_information', sa.Text(), nullable=True))


def downgrade():
    with op.batch_alter_table('referral', schema=None) as batch_op:
        batch_op.drop_column('arrival_information')
        batch_op.drop_column('contingency_plan')
        batch_op.drop_column('has_immigration_issues')
        batch_op.drop_column('has_move_on_plans')
        batch_op.drop_column('relocation_area')
        batch_op.drop_column('move_on_category')
        batch_op.drop_column('curfew_ends_at')
        batch_op.drop_column('curfew_starts_at')
        batch_op.drop_column('has_curfew')
        batch_op.drop_column('has_electronic_monitoring')
        batch_op.drop_column('additional_licence_conditions')
        batch_op.drop_column('has_standard_licence_conditions')
        batch_op.drop_column('interpreter_language')
        batch_op.drop_column('medication_detail')
        batch_op.drop_column('health_needs_detail')
        batch_op.drop_column('needs_interpreter')
        batch_op.drop_column('is_vulnerable_to_exploitation')
        batch_op.drop_column('needs_single_room')
        batch_op.drop_column('needs_catering')
        batch_op.drop_column('is_pregnant')
        batch_op.drop_column('takes_medication')
        batch_op.drop_column('has_health_needs')
        batch_op.drop_column('is_neurodivergent')
        batch_op.drop_column('has_learning_disability')
        batch_op.drop_column('has_hearing_impairment')
        batch_op.drop_column('has_sight_impairment')
        batch_op.drop_column('has_mobility_needs')
        batch_op.drop_column('uses_wheelchair')
        batch_op.drop_column('hate_crime_offence')
        batch_op.drop_column('non_sexual_offence_against_children')
        batch_op.drop_column('non_contact_sexual_offence_against_children')
        batch_op.drop_column('contact_sexual_offence_against_children')
        batch_op.drop_column('sexual_offence_against_adults')
        batch_op.drop_column('arson_offence')
        batch_op.drop_column('reoffending_tier')
        batch_op.drop_column('ogrs_percentage')
        batch_op.drop_column('risk_flags')
        batch_op.drop_column('rosh_review_due_on')
        batch_op.drop_column('rosh_assessed_on')
        batch_op.drop_column('rosh_staff')
        batch_op.drop_column('rosh_known_adult')
        batch_op.drop_column('rosh_public')
        batch_op.drop_column('rosh_children')
        batch_op.drop_column('rosh_overall')
