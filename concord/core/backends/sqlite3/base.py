"""SQLite, with writers that queue for the one write lock instead of polling for it.

SQLite lets one connection write at a time; the others wait in its busy handler, which
sleeps 1, 2, 5 ... 100 ms between tries and favours no one, so under a crowd of writers a
request that lost a few times waited a second or more. Here every write transaction (each
`BEGIN IMMEDIATE` of `transaction.atomic`) and every write statement run on its own in
autocommit mode first takes a per-process lock (threads of one process queue there) and
then an `flock` on a file beside the database (processes queue in the kernel, which wakes
the next one the moment the lock is let go). It is released after the commit or rollback.
SQLite's own busy timeout stays as the fallback for writers that are not this backend
(the sqlite3 shell, a backup).

Selected in settings as ENGINE "concord.core.backends.sqlite3" for a sqlite:// URL.
"""

import fcntl
import os
import threading
from typing import TextIO

from django.db import OperationalError
from django.db.backends.sqlite3 import base

# As long as SQLite's busy timeout (settings' init_command): a thread that cannot get the
# lock in that time fails as it would have without this backend.
LOCK_TIMEOUT = 10.0

_WRITES = ("INSERT", "UPDATE", "DELETE", "REPLAC")


class _WriteLock:
    """One database's lock for this process: a thread lock, then the file lock."""

    def __init__(self, name: str, in_memory: bool) -> None:
        self.threads = threading.Lock()
        # An in-memory database has no file and no other process to queue behind.
        self.file: TextIO | None = None if in_memory else open(name + "-write.lock", "a")  # noqa: SIM115

    def acquire(self) -> None:
        if not self.threads.acquire(timeout=LOCK_TIMEOUT):
            raise OperationalError("database is locked")
        if self.file is not None:
            try:
                fcntl.flock(self.file, fcntl.LOCK_EX)
            except BaseException:
                self.threads.release()
                raise

    def release(self) -> None:
        if self.file is not None:
            fcntl.flock(self.file, fcntl.LOCK_UN)
        self.threads.release()


_locks: dict[str, _WriteLock] = {}
_locks_lock = threading.Lock()


def _forget_locks() -> None:
    # A forked child must open its own lock file: an flock belongs to the open file, which
    # parent and child would share, and a thread lock held at the fork would never be let go.
    global _locks_lock
    _locks.clear()
    _locks_lock = threading.Lock()


os.register_at_fork(after_in_child=_forget_locks)


def write_lock(name: str, in_memory: bool = False) -> _WriteLock:
    lock = _locks.get(name)
    if lock is None:
        with _locks_lock:
            lock = _locks.get(name)
            if lock is None:
                lock = _locks[name] = _WriteLock(name, in_memory)
    return lock


class CursorWrapper(base.SQLiteCursorWrapper):
    """Takes the write lock around a write statement run outside a transaction."""

    database: "DatabaseWrapper"

    def execute(self, query, params=None):
        if not self.database.needs_lock_for(query):
            return super().execute(query, params)
        with self.database.statement_lock():
            return super().execute(query, params)

    def executemany(self, query, param_list):
        if not self.database.needs_lock_for(query):
            return super().executemany(query, param_list)
        with self.database.statement_lock():
            return super().executemany(query, param_list)


class _StatementLock:
    def __init__(self, database: "DatabaseWrapper") -> None:
        self.database = database

    def __enter__(self) -> None:
        self.database.take_write_lock()

    def __exit__(self, *exc) -> None:
        self.database.release_write_lock()


class DatabaseWrapper(base.DatabaseWrapper):
    holds_write_lock = False

    def take_write_lock(self) -> None:
        if self.holds_write_lock:  # re-entrant: one hold per connection
            return
        name = str(self.settings_dict["NAME"])
        write_lock(name, self.is_in_memory_db()).acquire()
        self.holds_write_lock = True

    def release_write_lock(self) -> None:
        if self.holds_write_lock:
            self.holds_write_lock = False
            write_lock(str(self.settings_dict["NAME"])).release()

    def needs_lock_for(self, query: str) -> bool:
        return (
            not self.holds_write_lock and self.autocommit and query.lstrip()[:6].upper() in _WRITES
        )

    def statement_lock(self) -> _StatementLock:
        return _StatementLock(self)

    def create_cursor(self, name=None):
        cursor = self.connection.cursor(factory=CursorWrapper)
        cursor.database = self
        return cursor

    def _start_transaction_under_autocommit(self):
        self.take_write_lock()
        try:
            super()._start_transaction_under_autocommit()
        except BaseException:
            self.release_write_lock()
            raise

    def _commit(self):
        super()._commit()  # a failed commit is rolled back next, and released then
        self.release_write_lock()

    def _rollback(self):
        try:
            super()._rollback()
        finally:
            self.release_write_lock()

    def _close(self):
        try:
            super()._close()
        finally:
            self.release_write_lock()
