"""Reads for case studies: search (one function over both databases), pages, reuse by other apps."""

from __future__ import annotations

from dataclasses import dataclass, field, fields
from typing import Any

import numpy as np
from django.core.exceptions import ValidationError
from django.db.models import Count, Prefetch, Q, QuerySet
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _

from concord.core.checks import has_nul, length_message, nul_message
from concord.core.models import Sdg, Theme
from concord.countries.checks import country_message
from concord.countries.models import CountryGroup, Region
from concord.countries.queries import is_country
from concord.knowledge import search, words
from concord.knowledge.embeddings import get_embedder
from concord.knowledge.models import LANGUAGES, Adaptation, Practice, Translation
from concord.organisations.models import Organisation

MODES = ("hybrid", "fulltext", "semantic")
SORTS = ("relevance", "newest", "title")
MAX_QUERY_CHARS = 300
SNIPPET_CHARS = 240


@dataclass(frozen=True)
class PracticeFilters:
    q: str = ""
    mode: str = "hybrid"
    theme: str = ""
    sdg: int | None = None
    country: str = ""
    region: str = ""
    group: str = ""
    language: str = ""
    setting: str = ""
    sort: str = "relevance"

    def filtering(self) -> bool:
        return any(
            getattr(self, f.name) for f in fields(self) if f.name not in ("q", "mode", "sort")
        )


def check_filters(filters: PracticeFilters) -> PracticeFilters:
    """Refuse, per parameter and with a message, values that name nothing."""
    errors: dict[str, list[str]] = {}
    q = filters.q or ""
    if len(q) > MAX_QUERY_CHARS:
        # The one message of a text over its limit, its plural chosen by the limit.
        errors["q"] = [length_message(MAX_QUERY_CHARS)]
    elif has_nul(q):
        errors["q"] = [nul_message()]
    if filters.mode not in MODES:
        errors["mode"] = [_("Choose fulltext, semantic or hybrid.")]
    if filters.sort not in SORTS:
        errors["sort"] = [_("Sort by relevance, newest or title.")]
    if filters.theme and not Theme.objects.filter(slug=filters.theme).exists():
        errors["theme"] = [_("Unknown theme “%(value)s”.") % {"value": filters.theme}]
    if filters.sdg is not None and not 1 <= filters.sdg <= 17:
        errors["sdg"] = [_("SDGs are numbered 1 to 17.")]
    if filters.country and not is_country(filters.country.upper()):
        errors["country"] = [country_message(filters.country)]
    if filters.region and not Region.objects.filter(code=filters.region).exists():
        errors["region"] = [_("Unknown UN M49 region “%(value)s”.") % {"value": filters.region}]
    if filters.group and not CountryGroup.objects.filter(slug=filters.group).exists():
        errors["group"] = [_("Unknown country group “%(value)s”.") % {"value": filters.group}]
    if filters.language and filters.language not in dict(LANGUAGES):
        errors["language"] = [_("Unknown language “%(value)s”.") % {"value": filters.language}]
    if filters.setting and filters.setting not in Practice.Setting.values:
        errors["setting"] = [_("Unknown setting “%(value)s”.") % {"value": filters.setting}]
    if errors:
        raise ValidationError(errors)
    return filters


def _with_details(queryset: QuerySet[Practice]) -> QuerySet[Practice]:
    return queryset.select_related("organisation", "organisation__country").prefetch_related(
        "themes", "countries", "translations"
    )


def published() -> QuerySet[Practice]:
    return Practice.objects.filter(status=Practice.Status.PUBLISHED)


