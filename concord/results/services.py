"""Every write path for projects and results: plan, report, review.

Each function checks permission and input, writes in one transaction, and logs an audit
event. Bad input raises ValidationError with per-field messages before anything is written;
a refusal of who is asking raises PermissionDenied. Values and amounts are Decimals.
"""

import re
import uuid
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from babel.numbers import list_currencies
from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from concord.core.audit import log_event
from concord.core.checks import Errors, choice, decimal, iso_date, text
from concord.core.emails import queue_email
from concord.core.images import reencode_image
from concord.core.models import Sdg, Theme
from concord.countries.checks import country_message
from concord.countries.queries import is_country
from concord.organisations.models import Organisation, Representative
from concord.results import permissions
from concord.results.models import (
    Disaggregation,
    Evidence,
    Indicator,
    Partner,
    Period,
    Project,
    ProjectCountry,
    ReportingProfile,
    Result,
    SharedIndicator,
    Update,
)

HUNDRED = Decimal(100)
# Results' figures stay under this (the columns hold 18 digits, four after the point).
MAX_VALUE = Decimal("1e13")
SDG_TARGET = re.compile(r"^(\d{1,2})\.(\d{1,2}|[a-z])$")
IATI_REF = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._\-]{2,99}$")
EVIDENCE_TYPES = {b"%PDF-": "application/pdf"}
EVIDENCE_MAX_FILES = 5


def evidence_max_bytes() -> int:
    return getattr(settings, "RESULTS_EVIDENCE_MAX_BYTES", 5 * 1024 * 1024)


# --- Projects -----------------------------------------------------------------------------


@dataclass
class ProjectInput:
    fields: dict[str, Any]
    themes: list[Theme] | None
    sdgs: list[Sdg] | None
    countries: list[tuple[str, Decimal]] | None
    partners: list[dict[str, str]] | None
    organisation_ref: str | None


