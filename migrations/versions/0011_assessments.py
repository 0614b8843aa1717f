"""Assessments, placement requests, the length-of-stay policy, and the AP type a referral asks for

Referrals submitted before this ask for no AP type: their assessor confirms one. The policy's default rules are
added by `flask reference sync` while the table is empty, since administrators change them afterwards.

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-02 11:02:46.582132

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0011'
down_revision = '0010'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('length_of_stay_rule',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('ap_type', sa.Enum('standard', 'pipe', 'esap', 'rfap', 'mhap', name='aptype', native_enum=False), nullable=True),
    sa.Column('sentence_type', sa.Enum('standard_determinate', 'extended_determinate', 'life', 'ipp', 'community_order', 'bail_placement', 'non_statutory_mappa', name='sentencetype', native_enum=False), nullable=True),
    sa.Column('reoffending_tier', sa.Enum('a', 'b', 'c', 'd', name='reoffendingtier', native_enum=False), nullable=True),
    sa.Column('gender', sa.Enum('male', 'female', name='gender', native_enum=False), nullable=True),
    sa.Column('weeks', sa.SmallInteger(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_length_of_stay_rule'))
    )
    op.create_table('assessment',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('referral_id', sa.Integer(), nullable=False),
    sa.Column('assessor_id', sa.Integer(), nullable=True),
    sa.Column('rejection_reason', sa.Enum('accommodation_need_only', 'needs_cannot_be_met', 'supervision_too_short', 'not_necessary_or_proportionate', 'risk_managed_otherwise', 'insufficient_move_on_plan', 'insufficient_contingency_plan', 'information_not_provided', 'inaccurate_information', 'risk_to_community', 'risk_to_others_in_ap', 'risk_to_staff', 'risk_to_self', 'withdrawn_by_practitioner', name='rejectionreason', native_enum=False), nullable=True),
    sa.Column('rejection_detail', sa.Text(), nullable=True),
    sa.ForeignKeyConstraint(['assessor_id'], ['user.id'], name=op.f('fk_assessment_assessor_id_user')),
    sa.ForeignKeyConstraint(['referral_id'], ['referral.id'], name=op.f('fk_assessment_referral_id_referral')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_assessment')),
    sa.UniqueConstraint('referral_id', name=op.f('uq_assessment_referral_id'))
    )
    with op.batch_alter_table('assessment', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_assessment_assessor_id'), ['assessor_id'], unique=False)

    op.create_table('placement_request',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('referral_id', sa.Integer(), nullable=False),
    sa.Column('person_id', sa.Integer(), nullable=False),
    sa.Column('region_id', sa.Integer(), nullable=False),
    sa.Column('gender', sa.Enum('male', 'female', name='gender', native_enum=False), nullable=False),
    sa.Column('ap_type', sa.Enum('standard', 'pipe', 'esap', 'rfap', 'mhap', name='aptype', native_enum=False), nullable=False),
    sa.Column('essential_characteristics', sa.JSON(), nullable=False),
    sa.Column('desirable_characteristics', sa.JSON(), nullable=False),
    sa.Column('notice', sa.Enum('standard', 'short_notice', 'emergency', name='notice', native_enum=False), nullable=False),
    sa.Column('expected_arrival', sa.Date(), nullable=False),
    sa.Column('length_of_stay_weeks', sa.SmallInteger(), nullable=False),
    sa.Column('status', sa.Enum('ready_to_match', name='placementrequeststatus', native_enum=False), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('created_by_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['created_by_id'], ['user.id'], name=op.f('fk_placement_request_created_by_id_user')),
    sa.ForeignKeyConstraint(['person_id'], ['person.id'], name=op.f('fk_placement_request_person_id_person')),
    sa.ForeignKeyConstraint(['referral_id'], ['referral.id'], name=op.f('fk_placement_request_referral_id_referral')),
    sa.ForeignKeyConstraint(['region_id'], ['region.id'], name=op.f('fk_placement_request_region_id_region')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_placement_request')),
    sa.UniqueConstraint('referral_id', name=op.f('uq_placement_request_referral_id'))
    )
    with op.batch_alter_table('placement_request', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_placement_request_person_id'), ['person_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_placement_request_region_id'), ['region_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_placement_request_status'), ['status'], unique=False)

    with op.batch_alter_table('referral', schema=None) as batch_op:
        batch_op.add_column(sa.Column('requested_ap_type', sa.Enum('standard', 'pipe', 'esap', 'rfap', 'mhap', name='aptype', native_enum=False), nullable=True))



def downgrade():
    with op.batch_alter_table('referral', schema=None) as batch_op:
        batch_op.drop_column('requested_ap_type')

    with op.batch_alter_table('placement_request', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_placement_request_status'))
        batch_op.drop_index(batch_op.f('ix_placement_request_region_id'))
        batch_op.drop_index(batch_op.f('ix_placement_request_person_id'))

    op.drop_table('placement_request')
    with op.batch_alter_table('assessment', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_assessment_assessor_id'))

    op.drop_table('assessment')
    op.drop_table('length_of_stay_rule')
