"""Matching: for a request, ranked organisations and offers, each with its reasons.

The score is a sum of explained signals, each small and readable:

| signal | points |
| --- | --- |
| shared themes | 6 x the share of the request's themes the candidate works on |
| shared SDGs | 1 per SDG (at most 3) |
| geography: works in a country of the request | 4 |
| works in a region of the request | 3 |
| South-South: the same challenges elsewhere (another SIDS or landlocked country) | 2 |
| works nearby: in a country sharing a land border with one of the request's | 1.5 |
| the same challenges in another least developed country | 1 |
| a common working language | 2 |
| an open offer for the same purpose | 1 |
| similar descriptions (cosine of text embeddings) | up to 4 |
| published case studies on the request's themes, or describing similar work | 1.5 each, at most 3 |

Every signal that scores writes one reason in plain words, in the reader's language, and a
suggestion says what its points are out of (`most`: the ceilings of the signals it could
earn for this request). The requesting organisation (and its own offers) are never
suggested, nor, for a request about the coast, organisations based in landlocked countries
(`places.leaves_out_landlocked`). When no text model is configured, or a description has
not been embedded yet, the similarity signal is left out and the answer says so.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache

import numpy as np
from babel.languages import get_official_languages
from django.db.models import Prefetch
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext, pgettext

from concord.core.collation import sort_key
from concord.core.models import Theme
from concord.countries import geography
from concord.countries.names import babel_locale
from concord.knowledge import search as knowledge_search
from concord.knowledge.embeddings import from_bytes, get_embedder
from concord.knowledge.queries import published_practices_by_organisation
from concord.organisations.models import Organisation
from concord.partnerships import coastal
from concord.partnerships.models import (
    WORKING_LANGUAGES,
    OrganisationLanguages,
    PartnershipRequest,
    TextVector,
)
from concord.partnerships.places import IN_COUNTRY, geographic_signal, leaves_out_landlocked

THEMES, LANGUAGE, SAME_PURPOSE = 6.0, 2.0, 1.0
SDG_MAX, SIMILARITY_MAX = 3.0, 4.0
CASE_STUDY_POINTS, CASE_STUDY_MAX = 1.5, 3.0
SIMILARITY_FLOOR = 0.80  # below: unrelated texts (multilingual-e5 scores those 0.75-0.85)
SIMILARITY_SPAN = 0.12
SIMILARITY_REASON = 0.86


@dataclass
class Suggestion:
    organisation: Organisation
    offer: PartnershipRequest | None
    score: float = 0.0
    reasons: list[str] = field(default_factory=list)
    signals: dict[str, float] = field(default_factory=dict)
    most: int = 0  # the most it could score for this request: what `score` is out of

    @property
    def points(self) -> int:
        """The score in whole points, as the page shows it beside `most`."""
        return round(self.score)

    @property
    def kind(self) -> str:
        return "offer" if self.offer is not None else "organisation"

    @property
    def explanation(self) -> str:
        return explain(self.reasons)


def explain(reasons: list[str]) -> str:
    """Reasons joined as a sentence in the reader's language (Arabic uses its own semicolon)."""
    return pgettext("between reasons", "; ").join(reasons)


@dataclass
class Matches:
    request: PartnershipRequest
    suggestions: list[Suggestion]
    similarity_used: bool
    notes: list[str]
    # Reference data the suggestions read (land borders, landlocked countries), to be cited.
    sources: list[geography.Source] = field(default_factory=list)


def language_name(code: str) -> str:
    locale = babel_locale(translation.get_language() or "en")
    return locale.languages.get(code, code) if locale else code


@lru_cache(maxsize=512)
def country_languages(code: str) -> tuple[str, ...]:
    """Official and de facto languages of a country, as a stand-in for an organisation's."""
    try:
        found = get_official_languages(code, de_facto=True)
    except (ValueError, TypeError):
        return ()
    return tuple(language for language in found if language in WORKING_LANGUAGES)


def organisation_languages(organisation: Organisation, declared: dict[int, list[str]]) -> set[str]:
    if organisation.pk in declared:
        return set(declared[organisation.pk])
    return set(country_languages(organisation.country_id))


def purpose_label(purpose: str) -> str:
    return str(PartnershipRequest.Purpose(purpose).label).lower()


def _join(items: list[str]) -> str:
    return ", ".join(items)


@dataclass
class _Target:
    themes: dict[str, str]
    sdgs: set[int]
    countries: set[str]
    regions: set[str]
    languages: set[str]
    vector: np.ndarray | None
    purpose: str = ""


def _most(target: _Target, kind: str) -> int:
    """The ceilings of the signals a suggestion of this kind can earn for this request."""
    most = IN_COUNTRY + min(float(len(target.sdgs)), SDG_MAX)
    if target.themes:
        most += THEMES
    if target.languages:
        most += LANGUAGE
    if target.vector is not None:
        most += SIMILARITY_MAX
    if kind == "offer":
        most += SAME_PURPOSE
    elif target.themes or target.vector is not None:
        most += CASE_STUDY_MAX
    return round(most)


