"""Concurrent requests of one process share one write transaction (group commit).

Each request thread queues its work and waits; one of them (the leader) runs everything
queued in a single transaction, wakes the others, and hands the lead to the first one queued
meanwhile. On SQLite this replaces a crowd of writers taking turns at the one write lock by
one write per round; on PostgreSQL, one commit (one WAL flush) per round instead of one per
request.

- `run(work)`: `work` is called in the round's transaction, in a savepoint of its own, so
  what it returns or raises (a refusal, an IntegrityError) is its caller's alone and the
  others still commit. It runs in the leader's thread, in the caller's language. `order`:
  the round runs its work sorted by it (say, the key of the row the work locks), so two
  processes' rounds lock rows in one order and cannot deadlock on them.
- `write(row)`: rows for `write_rows`, which writes all the rows of a round at once (one
  statement); they commit or fail together.

Every caller returns only once the round's transaction is committed, so an answer is as
durable as before. When the commit fails, every caller of the round gets that error. A
caller already inside a transaction of its own runs its work there, at once: it belongs to
that transaction, which another thread cannot commit.

On PostgreSQL, a round that fails with a deadlock or a serialization failure (whose effects
are all rolled back) is run again once, whole, before its callers get the error; not inside
a caller's transaction, whose earlier locks and snapshot would stay.
"""

import threading
from collections.abc import Callable
from typing import Any, TypeVar

from django.db import DEFAULT_DB_ALIAS, OperationalError, connections, transaction
from django.utils import translation

T = TypeVar("T")

# PostgreSQL's deadlock_detected and serialization_failure: the transaction lost a race and
# nothing of it remains, so running it again is safe.
_CONFLICTS = {"40P01", "40001"}


def _is_conflict(exc: BaseException) -> bool:
    cause = exc.__cause__
    code = getattr(cause, "sqlstate", None) or getattr(cause, "pgcode", None)
    return isinstance(exc, OperationalError) and code in _CONFLICTS


class _Waiter:
    def __init__(self, item: Any, is_row: bool, order: Any = ()) -> None:
        self.item = item
        self.is_row = is_row
        self.order = order
        self.language = translation.get_language()
        self.done = threading.Event()
        self.lead = False
        self.result: Any = None
        self.error: BaseException | None = None


class GroupCommit:
    """A queue of work for shared transactions on database `using`.

    `finish`, if given, is called last in each round's transaction with the results of the
    work that succeeded: what is cheaper done once per round (adding to the tallies)."""

    def __init__(
        self,
        write_rows: Callable[[list], None] | None = None,
        *,
        finish: Callable[[list], None] | None = None,
        using: str = DEFAULT_DB_ALIAS,
    ) -> None:
        self._write_rows = write_rows
        self._finish = finish
        self._using = using
        self._lock = threading.Lock()
        self._queue: list[_Waiter] = []
        self._writing = False

    def run(self, work: Callable[[], T], order: Any = ()) -> T:
        return self._wait_for(_Waiter(work, is_row=False, order=order))

    def write(self, row: Any) -> None:
        self._wait_for(_Waiter(row, is_row=True))

    def _wait_for(self, waiter: _Waiter) -> Any:
        if connections[self._using].in_atomic_block:
            self._round([waiter])
        else:
            with self._lock:
                self._queue.append(waiter)
                waiter.lead = not self._writing
                self._writing = True
            if not waiter.lead:
                waiter.done.wait()
            if waiter.lead:  # first in, or handed the lead while waiting
                self._lead()
        if waiter.error is not None:
            raise waiter.error
        return waiter.result

    def _lead(self) -> None:
        with self._lock:
            batch, self._queue = self._queue, []
        try:
            self._round(batch)
        finally:  # even when interrupted, so no one waits for a leader that is gone
            with self._lock:
                if self._queue:
                    successor = self._queue[0]
                    successor.lead = True
                    successor.done.set()
                else:
                    self._writing = False
            for waiter in batch:
                waiter.lead = False
                waiter.done.set()

    def _round(self, batch: list[_Waiter]) -> None:
        retry = not connections[self._using].in_atomic_block
        while True:
            try:
                self._attempt(batch, last=not retry)
                return
            except BaseException as exc:  # the commit failed (or the round was interrupted)
                if retry and _is_conflict(exc):
                    retry = False
                    continue
                for waiter in batch:
                    waiter.result, waiter.error = None, exc
                if not isinstance(exc, Exception):
                    raise
                return

    def _attempt(self, batch: list[_Waiter], last: bool) -> None:
        for waiter in batch:
            waiter.result, waiter.error = None, None
        with transaction.atomic(using=self._using):
            rows = [waiter for waiter in batch if waiter.is_row]
            if rows:
                assert self._write_rows is not None
                write_rows = self._write_rows
                self._savepoint(rows, lambda: write_rows([w.item for w in rows]), last)
            for waiter in sorted((w for w in batch if not w.is_row), key=lambda w: w.order):
                self._savepoint([waiter], waiter.item, last)
            done = [w.result for w in batch if not w.is_row and w.error is None]
            if self._finish is not None and done:
                self._finish(done)

    def _savepoint(self, waiters: list[_Waiter], work: Callable[[], Any], last: bool) -> None:
        try:
            with translation.override(waiters[0].language), transaction.atomic(using=self._using):
                result = work()
        except Exception as exc:
            if not last and _is_conflict(exc):
                raise  # the whole round is run again
            for waiter in waiters:
                waiter.error = exc
        else:
            for waiter in waiters:
                waiter.result = result
