"""The page and the API import offline signatures through one service, imports.start_import:
the same rule of who may import (403) and when (409, in test_final_list.py), the same job
recorded, the same report. The page's job runs in the background, the API's at once."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from concord.accounts.services import create_api_token
from concord.declarations import imports
from concord.declarations.models import ImportJob, Signature

pytestmark = pytest.mark.django_db

CSV = (
    "name,email,country,kind,organisation,role,show_name\n"
    "Amina Diallo,amina@example.org,SN,individual,,,yes\n"
    "No Address,,KE,individual,,,yes\n"
)


def through_the_api(client, user, declaration, dry_run: bool):
    _, token = create_api_token(user, "test")
    return client.post(
        f"/api/v1/declarations/{declaration.slug}/signatures/import"
        + ("?dry_run=1" if dry_run else "")
        + ("&" if dry_run else "?")
        + "collected_by=Desk",
        CSV,
        content_type="text/csv",
        headers={"Authorization": f"Bearer {token}"},
    )


def through_the_page(client, declaration, dry_run: bool):
    return client.post(
        reverse("declarations:import", args=[declaration.slug]),
        {
            "file": SimpleUploadedFile("paper.csv", CSV.encode()),
            "collected_by": "Desk",
            "action": "check" if dry_run else "import",
        },
    )


def report(job: ImportJob) -> dict:
    return {
        "status": job.status,
        "dry_run": job.dry_run,
        "rows": job.rows_total,
        "valid": job.valid,
        "imported": job.imported,
        "errors": job.errors,
        "collected_by": job.collected_by,
    }


def test_both_record_the_same_job_with_the_same_report(
    client, secretariat, declaration, django_capture_on_commit_callbacks
):
    client.force_login(secretariat)
    with django_capture_on_commit_callbacks(execute=True):
        assert through_the_page(client, declaration, dry_run=True).status_code == 302
    api = through_the_api(client, secretariat, declaration, dry_run=True)
    assert api.status_code == 200
    page_job, api_job = ImportJob.objects.order_by("pk")
    assert report(page_job) == report(api_job)
    assert report(api_job) | {"errors": None} == {
        "status": "done",
        "dry_run": True,
        "rows": 2,
        "valid": 1,
        "imported": 0,
        "errors": None,
        "collected_by": "Desk",
    }
    assert api.json() == {
        "imported": 0,
        "valid": 1,
        "rows": 2,
        "dry_run": True,
        "errors": [{"line": 3, "field": "email", "reason": "Enter a valid email address."}],
    }
    assert api_job.errors == api.json()["errors"]


def test_both_import_the_good_rows_once(
    client, secretariat, declaration, django_capture_on_commit_callbacks
):
    client.force_login(secretariat)
    with django_capture_on_commit_callbacks(execute=True):
        assert through_the_page(client, declaration, dry_run=False).status_code == 302
    assert Signature.objects.filter(source="offline").count() == 1
    api = through_the_api(client, secretariat, declaration, dry_run=False)
    assert api.status_code == 200 and api.json()["imported"] == 0
    assert api.json()["errors"][0]["reason"] == "this address has already signed"
    assert Signature.objects.filter(source="offline").count() == 1


def test_both_refuse_those_who_do_not_manage_the_declaration(client, outsider, declaration):
    client.force_login(outsider)
    assert through_the_page(client, declaration, dry_run=True).status_code == 403
    assert through_the_api(client, outsider, declaration, dry_run=True).status_code == 403
    with pytest.raises(Exception, match="Only the secretariat or the drafting committee"):
        imports.start_import(outsider, declaration, CSV, dry_run=True, collected_by="")
    assert not ImportJob.objects.exists()