def _filtered(filters: PracticeFilters) -> QuerySet[Practice]:
    """Published case studies matching the filters, one row each (subqueries, no joins)."""
    queryset = published()
    countries = Practice.countries.through.objects.all()
    if filters.theme:
        queryset = queryset.filter(
            pk__in=Practice.themes.through.objects.filter(theme_id=filters.theme).values(
                "practice_id"
            )
        )
    if filters.sdg:
        queryset = queryset.filter(
            pk__in=Practice.sdgs.through.objects.filter(sdg_id=filters.sdg).values("practice_id")
        )
    if filters.country:
        queryset = queryset.filter(
            pk__in=countries.filter(country_id=filters.country.upper()).values("practice_id")
        )
    if filters.region:
        queryset = queryset.filter(
            pk__in=countries.filter(
                Q(country__region_id=filters.region)
                | Q(country__subregion_id=filters.region)
                | Q(country__intermediate_region_id=filters.region)
            ).values("practice_id")
        )
    if filters.group:
        queryset = queryset.filter(
            pk__in=countries.filter(country__groups__slug=filters.group).values("practice_id")
        )
    if filters.language:
        queryset = queryset.filter(
            Q(language=filters.language)
            | Q(pk__in=Translation.objects.filter(language=filters.language).values("practice_id"))
        )
    if filters.setting:
        queryset = queryset.filter(setting=filters.setting)
    return queryset


@dataclass
class SearchResult:
    """Case studies matching a search, in order; pages are loaded on demand.

    With a query, `ids` holds the ranked matches (a few hundred at most). Without one,
    `queryset` holds the filtered list, counted and paged by the database.
    """

    filters: PracticeFilters
    ids: list[int] | None
    mode: str  # the mode actually used ("fulltext" when semantic search is off)
    semantic_available: bool
    terms: list[str] = field(default_factory=list)
    queryset: QuerySet[Practice] | None = None
    _count: int | None = None

    def count(self) -> int:
        if self.ids is not None:
            return len(self.ids)
        if self._count is None:
            assert self.queryset is not None
            self._count = self.queryset.count()
        return self._count

    def __len__(self) -> int:
        return self.count()

    def page_ids(self, offset: int, size: int) -> list[int]:
        if self.ids is not None:
            return self.ids[offset : offset + size]
        assert self.queryset is not None
        return list(self.queryset.values_list("pk", flat=True)[offset : offset + size])

    def all_ids(self) -> list[int]:
        return self.page_ids(0, 10**9)

    def page(self, offset: int, size: int) -> list[Practice]:
        ids = self.page_ids(offset, size)
        if not ids:
            return []
        rows = {p.pk: p for p in _with_details(Practice.objects.filter(pk__in=ids))}
        practices = [rows[pk] for pk in ids if pk in rows]
        for practice in practices:
            practice.snippet = snippet(practice.summary, self.terms)  # type: ignore[attr-defined]
        return practices

    def __getitem__(self, item: slice) -> list[Practice]:
        # Lets the API's paginator slice the result like a queryset.
        start = item.start or 0
        stop = item.stop if item.stop is not None else self.count()
        return self.page(start, stop - start)

    def facets(self) -> dict[str, list[tuple[str, int]]]:
        """Counts per theme, language, setting and region over the whole result."""
        if self.ids is not None:
            if not self.ids:
                return {"theme": [], "language": [], "setting": [], "region": []}
            selected: Any = self.ids
        else:
            assert self.queryset is not None
            selected = self.queryset.order_by().values("pk")
        practices = Practice.objects.filter(pk__in=selected).order_by()
        themes = dict(
            Practice.themes.through.objects.filter(practice_id__in=selected)
            .order_by()
            .values_list("theme_id")
            .annotate(n=Count("id"))
            .values_list("theme_id", "n")  # type: ignore[misc]
        )
        languages = dict(
            practices.values_list("language").annotate(n=Count("id")).values_list("language", "n")
        )
        settings_ = dict(
            practices.values_list("setting").annotate(n=Count("id")).values_list("setting", "n")
        )
        regions = dict(
            Practice.countries.through.objects.filter(practice_id__in=selected)
            .order_by()
            .values_list("country__region_id")
            .annotate(n=Count("practice_id", distinct=True))
            .values_list("country__region_id", "n")  # type: ignore[misc]
        )
        return {
            "theme": [(t.slug, themes[t.slug]) for t in Theme.objects.all() if t.slug in themes],
            "language": sorted(languages.items(), key=lambda kv: -kv[1]),
            "setting": sorted(settings_.items(), key=lambda kv: -kv[1]),
            "region": sorted(((k, v) for k, v in regions.items() if k), key=lambda kv: -kv[1]),
        }


