"""Concurrent requests of one process share one write transaction (group commit).

Each request thread queues its work and waits; one of them (the leader) runs everything
queued in a single transaction, wakes the others, and hands the lead to the first one queued
meanwhile. On SQLite this replaces a crowd of writers taking turns at the one write lock by
one write per round; on PostgreSQL, one commit (one WAL flush) per round instead of one per
request.

- `run(work)`: `work` is called in the round's transaction, in a savepoint of its own, so
  what it returns or raises (a refusal, an IntegrityError) is its caller's alone and the
  others still commit. It runs in the leader's thread, in the caller's language.
- `write(row)`: rows for `write_rows`, which writes all the rows of a round at once (one
  statement); they commit or fail together.

Every caller returns only once the round's transaction is committed, so an answer is as
durable as before. When the commit fails, every caller of the round gets that error. A
caller already inside a transaction of its own runs its work there, at once: it belongs to
that transaction, which another thread cannot commit.
"""

import threading
from collections.abc import Callable
from typing import Any, TypeVar

from django.db import DEFAULT_DB_ALIAS, connections, transaction
from django.utils import translation

T = TypeVar("T")


class _Waiter:
    def __init__(self, item: Any, is_row: bool) -> None:
        self.item = item
        self.is_row = is_row
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

    def run(self, work: Callable[[], T]) -> T:
        return self._wait_for(_Waiter(work, is_row=False))

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
        try:
            with transaction.atomic(using=self._using):
                rows = [waiter for waiter in batch if waiter.is_row]
                if rows:
                    assert self._write_rows is not None
                    write_rows = self._write_rows
                    self._savepoint(rows, lambda: write_rows([waiter.item for waiter in rows]))
                for waiter in batch:
                    if not waiter.is_row:
                        self._savepoint([waiter], waiter.item)
                done = [w.result for w in batch if not w.is_row and w.error is None]
                if self._finish is not None and done:
                    self._finish(done)
        except BaseException as exc:  # the commit failed (or the round was interrupted)
            for waiter in batch:
                waiter.result, waiter.error = None, exc
            if not isinstance(exc, Exception):
                raise

    def _savepoint(self, waiters: list[_Waiter], work: Callable[[], Any]) -> None:
        try:
            with translation.override(waiters[0].language), transaction.atomic(using=self._using):
                result = work()
        except Exception as exc:
            for waiter in waiters:
                waiter.error = exc
        else:
            for waiter in waiters:
                waiter.result = result
