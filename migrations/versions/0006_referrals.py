"""Referrals with their sentence and release answers; people's risk becomes optional, with identity and nationality

A person added to start a referral has no risk assessment yet: the referral's risk section will record it.

Revision ID: 0006
Revises: 0004
Create Date: 2026-12-02 03:57:02

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0006'
down_revision = '0004'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('referral',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('person_id', sa.Integer(), nullable=False),
    sa.Column('created_by_id', sa.Integer(), nullable=False),
    sa.Column('region_id', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.Column('submitted_at', sa.DateTime(), nullable=True),
    sa.Column('sentence_type', sa.Enum('standard_determinate', 'extended_determinate', 'life', 'ipp', 'community_order', 'bail_placement', 'non_statutory_mappa', name='sentencetype', native_enum=False), nullable=True),
    sa.Column('release_type', sa.Enum('licence', 'hdc', 'rotl', 'pss', 'parole_directed_licence', 'extended_determinate_licence', 're_released_standard_recall', 're_released_fixed_term_recall', 'in_community', 'not_applicable', name='releasetype', native_enum=False), nullable=True),
    sa.Column('arrival_date', sa.Date(), nullable=True),
    sa.Column('is_emergency', sa.Boolean(), nullable=True),
    sa.Column('lateness_reason', sa.Text(), nullable=True),
    sa.Column('licence_expiry_date', sa.Date(), nullable=True),
    sa.Column('is_mappa_case', sa.Boolean(), nullable=True),
    sa.Column('mappa_category', sa.Integer(), nullable=True),
    sa.Column('mappa_level', sa.Integer(), nullable=True),
    sa.Column('placement_purpose', sa.Enum('public_protection', 'prevent_contact', 'readjust', 'drugs_alcohol', 'prevent_self_harm', 'other', name='placementpurpose', native_enum=False), nullable=True),
    sa.Column('placement_purpose_other', sa.String(length=200), nullable=True),
    sa.ForeignKeyConstraint(['created_by_id'], ['user.id'], name=op.f('fk_referral_created_by_id_user')),
    sa.ForeignKeyConstraint(['person_id'], ['person.id'], name=op.f('fk_referral_person_id_person')),
    sa.ForeignKeyConstraint(['region_id'], ['region.id'], name=op.f('fk_referral_region_id_region')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_referral'))
    )
    with op.batch_alter_table('referral', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_referral_created_by_id'), ['created_by_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_referral_person_id'), ['person_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_referral_region_id'), ['region_id'], unique=False)

    with op.batch_alter_table('person', schema=None) as batch_op:
        batch_op.add_column(sa.Column('gender_identity', sa.String(length=60), nullable=True))
        batch_op.add_column(sa.Column('nationality', sa.String(length=60), nullable=True))
        batch_op.alter_column('rosh_overall',
               existing_type=sa.VARCHAR(length=9),
               nullable=True)
        batch_op.alter_column('rosh_children',
               existing_type=sa.VARCHAR(length=9),
               nullable=True)
        batch_op.alter_column('rosh_public',
               existing_type=sa.VARCHAR(length=9),
               nullable=True)
        batch_op.alter_column('rosh_known_adult',
               existing_type=sa.VARCHAR(length=9),
               nullable=True)
        batch_op.alter_column('rosh_staff',
               existing_type=sa.VARCHAR(length=9),
               nullable=True)
        batch_op.alter_column('risk_assessed_on',
               existing_type=sa.DATE(),
               nullable=True)



def downgrade():
    with op.batch_alter_table('person', schema=None) as batch_op:
        batch_op.alter_column('risk_assessed_on',
               existing_type=sa.DATE(),
               nullable=False)
        batch_op.alter_column('rosh_staff',
               existing_type=sa.VARCHAR(length=9),
               nullable=False)
        batch_op.alter_column('rosh_known_adult',
               existing_type=sa.VARCHAR(length=9),
               nullable=False)
        batch_op.alter_column('rosh_public',
               existing_type=sa.VARCHAR(length=9),
               nullable=False)
        batch_op.alter_column('rosh_children',
               existing_type=sa.VARCHAR(length=9),
               nullable=False)
        batch_op.alter_column('rosh_overall',
               existing_type=sa.VARCHAR(length=9),
               nullable=False)
        batch_op.drop_column('nationality')
        batch_op.drop_column('gender_identity')

    with op.batch_alter_table('referral', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_referral_region_id'))
        batch_op.drop_index(batch_op.f('ix_referral_person_id'))
        batch_op.drop_index(batch_op.f('ix_referral_created_by_id'))

    op.drop_table('referral')
