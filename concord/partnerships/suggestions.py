"""Partner suggestions as the request page and the API show them, kept for a while.

Matching reads every member with its themes, SDGs, languages, description vectors and case
studies, and scores each one: tens to hundreds of milliseconds at a thousand members, which
the request page spent on every view, for anyone. The answer is now kept per request and
language (reasons are worded in the reader's language) for MATCHES_CACHE_SECONDS. Its key
holds a generation that moves on whenever the request or a candidate changes (an
organisation or a request or offer saved or deleted, their themes, SDGs and places, declared
working languages, a description vector; see apps.py), so those changes show at once in
this process (in every process with a shared cache, e.g. Redis); what no signal sees (a case
study published) shows within the bound.
"""

from django.conf import settings
from django.core.cache import cache
from django.utils import translation

from concord.partnerships import matching
from concord.partnerships.models import PartnershipRequest

GENERATION_KEY = "partner-matches-generation"
SHAPE = 2  # 2: each suggestion's `most`, the answer's `sources`


def generation() -> int:
    return cache.get_or_set(GENERATION_KEY, 0, timeout=None)


def candidates_changed(sender=None, **kwargs) -> None:
    """A signal receiver: every kept suggestion is stale from now on."""
    try:
        cache.incr(GENERATION_KEY)
    except ValueError:  # not set yet (or evicted): any new value differs from the kept keys'
        cache.set(GENERATION_KEY, 1, timeout=None)


def suggestions_for(posted: PartnershipRequest, limit: int = 10) -> matching.Matches:
    if settings.MATCHES_CACHE_SECONDS <= 0:
        return matching.matches_for(posted, limit)
    # SHAPE names the fields of a kept answer, so answers kept by an older release (in a
    # shared cache) are not read back without the fields this one shows.
    key = f"partner-matches:{SHAPE}:{posted.pk}:{generation()}:{translation.get_language()}:{limit}"
    found = cache.get(key)
    if found is None:
        found = matching.matches_for(posted, limit)
        cache.set(key, found, timeout=settings.MATCHES_CACHE_SECONDS)
    return found
