"""The project report PDF: its managers ask for it, it is built in the background, then
everyone who may see the project downloads the built file; a visitor never starts a build."""

from django.core.files.storage import default_storage

from concord.results.models import Report
from tests.factories.results import UpdateFactory


def page(project) -> str:
    return f"/results/projects/{project.pk}/report/"


def test_a_visitor_gets_the_built_file_and_cannot_start_a_build(
    client, owner, colleague, outsider, project, indicator, django_capture_on_commit_callbacks
):
    _, periods = indicator
    UpdateFactory(user=colleague, approved_by=owner, period=periods[0], value="5")
    assert client.post(page(project)).status_code == 403
    client.force_login(outsider)
    assert client.post(page(project)).status_code == 403
    assert not Report.objects.exists()
    client.logout()
    html = client.get(page(project)).content.decode()
    assert "No report has been prepared yet." in html and "<form" not in html.split("<main")[-1]
    assert client.get(f"/results/projects/{project.pk}/report.pdf")["Location"] == page(project)

    client.force_login(owner)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        assert client.post(page(project)).status_code == 302
    # Until the worker has run, the page says so and refreshes itself (no script needed).
    html = client.get(page(project)).content.decode()
    assert "being prepared" in html and 'http-equiv="refresh"' in html
    for callback in callbacks:
        callback()
    report = Report.objects.get()
    assert report.status == "done", report.error

    client.logout()
    html = client.get(page(project)).content.decode()
    assert report.file.url in html and 'http-equiv="refresh"' not in html
    assert client.get(f"/results/projects/{project.pk}/report.pdf")["Location"] == report.file.url
    response = client.get(report.file.url)
    assert response["Content-Type"] == "application/pdf"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Disposition"].startswith("attachment;")
    assert b"".join(response.streaming_content).startswith(b"%PDF-")


def test_same_content_is_not_rebuilt_and_a_superseded_report_is_deleted(
    client, owner, colleague, project, indicator, django_capture_on_commit_callbacks
):
    _, periods = indicator
    client.force_login(owner)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(page(project))
    first = Report.objects.get()
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        client.post(page(project))
    assert not callbacks and Report.objects.get().pk == first.pk

    UpdateFactory(user=colleague, approved_by=owner, period=periods[0], value="7")
    with django_capture_on_commit_callbacks(execute=True):
        client.post(page(project))
    newer = Report.objects.get()
    assert newer.pk != first.pk and newer.status == "done"
    assert not default_storage.exists(first.file.name)
