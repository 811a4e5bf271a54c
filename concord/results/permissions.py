"""Who may do what with projects and their results: every rule in one place.

Projects of member organisations are public, with their approved figures. The organisation's
people (admins and representatives) plan projects and report updates; only an admin of the
organisation approves or returns an update, and never one they wrote themselves.
"""

from concord.organisations.models import Representative
from concord.organisations.permissions import is_secretariat, role_in
from concord.results.models import Project, Update


def can_create_project(user, organisation) -> bool:
    return organisation.is_member and role_in(user, organisation) is not None


def can_view_project(user, project: Project) -> bool:
    if project.organisation.is_member:
        return True
    return is_secretariat(user) or role_in(user, project.organisation) is not None


def can_edit_project(user, project: Project) -> bool:
    return can_create_project(user, project.organisation)


def can_report(user, project: Project) -> bool:
    """May write and submit updates of the project's indicators."""
    return can_edit_project(user, project)


def can_request_report(user, project: Project) -> bool:
    """May ask for a new PDF report (a build costs time, so not every visitor may start one)."""
    return is_secretariat(user) or can_edit_project(user, project)


def can_see_unapproved(user, project: Project) -> bool:
    return is_secretariat(user) or role_in(user, project.organisation) is not None


def is_reviewer(user, project: Project) -> bool:
    """An admin of the project's organisation (whether or not they wrote a given update)."""
    return (
        project.organisation.is_member
        and role_in(user, project.organisation) == Representative.Role.ADMIN
    )


def can_review(user, update: Update) -> bool:
    project = update.period.indicator.result.project
    return is_reviewer(user, project) and update.author_id != user.pk


def can_manage_shared_indicators(user) -> bool:
    return is_secretariat(user)
