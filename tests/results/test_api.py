"""The results API: projects, framework, updates and review; bad input answers 422 per field
and writes nothing."""

import pytest

from concord.accounts.services import create_api_token
from concord.core.models import AuditEvent
from concord.results.models import Indicator, Period, Project, Result, Update
from tests.factories.results import PROJECT


def bearer(user) -> dict:
    _, token = create_api_token(user, "test")
    return {"HTTP_AUTHORIZATION": f"Bearer {token}"}


def post(client, path, body, user):
    return client.post(path, body, content_type="application/json", **bearer(user))


def fields(response) -> dict[str, str]:
    assert response.status_code == 422, response.content
    return {error["loc"][-1]: error["msg"] for error in response.json()["detail"]}


@pytest.fixture
def api_project(client, colleague, member_org):
    response = post(
        client, "/api/v1/projects", {**PROJECT, "organisation": member_org.pk}, colleague
    )
    assert response.status_code == 201, response.content
    return response.json()


def test_a_representative_creates_and_edits_a_project(client, colleague, api_project):
    assert api_project["budget"] == "120000.5"
    assert api_project["countries"] == [
        {"country": "SN", "percentage": "60"},
        {"country": "GM", "percentage": "40"},
    ]
    assert api_project["partners"][0]["role"] == "1"
    response = client.patch(
        f"/api/v1/projects/{api_project['id']}",
        {"status": "3", "countries": [{"country": "SN", "percentage": 100}]},
        content_type="application/json",
        **bearer(colleague),
    )
    assert response.status_code == 200
    assert response.json()["status"] == "3"
    assert response.json()["countries"] == [{"country": "SN", "percentage": "100"}]
    assert response.json()["title"] == PROJECT["title"]


@pytest.mark.parametrize(
    ("change", "field", "message"),
    [
        ({"budget": "12,x"}, "budget", "valid decimal"),
        ({"budget": -5}, "budget", "negative"),
        ({"budget": "10.125"}, "budget", "at most 2 decimal places"),
        ({"currency": ""}, "currency", "Give the currency"),
        ({"currency": "ABC"}, "currency", "ISO 4217"),
        ({"planned_end": "2024-01-01"}, "planned_end", "before the start"),
        ({"countries": [{"country": "SN", "percentage": 120}]}, "countries", "at most 100"),
        ({"countries": [{"country": "SN", "percentage": 50}]}, "countries", "add up to 50"),
        ({"iati_identifier": "XM-OTHER-1"}, "iati_identifier", "SN-NINEA-0012345-"),
        ({"sdg_targets": ["19.1"]}, "sdg_targets", "not an SDG target"),
        ({"partners": [{"name": "X", "role": "9"}]}, "partners", "role"),
        ({"title": "<b>Hi</b>"}, "title", "HTML"),
        ({"countries": []}, "countries", "at least one country"),
    ],
)
def test_bad_project_input_is_refused_per_field_and_nothing_is_stored(
    client, colleague, member_org, change, field, message
):
    response = post(
        client, "/api/v1/projects", {**PROJECT, "organisation": member_org.pk, **change}, colleague
    )
    assert message in fields(response)[field]
    assert not Project.objects.exists()
    assert not AuditEvent.objects.filter(action="project.created").exists()


def test_an_outsider_may_not_create_or_edit(client, outsider, member_org, api_project):
    response = post(
        client, "/api/v1/projects", {**PROJECT, "organisation": member_org.pk}, outsider
    )
    assert response.status_code == 403
    response = client.patch(
        f"/api/v1/projects/{api_project['id']}", {"title": "Mine"},
        content_type="application/json", **bearer(outsider),
    )  # fmt: skip
    assert response.status_code == 403
    assert Project.objects.get().title == PROJECT["title"]


