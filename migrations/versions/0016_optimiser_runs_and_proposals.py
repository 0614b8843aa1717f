"""Optimiser runs and the proposals they store; a placement request may now be proposed

The request status is a VARCHAR wide enough for "proposed" already: nothing to change there.

Revision ID: 0016
Revises: 0015
Create Date: 2026-12-02 14:24:37.583077

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0016'
down_revision = '0015'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('optimiser_run',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('created_by_id', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('region_id', sa.Integer(), nullable=True),
    sa.Column('method', sa.String(length=10), nullable=False),
    sa.Column('time_limit_s', sa.Integer(), nullable=False),
    sa.Column('parameters', sa.JSON(), nullable=False),
    sa.Column('status', sa.Enum('queued', 'running', 'finished', 'failed', 'cancelled', name='runstatus', native_enum=False), nullable=False),
    sa.Column('started_at', sa.DateTime(), nullable=True),
    sa.Column('finished_at', sa.DateTime(), nullable=True),
    sa.Column('objective', sa.BigInteger(), nullable=True),
    sa.Column('bound', sa.Float(), nullable=True),
    sa.Column('gap', sa.Float(), nullable=True),
    sa.Column('placed', sa.Integer(), nullable=True),
    sa.Column('unplaced', sa.Integer(), nullable=True),
    sa.Column('progress', sa.JSON(), nullable=False),
    sa.Column('cancel_requested', sa.Boolean(), nullable=False),
    sa.Column('error', sa.Text(), nullable=True),
    sa.ForeignKeyConstraint(['created_by_id'], ['user.id'], name=op.f('fk_optimiser_run_created_by_id_user')),
    sa.ForeignKeyConstraint(['region_id'], ['region.id'], name=op.f('fk_optimiser_run_region_id_region')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_optimiser_run'))
    )
    with op.batch_alter_table('optimiser_run', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_optimiser_run_created_at'), ['created_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_optimiser_run_region_id'), ['region_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_optimiser_run_status'), ['status'], unique=False)

    op.create_table('proposal',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('run_id', sa.Integer(), nullable=False),
    sa.Column('placement_request_id', sa.Integer(), nullable=False),
    sa.Column('premises_id', sa.Integer(), nullable=True),
    sa.Column('arrival_on', sa.Date(), nullable=True),
    sa.Column('departure_on', sa.Date(), nullable=True),
    sa.Column('move_on_provider_id', sa.Integer(), nullable=True),
    sa.Column('cost_terms', sa.JSON(), nullable=False),
    sa.Column('alternatives', sa.JSON(), nullable=False),
    sa.Column('ruled_out', sa.JSON(), nullable=False),
    sa.Column('unplaced_reason', sa.Text(), nullable=True),
    sa.Column('decision', sa.Enum('pending', name='proposaldecision', native_enum=False), nullable=False),
    sa.ForeignKeyConstraint(['move_on_provider_id'], ['move_on_provider.id'], name=op.f('fk_proposal_move_on_provider_id_move_on_provider')),
    sa.ForeignKeyConstraint(['placement_request_id'], ['placement_request.id'], name=op.f('fk_proposal_placement_request_id_placement_request')),
    sa.ForeignKeyConstraint(['premises_id'], ['premises.id'], name=op.f('fk_proposal_premises_id_premises')),
    sa.ForeignKeyConstraint(['run_id'], ['optimiser_run.id'], name=op.f('fk_proposal_run_id_optimiser_run'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_proposal')),
    sa.UniqueConstraint('run_id', 'placement_request_id', name=op.f('uq_proposal_run_id'))
    )
    with op.batch_alter_table('proposal', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_proposal_placement_request_id'), ['placement_request_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_proposal_premises_id'), ['premises_id'], unique=False)



def downgrade():
    with op.batch_alter_table('proposal', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_proposal_premises_id'))
        batch_op.drop_index(batch_op.f('ix_proposal_placement_request_id'))

    op.drop_table('proposal')
    with op.batch_alter_table('optimiser_run', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_optimiser_run_status'))
        batch_op.drop_index(batch_op.f('ix_optimiser_run_region_id'))
        batch_op.drop_index(batch_op.f('ix_optimiser_run_created_at'))

    op.drop_table('optimiser_run')
