"""Write transactions that take their lock before they read, so that no other request can come between a rule's
check and the write it allows (two overlapping out-of-service periods for one bed now, two bookings later).

PostgreSQL locks the one row the rule is about (SELECT ... FOR UPDATE), so requests about other beds carry on.
SQLite has one lock for the whole file: BEGIN IMMEDIATE takes it before the first read, and a second writer
waits for it (the driver's busy timeout) rather than read what the first is about to change. Only these
transactions take the lock up front: the driver's default transactions leave reads unlocked, so page views
never hold up a writer, nor fail on one.
"""

from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from typing import TypeVar

from sqlalchemy import select

from app.extensions import db

Model = TypeVar("Model")


@contextmanager
def write_transaction(model: type[Model], object_id: int) -> Iterator[Model | None]:
    """A transaction holding the write lock on the row `model` `object_id`, which it yields (None when there is
    no such row); it commits when the block ends and rolls back when it raises.

    Call it before changing anything: it first commits the read-only transaction that loading the page began.
    """
    with write_transaction_over(model, [object_id]) as rows:
        yield rows[0] if rows else None


@contextmanager
def write_transaction_over(model: type[Model], object_ids: Iterable[int]) -> Iterator[list[Model]]:
    """The same for several rows, locked in id order so that two such transactions never wait on each other in a
    circle (a national optimiser run locks every region, a regional run one); yields the rows found."""
    db.session.commit()
    if db.session.get_bind().dialect.name == "sqlite":
        db.session.connection().exec_driver_sql("BEGIN IMMEDIATE")
    query = select(model).where(model.id.in_(list(object_ids))).order_by(model.id).with_for_update()
    rows = list(db.session.scalars(query.execution_options(populate_existing=True)))
    try:
        yield rows
        db.session.commit()
    except BaseException:
        db.session.rollback()
        raise
