"""Move-on providers, and the placement request a placement was booked for

Placements saved before this were not booked through a request and keep none.

Revision ID: 0014
Revises: 0013
Create Date: 2026-12-02 14:10:02.560970

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0014'
down_revision = '0013'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('move_on_provider',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=120), nullable=False),
    sa.Column('category', sa.Enum('family_partner_other', 'private_rented', 'social_rented', 'supported_housing', 'cas3', 'cas2', 'temporary', 'owner_occupied', 'custody', 'deported', 'another_ap', 'no_fixed_abode', name='moveoncategory', native_enum=False), nullable=False),
    sa.Column('region_id', sa.Integer(), nullable=False),
    sa.Column('town', sa.String(length=100), nullable=False),
    sa.Column('longitude', sa.Float(), nullable=False),
    sa.Column('latitude', sa.Float(), nullable=False),
    sa.Column('places_per_week', sa.SmallInteger(), nullable=False),
    sa.Column('is_active', sa.Boolean(), nullable=False),
    sa.ForeignKeyConstraint(['region_id'], ['region.id'], name=op.f('fk_move_on_provider_region_id_region')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_move_on_provider')),
    sa.UniqueConstraint('name', name=op.f('uq_move_on_provider_name'))
    )
    with op.batch_alter_table('move_on_provider', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_move_on_provider_region_id'), ['region_id'], unique=False)

    with op.batch_alter_table('placement', schema=None) as batch_op:
        batch_op.add_column(sa.Column('placement_request_id', sa.Integer(), nullable=True))
        batch_op.create_index(batch_op.f('ix_placement_placement_request_id'), ['placement_request_id'], unique=False)
        batch_op.create_foreign_key(batch_op.f('fk_placement_placement_request_id_placement_request'), 'placement_request', ['placement_request_id'], ['id'])



def downgrade():
    with op.batch_alter_table('placement', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_placement_placement_request_id_placement_request'), type_='foreignkey')
        batch_op.drop_index(batch_op.f('ix_placement_placement_request_id'))
        batch_op.drop_column('placement_request_id')

    with op.batch_alter_table('move_on_provider', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_move_on_provider_region_id'))

    op.drop_table('move_on_provider')
