"""Properties of the offline-signature CSV import, over generated files.

Every data row is either counted as valid or reported with the line it starts on; a dry run
writes nothing; an import writes exactly the valid rows, as confirmed signatures, and the
statistics rise by exactly that; names are stored as typed (whitespace collapsed, never
escaped); importing the same file again adds nothing.
"""

import itertools
import os
import re
from collections import Counter
from dataclasses import dataclass

import pytest
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from concord.core.csv import decode
from concord.core.imports import ImportRefused
from concord.core.models import AuditEvent
from concord.countries.queries import reference
from concord.declarations.imports import (
    HEADER,
    NO,
    YES,
    check_rows,
    import_signatures,
)
from concord.declarations.models import HourlyTally, Signature, Tally
from concord.declarations.queries import declaration_stats
from concord.declarations.services import lifecycle
from tests.factories.declarations import SignatureFactory

pytestmark = pytest.mark.django_db


def examples(n: int) -> settings:
    """n examples, no deadline (the database is slow on a first query), and no example
    database written into the working tree; each test's DB transaction spans its examples."""
    return settings(
        max_examples=n,
        deadline=None,
        database=None,
        # In CI the examples are the same every run: a new find should not block a landing;
        # locally (no CI variable) each run explores new examples.
        derandomize=bool(os.environ.get("CI")),
        suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
    )


_slugs = itertools.count(1)

# --- What a file is made of ------------------------------------------------------------

SAMPLE_NAMES = [
    "Amina Diallo",
    "محمد الأمين ولد أحمد",
    "王小明",
    "Nguyễn Thị Minh Khai",
    "Ιωάννης Παπαδόπουλος",
    "Анна Петрова",
    "अमित कुमार",
    "ທອງສຸກ",
    "🌍 Climate Youth 🌱",
    "👩🏽‍🌾 Farmer",
    'Kofi "KK" Mensah',
    "O'Brien, Siobhán",
    "Line one\nline two",
    "Carriage\r\nreturn",
    "Tab\there",
    "<script>alert(1)</script>",
    "Ali &amp; Sons",
    "\u200fRTL mark",
]
FORMULA_PREFIXES = ["", "", "", "=", "+", "-", "@", "\t=", "=HYPERLINK(", '"', ","]
# Any character a spreadsheet may hold, except surrogates and NUL (handled separately).
ANY_CHARACTER = st.characters(exclude_categories=["Cs"], exclude_characters="\x00")
BAD_EMAILS = [
    "",
    "not-an-email",
    "a@",
    "@example.org",
    "two@@example.org",
    "spaces in@example.org",
    "trailing.@example.org",
    "amina@example..org",
]
UNKNOWN_COUNTRIES = ["XX", "ZZ", "", "SEN", "S", "12", "UK", "EU"]
BAD_KINDS = ["person", "org", "organization", "individuals", "", "signatory"]
BAD_SHOW = ["maybe", "2", "yes please", "nope", "✓"]


def _spaced(value: st.SearchStrategy[str]) -> st.SearchStrategy[str]:
    """The value, sometimes with spaces around it and in another case, as people type it."""
    return st.tuples(
        value, st.sampled_from(["", " ", "  "]), st.sampled_from(["", " ", "\t"]), st.booleans()
    ).map(lambda t: t[1] + (t[0].upper() if t[3] else t[0]) + t[2])


names = st.tuples(
    st.sampled_from(FORMULA_PREFIXES),
    st.one_of(
        st.sampled_from(SAMPLE_NAMES),
        st.text(ANY_CHARACTER, min_size=1, max_size=40),
        st.text(ANY_CHARACTER, min_size=140, max_size=170),  # around the 150 limit
    ),
).map("".join)
good_emails = st.builds(
    "{}{}@{}".format,
    st.text("abcdefghijklmnopqrstuvwxyz0123456789", min_size=1, max_size=10),
    st.sampled_from(["", ".x", "+tag", "-1", "_a"]),
    st.sampled_from(["example.org", "exemple.fr", "mail.example.sn", "ngo.example"]),
)
texts = st.one_of(
    st.just(""),
    st.sampled_from(SAMPLE_NAMES),
    st.text(ANY_CHARACTER, max_size=30),
    st.text("ab ", min_size=115, max_size=210),  # around the 120 and 200 limits
)


@dataclass
class Record:
    cells: list[str]
    start: int = 0  # the physical line it starts on (the header is line 1)


