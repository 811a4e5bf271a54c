"""A full copy of the database to one file, and back, with the database's own tools.

- SQLite: the online backup API (`sqlite3.Connection.backup`) copies a consistent snapshot
  while the site runs; restoring copies the file back through the same API, under SQLite's own
  locks, so the live file is never swapped underneath an open connection.
- PostgreSQL: `pg_dump --format=custom`, and `pg_restore --clean --if-exists --no-owner
  --single-transaction` (all or nothing), with the connection parameters from settings (the
  password through PGPASSWORD, never on the command line). The client tools must be of the
  server's major version or newer.

Restoring replaces every table: stop `concord serve` and `concord worker` first, and run
`concord migrate` afterwards if the backup comes from an older version.
"""

import os
import shutil
import sqlite3
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.db import connections


class BackupError(Exception):
    """Something a person must fix (a path, a missing tool); the message says what."""


@dataclass
class Outcome:
    engine: str
    database: str
    path: Path
    size: int
    tables: int


def _database(alias: str = "default") -> dict:
    return settings.DATABASES[alias]


def engine(alias: str = "default") -> str:
    name = _database(alias)["ENGINE"]
    if name.endswith("sqlite3"):
        return "sqlite"
    if name.endswith("postgresql"):
        return "postgresql"
    raise BackupError(f"Backups support SQLite and PostgreSQL, not {name}.")


def _check_target(path: Path, force: bool) -> None:
    if path.is_dir():
        raise BackupError(f"{path} is a directory; give the name of the backup file to write.")
    if not path.parent.is_dir():
        raise BackupError(f"The folder {path.parent} does not exist.")
    if path.exists() and not force:
        raise BackupError(f"{path} already exists; use --force to overwrite it.")


def _check_source(path: Path) -> None:
    if not path.is_file():
        raise BackupError(f"There is no backup file at {path}.")


def _temporary_beside(path: Path) -> Path:
    """A new file in the target's folder, renamed into place once complete, so a failed or
    interrupted backup never leaves a half-written file under the backup's name."""
    handle, name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".partial", dir=path.parent)
    os.close(handle)
    return Path(name)


# --- SQLite ------------------------------------------------------------------------------


def _sqlite_path(alias: str) -> Path:
    return Path(_database(alias)["NAME"]).resolve()


def _open_sqlite(path: Path, create: bool = False) -> sqlite3.Connection:
    mode = "rwc" if create else "rw"
    connection = sqlite3.connect(f"{path.as_uri()}?mode={mode}", uri=True, timeout=30)
    connection.execute("PRAGMA busy_timeout = 30000")
    return connection


def _sqlite_tables(connection: sqlite3.Connection) -> int:
    return connection.execute(
        "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
    ).fetchone()[0]


def _check_sqlite_file(connection: sqlite3.Connection, path: Path) -> None:
    try:
        result = connection.execute("PRAGMA quick_check").fetchone()[0]
        migrated = connection.execute(
            "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'django_migrations'"
        ).fetchone()
    except sqlite3.DatabaseError as error:
        raise BackupError(f"{path} is not a readable SQLite database ({error}).") from error
    if result != "ok":
        raise BackupError(f"{path} is damaged: {result}")
    if not migrated:
        raise BackupError(f"{path} is not a Concord database (no django_migrations table).")


def _backup_sqlite(alias: str, path: Path) -> Outcome:
    source_path = _sqlite_path(alias)
    if not source_path.is_file():
        raise BackupError(f"The database {source_path} does not exist.")
    partial = _temporary_beside(path)
    try:
        source = _open_sqlite(source_path)
        target = _open_sqlite(partial, create=True)
        try:
            source.backup(target)
            # A single file that opens anywhere, without a -wal beside it.
            target.execute("PRAGMA journal_mode = DELETE")
            _check_sqlite_file(target, path)
            tables = _sqlite_tables(target)
        finally:
            target.close()
            source.close()
        os.replace(partial, path)
    finally:
        partial.unlink(missing_ok=True)
    return Outcome("SQLite", str(source_path), path, path.stat().st_size, tables)


