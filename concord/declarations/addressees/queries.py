"""Reads for addressees: a declaration's addressees with what was delivered and answered,
and the response coverage, worked out by the one coverage function."""

from collections import Counter
from dataclasses import dataclass, field

from django.db.models import Prefetch

from concord.countries.queries import Coverage, coverage
from concord.declarations.addressees.models import Addressee, Response
from concord.declarations.models import Declaration


def addressees(declaration: Declaration):
    """Every addressee with its deliveries, responses and their pledges (four queries)."""
    return (
        Addressee.objects.filter(declaration=declaration)
        .select_related("country")
        .prefetch_related(
            "deliveries",
            Prefetch("responses", queryset=Response.objects.prefetch_related("pledges")),
        )
    )


def published_responses(declaration: Declaration):
    return (
        Response.objects.filter(addressee__declaration=declaration, published_at__isnull=False)
        .select_related("addressee", "addressee__country")
        .prefetch_related("pledges")
    )


@dataclass(frozen=True)
class ResponseCoverage:
    """What the governments addressed and those that responded represent."""

    addressed: Coverage
    responded: Coverage
    per_country: dict[str, int] = field(default_factory=dict)
    responses: list = field(default_factory=list)
    pledges: list = field(default_factory=list)
    institutions: int = 0

    @property
    def any(self) -> bool:
        return bool(self.addressed.countries or self.institutions or self.responses)


def response_coverage(declaration: Declaration) -> ResponseCoverage:
    """Only published responses count. One query without addressees; three with them,
    whatever their number."""
    addressed = list(
        Addressee.objects.filter(declaration=declaration).values_list("country_id", flat=True)
    )
    # No addressee, no response: the public page asks this of every declaration.
    responses = list(published_responses(declaration)) if addressed else []
    per_country = Counter(r.addressee.country_id for r in responses if r.addressee.country_id)
    pledges = sorted(
        (pledge for response in responses for pledge in response.pledges.all()),
        key=lambda pledge: (pledge.deadline, pledge.pk),
    )
    return ResponseCoverage(
        addressed=coverage(code for code in addressed if code),
        responded=coverage(per_country),
        per_country=dict(per_country),
        responses=responses,
        pledges=pledges,
        institutions=sum(1 for code in addressed if not code),
    )
