"""A project's report as a PDF (WeasyPrint), built on request: it is one project, small.

The URL fetcher refuses every URL, so building a PDF never makes a network request.
"""

from django.template.loader import render_to_string
from django.utils import timezone, translation

from concord.core.pdf import html_to_pdf
from concord.results.models import Project
from concord.results.queries import framework


def project_report(project: Project, language: str) -> bytes:
    with translation.override(language):
        html = render_to_string(
            "results/report_pdf.html",
            {
                "project": project,
                "results": framework(project, with_unapproved=False),
                "generated_at": timezone.now(),
                "language": language,
            },
        )
    return html_to_pdf(html)