def build_framework(client, user, project_id):
    result = post(
        client, f"/api/v1/projects/{project_id}/results", {"kind": "1", "title": "Trained"}, user
    )
    assert result.status_code == 201, result.content
    indicator = post(
        client, f"/api/v1/projects/{project_id}/results/{result.json()['id']}/indicators",
        {"shared": "people-trained", "cumulative": False, "baseline_year": 2024}, user,
    )  # fmt: skip
    assert indicator.status_code == 201, indicator.content
    assert indicator.json()["title"] == "People trained in climate adaptation"
    period = post(
        client, f"/api/v1/projects/{project_id}/indicators/{indicator.json()['id']}/periods",
        {"start": "2025-01-01", "end": "2025-06-30", "target": 200}, user,
    )  # fmt: skip
    assert period.status_code == 201, period.content
    return indicator.json()["id"], period.json()["id"]


def test_periods_may_not_overlap_or_end_before_they_start(client, colleague, api_project):
    pid = api_project["id"]
    indicator_id, _ = build_framework(client, colleague, pid)
    path = f"/api/v1/projects/{pid}/indicators/{indicator_id}/periods"
    overlapping = post(client, path, {"start": "2025-06-01", "end": "2025-12-31"}, colleague)
    assert "overlaps" in fields(overlapping)["start"]
    backwards = post(client, path, {"start": "2025-12-31", "end": "2025-07-01"}, colleague)
    assert "before the start" in fields(backwards)["end"]
    negative = post(
        client, path, {"start": "2026-01-01", "end": "2026-06-30", "target": -1}, colleague
    )
    assert "negative" in fields(negative)["target"]
    assert Period.objects.count() == 1


def test_update_flow_submit_twice_refused_self_approval_refused(
    client, owner, colleague, outsider, api_project
):
    pid = api_project["id"]
    _, period_id = build_framework(client, colleague, pid)
    updates = f"/api/v1/projects/{pid}/periods/{period_id}/updates"
    bad = post(client, updates, {"value": "lots"}, colleague)
    assert bad.status_code == 422
    negative = post(client, updates, {"value": -3}, colleague)
    assert "negative" in fields(negative)["value"]
    assert not Update.objects.exists()

    draft = post(client, updates, {"value": 120, "narrative": "Two sessions",
                                   "disaggregations": {"sex": {"female": 70, "male": 50}}}, colleague)  # fmt: skip
    assert draft.status_code == 201 and draft.json()["status"] == "draft"
    assert draft.json()["incomplete"] is False
    uid = draft.json()["id"]
    assert (
        post(client, f"/api/v1/projects/{pid}/updates/{uid}/submit", {}, colleague).json()["status"]
        == "submitted"
    )
    twice = post(client, f"/api/v1/projects/{pid}/updates/{uid}/submit", {}, colleague)
    assert twice.status_code == 409 and "already been submitted" in twice.json()["detail"]

    # The public sees no unapproved update; an outsider may not approve.
    assert client.get(updates).json() == []
    assert (
        post(client, f"/api/v1/projects/{pid}/updates/{uid}/approve", {}, outsider).status_code
        == 404
    )
    # A representative (not an admin) may not approve either.
    assert (
        post(client, f"/api/v1/projects/{pid}/updates/{uid}/approve", {}, colleague).status_code
        == 403
    )

    approved = post(client, f"/api/v1/projects/{pid}/updates/{uid}/approve", {}, owner)
    assert approved.status_code == 200 and approved.json()["status"] == "approved"
    results = client.get(f"/api/v1/projects/{pid}/results").json()
    assert results[0]["indicators"][0]["periods"][0]["actual"] == "120"

    # The admin's own update: another admin must approve it.
    own = post(client, updates, {"value": 5, "submit": True}, owner)
    refused = post(client, f"/api/v1/projects/{pid}/updates/{own.json()['id']}/approve", {}, owner)
    assert refused.status_code == 403 and "another admin" in refused.json()["detail"]
    assert Update.objects.get(pk=own.json()["id"]).status == "submitted"


