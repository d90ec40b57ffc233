"""A reworded choice remembers the answered choice it replaced

Revision ID: 0008_option_replaces
Revises: 0007_answers_option_index_pg
Create Date: 2026-12-07 10:20:00

Staff may reword a choice that people have already chosen: the answered choice is retired (its
answers keep the words they were given under) and a new one takes its place. The new choice now
points at the one it replaced, so an outcome's "agree" share and a measure's counted choices take
in the answers given under either wording. Choices reworded before this revision have no link.
"""
import sqlalchemy as sa
from alembic import op


# revision identifiers, used by Alembic.
revision = '0008_option_replaces'
down_revision = '0007_answers_option_index_pg'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('question_options', schema=None) as batch_op:
        batch_op.add_column(sa.Column('replaces_id', sa.Integer(), nullable=True))
        batch_op.create_foreign_key(
            batch_op.f('fk_question_options_replaces_id_question_options'),
            'question_options', ['replaces_id'], ['id'], ondelete='SET NULL')


def downgrade():
    with op.batch_alter_table('question_options', schema=None) as batch_op:
        batch_op.drop_constraint(
            batch_op.f('fk_question_options_replaces_id_question_options'), type_='foreignkey')
        batch_op.drop_column('replaces_id')
