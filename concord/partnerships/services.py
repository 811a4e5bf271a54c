"""Every write path for partnerships: requests and offers, expressions of interest,
partnerships with deliverables and progress reports, funding calls and applications, and
the digest settings.

Each function checks permission and input, writes in one transaction, logs the audit event
and queues emails that leave once the transaction commits. Errors are ValidationError (per
field) or PermissionDenied; nothing is stored when one is raised.
"""

import secrets
import zoneinfo
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from typing import Any

from babel.numbers import list_currencies
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.validators import URLValidator
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from concord.accounts.models import User
from concord.core import checks
from concord.core.audit import log_event
from concord.core.checks import Errors
from concord.core.emails import queue_email
from concord.countries import checks as country_checks
from concord.countries.models import Country, CountryGroup, Region
from concord.countries.queries import reference
from concord.organisations.models import Organisation, Representative
from concord.partnerships import permissions
from concord.partnerships.models import (
    WORKING_LANGUAGES,
    Deliverable,
    DigestSubscription,
    ExpressionOfInterest,
    FundingApplication,
    FundingCall,
    Partner,
    Partnership,
    PartnershipRequest,
    ProgressReport,
)


def _languages(errors: Errors, values: Any) -> list[str]:
    """Known working-language codes, in the order given (the first is the one preferred)."""
    given = [str(code).strip().lower() for code in values or []]
    known = checks.codes(
        errors, "languages", given, WORKING_LANGUAGES, _("Unknown language codes: %(codes)s.")
    )
    return [code for code in dict.fromkeys(given) if code in known]


def _future_date(errors: Errors, field: str, value: Any) -> date | None:
    deadline = checks.iso_date(errors, field, value)
    if deadline is not None and deadline < timezone.localdate():
        errors.add(field, _("The deadline is in the past."))
    return deadline


def _after_commit_embed(subject: str, pk: int) -> None:
    from concord.partnerships import tasks

    job = tasks.embed_request if subject == "request" else tasks.embed_organisation
    transaction.on_commit(lambda: job.enqueue(pk))


# --- Requests and offers -------------------------------------------------------------------


def post_request(
    user: User, organisation: Organisation, data: dict[str, Any]
) -> PartnershipRequest:
    """An organisation posts what it seeks (kind "request") or offers (kind "offer")."""
    if not permissions.can_post_for(user, organisation):
        raise PermissionDenied(_("Only representatives of a member organisation may post."))
    errors = Errors()
    kind = data.get("kind") or PartnershipRequest.Kind.REQUEST
    if kind not in PartnershipRequest.Kind.values:
        errors.add("kind", _("Choose a request or an offer."))
    purpose = data.get("purpose") or ""
    if purpose not in PartnershipRequest.Purpose.values:
        errors.add("purpose", _("Choose what the partnership is for."))
    title = checks.text(errors, "title", data.get("title"), limit=200, required=True)
    description = checks.text(
        errors, "description", data.get("description"), limit=5000, required=True, plain=False
    )
    themes = checks.themes(errors, "themes", data.get("themes"))
    sdgs = checks.sdgs(errors, "sdgs", data.get("sdgs"))
    countries = country_checks.countries(errors, "countries", data.get("countries"))
    regions = country_checks.regions(errors, "regions", data.get("regions"))
    languages = _languages(errors, data.get("languages"))
    deadline = _future_date(errors, "deadline", data.get("deadline"))
    errors.raise_if_any()
    with transaction.atomic():
        posted = PartnershipRequest.objects.create(
            organisation=organisation,
            kind=kind,
            purpose=purpose,
            title=title,
            description=description,
            languages=languages,
            deadline=deadline,
            created_by=user,
        )
        posted.themes.set(themes)
        posted.sdgs.set(sdgs)
        posted.countries.set(Country.objects.filter(code__in=countries))
        posted.regions.set(Region.objects.filter(code__in=regions))
        log_event(f"partnership_{kind}.posted", posted, actor=user, title=title)
        _after_commit_embed("request", posted.pk)
    return posted