@st.composite
def records(draw, codes: list[str], email_pool: list[str]) -> Record:
    """A data row: mostly good, sometimes with one fault of every kind the import reports."""
    kind = draw(st.sampled_from(["individual", "organisation"]))
    cells = [
        draw(names),
        draw(_spaced(st.sampled_from(email_pool))),
        draw(_spaced(st.sampled_from(codes).map(lambda c: c.lower() if len(c) == 2 else c))),
        draw(_spaced(st.just(kind))),
        draw(texts) if kind == "individual" else draw(st.one_of(names, texts)),
        draw(texts),
        draw(_spaced(st.sampled_from(sorted(YES | NO)))),
    ]
    fault = draw(
        st.sampled_from(
            ["none"] * 6
            + ["email", "country", "kind", "show_name", "few", "many", "no-organisation"]
        )
    )
    if fault == "email":
        cells[1] = draw(st.sampled_from(BAD_EMAILS))
    elif fault == "country":
        cells[2] = draw(st.sampled_from(UNKNOWN_COUNTRIES))
    elif fault == "kind":
        cells[3] = draw(st.sampled_from(BAD_KINDS))
    elif fault == "show_name":
        cells[6] = draw(st.sampled_from(BAD_SHOW))
    elif fault == "few":
        cells = cells[: draw(st.integers(1, len(HEADER) - 1))]
    elif fault == "many":
        cells = cells + draw(st.lists(texts, min_size=1, max_size=3))
    elif fault == "no-organisation":
        cells[3], cells[4] = "organisation", draw(st.sampled_from(["", "  ", "\n"]))
    if not any(cell.strip() for cell in cells):
        cells[0] = "Not blank"  # a blank row is skipped, not a row; keep this one a row
    return Record(cells)


def _quote(cell: str, quote_all: bool) -> str:
    if quote_all or any(c in cell for c in ',"\r\n') or cell != cell.strip():
        return '"' + cell.replace('"', '""') + '"'
    return cell


NEWLINES = re.compile(r"\r\n|\r|\n")


@st.composite
def csv_files(draw, codes: list[str]) -> tuple[bytes, list[Record]]:
    """A whole file: header (any case), rows, blank lines, any line ending, maybe a BOM."""
    pool = draw(st.lists(good_emails, min_size=1, max_size=12, unique=True))
    rows = draw(st.lists(records(codes, pool), max_size=25))
    ending = draw(st.sampled_from(["\r\n", "\n", "\r"]))
    quote_all = draw(st.booleans())
    header = [draw(_spaced(st.just(column))) for column in HEADER]
    lines = [",".join(_quote(c, quote_all) for c in header)]
    physical = 1
    for row in rows:
        for _ in range(draw(st.integers(0, 1))):
            lines.append(draw(st.sampled_from(["", ",,,,,,", " , ,"])))
            physical += 1
        row.start = physical + 1
        text = ",".join(_quote(c, quote_all) for c in row.cells)
        physical += 1 + len(NEWLINES.findall(text))
        lines.append(text)
    text = ending.join(lines) + draw(st.sampled_from([ending, ""]))
    bom = draw(st.sampled_from([b"", b"\xef\xbb\xbf"]))
    return bom + text.encode(), rows


# --- The oracle: what the import should decide, written independently -------------------


def _collapse(value: str) -> str:
    return " ".join(value.split())


def _email_is_valid(email: str) -> bool:
    try:
        validate_email(email)
    except ValidationError:
        return False
    return True


def expected_signature(cells: list[str], codes: set[str]) -> dict | None:
    """The signature a row stands for, or None when the row must be reported."""
    if len(cells) != len(HEADER):
        return None
    name, email, country, kind, organisation, role, show = cells
    email, kind, show = email.strip().lower(), kind.strip().lower(), show.strip().lower()
    name, organisation, role = _collapse(name), _collapse(organisation), _collapse(role)
    if not (
        0 < len(name) <= 150
        and _email_is_valid(email)
        and country.strip().upper() in codes
        and kind in ("individual", "organisation")
        and (organisation or kind == "individual")
        and len(organisation) <= 200
        and len(role) <= 120
        and show in YES | NO
    ):
        return None
    return {
        "name": name,
        "email": email,
        "country_id": country.strip().upper(),
        "kind": kind,
        "organisation_name": organisation,
        "role": role,
        "show_name": show in YES,
    }


def expected_outcome(rows: list[Record], codes: set[str], existing: set[str] = frozenset()):
    """(signatures by email, lines of the rows that must be reported)."""
    good: dict[str, dict] = {}
    bad: set[int] = set()
    for row in rows:
        signature = expected_signature(row.cells, codes)
        if signature is None or signature["email"] in good or signature["email"] in existing:
            bad.add(row.start)
        else:
            good[signature["email"]] = signature
    return good, bad


def test_the_oracle_agrees_with_django_on_the_bad_emails():
    assert not any(_email_is_valid(email) for email in BAD_EMAILS)


# --- Properties -----------------------------------------------------------------------


@pytest.fixture
def declaration(secretariat):
    return _fresh_declaration(secretariat)


def _fresh_declaration(user):
    draft = lifecycle.create_declaration(
        user, slug=f"prop-{next(_slugs)}", title="A property", text="We hold.", language="en"
    )
    return lifecycle.open_declaration(user, draft)


def _stored(declaration) -> dict[str, dict]:
    fields = ["name", "email", "country_id", "kind", "organisation_name", "role", "show_name"]
    return {row["email"]: row for row in declaration.signatures.values(*fields)}


