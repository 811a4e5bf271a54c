"""Shared fixtures: reference data kept present, personas, an SMTP server, CI strictness."""

import os
import socket
import time
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager

import pytest
from aiosmtpd.controller import Controller
from aiosmtpd.handlers import Message
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.factories.accounts import UserFactory
from tests.factories.organisations import OrganisationFactory, RepresentativeFactory

DB_FIXTURES = {"db", "transactional_db", "live_server", "django_db_reset_sequences"}


def ensure_reference_data() -> None:
    """Load what the migrations load (countries, vocabularies, shared indicators) where a
    transactional test's flush took it away."""
    from concord.core.models import Theme
    from concord.core.vocabularies import load_vocabularies
    from concord.countries.loader import load_reference_data
    from concord.countries.models import Country
    from concord.countries.queries import forget_reference_cache
    from concord.results.models import SharedIndicator
    from concord.results.vocabularies import load_shared_indicators

    if not Country.objects.exists():
        load_reference_data()
    if not Theme.objects.exists():
        load_vocabularies()
    if not SharedIndicator.objects.exists():
        load_shared_indicators()
    forget_reference_cache()


@pytest.fixture(autouse=True)
def reference_data(request):
    """Migrations load countries and vocabularies; transactional tests flush them, so put
    them back when a test that uses the database finds them gone."""
    uses_db = request.node.get_closest_marker("django_db") or DB_FIXTURES & set(
        request.fixturenames
    )
    if not uses_db:
        yield
        return
    request.getfixturevalue("transactional_db" if "live_server" in request.fixturenames else "db")
    ensure_reference_data()
    yield


@pytest.fixture(autouse=True)
def default_language():
    """Each test starts in the site's default language: a language left active by an earlier
    test (or by code it called) would change what `reverse()` and gettext give this one."""
    from django.utils import translation

    translation.deactivate()
    yield
    translation.deactivate()


@pytest.fixture(autouse=True)
def fresh_cache():
    """Each test starts with an empty cache: per-network signing counters and cached
    statistics left by earlier tests would otherwise flag or answer for this one."""
    from django.core.cache import cache

    from concord.core import limits
    from concord.declarations import intake
    from concord.declarations.queries import forget_for_signing

    cache.clear()
    limits.reset()  # rate-limit counters: each test starts with full budgets
    forget_for_signing()  # the per-process lookup of declarations being signed
    intake.forget_kick()  # what this process knows of the intake's kick key, gone with it
    yield


@pytest.fixture
def query_count(db) -> Callable[[int], AbstractContextManager]:
    """`with query_count(7): client.get(url)` fails unless the block runs exactly 7 queries,
    and lists the queries it ran. A list page or list endpoint is tested with 1 and with 3
    rows against the same literal number (pretalx's way), so a query per row fails the test
    and a change of cost is seen in review."""

    @contextmanager
    def counting(expected: int) -> Iterator[CaptureQueriesContext]:
        with CaptureQueriesContext(connection) as captured:
            yield captured
        ran = "\n".join(
            f"{number}. {query['sql']}" for number, query in enumerate(captured.captured_queries, 1)
        )
        assert len(captured) == expected, f"{len(captured)} queries, not {expected}:\n{ran}"

    return counting


def pytest_configure(config):
    # Registered here, beside the hook that acts on it (the others are in pyproject.toml).
    config.addinivalue_line(
        "markers",
        "postgres_only: PostgreSQL's own machinery, or its own PostgreSQL database (PostgreSQL runs only)",
    )
    config.addinivalue_line(
        "markers", "sqlite_only: tests SQLite's own machinery (SQLite runs only)"
    )


def pytest_collection_modifyitems(config, items):
    """The sweep of every page in every language takes minutes; it runs on one database,
    SQLite, and the PostgreSQL run leaves it out (deselected, not skipped). A test of
    PostgreSQL's own machinery, or one that makes its own PostgreSQL database whatever
    DATABASE_URL says (the several-servers fault test), runs once, in the PostgreSQL run."""
    on_postgres = os.environ.get("DATABASE_URL", "").startswith("postgres")
    markers = ("sweep", "sqlite_only") if on_postgres else ("postgres_only",)
    left_out = [item for item in items if any(item.get_closest_marker(m) for m in markers)]
    if left_out:
        config.hook.pytest_deselected(items=left_out)
        items[:] = [item for item in items if item not in left_out]


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    """In CI nothing may be skipped: a skipped test is reported as a failure there."""
    outcome = yield
    report = outcome.get_result()
    if os.environ.get("CI") and report.skipped and not hasattr(report, "wasxfail"):
        report.outcome = "failed"
        report.longrepr = f"Skipped in CI, which counts as a failure: {report.longrepr}"


# Personas (healthchecks style): the owner of an organisation, a colleague who represents
# it, an outsider who must be refused, and the secretariat.
@pytest.fixture
def owner(db):
    return UserFactory(email="owner@example.org", name="Awa Owner")


@pytest.fixture
def colleague(db):
    return UserFactory(email="colleague@example.org", name="Bakary Colleague")


@pytest.fixture
def outsider(db):
    return UserFactory(email="outsider@example.org", name="Chidi Outsider")


@pytest.fixture
def secretariat(db):
    return UserFactory(email="secretariat@example.org", staff=True, name="Leyla Secretariat")


@pytest.fixture
def member_org(owner, colleague):
    organisation = OrganisationFactory(name="Mangrove Keepers", country_id="SN", admin=owner)
    RepresentativeFactory(organisation=organisation, user=colleague)
    return organisation


@pytest.fixture
def pending_org(owner):
    return OrganisationFactory(
        name="Delta Youth Network", country_id="BD", status="pending", admin=owner
    )


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Inbox(Message):
    def __init__(self):
        super().__init__()
        self.messages = []

    def handle_message(self, message):
        self.messages.append(message)

    def wait_for(self, count: int, timeout: float = 10.0):
        deadline = time.monotonic() + timeout
        while len(self.messages) < count and time.monotonic() < deadline:
            time.sleep(0.05)
        return self.messages


@pytest.fixture
def smtp_server(settings):
    """A real SMTP server on localhost; email settings point at it for the test."""
    inbox = Inbox()
    port = _free_port()
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = "127.0.0.1"
    settings.EMAIL_PORT = port
    settings.EMAIL_USE_TLS = False
    try:
        yield inbox
    finally:
        controller.stop()
