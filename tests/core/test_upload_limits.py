"""File parts over MAX_UPLOAD_BYTES are refused while they stream in: 413, the view never runs."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from concord.results.models import Update
from tests.factories.results import IndicatorFactory, ProjectFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def import_page(client, owner, colleague, member_org, settings):
    settings.MAX_UPLOAD_BYTES = 2000
    project = ProjectFactory(user=owner, organisation=member_org)
    _, periods = IndicatorFactory.with_periods(owner, project)
    client.force_login(colleague)
    return f"/results/organisations/{member_org.pk}/import/", periods[0]


def csv_of(period, rows: int) -> bytes:
    return ("period_id,value,narrative\n" + f"{period.pk},4,Planted\n" * rows).encode()


def test_an_oversized_file_part_is_refused_before_the_view(client, import_page):
    url, period = import_page
    big = SimpleUploadedFile("big.csv", csv_of(period, 1000))
    answer = client.post(url, {"file": big})
    assert answer.status_code == 413
    assert "too large" in answer.text
    assert not Update.objects.exists()


def test_a_file_under_the_cap_reaches_the_view(client, import_page):
    url, period = import_page
    small = SimpleUploadedFile("small.csv", csv_of(period, 3))
    assert client.post(url, {"file": small}).status_code == 200
    assert Update.objects.count() == 3


def test_the_api_answers_413_in_json(client, settings):
    settings.MAX_UPLOAD_BYTES = 10
    answer = client.post("/api/v1/partnerships", {"file": SimpleUploadedFile("x.bin", b"x" * 50)})
    assert answer.status_code == 413
    assert "too large" in answer.json()["detail"]
