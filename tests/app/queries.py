"""Counting the SQL a piece of code sends, for tests that pin how many queries a page or service costs."""

from contextlib import contextmanager

import sqlalchemy as sa

from app.extensions import db


@contextmanager
def counting_queries():
    """Yield a list that collects every statement sent to the database while the block runs."""
    statements = []

    def count(*args):
        statements.append(args[2])

    sa.event.listen(db.engine, "before_cursor_execute", count)
    try:
        yield statements
    finally:
        sa.event.remove(db.engine, "before_cursor_execute", count)