def _score(
    suggestion: Suggestion,
    target: _Target,
    *,
    themes: dict[str, str],
    sdgs: set[int],
    places: set[str],
    languages: set[str],
    vector: np.ndarray | None,
    case_studies: tuple[int, float, list[str]] | None,
    purpose: str = "",
) -> Suggestion:
    shared = [name for slug, name in target.themes.items() if slug in themes]
    points, place = geographic_signal(target.countries, target.regions, places)
    if shared:
        suggestion.signals["themes"] = round(THEMES * len(shared) / len(target.themes), 2)
        topic = _join(shared).lower()
        if points == IN_COUNTRY:
            suggestion.reasons.append(
                _("works on %(themes)s in %(places)s") % {"themes": topic, "places": place}
            )
        else:
            suggestion.reasons.append(_("works on %(themes)s") % {"themes": topic})
    if place and points == IN_COUNTRY and not shared:
        suggestion.reasons.append(_("works in %(places)s") % {"places": place})
    elif place and points < IN_COUNTRY:
        suggestion.reasons.append(place)
    if place:
        suggestion.signals["geography"] = points
    common_sdgs = sorted(target.sdgs & sdgs)
    if common_sdgs:
        suggestion.signals["sdgs"] = min(float(len(common_sdgs)), SDG_MAX)
        suggestion.reasons.append(
            ngettext("shares SDG %(sdgs)s", "shares SDGs %(sdgs)s", len(common_sdgs))
            % {"sdgs": _join([str(n) for n in common_sdgs])}
        )
    spoken = sorted(target.languages & languages)
    if spoken:
        suggestion.signals["language"] = LANGUAGE
        suggestion.reasons.append(
            _("speaks %(languages)s") % {"languages": _join([language_name(c) for c in spoken])}
        )
    if purpose and purpose == target.purpose:
        suggestion.signals["purpose"] = SAME_PURPOSE
        suggestion.reasons.append(
            _("offers what is sought (%(purpose)s)") % {"purpose": purpose_label(purpose)}
        )
    if target.vector is not None and vector is not None:
        cosine = float(target.vector @ vector)
        points = SIMILARITY_MAX * min(max((cosine - SIMILARITY_FLOOR) / SIMILARITY_SPAN, 0.0), 1.0)
        if points > 0:
            suggestion.signals["similarity"] = round(points, 2)
        if cosine >= SIMILARITY_REASON:
            suggestion.reasons.append(_("describes similar work"))
    if case_studies:
        count, points, titles = case_studies
        suggestion.signals["case_studies"] = points
        suggestion.reasons.append(
            ngettext(
                "has published %(count)d case study on %(topic)s",
                "has published %(count)d case studies on %(topic)s",
                count,
            )
            % {"count": count, "topic": _join(titles)}
        )
    suggestion.score = round(sum(suggestion.signals.values()), 2)
    suggestion.most = _most(target, suggestion.kind)
    return suggestion