def check_project_input(
    organisation: Organisation, data: dict[str, Any], project: Project | None = None
) -> ProjectInput:
    """The one rule set for the page, the API and the demo. With `project`, a partial update:
    fields left out keep their value."""
    errors = Errors()
    partial = project is not None
    fields: dict[str, Any] = {}

    def given(name: str) -> bool:
        return not partial or name in data

    for name, limit, required in (("title", 200, True), ("summary", 5000, True)):
        if given(name):
            fields[name] = text(errors, name, data.get(name), required=required, limit=limit)
    if given("status"):
        fields["status"] = choice(
            errors,
            "status",
            data.get("status"),
            Project.Status,
            default=Project.Status.IMPLEMENTATION,
        )
    for name in ("adaptation", "mitigation"):
        if given(name):
            fields[name] = choice(errors, name, data.get(name), Project.Marker, default="0")
    for name, required in (
        ("planned_start", True),
        ("planned_end", True),
        ("actual_start", False),
        ("actual_end", False),
    ):
        if given(name):
            fields[name] = iso_date(errors, name, data.get(name), required=required)

    def current(name: str):
        return fields[name] if name in fields else getattr(project, name, None)

    for start, end in (("planned_start", "planned_end"), ("actual_start", "actual_end")):
        if current(start) and current(end) and current(end) < current(start):
            errors.add(end, _("The end date is before the start date."))

    if given("budget"):
        fields["budget"] = decimal(
            errors, "budget", data.get("budget"), maximum=MAX_VALUE, places=2
        )
    if given("currency"):
        fields["currency"] = str(data.get("currency") or "").strip().upper()
        if fields["currency"] and fields["currency"] not in list_currencies():
            errors.add("currency", _("Use an ISO 4217 currency code, such as USD or XOF."))
    if current("budget") is not None and not current("currency") and "budget" not in errors:
        errors.add("currency", _("Give the currency of the budget (ISO 4217, e.g. EUR)."))

    organisation_ref = None
    if "organisation_iati_ref" in data and data["organisation_iati_ref"] not in (None, ""):
        organisation_ref = str(data["organisation_iati_ref"]).strip()
        if not IATI_REF.match(organisation_ref):
            errors.add(
                "organisation_iati_ref",
                _("Use the organisation's IATI identifier, e.g. SN-NINEA-0012345."),
            )
    profile = ReportingProfile.objects.filter(organisation=organisation).first()
    if organisation_ref and profile and organisation_ref != profile.iati_ref:
        # Activity identifiers never change once published: a new organisation identifier
        # must still prefix every identifier its projects already carry.
        stale = (
            Project.objects.filter(organisation=organisation)
            .exclude(iati_identifier="")
            .exclude(iati_identifier__startswith=organisation_ref + "-")
        )
        if project is not None:
            stale = stale.exclude(pk=project.pk)
        if stale.exists():
            errors.add(
                "organisation_iati_ref",
                _("Other projects carry IATI identifiers starting with “%(prefix)s-”.")
                % {"prefix": profile.iati_ref},
            )
    if given("iati_identifier"):
        fields["iati_identifier"] = str(data.get("iati_identifier") or "").strip()
        identifier = fields["iati_identifier"]
        prefix = organisation_ref or (profile.iati_ref if profile else "")
        if identifier and not prefix:
            errors.add(
                "iati_identifier",
                _("Give the organisation's IATI identifier first: it prefixes the project's."),
            )
        elif identifier and not (
            identifier.startswith(prefix + "-") and len(identifier) > len(prefix) + 1
        ):
            errors.add(
                "iati_identifier",
                _("An IATI identifier starts with the organisation's, “%(prefix)s-”.")
                % {"prefix": prefix},
            )
        elif identifier and not IATI_REF.match(identifier[len(prefix) + 1 :]):
            errors.add("iati_identifier", _("Use letters, digits, dots and hyphens only."))
        elif (
            identifier
            and Project.objects.filter(iati_identifier=identifier)
            .exclude(pk=project.pk if project is not None else 0)
            .exists()
        ):
            errors.add("iati_identifier", _("Another project already has this IATI identifier."))

    if given("sdg_targets"):
        targets = [str(t).strip() for t in (data.get("sdg_targets") or []) if str(t).strip()]
        for target in targets:
            match = SDG_TARGET.match(target)
            if not match or not 1 <= int(match.group(1)) <= 17:
                errors.add(
                    "sdg_targets",
                    _("“%(target)s” is not an SDG target (e.g. 13.1).") % {"target": target[:20]},
                )
        fields["sdg_targets"] = sorted(set(targets))

    themes = sdgs = None
    if "themes" in data and data["themes"] is not None:
        slugs = {getattr(t, "slug", t) for t in data["themes"]}
        themes = list(Theme.objects.filter(slug__in=slugs))
        if len(themes) != len(slugs):
            errors.add("themes", _("Unknown theme."))
    if "sdgs" in data and data["sdgs"] is not None:
        numbers = {getattr(s, "number", s) for s in data["sdgs"]}
        sdgs = list(Sdg.objects.filter(number__in=[n for n in numbers if isinstance(n, int)]))
        if len(sdgs) != len(numbers):
            errors.add("sdgs", _("SDGs are numbered 1 to 17."))

    countries = None
    if not partial and data.get("countries") is None:
        data = {**data, "countries": []}
    if "countries" in data and data["countries"] is not None:
        countries = []
        seen = set()
        for row in data["countries"]:
            code = str(row.get("country") or "").strip().upper()
            percentage = decimal(
                errors, "countries", row.get("percentage"), maximum=MAX_VALUE, places=2
            )
            if not is_country(code):
                errors.add("countries", country_message(code))
                continue
            if code in seen:
                errors.add("countries", _("%(code)s is listed twice.") % {"code": code})
                continue
            seen.add(code)
            if percentage is None:
                errors.add("countries", _("Give each country's percentage."))
                continue
            if not 0 < percentage <= HUNDRED:
                errors.add("countries", _("A percentage is more than 0 and at most 100."))
                continue
            countries.append((code, percentage))
        if not countries and not errors.get("countries"):
            errors.add("countries", _("Name at least one country where the project works."))
        total = sum((p for _, p in countries), Decimal(0))
        if countries and "countries" not in errors and total != HUNDRED:
            errors.add(
                "countries",
                _("The countries' percentages add up to %(total)s; they must add up to 100.")
                % {"total": format(total.normalize(), "f")},
            )

    partners = None
    if "partners" in data and data["partners"] is not None:
        partners = []
        for row in data["partners"]:
            name = text(errors, "partners", row.get("name"), required=True, limit=200)
            role = str(row.get("role") or "")
            if role not in Partner.Role.values:
                errors.add(
                    "partners",
                    _(
                        "A partner's role is 1 (funding), 2 (accountable), 3 (extending) or 4 (implementing)."
                    ),
                )
            ref = str(row.get("iati_ref") or "").strip()
            if ref and not IATI_REF.match(ref):
                errors.add(
                    "partners",
                    _("“%(ref)s” is not an IATI organisation identifier.") % {"ref": ref[:40]},
                )
            partners.append({"name": name, "role": role, "iati_ref": ref})

    errors.raise_if_any()
    return ProjectInput(fields, themes, sdgs, countries, partners, organisation_ref)


