"""AP type is the one truth about a premises' kind: drop the four characteristics that restated it

Revision ID: 0002
Revises: 0001
Create Date: 2026-12-02 03:00:00

A PIPE, an ESAP, a recovery-focused AP and a mental health AP are told by their AP type; the characteristics
is_pipe, is_esap, is_recovery_focused and is_semi_specialist_mental_health could contradict it, so their links
and rows go. The codes and labels are written out here, not imported, so the migration keeps meaning what
it meant when the vocabulary moves on.
"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0002'
down_revision = '0001'
branch_labels = None
depends_on = None

AP_TYPE_CHARACTERISTICS = {  # code: (label, the AP type it restated)
    "is_pipe": ("Is a PIPE", "pipe"),
    "is_esap": ("Is an enhanced security AP (ESAP)", "esap"),
    "is_recovery_focused": ("Is recovery-focused", "rfap"),
    "is_semi_specialist_mental_health": ("Is semi-specialist mental health", "mhap"),
}

characteristic = sa.table(
    "characteristic", sa.column("id", sa.Integer), sa.column("code", sa.String), sa.column("label", sa.String),
    sa.column("scope", sa.String),
)
premises = sa.table("premises", sa.column("id", sa.Integer), sa.column("ap_type", sa.String))
premises_characteristic = sa.table(
    "premises_characteristic", sa.column("premises_id", sa.Integer), sa.column("characteristic_id", sa.Integer)
)
room_characteristic = sa.table("room_characteristic", sa.column("characteristic_id", sa.Integer))


def upgrade():
    dropped = sa.select(characteristic.c.id).where(characteristic.c.code.in_(AP_TYPE_CHARACTERISTICS))
    for links in (premises_characteristic, room_characteristic):
        op.execute(links.delete().where(links.c.characteristic_id.in_(dropped)))
    op.execute(characteristic.delete().where(characteristic.c.code.in_(AP_TYPE_CHARACTERISTICS)))


def downgrade():
    """The rows come back, linked to the premises whose AP type they restated."""
    op.bulk_insert(
        characteristic,
        [{"code": code, "label": label, "scope": "premises"} for code, (label, _) in AP_TYPE_CHARACTERISTICS.items()],
    )
    for code, (_, ap_type) in AP_TYPE_CHARACTERISTICS.items():
        characteristic_id = sa.select(characteristic.c.id).where(characteristic.c.code == code).scalar_subquery()
        of_type = sa.select(premises.c.id, characteristic_id).where(premises.c.ap_type == ap_type)
        op.execute(premises_characteristic.insert().from_select(["premises_id", "characteristic_id"], of_type))
