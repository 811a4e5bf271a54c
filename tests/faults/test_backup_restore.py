"""`concord backup` then `concord restore` bring back exactly the data that was backed up, on
SQLite and on PostgreSQL, after the data was changed in between."""

import hashlib
import sqlite3
import uuid
from collections.abc import Callable

import psycopg
import pytest

from tests.faults.conftest import Site

pytestmark = pytest.mark.faults

TABLES = [
    "accounts_user",
    "organisations_organisation",
    "organisations_representative",
    "declarations_declaration",
    "declarations_declarationtext",
    "declarations_signature",
    "declarations_tally",
    "core_auditevent",
    "core_outgoingemail",
    "countries_country",
    "django_migrations",
]
SIGNATURES = (
    "SELECT id, declaration_id, email, name, country_id, status, confirmed_at"
    " FROM declarations_signature ORDER BY id"
)

# The change made after the backup: signatures gone, an organisation renamed, a user added.
CHANGE_DATA = """
from concord.accounts.models import User
from concord.declarations.models import Signature
from concord.organisations.models import Organisation
Signature.objects.filter(pk__in=list(Signature.objects.values_list("pk", flat=True)[:500])).delete()
Organisation.objects.filter(pk=Organisation.objects.order_by("pk").first().pk).update(name="Renamed")
User.objects.create_user(email="intruder@example.org", password="not-used-42", name="New")
"""


def snapshot(query: Callable[[str], list[tuple]]) -> dict:
    counts = {table: query(f"SELECT count(*) FROM {table}")[0][0] for table in TABLES}  # noqa: S608
    rows = "\n".join(repr(tuple(str(value) for value in row)) for row in query(SIGNATURES))
    names = "\n".join(
        row[0] for row in query("SELECT name FROM organisations_organisation ORDER BY id")
    )
    return {
        **counts,
        "signatures_sha256": hashlib.sha256(rows.encode()).hexdigest(),
        "organisations_sha256": hashlib.sha256(names.encode()).hexdigest(),
    }


def round_trip(site: Site, query: Callable[[str], list[tuple]]) -> None:
    site.run("demo", "--size", "30")
    before = snapshot(query)
    assert before["declarations_signature"] > 500

    backup = site.folder / "backup.db"
    result = site.run("backup", str(backup))
    assert "Backed up" in result.stdout and backup.stat().st_size > 0
    # An existing file is never overwritten by accident.
    refused = site.run("backup", str(backup), check=False)
    assert refused.returncode != 0 and "--force" in refused.stderr
    assert site.run("backup", "--force", str(backup)).returncode == 0

    site.shell(CHANGE_DATA)
    changed = snapshot(query)
    assert changed["declarations_signature"] == before["declarations_signature"] - 500
    assert changed["organisations_sha256"] != before["organisations_sha256"]
    assert changed["accounts_user"] == before["accounts_user"] + 1

    missing = site.run("restore", "--no-input", str(site.folder / "nothing.db"), check=False)
    assert missing.returncode != 0 and "no backup file" in missing.stderr
    assert snapshot(query) == changed

    result = site.run("restore", "--no-input", str(backup))
    assert "Restored" in result.stdout
    assert snapshot(query) == before
    # The restored database is a working one, at the current migration state.
    site.run("migrate", "--check", "--no-input")
    count = "from concord.declarations.models import Signature; print(Signature.objects.count())"
    assert site.shell(count).strip() == str(before["declarations_signature"])


def test_sqlite_backup_and_restore_round_trip(sqlite_site):
    site = sqlite_site

    def query(sql: str) -> list[tuple]:
        return site.sql(sql)

    round_trip(site, query)
    connection = sqlite3.connect(site.database)
    try:
        assert connection.execute("PRAGMA journal_mode").fetchone() == ("wal",)
        assert connection.execute("PRAGMA integrity_check").fetchone() == ("ok",)
    finally:
        connection.close()


SERVER = "postgres://postgres@127.0.0.1:5432"


@pytest.fixture
def pg_database():
    """A uniquely named database on the machine's PostgreSQL, dropped at the end."""
    name = f"concord_faults_{uuid.uuid4().hex[:12]}"
    try:
        with psycopg.connect(f"{SERVER}/postgres", autocommit=True, connect_timeout=5) as admin:
            admin.execute(f'CREATE DATABASE "{name}"')
    except psycopg.OperationalError as error:
        pytest.skip(f"no PostgreSQL server at {SERVER}: {error}")
    try:
        yield f"{SERVER}/{name}"
    finally:
        with psycopg.connect(f"{SERVER}/postgres", autocommit=True) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def test_postgresql_backup_and_restore_round_trip(tmp_path, pg_database):
    site = Site(tmp_path, database_url=pg_database)
    site.run("migrate", "--no-input", "--verbosity", "0")

    def query(sql: str) -> list[tuple]:
        with psycopg.connect(pg_database) as connection:
            return connection.execute(sql).fetchall()

    round_trip(site, query)
