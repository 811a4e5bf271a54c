"""IATI 2.03 activity XML for a project or for all of an organisation's projects.

The XML follows the element order of the official iati-activities-schema.xsd (2.03) and the
standard's core rules, which `core_rule_errors` checks on the finished document: required
elements present, dates in order, recipient-country percentages adding up to 100, every
activity identifier prefixed by its reporting organisation's identifier. Only approved
updates reach the export (through the periods' actuals).
"""

from collections.abc import Iterable
from datetime import date
from decimal import Decimal

from django.utils import timezone
from lxml import etree

from concord.results.models import Indicator, Period, Project, ReportingProfile, Result, Update
from concord.results.queries import framework, projects

VERSION = "2.03"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"


class NotPublishable(Exception):
    """The organisation has no IATI identifier yet, so no activity identifier can be made."""


def activity_identifier(project: Project, profile: ReportingProfile) -> str:
    return project.iati_identifier or f"{profile.iati_ref}-CONCORD-{project.pk}"


def _number(value: Decimal) -> str:
    return format(value.normalize(), "f")  # "40", "12.5": never "4E+1"


def _narrative(parent, tag: str, text: str, **attributes) -> etree._Element:
    element = etree.SubElement(parent, tag, **attributes)
    etree.SubElement(element, "narrative").text = text
    return element


def _date(parent, tag: str, value: date, **attributes) -> None:
    etree.SubElement(parent, tag, {"iso-date": value.isoformat(), **attributes})


def _results(activity, results: Iterable[Result]) -> None:
    for result in results:
        indicators: list[Indicator] = list(result.indicators.all())
        if not indicators:  # the schema wants at least one indicator per result
            continue
        element = etree.SubElement(activity, "result", type=result.kind)
        _narrative(element, "title", result.title)
        if result.description:
            _narrative(element, "description", result.description)
        for indicator in indicators:
            node = etree.SubElement(
                element,
                "indicator",
                measure=indicator.measure,
                ascending="1" if indicator.ascending else "0",
            )
            _narrative(node, "title", indicator.title)
            if indicator.shared_id:
                etree.SubElement(node, "reference", vocabulary="99", code=indicator.shared_id)
            if indicator.baseline_year:
                baseline = etree.SubElement(node, "baseline", year=str(indicator.baseline_year))
                if indicator.baseline_value is not None and indicator.quantitative:
                    baseline.set("value", _number(indicator.baseline_value))
            period: Period
            for period in indicator.periods.all():
                block = etree.SubElement(node, "period")
                _date(block, "period-start", period.start)
                _date(block, "period-end", period.end)
                if period.target is not None and indicator.quantitative:
                    etree.SubElement(block, "target", value=_number(period.target))
                approved: list[Update] = list(period.updates.all())
                if indicator.quantitative and period.actual is not None:
                    etree.SubElement(block, "actual", value=_number(period.actual))
                elif not indicator.quantitative and approved:
                    actual = etree.SubElement(block, "actual")
                    comment = etree.SubElement(actual, "comment")
                    etree.SubElement(comment, "narrative").text = approved[-1].narrative


def activity(project: Project, profile: ReportingProfile, results: Iterable[Result]):
    organisation = project.organisation
    element = etree.Element(
        "iati-activity",
        {
            "last-updated-datetime": project.updated_at.isoformat(timespec="seconds"),
            XML_LANG: "en",
        },
    )
    if project.currency:
        element.set("default-currency", project.currency)
    etree.SubElement(element, "iati-identifier").text = activity_identifier(project, profile)
    _narrative(
        element, "reporting-org", organisation.name, ref=profile.iati_ref, type=profile.iati_type
    )
    _narrative(element, "title", project.title)
    _narrative(element, "description", project.summary, type="1")
    _narrative(
        element,
        "participating-org",
        organisation.name,
        ref=profile.iati_ref,
        role="2",
        type=profile.iati_type,
    )
    for partner in project.partners.all():
        attributes = {"role": partner.role}
        if partner.iati_ref:
            attributes["ref"] = partner.iati_ref
        _narrative(element, "participating-org", partner.name, **attributes)
    etree.SubElement(element, "activity-status", code=project.status)
    _date(element, "activity-date", project.planned_start, type="1")
    if project.actual_start:
        _date(element, "activity-date", project.actual_start, type="2")
    _date(element, "activity-date", project.planned_end, type="3")
    if project.actual_end:
        _date(element, "activity-date", project.actual_end, type="4")
    for share in project.countries.all():
        etree.SubElement(
            element,
            "recipient-country",
            code=share.country_id,
            percentage=_number(share.percentage),
        )
    for theme in project.themes.all():  # the coalition's own themes (vocabulary 99)
        _narrative(element, "tag", theme.name, vocabulary="99", code=theme.slug)
    for sdg in project.sdgs.all():
        etree.SubElement(element, "tag", vocabulary="2", code=str(sdg.number))
    for target in project.sdg_targets:
        etree.SubElement(element, "tag", vocabulary="3", code=target)
    for code, significance in (("6", project.mitigation), ("7", project.adaptation)):
        if significance != Project.Marker.NONE:
            etree.SubElement(
                element, "policy-marker", vocabulary="1", code=code, significance=significance
            )
    if project.budget is not None and project.currency:
        budget = etree.SubElement(element, "budget", type="1", status="1")
        _date(budget, "period-start", project.planned_start)
        _date(budget, "period-end", project.planned_end)
        value = etree.SubElement(budget, "value", {"value-date": project.planned_start.isoformat()})
        value.text = _number(project.budget)
    _results(element, results)
    return element