def close_request(user: User, posted: PartnershipRequest) -> PartnershipRequest:
    if not permissions.can_manage_request(user, posted):
        raise PermissionDenied(_("Only the organisation's representatives may close it."))
    with transaction.atomic():
        PartnershipRequest.objects.filter(pk=posted.pk).update(
            status=PartnershipRequest.Status.CLOSED
        )
        log_event("partnership_request.closed", posted, actor=user)
    posted.status = PartnershipRequest.Status.CLOSED
    return posted


def set_working_languages(user: User, organisation: Organisation, languages: list[str]) -> None:
    from concord.organisations.permissions import can_edit
    from concord.partnerships.models import OrganisationLanguages

    if not can_edit(user, organisation):
        raise PermissionDenied(_("Only the organisation's admins may edit it."))
    errors = Errors()
    codes = _languages(errors, languages)
    errors.raise_if_any()
    OrganisationLanguages.objects.update_or_create(
        organisation=organisation, defaults={"languages": codes}
    )


# --- Expressions of interest ---------------------------------------------------------------


def _representatives(organisation: Organisation) -> list[User]:
    return [
        rep.user
        for rep in Representative.objects.filter(organisation=organisation, user__is_active=True)
        .select_related("user")
        .order_by("pk")
    ]


def _url(name: str, language: str, *args) -> str:
    from django.conf import settings

    with translation.override(language):
        return settings.SITE_URL + reverse(name, args=args)


def express_interest(
    user: User, organisation: Organisation, posted: PartnershipRequest, message: str
) -> ExpressionOfInterest:
    """`organisation` tells the poster it is interested; the poster's representatives are
    emailed through the outbox (nobody's address is shown to the other side)."""
    if not permissions.can_express_interest_for(user, organisation):
        raise PermissionDenied(_("Only representatives of a member organisation may do this."))
    if posted.organisation_id == organisation.pk:
        raise ValidationError(
            {"organisation": [_("An organisation cannot express interest in its own request.")]},
            code="own",
        )
    if posted.status != PartnershipRequest.Status.OPEN:
        raise ValidationError({"request": [_("This request is closed.")]}, code="closed")
    errors = Errors()
    message = checks.text(errors, "message", message, limit=3000, required=True)
    errors.raise_if_any()
    duplicate = ValidationError(
        {"organisation": [_("Your organisation has already expressed interest in this.")]},
        code="duplicate",
    )
    if ExpressionOfInterest.objects.filter(request=posted, organisation=organisation).exists():
        raise duplicate
    try:
        with transaction.atomic():
            interest = ExpressionOfInterest.objects.create(
                request=posted, organisation=organisation, message=message, created_by=user
            )
            log_event(
                "partnership_interest.expressed", interest, actor=user, request=posted.pk,
                organisation=organisation.pk,
            )  # fmt: skip
            for person in _representatives(posted.organisation):
                queue_email(
                    key=f"partnerships.interest:{interest.pk}:{person.pk}",
                    to=person.email,
                    template="partnerships/emails/interest_received",
                    context={
                        "interested": organisation.name,
                        "title": posted.title,
                        "message": message,
                        "url": _url("partnerships:request", person.language, posted.pk),
                    },
                    language=person.language,
                )
    except IntegrityError:
        raise duplicate from None
    return interest