def _save_project(project: Project, checked: ProjectInput) -> None:
    if checked.organisation_ref:
        ReportingProfile.objects.update_or_create(
            organisation=project.organisation, defaults={"iati_ref": checked.organisation_ref}
        )
    for name, value in checked.fields.items():
        setattr(project, name, value)
    if project.budget is None:
        project.currency = project.currency or ""
    project.save()
    if checked.themes is not None:
        project.themes.set(checked.themes)
    if checked.sdgs is not None:
        project.sdgs.set(checked.sdgs)
    if checked.countries is not None:
        project.countries.all().delete()
        ProjectCountry.objects.bulk_create(
            ProjectCountry(project=project, country_id=code, percentage=percentage)
            for code, percentage in checked.countries
        )
    if checked.partners is not None:
        project.partners.all().delete()
        Partner.objects.bulk_create(Partner(project=project, **row) for row in checked.partners)


def create_project(user, organisation: Organisation, data: dict[str, Any]) -> Project:
    if not permissions.can_create_project(user, organisation):
        raise PermissionDenied(_("Only the people of a member organisation add its projects."))
    checked = check_project_input(organisation, data)
    with transaction.atomic():
        project = Project(organisation=organisation, created_by=user)
        _save_project(project, checked)
        log_event("project.created", project, actor=user, title=project.title)
    return project


def update_project(user, project: Project, data: dict[str, Any]) -> Project:
    if not permissions.can_edit_project(user, project):
        raise PermissionDenied(_("Only the organisation's people edit its projects."))
    checked = check_project_input(project.organisation, data, project)
    with transaction.atomic():
        _save_project(project, checked)
        log_event("project.updated", project, actor=user, fields=sorted(data))
    return project


# --- Results framework --------------------------------------------------------------------


def add_result(user, project: Project, data: dict[str, Any]) -> Result:
    if not permissions.can_edit_project(user, project):
        raise PermissionDenied(_("Only the organisation's people edit its projects."))
    errors = Errors()
    kind = choice(errors, "kind", data.get("kind"), Result.Kind)
    title = text(errors, "title", data.get("title"), required=True, limit=300)
    description = text(errors, "description", data.get("description"), limit=3000)
    errors.raise_if_any()
    with transaction.atomic():
        result = Result.objects.create(
            project=project, kind=kind, title=title, description=description
        )
        log_event("result.added", project, actor=user, result=result.pk)
    return result