def test_returned_update_carries_the_comment_and_does_not_count(
    client, owner, colleague, api_project
):
    pid = api_project["id"]
    _, period_id = build_framework(client, colleague, pid)
    update = post(client, f"/api/v1/projects/{pid}/periods/{period_id}/updates",
                  {"value": 80, "submit": True, "disaggregations": {"sex": {"female": 10}}}, colleague)  # fmt: skip
    assert update.json()["incomplete"] is True
    uid = update.json()["id"]
    empty = post(client, f"/api/v1/projects/{pid}/updates/{uid}/return", {"comment": " "}, owner)
    assert empty.status_code == 422
    returned = post(
        client, f"/api/v1/projects/{pid}/updates/{uid}/return", {"comment": "Add the list"}, owner
    )
    assert returned.json()["status"] == "returned"
    assert returned.json()["review_comment"] == "Add the list"
    assert Period.objects.get().actual is None


def test_unknown_categories_and_shared_indicators_are_refused(client, colleague, api_project):
    pid = api_project["id"]
    _, period_id = build_framework(client, colleague, pid)
    bad = post(client, f"/api/v1/projects/{pid}/periods/{period_id}/updates",
               {"value": 1, "disaggregations": {"colour": {"blue": 1}}}, colleague)  # fmt: skip
    assert "Unknown dimension" in fields(bad)["disaggregations"]
    result_id = Result.objects.get().pk
    unknown = post(
        client,
        f"/api/v1/projects/{pid}/results/{result_id}/indicators",
        {"shared": "nope"},
        colleague,
    )
    assert "Unknown shared indicator" in fields(unknown)["shared"]
    assert Indicator.objects.count() == 1


def test_iati_identifiers_are_unique_and_keep_their_prefix(
    client, colleague, member_org, api_project
):
    again = post(client, "/api/v1/projects", {**PROJECT, "organisation": member_org.pk}, colleague)
    assert "already has this IATI identifier" in fields(again)["iati_identifier"]
    moved = client.patch(
        f"/api/v1/projects/{api_project['id']}",
        {"organisation_iati_ref": "SN-RCCM-77", "iati_identifier": "SN-RCCM-77-MB01"},
        content_type="application/json", **bearer(colleague),
    )  # fmt: skip
    assert moved.status_code == 200  # the only project moves with its organisation
    second = post(
        client, "/api/v1/projects",
        {**PROJECT, "organisation": member_org.pk, "organisation_iati_ref": "",
         "iati_identifier": "SN-RCCM-77-MB02"}, colleague,
    )  # fmt: skip
    assert second.status_code == 201
    refused = post(
        client, "/api/v1/projects",
        {**PROJECT, "organisation": member_org.pk, "organisation_iati_ref": "SN-OTHER-1",
         "iati_identifier": ""}, colleague,
    )  # fmt: skip
    assert "SN-RCCM-77-" in fields(refused)["organisation_iati_ref"]


def test_evidence_is_attached_through_the_api_and_checked_by_content(
    client, colleague, api_project
):
    pid = api_project["id"]
    _, period_id = build_framework(client, colleague, pid)
    draft = post(
        client, f"/api/v1/projects/{pid}/periods/{period_id}/updates", {"value": 3}, colleague
    )
    path = f"/api/v1/projects/{pid}/updates/{draft.json()['id']}/evidence"
    from django.core.files.uploadedfile import SimpleUploadedFile

    register = b"%PDF-1.7 register\n%%EOF\n"
    ok = client.post(path, {"file": SimpleUploadedFile("r.pdf", register)}, **bearer(colleague))
    assert ok.status_code == 200, ok.content
    assert ok.json()["evidence"] == [
        {"name": "r.pdf", "content_type": "application/pdf", "size": len(register)}
    ]
    fake = client.post(
        path, {"file": SimpleUploadedFile("x.pdf", b"<script>")}, **bearer(colleague)
    )
    assert "not a PDF or an image" in fields(fake)["evidence"]