def _answer(
    user: User, interest: ExpressionOfInterest, status: str, *, notify: bool = True
) -> ExpressionOfInterest:
    if not permissions.can_answer_interest(user, interest):
        raise PermissionDenied(_("Only the requesting organisation may answer."))
    locked = ExpressionOfInterest.objects.select_for_update().get(pk=interest.pk)
    if locked.status != ExpressionOfInterest.Status.PENDING:
        raise ValidationError(_("This expression of interest has already been answered."))
    locked.status = status
    locked.decided_by = user
    locked.decided_at = timezone.now()
    locked.save(update_fields=["status", "decided_by", "decided_at"])
    log_event(f"partnership_interest.{status}", locked, actor=user)
    for person in _representatives(interest.organisation) if notify else []:
        queue_email(
            key=f"partnerships.interest_{status}:{locked.pk}:{person.pk}",
            to=person.email,
            template=f"partnerships/emails/interest_{status}",
            context={
                "requester": interest.request.organisation.name,
                "title": interest.request.title,
                "url": _url("partnerships:request", person.language, interest.request_id),
            },
            language=person.language,
        )
    return locked


def accept_interest(user: User, interest: ExpressionOfInterest) -> Partnership:
    """Accepting an expression of interest turns it into a partnership of the two."""
    with transaction.atomic():
        accepted = _answer(user, interest, ExpressionOfInterest.Status.ACCEPTED, notify=False)
        posted = interest.request
        partnership = Partnership.objects.create(
            title=posted.title,
            goals=posted.description,
            started_on=timezone.localdate(),
            request=posted,
            interest=accepted,
            created_by=user,
        )
        Partner.objects.create(
            partnership=partnership, organisation=posted.organisation, role=Partner.Role.LEAD
        )
        Partner.objects.create(partnership=partnership, organisation=interest.organisation)
        log_event("partnership.recorded", partnership, actor=user, interest=accepted.pk)
        _introduce(partnership, posted.organisation, interest.organisation)
    return partnership


def _introduce(partnership: Partnership, *organisations: Organisation) -> None:
    """Both sides have now chosen to work together: each side's representatives receive the
    other side's names and addresses (never before), and the link to the partnership."""
    people = {org.pk: _representatives(org) for org in organisations}
    for ours in organisations:
        for theirs in organisations:
            if theirs.pk == ours.pk:
                continue
            contacts = [f"{p.name or p.email} <{p.email}>" for p in people[theirs.pk]]
            for person in people[ours.pk]:
                queue_email(
                    key=f"partnerships.introduced:{partnership.pk}:{theirs.pk}:{person.pk}",
                    to=person.email,
                    template="partnerships/emails/partnership_started",
                    context={
                        "title": partnership.title,
                        "ours": ours.name,
                        "theirs": theirs.name,
                        "contacts": contacts,
                        "url": _url("partnerships:partnership", person.language, partnership.pk),
                    },
                    language=person.language,
                )


def decline_interest(user: User, interest: ExpressionOfInterest) -> ExpressionOfInterest:
    with transaction.atomic():
        return _answer(user, interest, ExpressionOfInterest.Status.DECLINED)


# --- Partnerships, deliverables, progress reports -------------------------------------------


def _deliverable(data: dict) -> tuple[Deliverable | None, Errors]:
    """A deliverable is specific (a title), measurable (a target and its unit) and dated."""
    errors = Errors()
    title = checks.text(errors, "title", data.get("title"), limit=200, required=True)
    unit = checks.text(errors, "unit", data.get("unit"), limit=60, required=True)
    target = Decimal(0)
    try:
        target = Decimal(str(data.get("target")))
        if not target.is_finite() or target <= 0 or target >= Decimal("1e10"):
            raise InvalidOperation
        target = target.quantize(Decimal("0.01"))
    except (InvalidOperation, ValueError, TypeError):
        errors.add("target", _("Give a positive number to reach, e.g. 12."))
    due_on = data.get("due_on")
    if isinstance(due_on, str):
        try:
            due_on = date.fromisoformat(due_on)
        except ValueError:
            due_on = None
    if not isinstance(due_on, date):
        errors.add("due_on", _("Give the date it is due, as YYYY-MM-DD."))
        return None, errors
    if errors:
        return None, errors
    return Deliverable(title=title, unit=unit, target=target, due_on=due_on), Errors()


