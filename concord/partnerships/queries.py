"""Reads for partnerships: lists shaped for a fixed number of queries, the partnership
status (on time / late / inactive) computed by the database, and funding matches."""

from dataclasses import dataclass, field
from datetime import timedelta

from django.db.models import (
    Case,
    CharField,
    DateField,
    F,
    Max,
    Prefetch,
    Q,
    QuerySet,
    Value,
    When,
)
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from concord.core.collation import Collated
from concord.organisations.models import Organisation
from concord.partnerships.eligibility import eligibility_reason, shared_themes
from concord.partnerships.matching import explain
from concord.partnerships.models import (
    DigestSubscription,
    ExpressionOfInterest,
    FundingApplication,
    FundingCall,
    OrganisationLanguages,
    Partner,
    Partnership,
    PartnershipRequest,
)
from concord.partnerships.permissions import (
    organisations_acted_for,
    organisations_answered_for,
    organisations_answering_interests,
)

REPORT_EVERY = timedelta(days=365)
INACTIVE_AFTER = timedelta(days=2 * 365)
STATUS_LABELS = {
    "on_time": gettext_lazy("On time"),
    "late": gettext_lazy("Report overdue"),
    "inactive": gettext_lazy("Inactive: no report for two years"),
}


def _request_details(queryset: QuerySet[PartnershipRequest]) -> QuerySet[PartnershipRequest]:
    return queryset.select_related("organisation", "organisation__country").prefetch_related(
        "themes", "sdgs", "countries", "regions"
    )


def open_requests(kind: str = "") -> QuerySet[PartnershipRequest]:
    queryset = PartnershipRequest.objects.filter(
        status=PartnershipRequest.Status.OPEN, organisation__status=Organisation.Status.MEMBER
    )
    if kind:
        queryset = queryset.filter(kind=kind)
    return _request_details(queryset.order_by("-created_at", "-pk"))


def request_for_page(pk: int) -> PartnershipRequest | None:
    """A request or offer, open or closed, while its organisation is a member (else None)."""
    return _request_details(
        PartnershipRequest.objects.filter(pk=pk, organisation__status=Organisation.Status.MEMBER)
    ).first()


def interests_in(posted: PartnershipRequest) -> QuerySet[ExpressionOfInterest]:
    return (
        ExpressionOfInterest.objects.filter(request=posted)
        .select_related("organisation", "organisation__country", "request__organisation")
        .order_by("created_at", "pk")
    )


def interest_for_action(pk: int) -> ExpressionOfInterest | None:
    return (
        ExpressionOfInterest.objects.select_related(
            "request", "request__organisation", "organisation"
        )
        .filter(pk=pk)
        .first()
    )


def with_status(queryset: QuerySet[Partnership], today=None) -> QuerySet[Partnership]:
    """Annotate `last_report_on` and `report_status`: on time while the last report (or the
    start, before the first) is less than a year old, late after that, inactive after two."""
    today = today or timezone.localdate()
    return queryset.annotate(
        last_report_on=Max("reports__submitted_on"),
        reference_on=Coalesce(
            Max("reports__submitted_on"), F("started_on"), output_field=DateField()
        ),
    ).annotate(
        report_status=Case(
            When(reference_on__gte=today - REPORT_EVERY, then=Value("on_time")),
            When(reference_on__gte=today - INACTIVE_AFTER, then=Value("late")),
            default=Value("inactive"),
            output_field=CharField(),
        )
    )


def _partnership_details(
    queryset: QuerySet[Partnership], *, accepted_only: bool
) -> QuerySet[Partnership]:
    members = Partner.objects.select_related("organisation", "organisation__country")
    if accepted_only:
        members = members.filter(answer=Partner.Answer.ACCEPTED)
    return queryset.prefetch_related(
        Prefetch("members", queryset=members.order_by("-role", "pk")), "deliverables"
    )


def partnerships(status: str = "") -> QuerySet[Partnership]:
    """The public list: agreed partnerships, with the organisations that accepted."""
    queryset = with_status(Partnership.objects.filter(agreed_at__isnull=False))
    if status:
        queryset = queryset.filter(**{"report_status": status})  # an annotation
    return _partnership_details(queryset.order_by("-started_on", "-pk"), accepted_only=True)


def awaiting_answers(user) -> QuerySet[Partnership]:
    """Partnerships not agreed yet that `user` recorded or whose named organisations they
    represent: only they see these, each partner with its answer."""
    if not (user and user.is_authenticated):
        return Partnership.objects.none()
    involved = Partnership.objects.filter(
        Q(created_by=user) | Q(members__organisation__representatives__user=user)
    ).values("pk")
    queryset = Partnership.objects.filter(agreed_at__isnull=True, pk__in=involved)
    return _partnership_details(
        with_status(queryset).order_by("-started_on", "-pk"), accepted_only=False
    )


def partnership_for_page(pk: int) -> Partnership | None:
    """A partnership with every named organisation and its answer; the view checks who may
    see it (`permissions.can_see_partnership`) and the template what each may see."""
    return (
        _partnership_details(with_status(Partnership.objects.filter(pk=pk)), accepted_only=False)
        .prefetch_related("reports")
        .first()
    )


# --- Funding -------------------------------------------------------------------------------


def _call_details(queryset: QuerySet[FundingCall]) -> QuerySet[FundingCall]:
    return queryset.prefetch_related(
        "themes", "eligible_countries", "eligible_groups", "eligible_regions"
    )