def _footprint() -> tuple[int, int, int, int]:
    return (
        Signature.objects.count(),
        Tally.objects.count(),
        HourlyTally.objects.count(),
        AuditEvent.objects.count(),
    )


@examples(60)
@given(data=st.data())
def test_every_row_is_counted_or_reported_and_only_valid_rows_are_stored(secretariat, data):
    ref = reference()
    codes = sorted(ref.countries) + UNKNOWN_COUNTRIES
    raw, rows = data.draw(csv_files(codes))
    known = set(ref.countries)
    declaration = _fresh_declaration(secretariat)
    text = decode(raw)
    good, bad = expected_outcome(rows, known)

    # check_rows: every row accounted for, on the line where it starts.
    checked, result = check_rows(declaration, text)
    error_lines = {error.line for error in result.errors}
    assert result.rows == len(rows)
    assert result.valid == len(checked) == len(good)
    assert result.valid + len(error_lines) == result.rows
    assert error_lines == bad
    assert {line for line, _ in checked}.isdisjoint(error_lines)
    assert [e.line for e in result.errors] == sorted(e.line for e in result.errors)

    # A dry run writes nothing at all.
    before = _footprint()
    stats_before = declaration_stats(declaration, fresh=True)
    dry = import_signatures(secretariat, declaration, text, dry_run=True, collected_by="desk")
    assert (dry.imported, dry.valid, dry.dry_run) == (0, len(good), True)
    assert _footprint() == before
    assert declaration_stats(declaration, fresh=True).signatures == stats_before.signatures == 0

    # The import writes exactly the valid rows, as typed, and the statistics follow.
    done = import_signatures(secretariat, declaration, text, dry_run=False, collected_by="desk")
    assert done.imported == done.valid == len(good)
    assert {e.line for e in done.errors} == bad
    assert _stored(declaration) == good
    assert set(declaration.signatures.values_list("status", "source", "collected_by")) <= {
        ("confirmed", "offline", "desk")
    }
    stats = declaration_stats(declaration, fresh=True)
    kinds = Counter(signature["kind"] for signature in good.values())
    assert stats.signatures == len(good)
    assert (stats.organisations, stats.individuals) == (kinds["organisation"], kinds["individual"])
    assert stats.countries == len({signature["country_id"] for signature in good.values()})
    assert stats.per_country == dict(Counter(s["country_id"] for s in good.values()))

    # The same file again adds nothing: every row is now reported.
    again = import_signatures(secretariat, declaration, text, dry_run=False, collected_by="desk")
    assert again.imported == again.valid == 0
    assert {e.line for e in again.errors} == {row.start for row in rows}
    assert declaration_stats(declaration, fresh=True).signatures == len(good)


@examples(150)
@given(body=st.one_of(st.text(max_size=300), st.binary(max_size=300)), header=st.booleans())
def test_any_file_is_refused_whole_or_fully_accounted_for(declaration, body, header):
    """Whatever the bytes, the check never fails with anything but ImportRefused, and when
    it answers, every row it saw is valid or reported."""
    raw = body if isinstance(body, bytes) else body.encode()
    if header:
        raw = ",".join(HEADER).encode() + b"\n" + raw
    try:
        _, result = check_rows(declaration, decode(raw))
    except ImportRefused:
        return
    lines = {error.line for error in result.errors}
    assert result.valid + len(lines) == result.rows
    assert all(1 < line <= raw.count(b"\n") + raw.count(b"\r") + 1 for line in lines)


@examples(40)
@given(name=st.text(ANY_CHARACTER | st.just("\x00"), min_size=1, max_size=20))
def test_a_null_character_is_reported_not_stored(secretariat, declaration, name):
    """PostgreSQL text cannot hold NUL: such a row must be reported, never reach the database."""
    line = ",".join([_quote(name, True), "nul@example.org", "SN", "individual", "", "", "yes"])
    _, result = check_rows(declaration, ",".join(HEADER) + "\n" + line + "\n")
    if "\x00" in name:
        assert result.valid == 0 and [e.line for e in result.errors] == [2]
    else:
        assert result.valid + len(result.errors) == 1


def test_a_row_signed_online_during_the_import_is_reported_and_not_counted(
    secretariat, declaration, monkeypatch
):
    """The import re-checks when someone signed online meanwhile (its unique-email race)."""
    from concord.declarations import imports

    text = (
        ",".join(HEADER)
        + "\nAmina,amina@example.org,SN,individual,,,yes\nKarim,karim@example.org,LB,individual,,,no\n"
    )
    original = imports.check_rows

    def check_then_someone_signs(*args, **kwargs):
        answer = original(*args, **kwargs)
        SignatureFactory(
            declaration=declaration, email="karim@example.org", country="LB", confirmed=True
        )
        return answer

    monkeypatch.setattr(imports, "check_rows", check_then_someone_signs)
    result = import_signatures(secretariat, declaration, text, dry_run=False, collected_by="x")
    assert result.imported == result.valid == 1
    assert [(e.line, e.field) for e in result.errors] == [(3, "email")]
    assert declaration_stats(declaration, fresh=True).signatures == 2