def _document(activities: list) -> bytes:
    root = etree.Element(
        "iati-activities",
        version=VERSION,
        **{"generated-datetime": timezone.now().isoformat(timespec="seconds")},
    )
    root.extend(activities)
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True)


def _framework(project: Project) -> list[Result]:
    return framework(project, with_unapproved=False)


def _profile(organisation) -> ReportingProfile:
    profile = ReportingProfile.objects.filter(organisation=organisation).first()
    if profile is None:
        raise NotPublishable(
            "The organisation has no IATI organisation identifier yet: set it on a project "
            "(organisation_iati_ref) to publish to IATI."
        )
    return profile


def project_xml(project: Project) -> bytes:
    return _document([activity(project, _profile(project.organisation), _framework(project))])


def organisation_xml(organisation) -> bytes:
    profile = _profile(organisation)
    rows = list(projects(organisation).order_by("pk"))
    if not rows:
        raise NotPublishable("The organisation has no project to publish yet.")
    return _document([activity(project, profile, _framework(project)) for project in rows])


def core_rule_errors(document: bytes) -> list[str]:
    """The IATI core rules the schema cannot express, checked on a finished document."""
    problems: list[str] = []
    root = etree.fromstring(document)
    if root.get("version") != VERSION:
        problems.append("iati-activities/@version is not 2.03")
    for activity in root.iter("iati-activity"):
        identifier = (activity.findtext("iati-identifier") or "").strip()
        reporting = activity.find("reporting-org")
        ref = reporting.get("ref", "") if reporting is not None else ""
        where = identifier or "(no identifier)"
        for required in ("iati-identifier", "reporting-org", "title", "description",
                         "participating-org", "activity-status", "activity-date"):  # fmt: skip
            if activity.find(required) is None:
                problems.append(f"{where}: missing {required}")
        if not ref or not identifier.startswith(ref + "-"):
            problems.append(f"{where}: identifier not prefixed by reporting-org/@ref {ref!r}")
        dates = {d.get("type"): d.get("iso-date") for d in activity.findall("activity-date")}
        for start, end in (("1", "3"), ("2", "4")):
            if start in dates and end in dates and dates[end] < dates[start]:
                problems.append(f"{where}: activity-date type {end} before type {start}")
        for budget in activity.findall("budget"):
            if budget.find("period-end").get("iso-date") < budget.find("period-start").get(
                "iso-date"
            ):
                problems.append(f"{where}: budget ends before it starts")
        countries = activity.findall("recipient-country")
        if not countries and activity.find("recipient-region") is None:
            problems.append(f"{where}: no recipient-country or recipient-region")
        shares = [Decimal(c.get("percentage", "100")) for c in countries]
        if shares and sum(shares) != 100:
            problems.append(f"{where}: recipient-country percentages add up to {sum(shares)}")
        for period in activity.iter("period"):
            start = period.find("period-start").get("iso-date")
            end = period.find("period-end").get("iso-date")
            if end < start:
                problems.append(f"{where}: result period ends before it starts")
        if activity.get("default-currency") is None:
            for value in activity.iter("value"):
                if value.get("currency") is None:
                    problems.append(f"{where}: a value without a currency")
    return problems