CANDIDATES = 1000  # ranked candidates kept before filters apply


def search_practices(filters: PracticeFilters) -> SearchResult:
    """The one search: full text, semantic or both (fused), filtered, sorted.

    Raises ValidationError for unknown filter values or an oversized query. Without a
    query, lists the filtered case studies (newest first, or by title).
    """
    check_filters(filters)
    embedder = get_embedder()
    q = " ".join((filters.q or "").split())
    mode = filters.mode
    if embedder is None and mode != "fulltext":
        mode = "fulltext"
    filtered = _filtered(filters)
    if not q:
        order = ["title", "pk"] if filters.sort == "title" else ["-published_at", "-pk"]
        return SearchResult(
            filters, None, mode, embedder is not None, queryset=filtered.order_by(*order)
        )

    filtering = filters.filtering()
    rankings = []
    if mode in ("fulltext", "hybrid"):
        # Hybrid fusion reads only the best few full-text matches: ask for no more.
        limit = search.FULLTEXT_LIMIT if mode == "fulltext" else search.HYBRID_FULLTEXT_DEPTH
        rankings.append(search.fulltext_ranking(q, limit=CANDIDATES if filtering else limit))
    if mode in ("semantic", "hybrid"):
        rankings.append(
            search.semantic_ranking(q, CANDIDATES if filtering else search.SEMANTIC_LIMIT)
        )
    ranked = rankings[0] if len(rankings) == 1 else search.fuse(rankings[0], rankings[1])
    ids = [pk for pk, _score in ranked]
    if ids:
        # Filters apply to the ranked candidates; the index and the matrix only hold
        # published case studies, but one may have been withdrawn since: keep what is now.
        keep = set(filtered.filter(pk__in=ids).values_list("pk", flat=True))
        ids = [pk for pk in ids if pk in keep]
        if filtering:
            ids = ids[: search.FULLTEXT_LIMIT if mode == "fulltext" else search.SEMANTIC_LIMIT]
    if filters.sort != "relevance" and ids:
        order = ["title", "pk"] if filters.sort == "title" else ["-published_at", "-pk"]
        ids = list(
            Practice.objects.filter(pk__in=ids).order_by(*order).values_list("pk", flat=True)
        )
    return SearchResult(filters, ids, mode, embedder is not None, terms=words.query_terms(q))


def snippet(text: str, terms: list[str], size: int = SNIPPET_CHARS) -> SafeString:
    """A passage of `text` around the first matching word, HTML-escaped, matches in <mark>."""
    return words.snippet(text, terms, size)


# ---- pages -----------------------------------------------------------------------------------


def practice_for_page(pk: int) -> Practice | None:
    return (
        _with_details(Practice.objects.filter(pk=pk))
        .select_related("created_by")
        .prefetch_related(
            "sdgs",
            "blocks",
            "photos",
            "documents",
            "revisions",
            Prefetch(
                "adaptations",
                queryset=Adaptation.objects.select_related("organisation", "country"),
            ),
        )
        .first()
    )


def practices_of(user) -> QuerySet[Practice]:
    """Case studies of the organisations the person represents, any status."""
    if not user.is_authenticated:
        return Practice.objects.none()
    return _with_details(
        Practice.objects.filter(organisation__representatives__user=user).order_by(
            "-updated_at", "-pk"
        )
    )


