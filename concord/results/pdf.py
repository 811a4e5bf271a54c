"""A project's report as a PDF (WeasyPrint), built in the background (`build_report`).

A manager asks for it (`services/reports.request_report`); everyone who may see the project
downloads the built file. The same content gives the same file: the report's HTML without
its build time is hashed into `Report.content_key`, and a report with that key is reused.
Once a newer report is built, the older files of that project and language are deleted.
The URL fetcher refuses every URL, so building a PDF never makes a network request.
"""

import hashlib

from django.core.files.base import ContentFile
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django_tasks import task

from concord.core.files import PDF, keep_newest_built, stored_name
from concord.core.pdf import html_to_pdf
from concord.results.models import Project, Report
from concord.results.queries import framework


def report_html(project: Project, language: str, generated_at) -> str:
    with translation.override(language):
        return render_to_string(
            "results/report_pdf.html",
            {
                "project": project,
                "results": framework(project, with_unapproved=False),
                "generated_at": generated_at,
                "language": language,
            },
        )


def content_key(project: Project, language: str) -> str:
    """What the report would hold now, build time aside."""
    return hashlib.sha256(report_html(project, language, None).encode()).hexdigest()


def project_report(project: Project, language: str) -> bytes:
    return html_to_pdf(report_html(project, language, timezone.now()))


@task()
def build_report(report_id: int) -> None:
    """The background task: build one report (see `build`); safe to run again."""
    build(report_id)


def build(report_id: int) -> None:
    report = Report.objects.select_related("project__organisation").filter(pk=report_id).first()
    if report is None or report.status == Report.Status.DONE:
        return
    Report.objects.filter(pk=report_id).update(status=Report.Status.RUNNING, error="")
    try:
        document = project_report(report.project, report.language)
    except Exception as error:
        Report.objects.filter(pk=report_id).update(
            status=Report.Status.FAILED, error=str(error)[:2000]
        )
        raise
    report.refresh_from_db()
    report.file.save(stored_name(PDF), ContentFile(document), save=False)
    report.status, report.finished_at = Report.Status.DONE, timezone.now()
    report.save()
    delete_superseded(report.project_id, report.language)


def delete_superseded(project_id: int, language: str) -> None:
    """Keep only the newest built report of a project in a language (and any being built)."""
    keep_newest_built(
        Report.objects.filter(project_id=project_id, language=language),
        done=Report.Status.DONE,
        busy=[Report.Status.QUEUED, Report.Status.RUNNING],
    )
