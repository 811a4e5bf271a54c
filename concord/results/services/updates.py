"""An update of an indicator: its figures (one rule set for the form, the API and the CSV
import), its submission and review, and the period's actual from the approved updates."""

from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from concord.core.audit import log_event
from concord.core.checks import Errors, decimal, text
from concord.core.emails import page_url, queue_email
from concord.core.errors import wrong_state
from concord.organisations.models import Representative
from concord.results import permissions
from concord.results.models import MAX_VALUE, Disaggregation, Indicator, Period, Update
from concord.results.services import evidence


def _check_disaggregations(
    value: Decimal | None, data: dict[str, dict[str, Any]] | None, errors: Errors
) -> tuple[list[tuple[str, str, Decimal]], bool]:
    """Rows to store, and whether the update is incomplete: a dimension whose categories do
    not add up to the value."""
    rows: list[tuple[str, str, Decimal]] = []
    incomplete = False
    for dimension, values in (data or {}).items():
        categories = Disaggregation.DIMENSIONS.get(dimension)
        if categories is None or not isinstance(values, dict):
            errors.add(
                "disaggregations",
                _("Unknown dimension “%(name)s”.") % {"name": str(dimension)[:20]},
            )
            continue
        given = []
        for category, raw in values.items():
            if category not in categories:
                errors.add(
                    "disaggregations",
                    _("Unknown category “%(name)s”.") % {"name": str(category)[:20]},
                )
                continue
            number = decimal(errors, "disaggregations", raw, maximum=MAX_VALUE)
            if number is not None:
                given.append((dimension, category, number))
        if given:
            rows.extend(given)
            if value is None or sum((n for _, _, n in given), Decimal(0)) != value:
                incomplete = True
    return rows, incomplete


def check_update_input(
    period: Period, data: dict[str, Any]
) -> tuple[Decimal | None, str, list[tuple[str, str, Decimal]], bool]:
    """The one rule set for an update's figures (form, API, CSV import): value, narrative,
    disaggregation rows, and whether the disaggregations leave it incomplete."""
    indicator = period.indicator
    errors = Errors()
    value = decimal(errors, "value", data.get("value"), maximum=MAX_VALUE)
    if indicator.quantitative and value is None and "value" not in errors:
        errors.add("value", _("Give the value achieved."))
    if indicator.measure == Indicator.Measure.PERCENTAGE and value is not None and value > 100:
        errors.add("value", _("A percentage is between 0 and 100."))
    if not indicator.quantitative:
        value = None
    narrative = text(errors, "narrative", data.get("narrative"), limit=5000, plain=False)
    if not indicator.quantitative and not narrative:
        errors.add("narrative", _("Describe what was achieved."))
    rows, incomplete = _check_disaggregations(value, data.get("disaggregations"), errors)
    errors.raise_if_any()
    return value, narrative, rows, incomplete


def check_editable(update: Update) -> None:
    """Refuse (409) a change to an update that is no longer editable (`Update.is_editable`):
    the pages, the API and the services all ask this one question."""
    if not update.is_editable:
        raise wrong_state(
            _("This update has been submitted; it can no longer be changed."), code="not_editable"
        )


def save_update(
    user, period: Period, data: dict[str, Any], files=(), update: Update | None = None
) -> Update:
    """Write a draft update (or change a draft or returned one); `submit` sends it on."""
    project = period.indicator.result.project
    if not permissions.can_report(user, project):
        raise PermissionDenied(_("Only the organisation's people report on its projects."))
    if update is not None:
        check_editable(update)
    value, narrative, rows, incomplete = check_update_input(period, data)
    attached = evidence.check_evidence(list(files))
    with transaction.atomic():
        if update is None:
            update = Update(period=period, author=user)
        else:
            # Checked again under the lock: a review may have begun since the page was read.
            check_editable(Update.objects.select_for_update().get(pk=update.pk))
        update.value, update.narrative, update.incomplete = value, narrative, incomplete
        update.save()
        if data.get("disaggregations") is not None:
            update.disaggregations.all().delete()
            Disaggregation.objects.bulk_create(
                Disaggregation(update=update, dimension=d, category=c, value=v) for d, c, v in rows
            )
        evidence.store_evidence(update, attached)
        log_event("update.saved", project, actor=user, update=update.pk)
        if data.get("submit"):
            _submit(user, update)
    return update