def practices_to_review() -> QuerySet[Practice]:
    return _with_details(
        Practice.objects.filter(status=Practice.Status.SUBMITTED).order_by("submitted_at", "pk")
    )


def practices_with_unreviewed_media() -> QuerySet[Practice]:
    """Published case studies with photos or PDFs added since, waiting for the secretariat."""
    waiting = Q(photos__awaits_review=True) | Q(documents__awaits_review=True)
    return (
        published().filter(waiting).distinct().select_related("organisation")
        .prefetch_related("photos", "documents").order_by("pk")
    )  # fmt: skip


def similar_practices(practice: Practice, limit: int = 4) -> list[Practice]:
    """Nearest published case studies by meaning; by shared themes when semantic is off."""
    ranked = [pk for pk, _score in search.similar_to(practice.pk, limit)]
    if ranked:
        rows = {p.pk: p for p in _with_details(published().filter(pk__in=ranked))}
        return [rows[pk] for pk in ranked if pk in rows]
    theme_ids = [t.slug for t in practice.themes.all()]
    return list(
        _with_details(
            published()
            .filter(themes__slug__in=theme_ids)
            .exclude(pk=practice.pk)
            .annotate(shared=Count("themes"))
            .order_by("-shared", "-published_at")
        )[:limit]
    )


def organisations_on_same_themes(practice: Practice, limit: int = 6) -> list[Organisation]:
    """Member organisations working on the case study's themes in other regions."""
    themes = [t.slug for t in practice.themes.all()]
    regions = {c.region_id for c in practice.countries.all()} | {
        practice.organisation.country.region_id
    }
    return list(
        Organisation.objects.filter(status=Organisation.Status.MEMBER, themes__slug__in=themes)
        .exclude(pk=practice.organisation_id)
        .exclude(country__region_id__in=[r for r in regions if r])
        .annotate(shared=Count("themes", distinct=True))
        .select_related("country")
        .order_by("-shared", "name")[:limit]
    )


def adaptation_counts(practice: Practice) -> dict[str, int]:
    """{country code: adaptations there}, for the map."""
    counts: dict[str, int] = {}
    for adaptation in practice.adaptations.all():
        counts[adaptation.country_id] = counts.get(adaptation.country_id, 0) + 1
    return counts


def adaptations_of(practice: Practice) -> QuerySet[Adaptation]:
    return Adaptation.objects.filter(practice=practice).select_related("organisation", "country")


def theme_choices() -> list[tuple[str, str]]:
    return [(t.slug, str(t)) for t in Theme.objects.all()]


def sdg_choices() -> list[tuple[int, str]]:
    return [(s.number, str(s)) for s in Sdg.objects.all()]


# ---- for other apps (partnerships matching) ---------------------------------------------------


def published_practices_by_organisation(organisation_ids) -> dict[int, list[dict]]:
    """{organisation id: [{"id", "title", "language", "themes": [slug, ...]}]} of published
    case studies, newest first, in two queries."""
    result: dict[int, list[dict]] = {int(pk): [] for pk in organisation_ids}
    practices = (
        published()
        .filter(organisation_id__in=list(result))
        .prefetch_related("themes")
        .order_by("-published_at", "-pk")
    )
    for practice in practices:
        result[practice.organisation_id].append(
            {
                "id": practice.pk,
                "title": practice.title,
                "language": practice.language,
                "themes": [t.slug for t in practice.themes.all()],
            }
        )
    return result


def practice_vectors(practice_id: int) -> dict[str, np.ndarray]:
    """{language: L2-normalised vector} stored for a published case study by the configured
    embedding model; empty when it has none yet or semantic search is off."""
    return search.practice_vectors(practice_id)


def published_by(organisation: Organisation, limit: int) -> list[Practice]:
    """The organisation's newest published case studies, for its page (one query)."""
    return list(
        published().filter(organisation=organisation).only("pk", "title", "language")[:limit]
    )
