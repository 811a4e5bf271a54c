"""The updates import template: titles typed by people are spreadsheet-safe cells."""

import csv
import io

import pytest

from concord.results.models import Project
from tests.factories.results import IndicatorFactory, ProjectFactory

pytestmark = pytest.mark.django_db


def test_titles_in_the_template_are_not_run_as_formulas(client, owner, colleague, member_org):
    project = ProjectFactory(user=owner, organisation=member_org)
    Project.objects.filter(pk=project.pk).update(title="=1+2")
    indicator, _periods = IndicatorFactory.with_periods(owner, project)
    type(indicator).objects.filter(pk=indicator.pk).update(title="@SUM(A1:A9)")
    client.force_login(colleague)
    template = client.get(f"/results/organisations/{member_org.pk}/import/?template=1")
    rows = list(csv.reader(io.StringIO(template.content.decode())))
    assert rows[1][5:7] == ["'=1+2", "'@SUM(A1:A9)"]