def add_indicator(user, result: Result, data: dict[str, Any]) -> Indicator:
    if not permissions.can_edit_project(user, result.project):
        raise PermissionDenied(_("Only the organisation's people edit its projects."))
    errors = Errors()
    shared = None
    if data.get("shared"):
        shared = SharedIndicator.objects.filter(slug=str(data["shared"])).first()
        if shared is None:
            errors.add("shared", _("Unknown shared indicator."))
    title = text(errors, "title", data.get("title"), required=shared is None, limit=300)
    measure = choice(errors, "measure", data.get("measure"), Indicator.Measure, default="1")
    if shared is not None:
        title = title or shared.title
        if measure == Indicator.Measure.QUALITATIVE:
            errors.add("measure", _("A shared indicator is counted: it cannot be qualitative."))
    unit = text(errors, "unit", data.get("unit"), limit=60) or (shared.unit if shared else "")
    baseline_year = data.get("baseline_year")
    if baseline_year not in (None, ""):
        try:
            baseline_year = int(baseline_year)
            if not 1900 <= baseline_year <= 2100:
                raise ValueError
        except (TypeError, ValueError):
            errors.add("baseline_year", _("Enter a year between 1900 and 2100."))
    else:
        baseline_year = None
    baseline_value = decimal(
        errors, "baseline_value", data.get("baseline_value"), negative=True, maximum=MAX_VALUE
    )
    if (
        measure == Indicator.Measure.PERCENTAGE
        and baseline_value is not None
        and not (0 <= baseline_value <= HUNDRED)
    ):
        errors.add("baseline_value", _("A percentage is between 0 and 100."))
    errors.raise_if_any()
    with transaction.atomic():
        indicator = Indicator.objects.create(
            result=result,
            shared=shared,
            title=title,
            measure=measure,
            unit=unit,
            ascending=bool(data.get("ascending", True)),
            cumulative=bool(data.get("cumulative", False)),
            baseline_year=baseline_year,
            baseline_value=baseline_value,
        )
        log_event(
            "indicator.added",
            result.project,
            actor=user,
            indicator=indicator.pk,
            shared=shared.slug if shared else None,
        )
    return indicator


def add_period(user, indicator: Indicator, data: dict[str, Any]) -> Period:
    project = indicator.result.project
    if not permissions.can_edit_project(user, project):
        raise PermissionDenied(_("Only the organisation's people edit its projects."))
    errors = Errors()
    start = iso_date(errors, "start", data.get("start"), required=True)
    end = iso_date(errors, "end", data.get("end"), required=True)
    target = decimal(errors, "target", data.get("target"), maximum=MAX_VALUE)
    if target is not None and indicator.measure == Indicator.Measure.PERCENTAGE and target > 100:
        errors.add("target", _("A percentage is between 0 and 100."))
    if target is not None and not indicator.quantitative:
        errors.add("target", _("A qualitative indicator has no numeric target."))
    if start and end and end < start:
        errors.add("end", _("The end date is before the start date."))
    with transaction.atomic():
        # Lock the indicator so two periods added at once cannot both pass the overlap check.
        Indicator.objects.select_for_update().filter(pk=indicator.pk).first()
        if start and end and end >= start:
            clash = indicator.periods.filter(start__lte=end, end__gte=start).first()
            if clash is not None:
                errors.add(
                    "start",
                    _("This period overlaps the period %(start)s – %(end)s.")  # noqa: RUF001
                    % {"start": clash.start, "end": clash.end},
                )
        errors.raise_if_any()
        assert start is not None and end is not None  # checked above
        period = Period.objects.create(indicator=indicator, start=start, end=end, target=target)
        log_event("period.added", project, actor=user, period=period.pk)
    return period


# --- Updates ------------------------------------------------------------------------------


