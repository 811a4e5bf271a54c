"""Asking for a project's PDF report: only its managers may, a report with the same content
is reused rather than rebuilt, and the build runs in the background (`pdf.build_report`)."""

from datetime import timedelta

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from concord.results import pdf, permissions
from concord.results.models import Project, Report

# A build not finished after this long is taken as lost (its worker died); a new one may start.
REPORT_STALE = timedelta(minutes=30)


def request_report(user, project: Project, language: str) -> Report:
    if not permissions.can_request_report(user, project):
        raise PermissionDenied(_("Only the project's organisation prepares its report."))
    key = pdf.content_key(project, language)
    with transaction.atomic():
        Project.objects.select_for_update().filter(pk=project.pk).first()
        same = (
            Report.objects.filter(project=project, language=language, content_key=key)
            .filter(
                Q(status=Report.Status.DONE)
                | Q(
                    status__in=[Report.Status.QUEUED, Report.Status.RUNNING],
                    created_at__gte=timezone.now() - REPORT_STALE,
                )
            )
            .first()
        )
        if same is not None:
            return same
        report = Report.objects.create(
            project=project, language=language, content_key=key, requested_by=user
        )
        transaction.on_commit(lambda: pdf.build_report.enqueue(report.pk))
    return report
