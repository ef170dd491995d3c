"""option types are checked by the registry, not a database constraint

Revision ID: e8b4c6d2a1f9
Revises: d4a8c2e61f37
Create Date: 2026-12-02 09:45:00.000000

The option type is validated against the registry (fantasize.customization.types) on every
write; a CHECK listing the types would make each new type a schema change as well.
"""

from alembic import op

# revision identifiers, used by Alembic.
revision = "e8b4c6d2a1f9"
down_revision = "d4a8c2e61f37"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("customization_options", schema=None) as batch_op:
        batch_op.drop_constraint(op.f("ck_customization_options_type_known"), type_="check")


def downgrade():
    with op.batch_alter_table("customization_options", schema=None) as batch_op:
        batch_op.create_check_constraint("type_known", "type IN ('button', 'text', 'image')")