def _check_evidence(files) -> list[tuple[Any, str, str, int]]:
    """(content, name, content type, size) per file, checked by content and size: PDFs as
    they are, images re-encoded (metadata dropped). Anything else is refused."""
    errors = Errors()
    checked = []
    if len(files) > EVIDENCE_MAX_FILES:
        errors.add("evidence", _("Attach at most %(count)s files.") % {"count": EVIDENCE_MAX_FILES})
    for upload in files[:EVIDENCE_MAX_FILES]:
        name = (getattr(upload, "name", "") or "evidence")[-200:]
        limit = evidence_max_bytes()
        if upload.size > limit:
            errors.add(
                "evidence",
                _("%(name)s is too large (%(size)s KB); the limit is %(limit)s KB.")
                % {"name": name, "size": upload.size // 1024, "limit": limit // 1024},
            )
            continue
        upload.seek(0)
        head = upload.read(8)
        upload.seek(0)
        if head.startswith(b"%PDF-"):
            checked.append((upload, name, "application/pdf", upload.size))
            continue
        try:
            clean = reencode_image(upload, max_bytes=limit, max_side=2000)
        except ValidationError:
            errors.add(
                "evidence",
                _("%(name)s is not a PDF or an image (PNG, JPEG, WebP, GIF).") % {"name": name},
            )
            continue
        checked.append((clean, name.rsplit(".", 1)[0] + ".webp", "image/webp", clean.size))
    errors.raise_if_any()
    return checked


def _stored_name(name: str) -> str:
    """A random file name (keeping the extension), so no one reaches a draft's evidence by
    guessing its URL; the original name is kept on the row for display."""
    extension = name.rsplit(".", 1)[-1].lower() if "." in name else "bin"
    return f"{uuid.uuid4().hex}.{extension if extension.isalnum() else 'bin'}"


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


def save_update(
    user, period: Period, data: dict[str, Any], files=(), update: Update | None = None
) -> Update:
    """Write a draft update (or change a draft or returned one); `submit` sends it on."""
    project = period.indicator.result.project
    if not permissions.can_report(user, project):
        raise PermissionDenied(_("Only the organisation's people report on its projects."))
    if update is not None and update.status not in (Update.Status.DRAFT, Update.Status.RETURNED):
        raise ValidationError(
            {"status": [_("This update has been submitted; it can no longer be changed.")]}
        )
    value, narrative, rows, incomplete = check_update_input(period, data)
    evidence = _check_evidence(list(files))
    with transaction.atomic():
        if update is None:
            update = Update(period=period, author=user)
        update.value, update.narrative, update.incomplete = value, narrative, incomplete
        update.save()
        if data.get("disaggregations") is not None:
            update.disaggregations.all().delete()
            Disaggregation.objects.bulk_create(
                Disaggregation(update=update, dimension=d, category=c, value=v) for d, c, v in rows
            )
        for content, name, content_type, size in evidence:
            item = Evidence(update=update, name=name, content_type=content_type, size=size)
            item.file.save(_stored_name(name), content, save=False)
            item.save()
        log_event("update.saved", project, actor=user, update=update.pk)
        if data.get("submit"):
            _submit(user, update)
    return update


def add_evidence(user, update: Update, files) -> Update:
    """Attach files to a draft or returned update (checked by content and size)."""
    project = update.period.indicator.result.project
    if not permissions.can_report(user, project):
        raise PermissionDenied(_("Only the organisation's people report on its projects."))
    if update.status not in (Update.Status.DRAFT, Update.Status.RETURNED):
        raise ValidationError(
            {"status": [_("This update has been submitted; it can no longer be changed.")]}
        )
    checked = _check_evidence(list(files))
    if update.evidence.count() + len(checked) > EVIDENCE_MAX_FILES:
        raise ValidationError(
            {"evidence": [_("Attach at most %(count)s files.") % {"count": EVIDENCE_MAX_FILES}]}
        )
    with transaction.atomic():
        for content, name, content_type, size in checked:
            item = Evidence(update=update, name=name, content_type=content_type, size=size)
            item.file.save(_stored_name(name), content, save=False)
            item.save()
        log_event("update.evidence_added", update, actor=user, count=len(checked))
    return update


def _submit(user, update: Update) -> None:
    locked = Update.objects.select_for_update().get(pk=update.pk)
    if locked.status not in (Update.Status.DRAFT, Update.Status.RETURNED):
        raise ValidationError({"status": [_("This update has already been submitted.")]})
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
            to=admin.user.email,
            template="results/emails/update_submitted",
            context={"update": update, "project": project, "author": user, "url": _link(update)},
            language=admin.user.language,
        )


def _link(update: Update) -> str:
    return settings.SITE_URL + reverse("results:update", args=[update.pk])


def _tell_author(update: Update) -> None:
    author = update.author
    if author is None or not author.email:
        return
    queue_email(
        key=f"update.{update.status}:{update.pk}:{update.reviewed_at}",
        to=author.email,
        template="results/emails/update_reviewed",
        context={
            "update": update,
            "project": update.period.indicator.result.project,
            "approved": update.status == Update.Status.APPROVED,
            "url": _link(update),
        },
        language=author.language,
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
        raise ValidationError(
            {
                "reviewer": [
                    _("You wrote this update: another admin of the organisation reviews it.")
                ]
            }
        )
    locked = Update.objects.select_for_update().get(pk=update.pk)
    if locked.status != Update.Status.SUBMITTED:
        raise ValidationError({"status": [_("Only a submitted update can be reviewed.")]})
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