def _restore_sqlite(alias: str, path: Path) -> Outcome:
    target_path = _sqlite_path(alias)
    connections[alias].close()
    source = _open_sqlite(path)
    try:
        _check_sqlite_file(source, path)
        target = _open_sqlite(target_path, create=True)
        try:
            # Into the live file through SQLite's locks: connections left open see the
            # restored data, never a half-copied file.
            source.backup(target)
            target.execute("PRAGMA journal_mode = WAL")
            tables = _sqlite_tables(target)
        finally:
            target.close()
    finally:
        source.close()
    return Outcome("SQLite", str(target_path), path, path.stat().st_size, tables)


# --- PostgreSQL --------------------------------------------------------------------------


def _tool(name: str) -> str:
    found = shutil.which(name)
    if not found:
        raise BackupError(
            f"{name} was not found on PATH; install the PostgreSQL client tools "
            "(the server's major version or newer)."
        )
    return found


def _pg_env(alias: str) -> dict[str, str]:
    """libpq's environment variables, so no password appears in a process list."""
    database = _database(alias)
    options = database.get("OPTIONS", {})
    env = dict(os.environ)
    for key, value in {
        "PGDATABASE": database.get("NAME"),
        "PGHOST": database.get("HOST"),
        "PGPORT": database.get("PORT"),
        "PGUSER": database.get("USER"),
        "PGPASSWORD": database.get("PASSWORD"),
        "PGSSLMODE": options.get("sslmode"),
        "PGSSLROOTCERT": options.get("sslrootcert"),
    }.items():
        if value:
            env[key] = str(value)
        else:
            env.pop(key, None)
    # Fail clearly instead of waiting for ever behind a running app holding table locks.
    env["PGOPTIONS"] = f"{env.get('PGOPTIONS', '')} -c lock_timeout=15s".strip()
    return env


def _run(command: list[str], env: dict[str, str]) -> None:
    result = subprocess.run(  # noqa: S603 (fixed tool, arguments from settings and the caller)
        command, env=env, capture_output=True, text=True, check=False
    )
    if result.returncode != 0:
        message = (result.stderr or result.stdout).strip()
        raise BackupError(f"{Path(command[0]).name} failed: {message}")


def _pg_tables(alias: str) -> int:
    connection = connections[alias]
    connection.close()
    with connection.cursor() as cursor:
        return len(connection.introspection.table_names(cursor))


def _backup_postgresql(alias: str, path: Path) -> Outcome:
    partial = _temporary_beside(path)
    try:
        _run([_tool("pg_dump"), "--format=custom", f"--file={partial}"], _pg_env(alias))
        os.replace(partial, path)
    finally:
        partial.unlink(missing_ok=True)
    return Outcome(
        "PostgreSQL", _database(alias)["NAME"], path, path.stat().st_size, _pg_tables(alias)
    )


def _restore_postgresql(alias: str, path: Path) -> Outcome:
    env = _pg_env(alias)
    pg_restore = _tool("pg_restore")
    # Read the archive's table of contents first: a wrong file changes nothing.
    _run([pg_restore, "--list", str(path)], env)
    connections[alias].close()
    _run(
        [
            pg_restore,
            "--clean",
            "--if-exists",
            "--no-owner",
            "--single-transaction",
            f"--dbname={env['PGDATABASE']}",
            str(path),
        ],
        env,
    )
    return Outcome(
        "PostgreSQL", _database(alias)["NAME"], path, path.stat().st_size, _pg_tables(alias)
    )


# --- What the commands call ----------------------------------------------------------------


def backup(path: Path, *, force: bool = False, alias: str = "default") -> Outcome:
    path = Path(path).absolute()
    kind = engine(alias)
    _check_target(path, force)
    return _backup_sqlite(alias, path) if kind == "sqlite" else _backup_postgresql(alias, path)


def restore(path: Path, *, alias: str = "default") -> Outcome:
    path = Path(path).absolute()
    kind = engine(alias)
    _check_source(path)
    return _restore_sqlite(alias, path) if kind == "sqlite" else _restore_postgresql(alias, path)