def add_evidence(user, update: Update, files) -> Update:
    """Attach files to a draft or returned update (checked by content and size)."""
    project = update.period.indicator.result.project
    if not permissions.can_report(user, project):
        raise PermissionDenied(_("Only the organisation's people report on its projects."))
    check_editable(update)
    checked = evidence.check_evidence(list(files))
    if update.evidence.count() + len(checked) > evidence.EVIDENCE_MAX_FILES:
        raise ValidationError({"evidence": [evidence.too_many_files()]})
    with transaction.atomic():
        evidence.store_evidence(update, checked)
        log_event("update.evidence_added", update, actor=user, count=len(checked))
    return update


def _submit(user, update: Update) -> None:
    locked = Update.objects.select_for_update().get(pk=update.pk)
    if not locked.is_editable:
        raise wrong_state(_("This update has already been submitted."), code="submitted")
    update.status, update.submitted_at = Update.Status.SUBMITTED, timezone.now()
    update.save(update_fields=["status", "submitted_at"])
    log_event("update.submitted", update, actor=user)
    project = update.period.indicator.result.project
    admins = (
        Representative.objects.filter(
            organisation=project.organisation_id, role=Representative.Role.ADMIN
        )
        .exclude(user=user)
        .select_related("user")
    )
    for admin in admins:
        queue_email(
            key=f"update.submitted:{update.pk}:{admin.user_id}:{update.submitted_at.isoformat()}",
            to=admin.user,
            template="results/emails/update_submitted",
            context={"update": update, "project": project, "author": user, "url": _link(update)},
        )


def _link(update: Update) -> str:
    return page_url("results:update", update.pk)


def _tell_author(update: Update) -> None:
    author = update.author
    if author is None or not author.email:
        return
    queue_email(
        key=f"update.{update.status}:{update.pk}:{update.reviewed_at}",
        to=author,
        template="results/emails/update_reviewed",
        context={
            "update": update,
            "project": update.period.indicator.result.project,
            "approved": update.status == Update.Status.APPROVED,
            "url": _link(update),
        },
    )


def submit_update(user, update: Update) -> Update:
    if not permissions.can_report(user, update.period.indicator.result.project):
        raise PermissionDenied(_("Only the organisation's people report on its projects."))
    with transaction.atomic():
        _submit(user, update)
    return update


def _review(user, update: Update) -> Update:
    project = update.period.indicator.result.project
    if not permissions.is_reviewer(user, project):
        raise PermissionDenied(_("Only an admin of the organisation reviews its updates."))
    if update.author_id == user.pk:
        raise PermissionDenied(
            _("You wrote this update: another admin of the organisation reviews it.")
        )
    locked = Update.objects.select_for_update().get(pk=update.pk)
    if not locked.awaits_review:
        raise wrong_state(_("Only a submitted update can be reviewed."), code="not_submitted")
    return locked


def compute_actual(indicator: Indicator, approved: list[Update]) -> Decimal | None:
    """A period's actual from its approved updates (in the order they were written): the
    latest value when the indicator is cumulative, else their sum. None when there is none."""
    values = [u.value for u in approved if u.value is not None]
    if not values or not indicator.quantitative:
        return None
    return values[-1] if indicator.cumulative else sum(values, Decimal(0))


def refresh_actual(period: Period) -> Decimal | None:
    approved = list(
        period.updates.filter(status=Update.Status.APPROVED).order_by("created_at", "pk")
    )
    period.actual = compute_actual(period.indicator, approved)
    Period.objects.filter(pk=period.pk).update(actual=period.actual)
    return period.actual


def approve_update(user, update: Update) -> Update:
    with transaction.atomic():
        locked = _review(user, update)
        Period.objects.select_for_update().filter(pk=locked.period_id).first()
        locked.status, locked.reviewed_by, locked.reviewed_at = (
            Update.Status.APPROVED,
            user,
            timezone.now(),
        )
        locked.review_comment = ""
        locked.save(update_fields=["status", "reviewed_by", "reviewed_at", "review_comment"])
        refresh_actual(update.period)
        log_event("update.approved", locked, actor=user, value=str(locked.value))
        _tell_author(locked)
    update.refresh_from_db()
    return update


def return_update(user, update: Update, comment: str) -> Update:
    errors = Errors()
    comment = text(
        errors,
        "comment",
        comment,
        limit=3000,
        required=True,
        plain=False,
        required_message_text=_("Say what should change."),
    )
    with transaction.atomic():
        locked = _review(user, update)
        errors.raise_if_any()
        locked.status, locked.reviewed_by, locked.reviewed_at = (
            Update.Status.RETURNED,
            user,
            timezone.now(),
        )
        locked.review_comment = comment
        locked.save(update_fields=["status", "reviewed_by", "reviewed_at", "review_comment"])
        log_event("update.returned", locked, actor=user, comment=comment)
        _tell_author(locked)
    update.refresh_from_db()
    return update