def record_partnership(user: User, data: dict[str, Any]) -> Partnership:
    """Record a partnership directly: partners (organisation ids, the first leads), goals and
    deliverables that are specific, measurable and dated."""
    errors = Errors()
    title = checks.text(errors, "title", data.get("title"), limit=200, required=True)
    goals = checks.text(errors, "goals", data.get("goals"), limit=5000, required=True)
    started_on = checks.iso_date(errors, "started_on", data.get("started_on")) or (
        timezone.localdate()
    )
    ids = list(dict.fromkeys(int(pk) for pk in data.get("partners") or []))
    partners = {org.pk: org for org in Organisation.objects.filter(pk__in=ids, status="member")}
    if len(ids) < 2:
        errors.add("partners", _("A partnership needs at least two member organisations."))
    elif len(partners) != len(ids):
        errors.add("partners", _("Every partner must be a member organisation."))
    deliverables = []
    for index, item in enumerate(data.get("deliverables") or []):
        deliverable, problems = _deliverable(item if isinstance(item, dict) else {})
        deliverables.append(deliverable)
        for key, messages in problems.items():
            errors.extend(f"deliverables.{index}.{key}", messages)
    if not deliverables:
        errors.add("deliverables", _("List at least one deliverable."))
    errors.raise_if_any()
    ordered = [partners[pk] for pk in ids]
    if not permissions.can_record_partnership(user, ordered):
        raise PermissionDenied(_("Only a partner's representatives may record a partnership."))
    with transaction.atomic():
        partnership = Partnership.objects.create(
            title=title, goals=goals, started_on=started_on, created_by=user
        )
        for index, organisation in enumerate(ordered):
            Partner.objects.create(
                partnership=partnership,
                organisation=organisation,
                role=Partner.Role.LEAD if index == 0 else Partner.Role.PARTNER,
            )
        for deliverable in deliverables:
            assert deliverable is not None
            deliverable.partnership = partnership
            deliverable.save()
        log_event("partnership.recorded", partnership, actor=user)
    return partnership


def add_deliverable(user: User, partnership: Partnership, data: dict[str, Any]) -> Deliverable:
    if not permissions.can_work_on(user, partnership):
        raise PermissionDenied(_("Only the partners' representatives may do this."))
    deliverable, errors = _deliverable(data)
    errors.raise_if_any()
    assert deliverable is not None
    with transaction.atomic():
        deliverable.partnership = partnership
        deliverable.save()
        log_event("partnership.deliverable_added", partnership, actor=user, title=deliverable.title)
    return deliverable


def file_progress_report(
    user: User,
    partnership: Partnership,
    *,
    year: int,
    summary: str,
    achieved: dict[int, Any] | None = None,
) -> ProgressReport:
    """The yearly report: what was done, and how far each deliverable has come."""
    if not permissions.can_work_on(user, partnership):
        raise PermissionDenied(_("Only the partners' representatives may report."))
    errors = Errors()
    summary = checks.text(errors, "summary", summary, limit=5000, required=True)
    today = timezone.localdate()
    if not isinstance(year, int) or not partnership.started_on.year <= year <= today.year:
        errors.add(
            "year",
            _("Report on a year between %(start)d and %(end)d.")
            % {"start": partnership.started_on.year, "end": today.year},
        )
    elif ProgressReport.objects.filter(partnership=partnership, year=year).exists():
        errors.add("year", _("A report for this year has already been filed."))
    values: dict[int, Decimal] = {}
    own = {d.pk for d in partnership.deliverables.all()}
    for pk, value in (achieved or {}).items():
        if value in (None, ""):
            continue
        try:
            number = Decimal(str(value))
            if int(pk) not in own or not number.is_finite() or number < 0 or number >= 10**10:
                raise InvalidOperation
        except (InvalidOperation, ValueError, TypeError):
            errors.add("achieved", _("Give how much of each deliverable is done, as a number."))
            break
        values[int(pk)] = number.quantize(Decimal("0.01"))
    errors.raise_if_any()
    try:
        with transaction.atomic():
            report = ProgressReport.objects.create(
                partnership=partnership,
                year=year,
                summary=summary,
                submitted_by=user,
                submitted_on=today,
            )
            for pk, number in values.items():
                Deliverable.objects.filter(pk=pk, partnership=partnership).update(achieved=number)
            log_event("partnership.report_filed", partnership, actor=user, year=year)
    except IntegrityError:
        raise ValidationError(
            {"year": [_("A report for this year has already been filed.")]}
        ) from None
    return report


