"""One rule for what an update's state allows (`Update.is_editable`, `Update.awaits_review`):
the page and the API refuse the same move with the same status, 409, and change nothing; a
missing right is 403 on both."""

from django.core.files.uploadedfile import SimpleUploadedFile

from concord.accounts.services import create_api_token
from concord.core.models import AuditEvent
from concord.results.models import Evidence, Update
from concord.results.services import updates
from tests.factories.results import UpdateFactory


def bearer(user) -> dict:
    _, token = create_api_token(user, "test")
    return {"HTTP_AUTHORIZATION": f"Bearer {token}"}


def api_post(client, path, headers):
    return client.post(path, content_type="application/json", **headers)


def snapshot(update: Update) -> tuple:
    update.refresh_from_db()
    return (
        update.status,
        update.value,
        update.narrative,
        Evidence.objects.count(),
        AuditEvent.objects.count(),
    )


def test_an_approved_update_cannot_change_on_the_page_or_through_the_api(
    client, owner, colleague, project, indicator
):
    _, periods = indicator
    update = UpdateFactory(user=colleague, approved_by=owner, period=periods[0], value="42")
    assert not update.is_editable
    token = bearer(colleague)
    before = snapshot(update)
    client.force_login(colleague)

    page = client.get(f"/results/updates/{update.pk}/edit/")
    assert page.status_code == 409
    assert "it can no longer be changed" in page.content.decode()
    posted = client.post(
        f"/results/updates/{update.pk}/edit/", {"value": "99", "narrative": "Changed"}
    )
    assert posted.status_code == 409
    assert "it can no longer be changed" in posted.content.decode()
    submitted = client.post(f"/results/updates/{update.pk}/submit/")
    assert submitted.status_code == 409
    assert "already been submitted" in submitted.content.decode()

    base = f"/api/v1/projects/{project.pk}/updates/{update.pk}"
    evidence = client.post(
        f"{base}/evidence",
        {"file": SimpleUploadedFile("r.pdf", b"%PDF-1.7 register")},
        **token,
    )
    assert evidence.status_code == 409
    assert "it can no longer be changed" in evidence.json()["detail"]
    again = api_post(client, f"{base}/submit", token)
    assert again.status_code == 409
    assert "already been submitted" in again.json()["detail"]

    assert snapshot(update) == before


def test_only_a_submitted_update_is_reviewed_on_the_page_and_through_the_api(
    client, owner, colleague, project, indicator
):
    _, periods = indicator
    draft = updates.save_update(colleague, periods[0], {"value": "7"})
    assert not draft.awaits_review
    token = bearer(owner)
    before = snapshot(draft)
    client.force_login(owner)

    page = client.post(f"/results/updates/{draft.pk}/approve/")
    assert page.status_code == 409
    assert "Only a submitted update can be reviewed." in page.content.decode()
    api = api_post(client, f"/api/v1/projects/{project.pk}/updates/{draft.pk}/approve", token)
    assert api.status_code == 409
    assert api.json()["detail"] == "Only a submitted update can be reviewed."

    assert snapshot(draft) == before


def test_the_author_may_not_review_their_own_update_on_the_page_or_through_the_api(
    client, owner, project, indicator
):
    _, periods = indicator
    own = updates.save_update(owner, periods[0], {"value": "5", "submit": True})
    token = bearer(owner)
    before = snapshot(own)
    client.force_login(owner)

    assert client.post(f"/results/updates/{own.pk}/approve/").status_code == 403
    api = api_post(client, f"/api/v1/projects/{project.pk}/updates/{own.pk}/approve", token)
    assert api.status_code == 403 and "another admin" in api.json()["detail"]

    assert snapshot(own) == before
