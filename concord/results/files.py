"""Who may download a project's files (served by `core/files.py`): an update's evidence is
public once the update is approved on a member's project, else only for the organisation's
people and the secretariat; a built report goes with the project."""

from concord.core.files import PDF, Served, download_name
from concord.results import permissions
from concord.results.models import Evidence, Report, Update


def resolve_evidence(name: str) -> Served | None:
    item = (
        Evidence.objects.filter(file=name)
        .select_related("update__period__indicator__result__project__organisation")
        .first()
    )
    if item is None:
        return None
    update = item.update
    project = update.period.indicator.result.project
    approved = update.status == Update.Status.APPROVED
    return Served(
        content_type=item.content_type,
        filename=download_name(item.name, item.content_type),
        public=approved and project.organisation.is_member,
        may_see=lambda user: (
            permissions.can_view_project(user, project)
            and (approved or permissions.can_see_unapproved(user, project))
        ),
    )


def resolve_report(name: str) -> Served | None:
    report = Report.objects.filter(file=name).select_related("project__organisation").first()
    if report is None:
        return None
    project = report.project
    return Served(
        content_type=PDF,
        filename=f"project-{project.pk}-{report.language}.pdf",
        public=project.organisation.is_member,
        may_see=lambda user: permissions.can_view_project(user, project),
    )