# --- Funding calls and applications ---------------------------------------------------------


def _deadline(errors: Errors, data: dict) -> tuple[datetime | None, str]:
    zone_name = str(data.get("deadline_timezone") or "").strip()
    if zone_name not in zoneinfo.available_timezones():
        errors.add("deadline_timezone", _("Give an IANA time zone, e.g. Africa/Nairobi or UTC."))
        zone = None
    else:
        zone = zoneinfo.ZoneInfo(zone_name)
    value = data.get("deadline")
    if isinstance(value, str):
        try:
            value = datetime.fromisoformat(value)
        except ValueError:
            value = None
    if not isinstance(value, datetime):
        errors.add("deadline", _("Give the deadline's date and time."))
        return None, zone_name
    if zone is None:
        return None, zone_name
    if timezone.is_naive(value):
        value = value.replace(tzinfo=zone)
    if value <= timezone.now():
        errors.add("deadline", _("The deadline is in the past."))
    return value, zone_name


def expand_eligibility(countries: list[str], groups: list[str], regions: list[str]) -> set[str]:
    """The countries a call is open to: those listed, members of the groups, and countries in
    the regions (at any M49 level)."""
    ref = reference()
    codes = set(countries)
    wanted_groups, wanted_regions = set(groups), set(regions)
    for code, facts in ref.countries.items():
        if facts.groups & wanted_groups:
            codes.add(code)
    if wanted_regions:
        codes |= set(
            Country.objects.filter(region_id__in=wanted_regions).values_list("code", flat=True)
        )
        codes |= set(
            Country.objects.filter(subregion_id__in=wanted_regions).values_list("code", flat=True)
        )
        codes |= set(
            Country.objects.filter(intermediate_region_id__in=wanted_regions).values_list(
                "code", flat=True
            )
        )
    return codes


