"""Referral answers for location and for victims and exclusion zones; preferred APs, exclusion zones and
non-associates as child tables of the referral

Zones are GeoJSON text in WGS84 (a circle also keeps its centre and radius), checked by the service before saving.

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-02 10:59:21.852373

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0010'
down_revision = '0009'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('exclusion_zone',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('referral_id', sa.Integer(), nullable=False),
    sa.Column('label', sa.String(length=60), nullable=False),
    sa.Column('source', sa.Enum('drawn', 'circle', 'uploaded', name='exclusionzonesource', native_enum=False), nullable=False),
    sa.Column('geometry', sa.Text(), nullable=False),
    sa.Column('area_km2', sa.Float(), nullable=False),
    sa.Column('centre_name', sa.String(length=60), nullable=True),
    sa.Column('centre_longitude', sa.Float(), nullable=True),
    sa.Column('centre_latitude', sa.Float(), nullable=True),
    sa.Column('radius_km', sa.Float(), nullable=True),
    sa.ForeignKeyConstraint(['referral_id'], ['referral.id'], name=op.f('fk_exclusion_zone_referral_id_referral')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_exclusion_zone'))
    )
    with op.batch_alter_table('exclusion_zone', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_exclusion_zone_referral_id'), ['referral_id'], unique=False)

    op.create_table('non_associate',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('referral_id', sa.Integer(), nullable=False),
    sa.Column('crn', sa.String(length=7), nullable=False),
    sa.Column('name', sa.String(length=120), nullable=False),
    sa.Column('reason', sa.Enum('co_defendant', 'gang', 'victim', 'other', name='nonassociatereason', native_enum=False), nullable=False),
    sa.Column('reason_detail', sa.String(length=200), nullable=True),
    sa.ForeignKeyConstraint(['referral_id'], ['referral.id'], name=op.f('fk_non_associate_referral_id_referral')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_non_associate')),
    sa.UniqueConstraint('referral_id', 'crn', name=op.f('uq_non_associate_referral_id'))
    )
    with op.batch_alter_table('non_associate', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_non_associate_referral_id'), ['referral_id'], unique=False)

    op.create_table('preferred_premises',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('referral_id', sa.Integer(), nullable=False),
    sa.Column('premises_id', sa.Integer(), nullable=False),
    sa.Column('rank', sa.SmallInteger(), nullable=False),
    sa.CheckConstraint('rank BETWEEN 1 AND 5', name=op.f('ck_preferred_premises_rank_in_range')),
    sa.ForeignKeyConstraint(['premises_id'], ['premises.id'], name=op.f('fk_preferred_premises_premises_id_premises')),
    sa.ForeignKeyConstraint(['referral_id'], ['referral.id'], name=op.f('fk_preferred_premises_referral_id_referral')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_preferred_premises'))
    )
    with op.batch_alter_table('preferred_premises', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_preferred_premises_premises_id'), ['premises_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_preferred_premises_referral_id'), ['referral_id'], unique=False)

    with op.batch_alter_table('referral', schema=None) as batch_op:
        batch_op.add_column(sa.Column('home_area', sa.String(length=60), nullable=True))
        batch_op.add_column(sa.Column('home_area_ties', sa.Text(), nullable=True))
        batch_op.add_column(sa.Column('max_distance_miles', sa.SmallInteger(), nullable=True))
        batch_op.add_column(sa.Column('areas_to_avoid', sa.Text(), nullable=True))
        batch_op.add_column(sa.Column('has_preferred_premises', sa.Boolean(), nullable=True))
        batch_op.add_column(sa.Column('victim_contact_scheme', sa.Enum('opted_in', 'declined', 'not_eligible', name='victimcontactscheme', native_enum=False), nullable=True))
        batch_op.add_column(sa.Column('has_exclusion_zones', sa.Boolean(), nullable=True))
        batch_op.add_column(sa.Column('has_non_associates', sa.Boolean(), nullable=True))



def downgrade():
    with op.batch_alter_table('referral', schema=None) as batch_op:
        batch_op.drop_column('has_non_associates')
        batch_op.drop_column('has_exclusion_zones')
        batch_op.drop_column('victim_contact_scheme')
        batch_op.drop_column('has_preferred_premises')
        batch_op.drop_column('areas_to_avoid')
        batch_op.drop_column('max_distance_miles')
        batch_op.drop_column('home_area_ties')
        batch_op.drop_column('home_area')

    with op.batch_alter_table('preferred_premises', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_preferred_premises_referral_id'))
        batch_op.drop_index(batch_op.f('ix_preferred_premises_premises_id'))

    op.drop_table('preferred_premises')
    with op.batch_alter_table('non_associate', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_non_associate_referral_id'))

    op.drop_table('non_associate')
    with op.batch_alter_table('exclusion_zone', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_exclusion_zone_referral_id'))

    op.drop_table('exclusion_zone')
