"""Offline signatures from CSV: a dry run reports every bad row; an import adds the good ones."""

import pytest
from django.core.exceptions import PermissionDenied

from concord.core.csv import decode
from concord.core.errors import Refused
from concord.core.imports import ImportRefused
from concord.declarations.imports import import_signatures
from concord.declarations.models import Signature
from concord.declarations.queries import declaration_stats
from concord.declarations.services import lifecycle
from tests.factories.declarations import SignatureFactory

pytestmark = pytest.mark.django_db

HEADER = "name,email,country,kind,organisation,role,show_name\n"
GOOD = (
    "Amina Diallo,amina@example.org,SN,individual,,,yes\n"
    "Karim Haddad,karim@example.org,LB,organisation,Green Cedars,Director,no\n"
    '"Quoted, Name",quoted@example.org,br,individual,,,yes\n'
)
BAD = (
    "No Email,,SN,individual,,,yes\n"
    "Unknown Country,u@example.org,XX,individual,,,yes\n"
    "Dup In File,amina@example.org,SN,individual,,,yes\n"
    "Already Signed,online@example.org,KE,individual,,,yes\n"
    "No Org,noorg@example.org,KE,organisation,,,yes\n"
    "Bad Flag,flag@example.org,KE,individual,,,maybe\n"
    "Short,row\n"
)


def run(user, declaration, text, dry_run):
    return import_signatures(
        user, declaration, text, dry_run=dry_run, collected_by="Baku forum desk"
    )


def test_dry_run_reports_every_bad_row_and_writes_nothing(secretariat, declaration):
    SignatureFactory(
        declaration=declaration, email="online@example.org", country="KE", confirmed=True
    )
    result = run(secretariat, declaration, HEADER + GOOD + BAD, dry_run=True)
    assert result.imported == 0 and result.valid == 3
    problems = [(e.line, e.field) for e in result.errors]
    assert problems == [
        (5, "email"),
        (6, "country"),
        (7, "email"),
        (8, "email"),
        (9, "organisation"),
        (10, "show_name"),
        (11, ""),
    ]
    reasons = {e.line: e.reason for e in result.errors}
    assert reasons[7] == "duplicate of line 2 in this file"
    assert reasons[8] == "this address has already signed"
    assert Signature.objects.count() == 1


def test_import_adds_the_good_rows_as_confirmed_offline_signatures(secretariat, declaration):
    before = declaration_stats(declaration).signatures
    result = run(secretariat, declaration, HEADER + GOOD + BAD, dry_run=False)
    # The three good rows, and "Already Signed" (nobody signed online in this test).
    assert result.imported == 4
    assert declaration_stats(declaration).signatures == before + 4
    karim = Signature.objects.get(email="karim@example.org")
    assert (karim.status, karim.source, karim.collected_by) == (
        "confirmed",
        "offline",
        "Baku forum desk",
    )
    assert karim.show_name is False and karim.organisation_name == "Green Cedars"
    assert Signature.objects.get(email="quoted@example.org").country_id == "BR"


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("wrong,header\nx,y\n", "The first row must be exactly"),
        ("", "The file is empty"),
    ],
)
def test_files_that_cannot_be_read_are_refused_whole(secretariat, declaration, content, message):
    with pytest.raises(ImportRefused, match=message):
        run(secretariat, declaration, content, dry_run=False)
    assert not Signature.objects.exists()


def test_non_utf8_files_are_refused_with_advice():
    with pytest.raises(ImportRefused, match="CSV UTF-8"):
        decode("name\nJosé".encode("latin-1"))
    assert decode("\ufeffname\n".encode()) == "name\n"


def test_too_many_rows_are_refused(secretariat, declaration, settings):
    settings.MAX_IMPORT_ROWS = 5
    rows = "".join(f"P{i},p{i}@example.org,SN,individual,,,yes\n" for i in range(6))
    with pytest.raises(ImportRefused, match="more than 5 rows"):
        run(secretariat, declaration, HEADER + rows, dry_run=False)
    assert not Signature.objects.exists()


def test_a_large_file_imports_in_one_go(secretariat, declaration):
    rows = "".join(
        f"Person {i},p{i}@example.org,{['SN', 'KE', 'BD', 'FJ'][i % 4]},individual,,,yes\n"
        for i in range(5000)
    )
    result = run(secretariat, declaration, HEADER + rows, dry_run=False)
    assert result.imported == 5000 and not result.errors
    assert declaration_stats(declaration).signatures == 5000


def test_only_managers_import(outsider, declaration):
    with pytest.raises(PermissionDenied):
        run(outsider, declaration, HEADER + GOOD, dry_run=False)


def test_closed_declarations_refuse_imports(secretariat, declaration):
    closed = lifecycle.close_declaration(secretariat, declaration)
    with pytest.raises(Refused) as refusal:
        run(secretariat, closed, HEADER + GOOD, dry_run=False)
    assert refusal.value.status == 409 and refusal.value.code == "list_final"
