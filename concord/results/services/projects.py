"""A project: its fields, countries, partners and IATI identity (one rule set for the page,
the API and the demo)."""

import re
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from babel.numbers import list_currencies
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils.translation import gettext as _

from concord.core.audit import log_event
from concord.core.checks import Errors, choice, decimal, iso_date, text
from concord.core.models import Sdg, Theme
from concord.core.numbers import figure
from concord.countries.checks import country_message
from concord.countries.queries import is_country
from concord.organisations.models import Organisation
from concord.results import permissions
from concord.results.models import (
    HUNDRED,
    MAX_VALUE,
    Partner,
    Project,
    ProjectCountry,
    ReportingProfile,
)

SDG_TARGET = re.compile(r"^(\d{1,2})\.(\d{1,2}|[a-z])$")
IATI_REF = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._\-]{2,99}$")


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
                % {"total": figure(total)},
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