def open_calls() -> QuerySet[FundingCall]:
    return _call_details(
        FundingCall.objects.filter(deadline__gt=timezone.now()).order_by("deadline", "pk")
    )


def call_for_page(pk: int) -> FundingCall | None:
    return _call_details(FundingCall.objects.filter(pk=pk)).first()


@dataclass
class FundingMatch:
    call: FundingCall
    reasons: list[str] = field(default_factory=list)
    shared_themes: list[str] = field(default_factory=list)  # slugs, in the call's order

    @property
    def matches_themes(self) -> bool:
        return bool(self.shared_themes)

    @property
    def explanation(self) -> str:
        return explain(self.reasons)


def funding_matches(
    organisation: Organisation, *, since=None, deadline_before=None
) -> list[FundingMatch]:
    """Every open call the organisation is eligible for (`eligibility.eligibility_reason`,
    which the call's page asks too); those that share one of its themes come first and are
    marked (`matches_themes`), the others follow by deadline: themes never hide a call."""
    themes = {t.slug: str(t) for t in organisation.themes.all()}
    calls = FundingCall.objects.filter(deadline__gt=timezone.now())
    if since is not None:
        calls = calls.filter(created_at__gte=since)
    if deadline_before is not None:
        calls = calls.filter(deadline__lte=deadline_before)
    found = []
    for call in _call_details(calls.order_by("deadline", "pk")):
        reason = eligibility_reason(call, organisation.country_id)
        if reason is None:
            continue
        shared = shared_themes(call, set(themes))
        match = FundingMatch(call, [reason], shared)
        if shared:
            names = ", ".join(themes[slug] for slug in shared).lower()
            match.reasons.append(_("themes: %(themes)s") % {"themes": names})
        found.append(match)
    found.sort(key=lambda m: (-len(m.shared_themes), m.call.deadline, m.call.pk))
    return found


def applications_of(organisation: Organisation) -> QuerySet[FundingApplication]:
    return FundingApplication.objects.filter(organisation=organisation).select_related("call")


def organisation_for_funding(pk: int) -> Organisation | None:
    """An organisation with what its funding matches read (country, themes)."""
    return (
        Organisation.objects.select_related("country")
        .prefetch_related("themes")
        .filter(pk=pk)
        .first()
    )


def declared_languages(organisation: Organisation) -> list[str]:
    """The working languages the organisation declared ([] when it declared none)."""
    declared = OrganisationLanguages.objects.filter(organisation=organisation).first()
    return declared.languages if declared else []


def member_organisations_of(user) -> list[Organisation]:
    if not (user and user.is_authenticated):
        return []
    return list(
        Organisation.objects.filter(representatives__user=user, status=Organisation.Status.MEMBER)
        .select_related("country")
        .order_by(Collated("name"), "pk")
    )


def personal_data(user) -> dict:
    """Requests, offers and expressions of interest the person wrote, and their digest
    subscription (the organisation keeps the posts)."""
    return {
        "partnership_requests": list(
            PartnershipRequest.objects.filter(created_by=user)
            .values("kind", "title", "description", "organisation__name", "status", "created_at")
            .order_by("created_at", "pk")
        ),
        "expressions_of_interest": list(
            ExpressionOfInterest.objects.filter(created_by=user)
            .values("request__title", "organisation__name", "message", "status", "created_at")
            .order_by("created_at", "pk")
        ),
        "weekly_digest": DigestSubscription.objects.filter(user=user).exists(),
    }


def open_requests_of(organisation: Organisation, limit: int) -> list[PartnershipRequest]:
    """A member organisation's open requests and offers, newest first, for its page (one
    query)."""
    rows = PartnershipRequest.objects.filter(
        organisation=organisation,
        organisation__status=Organisation.Status.MEMBER,
        status=PartnershipRequest.Status.OPEN,
    )
    return list(rows.only("pk", "title", "kind").order_by("-created_at", "-pk")[:limit])


def requests_of_person(user) -> QuerySet[PartnershipRequest]:
    """Requests and offers of the member organisations the person acts for (those they may
    manage), open ones first, then the newest (one query)."""
    closed = Case(
        When(status=PartnershipRequest.Status.OPEN, then=Value(0)),
        default=Value(1),
    )
    return (
        PartnershipRequest.objects.filter(organisation__in=organisations_acted_for(user))
        .select_related("organisation")
        .order_by(closed, "-created_at", "-pk")
    )


def interests_to_answer(user) -> QuerySet[ExpressionOfInterest]:
    """Expressions of interest in the requests of the person's organisations that nobody
    has answered yet (`is_pending`, `can_answer_interest`), the oldest first."""
    return (
        ExpressionOfInterest.objects.filter(
            status=ExpressionOfInterest.Status.PENDING,
            request__organisation__in=organisations_answering_interests(user),
        )
        .select_related("request", "organisation")
        .order_by("created_at", "pk")
    )


def places_to_answer(user) -> QuerySet[Partner]:
    """Places in partnerships that organisations the person answers for (`can_answer_for`)
    have not accepted or declined yet (`awaits_answer`), the oldest first."""
    return (
        Partner.objects.filter(
            answer=Partner.Answer.PENDING,
            organisation__in=organisations_answered_for(user),
        )
        .select_related("partnership", "organisation")
        .order_by("partnership__created_at", "pk")
    )
