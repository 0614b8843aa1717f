"""What-if scenarios: a planner's named changes, and the optimiser runs that compare them with today

Revision ID: 0021
Revises: 0020
Create Date: 2026-12-02 15:17:49.016975

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0021'
down_revision = '0020'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('scenario',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=120), nullable=False),
    sa.Column('created_by_id', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('region_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['created_by_id'], ['user.id'], name=op.f('fk_scenario_created_by_id_user')),
    sa.ForeignKeyConstraint(['region_id'], ['region.id'], name=op.f('fk_scenario_region_id_region')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_scenario'))
    )
    with op.batch_alter_table('scenario', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_scenario_created_by_id'), ['created_by_id'], unique=False)

    op.create_table('scenario_change',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('scenario_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.Enum('add_beds', 'remove_beds', 'close_premises', 'beds_out', 'more_referrals', 'change_mix', name='changekind', native_enum=False), nullable=False),
    sa.Column('premises_id', sa.Integer(), nullable=True),
    sa.Column('region_id', sa.Integer(), nullable=True),
    sa.Column('number', sa.Integer(), nullable=True),
    sa.Column('ap_type', sa.Enum('standard', 'pipe', 'esap', 'rfap', 'mhap', name='aptype', native_enum=False), nullable=True),
    sa.Column('from_ap_type', sa.Enum('standard', 'pipe', 'esap', 'rfap', 'mhap', name='aptype', native_enum=False), nullable=True),
    sa.Column('start_on', sa.Date(), nullable=True),
    sa.Column('end_on', sa.Date(), nullable=True),
    sa.ForeignKeyConstraint(['premises_id'], ['premises.id'], name=op.f('fk_scenario_change_premises_id_premises')),
    sa.ForeignKeyConstraint(['region_id'], ['region.id'], name=op.f('fk_scenario_change_region_id_region')),
    sa.ForeignKeyConstraint(['scenario_id'], ['scenario.id'], name=op.f('fk_scenario_change_scenario_id_scenario'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_scenario_change'))
    )
    with op.batch_alter_table('scenario_change', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_scenario_change_scenario_id'), ['scenario_id'], unique=False)

    with op.batch_alter_table('optimiser_run', schema=None) as batch_op:
        batch_op.add_column(sa.Column('scenario_id', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('comparison', sa.JSON(), nullable=True))
        batch_op.create_index(batch_op.f('ix_optimiser_run_scenario_id'), ['scenario_id'], unique=False)
        batch_op.create_foreign_key(batch_op.f('fk_optimiser_run_scenario_id_scenario'), 'scenario', ['scenario_id'], ['id'], ondelete='CASCADE')



def downgrade():
    with op.batch_alter_table('optimiser_run', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_optimiser_run_scenario_id_scenario'), type_='foreignkey')
        batch_op.drop_index(batch_op.f('ix_optimiser_run_scenario_id'))
        batch_op.drop_column('comparison')
        batch_op.drop_column('scenario_id')

    with op.batch_alter_table('scenario_change', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_scenario_change_scenario_id'))

    op.drop_table('scenario_change')
    with op.batch_alter_table('scenario', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_scenario_created_by_id'))

    op.drop_table('scenario')
