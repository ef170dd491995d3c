"""unescape review text: reviews were stored HTML-escaped and showed double-escaped

Revision ID: d4a8c2e61f37
Revises: b7d2e91f4a10
Create Date: 2026-12-02 09:00:00.000000

Review comments are now stored as typed and escaped once when shown. Rows written before
went through bleach, which escaped ``&``, ``<`` and ``>``: undo that once. No schema change.
"""

import html

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "d4a8c2e61f37"
down_revision = "b7d2e91f4a10"
branch_labels = None
depends_on = None

reviews = sa.table("reviews", sa.column("id", sa.Integer), sa.column("comment", sa.Text))
BATCH = 1000


def _rewrite(change) -> None:
    connection = op.get_bind()
    last_id = 0
    while True:
        rows = connection.execute(
            sa.select(reviews.c.id, reviews.c.comment)
            .where(reviews.c.id > last_id, reviews.c.comment.contains("&"))
            .order_by(reviews.c.id)
            .limit(BATCH)
        ).all()
        if not rows:
            return
        for review_id, comment in rows:
            new = change(comment)
            if new != comment:
                connection.execute(reviews.update().where(reviews.c.id == review_id).values(comment=new))
        last_id = rows[-1][0]


def upgrade():
    _rewrite(html.unescape)


def downgrade():
    # Escape again as bleach did (quotes were left as they were).
    connection = op.get_bind()
    rows = connection.execute(
        sa.select(reviews.c.id, reviews.c.comment).where(
            sa.or_(reviews.c.comment.contains("&"), reviews.c.comment.contains("<"), reviews.c.comment.contains(">"))
        )
    ).all()
    for review_id, comment in rows:
        connection.execute(
            reviews.update().where(reviews.c.id == review_id).values(comment=html.escape(comment, quote=False))
        )
