"""Indicator updates from a CSV: a dry run lists every bad row; the import stores the good
rows, submitted, in one transaction."""

from concord.core.imports import ImportRefused
from concord.results import imports
from concord.results.models import Update
from tests.factories.accounts import UserFactory
from tests.factories.organisations import OrganisationFactory
from tests.factories.results import IndicatorFactory, ProjectFactory


def csv_for(periods, other_period) -> str:
    return (
        "period_id,value,narrative,female,male,project\n"
        f"{periods[0].pk},40,First quarter,20,20,ignored\n"
        f"{periods[1].pk},abc,Bad number,,,\n"
        f"{periods[1].pk},-4,Negative,,,\n"
        f"{other_period.pk},5,Not ours,,,\n"
        f"999999,5,Unknown period,,,\n"
        f"{periods[1].pk},12,Second,5,5,\n"
    )


def test_dry_run_reports_every_bad_row_then_import_stores_the_good_ones(
    client, owner, colleague, member_org
):
    project = ProjectFactory(user=owner, organisation=member_org)
    _, periods = IndicatorFactory.with_periods(owner, project)
    stranger = UserFactory(email="stranger@example.org")
    other_org = OrganisationFactory(name="Other", admin=stranger)
    other = ProjectFactory(
        user=stranger, organisation=other_org, organisation_iati_ref="", iati_identifier=""
    )
    _, other_periods = IndicatorFactory.with_periods(stranger, other)
    text = csv_for(periods, other_periods[0])

    result = imports.import_updates(colleague, member_org, text, dry_run=True)
    assert (result.rows, result.valid, result.imported) == (6, 2, 0)
    assert [(e.line, e.field) for e in result.errors] == [
        (3, "value"), (4, "value"), (5, "period_id"), (6, "period_id"),
    ]  # fmt: skip
    assert not Update.objects.exists()

    result = imports.import_updates(colleague, member_org, text, dry_run=False)
    assert result.imported == 2
    updates = list(Update.objects.order_by("pk"))
    assert [(u.value, u.status, u.incomplete) for u in updates] == [
        (40, "submitted", False),
        (12, "submitted", True),  # 5 + 5 ≠ 12
    ]


def test_the_import_page_shows_line_field_and_reason(client, owner, colleague, member_org):
    project = ProjectFactory(user=owner, organisation=member_org)
    _, periods = IndicatorFactory.with_periods(owner, project)
    client.force_login(colleague)
    template = client.get(f"/results/organisations/{member_org.pk}/import/?template=1")
    assert template.content.decode().splitlines()[1].startswith(f"{periods[0].pk},")
    from django.core.files.uploadedfile import SimpleUploadedFile

    upload = SimpleUploadedFile(
        "u.csv", f"period_id,value,narrative\n{periods[0].pk},x,\n".encode()
    )
    page = client.post(
        f"/results/organisations/{member_org.pk}/import/", {"file": upload, "dry_run": "on"}
    )
    html = page.content.decode()
    assert "<td>2</td><td>value</td>" in html


def test_a_file_without_the_columns_is_refused_whole(colleague, member_org):
    import pytest

    with pytest.raises(ImportRefused):
        imports.import_updates(colleague, member_org, "name,email\nx,y\n", dry_run=True)


def test_an_outsider_may_not_import(outsider, member_org):
    import pytest
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        imports.import_updates(outsider, member_org, "period_id,value,narrative\n", dry_run=True)


def test_the_page_and_the_service_decode_the_file_the_same_way(client, colleague, member_org):
    import pytest
    from django.core.files.uploadedfile import SimpleUploadedFile

    latin1 = "period_id,value,narrative\n1,2,Récolte\n".encode("latin-1")
    with pytest.raises(ImportRefused) as refusal:
        imports.import_updates(colleague, member_org, latin1, dry_run=True)
    client.force_login(colleague)
    page = client.post(
        f"/results/organisations/{member_org.pk}/import/",
        {"file": SimpleUploadedFile("u.csv", latin1), "dry_run": "on"},
    )
    assert "CSV UTF-8" in str(refusal.value) and "CSV UTF-8" in page.content.decode()
    assert not Update.objects.exists()


def test_the_import_page_counts_one_row_and_one_update_in_the_singular(
    client, owner, colleague, member_org
):
    from django.core.files.uploadedfile import SimpleUploadedFile

    project = ProjectFactory(user=owner, organisation=member_org)
    _, periods = IndicatorFactory.with_periods(owner, project)
    client.force_login(colleague)
    url = f"/results/organisations/{member_org.pk}/import/"

    def send(**extra):
        upload = SimpleUploadedFile(
            "u.csv", f"period_id,value,narrative\n{periods[0].pk},4,\n".encode()
        )
        return client.post(url, {"file": upload, **extra}).content.decode()

    checked = send(dry_run="on")
    assert "Checked 1 row: 1 can be imported." in checked and "1 rows" not in checked
    imported = send()
    assert "1 update imported." in imported and "1 updates" not in imported
