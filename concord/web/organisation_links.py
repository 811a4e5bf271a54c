"""What an organisation's page links to in the apps above it: its published case studies, its
projects, its open requests and offers, the events it organises. Organisations sits below those
apps and imports none of them, so the assembly lives here; each app's queries give only what the
public may see, in one query each."""

from dataclasses import dataclass

from concord.events import queries as events
from concord.knowledge import queries as knowledge
from concord.organisations.models import Organisation
from concord.partnerships import queries as partnerships
from concord.results import queries as results

# Enough for a profile page; the full lists live in each app.
PER_KIND = 10


@dataclass(frozen=True)
class OrganisationLinks:
    practices: list
    projects: list
    requests: list
    events: list

    def __bool__(self) -> bool:
        return bool(self.practices or self.projects or self.requests or self.events)


def links_for(organisation: Organisation) -> OrganisationLinks:
    return OrganisationLinks(
        practices=knowledge.published_by(organisation, PER_KIND),
        projects=results.projects_of(organisation, PER_KIND),
        requests=partnerships.open_requests_of(organisation, PER_KIND),
        events=events.organised_by(organisation, PER_KIND),
    )
