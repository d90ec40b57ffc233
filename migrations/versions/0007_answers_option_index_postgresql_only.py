"""The answers' (question, option) index on PostgreSQL only

Revision ID: 0007_answers_option_index_pg
Revises: 0006_conversation_filter_indexes
Create Date: 2026-12-07 07:40:00

On SQLite one writer stores at a time, and each stored answer wrote one more page of this index
for every question of the form (its entries are spread by question): a third of the time a
public form submission held the write lock (issue 8, P1). Without it, SQLite's results
summaries read the answers table in one pass; for what SQLite is chosen for (one library's
forms) that is as fast: 1.5 s for a million answers against 1.7 s with it (bench P4).
PostgreSQL writers do not queue, and its planner uses the index for one form among many, so it
keeps it.
"""
from alembic import op


# revision identifiers, used by Alembic.
revision = '0007_answers_option_index_pg'
down_revision = '0006_conversation_filter_indexes'
branch_labels = None
depends_on = None


def upgrade():
    if op.get_bind().dialect.name == "sqlite":
        with op.batch_alter_table('answers', schema=None) as batch_op:
            batch_op.drop_index('ix_answers_question_option')


def downgrade():
    if op.get_bind().dialect.name == "sqlite":
        with op.batch_alter_table('answers', schema=None) as batch_op:
            batch_op.create_index('ix_answers_question_option', ['question_id', 'option_id'],
                                  unique=False)
