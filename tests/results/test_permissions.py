"""Who may do what, with the personas: owner (admin), colleague (representative), outsider,
secretariat; and the projects of an organisation that is not (yet) a member."""

import pytest
from django.core.exceptions import PermissionDenied

from concord.results import permissions
from concord.results.models import Project
from concord.results.services import projects, updates
from tests.factories.results import PROJECT, IndicatorFactory, ProjectFactory, UpdateFactory


def test_personas_on_a_member_project(owner, colleague, outsider, secretariat, project):
    assert permissions.can_view_project(outsider, project)
    assert permissions.can_edit_project(owner, project)
    assert permissions.can_edit_project(colleague, project)
    assert not permissions.can_edit_project(outsider, project)
    assert not permissions.can_edit_project(secretariat, project)
    assert permissions.can_see_unapproved(secretariat, project)
    assert not permissions.can_see_unapproved(outsider, project)
    assert permissions.is_reviewer(owner, project)
    assert not permissions.is_reviewer(colleague, project)
    assert not permissions.is_reviewer(secretariat, project)


def test_the_secretariat_does_not_approve_for_an_organisation(
    owner, colleague, secretariat, indicator
):
    _, periods = indicator
    update = updates.save_update(colleague, periods[0], {"value": "3", "submit": True})
    with pytest.raises(PermissionDenied):
        updates.approve_update(secretariat, update)


def test_an_applicant_may_not_add_projects_until_it_is_a_member(owner, pending_org):
    with pytest.raises(PermissionDenied):
        projects.create_project(owner, pending_org, PROJECT)
    assert not Project.objects.exists()


def test_a_project_of_a_former_member_is_hidden_from_the_public(
    client, owner, outsider, secretariat, member_org, project
):
    member_org.status = "rejected"
    member_org.save()
    assert client.get(f"/results/projects/{project.pk}/").status_code == 404
    assert client.get(f"/api/v1/projects/{project.pk}").status_code == 404
    client.force_login(secretariat)
    assert client.get(f"/results/projects/{project.pk}/").status_code == 200


def test_drafts_stay_inside_the_organisation(client, owner, colleague, outsider, indicator):
    _, periods = indicator
    draft = updates.save_update(colleague, periods[0], {"value": "3"})
    client.force_login(outsider)
    assert client.get(f"/results/updates/{draft.pk}/").status_code == 404
    client.force_login(owner)
    assert client.get(f"/results/updates/{draft.pk}/").status_code == 200


@pytest.mark.parametrize("rows", [1, 3])
def test_platform_totals_cost_the_same_queries_for_one_or_many_projects(
    client, owner, colleague, member_org, rows, query_count
):
    first = ProjectFactory(user=owner, organisation=member_org)
    _, periods = IndicatorFactory.with_periods(owner, first)
    UpdateFactory(user=colleague, approved_by=owner, period=periods[0], value="5")
    for n in range(rows - 1):
        project = ProjectFactory(
            user=owner, organisation=member_org, title=f"P{n}", iati_identifier=""
        )
        _, periods = IndicatorFactory.with_periods(owner, project)
        UpdateFactory(user=colleague, approved_by=owner, period=periods[0], value="5")
    with query_count(5):
        body = client.get("/api/v1/results/summary").json()
    total = next(i for i in body["indicators"] if i["slug"] == "hectares-restored")["total"]
    assert total == str(5 * rows)