def _vectors(subject: str, ids: list[int], model: str) -> dict[int, np.ndarray]:
    rows = TextVector.objects.filter(subject=subject, object_id__in=ids, model=model).values_list(
        "object_id", "vector"
    )
    return {pk: from_bytes(bytes(data), len(bytes(data)) // 4)[0] for pk, data in rows}


def _practice_similarity(target_vector: np.ndarray | None) -> dict[int, float]:
    """{case study id: best cosine of any of its language versions with the request}, from the
    knowledge app's in-memory matrix of published vectors (one cheap query when unchanged)."""
    embedder = get_embedder()
    if target_vector is None or embedder is None:
        return {}
    matrix = knowledge_search.semantic_matrix(embedder)
    if not len(matrix.practice_ids):
        return {}
    best: dict[int, float] = {}
    for practice_id, cosine in zip(
        matrix.practice_ids.tolist(), (matrix.vectors @ target_vector).tolist(), strict=True
    ):
        best[practice_id] = max(cosine, best.get(practice_id, -1.0))
    return best


def _case_study_signals(
    organisation_ids: list[int], themes: dict[str, str], target_vector: np.ndarray | None
) -> dict[int, tuple[int, float, list[str]]]:
    """Per organisation: how many of its published case studies are on the request's themes
    or describe similar work, the points that earns, and what to call the topic."""
    practices = published_practices_by_organisation(organisation_ids)
    similarity = _practice_similarity(target_vector)
    signals = {}
    for pk, published in practices.items():
        relevant: list[dict] = []
        topics: list[str] = []
        for practice in published:
            shared = [themes[slug] for slug in practice["themes"] if slug in themes]
            if shared or similarity.get(practice["id"], 0.0) >= SIMILARITY_REASON:
                relevant.append(practice)
                topics.extend(name for name in shared if name not in topics)
        if not relevant:
            continue
        topic = (
            _join(topics).lower() if topics else _join([f"“{p['title']}”" for p in relevant[:2]])
        )
        points = min(CASE_STUDY_POINTS * len(relevant), CASE_STUDY_MAX)
        signals[pk] = (len(relevant), points, [topic])
    return signals


def matches_for(posted: PartnershipRequest, limit: int = 10) -> Matches:
    """Ranked suggestions for a request: organisations, and other members' open offers."""
    embedder = get_embedder()
    notes: list[str] = []
    posted = (
        PartnershipRequest.objects.select_related("organisation")
        .prefetch_related("themes", "sdgs", "countries", "regions")
        .get(pk=posted.pk)
    )
    target_countries = {c.code for c in posted.countries.all()}
    if not target_countries and not posted.regions.exists():
        target_countries = {posted.organisation.country_id}
    vector = None
    if embedder is None:
        notes.append(_("Description similarity is off: no text model is configured."))
    else:
        vector = _vectors("request", [posted.pk], embedder.name).get(posted.pk)
        if vector is None:
            notes.append(_("Description similarity is not ready yet for this request."))
    target = _Target(
        themes={t.slug: str(t) for t in posted.themes.all()},
        sdgs={s.number for s in posted.sdgs.all()},
        countries=target_countries,
        regions={r.code for r in posted.regions.all()},
        languages=set(posted.languages),
        vector=vector,
        purpose=posted.purpose,
    )

    candidates = list(
        Organisation.objects.filter(status=Organisation.Status.MEMBER)
        .exclude(pk=posted.organisation_id)
        .only("pk", "name", "country_id", "status")
        .order_by("pk")
    )
    # Themes and SDGs of every candidate as plain pairs: two queries, no model per link.
    theme_names = {theme.slug: str(theme) for theme in Theme.objects.all()}
    org_themes: dict[int, dict[str, str]] = {}
    for pk, slug in Organisation.themes.through.objects.filter(
        organisation__status=Organisation.Status.MEMBER
    ).values_list("organisation_id", "theme_id"):
        org_themes.setdefault(pk, {})[slug] = theme_names[slug]
    org_sdgs: dict[int, set[int]] = {}
    for pk, number in Organisation.sdgs.through.objects.filter(
        organisation__status=Organisation.Status.MEMBER
    ).values_list("organisation_id", "sdg_id"):
        org_sdgs.setdefault(pk, set()).add(number)
    offers = list(
        PartnershipRequest.objects.filter(
            kind=PartnershipRequest.Kind.OFFER,
            status=PartnershipRequest.Status.OPEN,
            organisation__status=Organisation.Status.MEMBER,
        )
        .exclude(organisation_id=posted.organisation_id)
        .select_related("organisation", "organisation__country")
        .prefetch_related("themes", "sdgs", Prefetch("countries", to_attr="country_list"))
        .order_by("pk")
    )
    if leaves_out_landlocked(
        coastal.is_coastal(target.themes, f"{posted.title}\n{posted.description}"),
        target.countries,
    ):
        kept = [o for o in candidates if not geography.is_landlocked(o.country_id)]
        if len(kept) < len(candidates):
            notes.append(
                _(
                    "This request is about the coast, so organisations based in landlocked "
                    "countries are not suggested."
                )
            )
        candidates = kept
        offers = [o for o in offers if not geography.is_landlocked(o.organisation.country_id)]
    declared = dict(OrganisationLanguages.objects.values_list("organisation_id", "languages"))
    org_vectors: dict[int, np.ndarray] = {}
    offer_vectors: dict[int, np.ndarray] = {}
    if vector is not None and embedder is not None:
        org_vectors = _vectors("organisation", [o.pk for o in candidates], embedder.name)
        offer_vectors = _vectors("request", [o.pk for o in offers], embedder.name)
    case_studies = _case_study_signals([o.pk for o in candidates], target.themes, vector)

    suggestions = []
    for organisation in candidates:
        suggestions.append(
            _score(
                Suggestion(organisation, None),
                target,
                themes=org_themes.get(organisation.pk, {}),
                sdgs=org_sdgs.get(organisation.pk, set()),
                places={organisation.country_id},
                languages=organisation_languages(organisation, declared),
                vector=org_vectors.get(organisation.pk),
                case_studies=case_studies.get(organisation.pk),
            )
        )
    for offer in offers:
        suggestions.append(
            _score(
                Suggestion(offer.organisation, offer),
                target,
                themes={t.slug: str(t) for t in offer.themes.all()},
                sdgs={s.number for s in offer.sdgs.all()},
                places={c.code for c in offer.country_list} | {offer.organisation.country_id},
                languages=set(offer.languages)
                or organisation_languages(offer.organisation, declared),
                vector=offer_vectors.get(offer.pk),
                case_studies=None,
                purpose=offer.purpose,
            )
        )
    # Geography or a language alone is no reason to suggest someone: the work must relate.
    related = {"themes", "sdgs", "similarity", "case_studies"}
    ranked = sorted(
        (s for s in suggestions if related & s.signals.keys()),
        key=lambda s: (-s.score, sort_key(s.organisation.name), s.offer.pk if s.offer else 0),
    )
    return Matches(
        request=posted,
        suggestions=ranked[:limit],
        similarity_used=vector is not None,
        notes=notes,
        sources=[geography.source()],
    )
