"""Who may apply to a funding call: the one rule that the call's page, an organisation's
funding list, the weekly digest and the API all ask, so they never disagree.

Eligibility depends on the organisation's country alone: listed by the call, a member of a
listed group, in a listed M49 region (at any of its three levels), or the call is open to
all. It is worked out when asked, from the call's own lists and the reference data as they
are now, so a list corrected in the back office or a group's new membership counts at once.
Themes are no part of it: they order and mark the list (`shared_themes`), never hide a call.
"""

from django.utils.translation import gettext as _

from concord.countries.names import group_short_name, localised_name
from concord.countries.queries import reference
from concord.partnerships.models import FundingCall


def eligibility_reason(call: FundingCall, country: str) -> str | None:
    """Why an organisation based in `country` may apply, or None when it may not. Reads the
    call's prefetched countries, groups and regions (`queries.call_for_page`)."""
    facts = reference().countries.get(country)
    name = localised_name(country, facts.name if facts else country)
    if any(c.code == country for c in call.eligible_countries.all()):
        return _("eligible: %(country)s is listed") % {"country": name}
    if facts:
        for group in call.eligible_groups.all():
            if group.slug in facts.groups:
                return _("eligible: %(country)s is in %(group)s") % {
                    "country": name,
                    "group": group_short_name(group.slug, group.short_name),
                }
        areas = {facts.region, facts.subregion, facts.intermediate_region}
        for region in call.eligible_regions.all():
            if region.code in areas:
                return _("eligible: %(country)s is in %(region)s") % {
                    "country": name,
                    "region": localised_name(region.code, region.name),
                }
    if call.open_to_all:
        return _("open to organisations in every country")
    return None


def shared_themes(call: FundingCall, themes: set[str]) -> list[str]:
    """The call's themes (slugs, in the call's order) that are among `themes`."""
    return [theme.slug for theme in call.themes.all() if theme.slug in themes]