def create_funding_call(user: User, data: dict[str, Any]) -> FundingCall:
    if not permissions.can_enter_funding_calls(user):
        raise PermissionDenied(_("Only the secretariat and funders enter funding calls."))
    errors = Errors()
    title = checks.text(errors, "title", data.get("title"), limit=200, required=True)
    funder = checks.text(errors, "funder", data.get("funder"), limit=200, required=True)
    description = checks.text(errors, "description", data.get("description"), limit=5000)
    instrument = data.get("instrument") or ""
    if instrument not in FundingCall.Instrument.values:
        errors.add(
            "instrument", _("Choose a grant, a concessional loan, in-kind support or a prize.")
        )
    currency = str(data.get("currency") or "").strip().upper()
    if currency not in list_currencies():
        errors.add("currency", _("Give an ISO 4217 currency code, e.g. USD, XOF or EUR."))
    amounts: dict[str, Decimal] = {}
    for field in ("amount_min", "amount_max"):
        try:
            amount = Decimal(str(data.get(field)))
            if not amount.is_finite() or amount < 0 or amount >= Decimal("1e12"):
                raise InvalidOperation
            amounts[field] = amount.quantize(Decimal("0.01"))
        except (InvalidOperation, ValueError, TypeError):
            errors.add(field, _("Give an amount of zero or more."))
    if len(amounts) == 2 and amounts["amount_min"] > amounts["amount_max"]:
        errors.add("amount_max", _("The largest amount cannot be below the smallest."))
    deadline, zone_name = _deadline(errors, data)
    link = str(data.get("link") or "").strip()
    try:
        URLValidator(schemes=["http", "https"])(link)
        if checks.has_nul(link) or len(link) > 500:
            raise ValidationError("")
    except ValidationError:
        errors.add("link", _("Give the web address of the call, starting with https://."))
    themes = checks.themes(errors, "themes", data.get("themes"))
    countries = country_checks.countries(
        errors, "eligible_countries", data.get("eligible_countries")
    )
    groups = country_checks.groups(errors, "eligible_groups", data.get("eligible_groups"))
    regions = country_checks.regions(errors, "eligible_regions", data.get("eligible_regions"))
    open_to_all = bool(data.get("open_to_all"))
    if not (countries or groups or regions or open_to_all) and not errors.keys() & {
        "eligible_countries", "eligible_groups", "eligible_regions",
    }:  # fmt: skip
        errors.add(
            "eligible_countries",
            _("Say who is eligible: countries, groups or regions (or open to all)."),
        )
    errors.raise_if_any()
    assert deadline is not None  # else _deadline() reported an error
    with transaction.atomic():
        call = FundingCall.objects.create(
            title=title,
            funder=funder,
            description=description,
            instrument=instrument,
            currency=currency,
            amount_min=amounts["amount_min"],
            amount_max=amounts["amount_max"],
            deadline=deadline,
            deadline_timezone=zone_name,
            link=link,
            open_to_all=open_to_all,
            created_by=user,
        )
        call.themes.set(themes)
        call.eligible_countries.set(Country.objects.filter(code__in=countries))
        call.eligible_groups.set(CountryGroup.objects.filter(slug__in=groups))
        call.eligible_regions.set(Region.objects.filter(code__in=regions))
        call.eligible_expanded.set(
            Country.objects.filter(code__in=expand_eligibility(countries, groups, regions))
        )
        log_event("funding_call.created", call, actor=user, title=title)
    return call


def track_application(
    user: User, organisation: Organisation, call: FundingCall, status: str
) -> FundingApplication:
    if not permissions.can_track_applications(user, organisation):
        raise PermissionDenied(_("Only the organisation's representatives track its applications."))
    if status not in FundingApplication.Status.values:
        raise ValidationError({"status": [_("Unknown status.")]})
    with transaction.atomic():
        application, _created = FundingApplication.objects.update_or_create(
            call=call,
            organisation=organisation,
            defaults={"status": status, "updated_by": user},
        )
        log_event("funding_application.tracked", application, actor=user, status=status)
    return application


# --- Digest settings ------------------------------------------------------------------------


def digest_subscription(user: User) -> DigestSubscription:
    subscription, _created = DigestSubscription.objects.get_or_create(
        user=user, defaults={"token": secrets.token_urlsafe(32)}
    )
    return subscription


def set_weekly_digest(user: User, enabled: bool) -> DigestSubscription:
    with transaction.atomic():
        subscription = digest_subscription(user)
        subscription.weekly_digest = enabled
        subscription.save(update_fields=["weekly_digest", "changed_at"])
        log_event("partnerships.digest_" + ("on" if enabled else "off"), user, actor=user)
    return subscription


def unsubscribe(token: str) -> DigestSubscription:
    """The one-click link in every digest (a POST: opening the link changes nothing)."""
    subscription = DigestSubscription.objects.filter(token=token).select_related("user").first()
    if subscription is None or not token:
        raise ValidationError(_("This unsubscribe link is not valid."), code="token")
    with transaction.atomic():
        subscription.weekly_digest = False
        subscription.save(update_fields=["weekly_digest", "changed_at"])
        log_event("partnerships.digest_off", subscription.user, actor=None, by="link")
    return subscription
