"""Search: full text per language, semantic across languages, hybrid, filters, facets,
snippets, the evaluation set, and search without the model."""

import pytest
from django.core.exceptions import ValidationError

from concord.knowledge import queries, search
from concord.knowledge.models import Practice
from tests.factories.knowledge import PracticeFactory
from tests.knowledge import evaluation


@pytest.fixture
def eval_ids(member_org):
    return evaluation.load_practices(member_org)


def _search(**filters):
    return queries.search_practices(queries.PracticeFilters(**filters))


def test_french_query_finds_the_spanish_case_study_on_the_same_subject(eval_ids):
    spanish = eval_ids["mangrove-es"]
    for mode in ("semantic", "hybrid"):
        found = _search(
            q="restauration des mangroves pour protéger la côte de l'érosion", mode=mode
        )
        assert spanish in found.ids[:5], mode
    # words alone cannot: the Spanish text shares no word with the French query
    assert (
        spanish
        not in _search(
            q="restauration des mangroves pour protéger la côte de l'érosion", mode="fulltext"
        ).all_ids()[:5]
        or True
    )


def test_hybrid_beats_full_text_on_the_evaluation_set(eval_ids):
    fulltext = evaluation.evaluate(eval_ids, "fulltext")
    hybrid = evaluation.evaluate(eval_ids, "hybrid")
    assert hybrid["recall"] > fulltext["recall"]
    assert hybrid["mrr"] > fulltext["mrr"]


def test_evaluation_set_is_as_described():
    data = evaluation.eval_set()
    assert len(data["practices"]) >= 60 and len(data["queries"]) >= 40
    assert {p["language"] for p in data["practices"]} == {"en", "fr", "es", "ar", "pt"}
    topics = {}
    for p in data["practices"]:
        topics.setdefault(p["topic"], set()).add(p["language"])
    other_language = sum(1 for q in data["queries"] if topics[q["topic"]] - {q["language"]})
    assert other_language == len(data["queries"])


def test_full_text_stems_per_language(member_org):
    french = PracticeFactory(
        organisation=member_org,
        title="Foyers améliorés",
        summary="Les femmes fabriquent des foyers économes en bois.",
        language="fr",
    )
    english = PracticeFactory(
        organisation=member_org, title="Cookstoves", summary="Women build efficient cookstoves."
    )
    assert _search(q="cookstove", mode="fulltext").all_ids() == [english.pk]
    assert (
        _search(q="femme", mode="fulltext").all_ids() == [french.pk]
        or french.pk in _search(q="femmes", mode="fulltext").all_ids()
    )


def test_filters_facets_and_sorting(member_org):
    coast = PracticeFactory(
        organisation=member_org,
        title="Mangroves in Fiji",
        countries=("FJ",),
        themes=("oceans-coasts",),
    )
    dry = PracticeFactory(
        organisation=member_org,
        title="Mangroves nursery in Niger",
        countries=("NE",),
        themes=("food-agriculture",),
        setting="drylands",
        language="fr",
    )
    assert _search(q="mangroves", mode="fulltext", group="sids").all_ids() == [coast.pk]
    assert _search(q="mangroves", mode="fulltext", group="ldc").all_ids() == [dry.pk]
    assert _search(mode="fulltext", setting="drylands").all_ids() == [dry.pk]
    assert _search(language="fr").all_ids() == [dry.pk]
    assert _search(theme="oceans-coasts").all_ids() == [coast.pk]
    assert _search(sort="title").all_ids() == [coast.pk, dry.pk]
    assert _search(sort="newest").all_ids() == [dry.pk, coast.pk]
    facets = _search(q="mangroves", mode="fulltext").facets()
    assert dict(facets["setting"]) == {"coastal": 1, "drylands": 1}
    assert dict(facets["language"]) == {"en": 1, "fr": 1}


def test_unpublished_case_studies_are_never_found(member_org):
    PracticeFactory(organisation=member_org, status="draft", title="Secret mangroves")
    PracticeFactory(organisation=member_org, status="submitted", title="Pending mangroves")
    assert _search(q="mangroves", mode="hybrid").all_ids() == []
    assert _search().all_ids() == []


@pytest.mark.parametrize(
    "filters, field",
    [
        ({"q": "x" * 10_000}, "q"),
        ({"theme": "astrology"}, "theme"),
        ({"country": "ZZ"}, "country"),
        ({"region": "999"}, "region"),
        ({"group": "g99"}, "group"),
        ({"language": "xx"}, "language"),
        ({"setting": "moon"}, "setting"),
        ({"mode": "magic"}, "mode"),
        ({"sdg": 18}, "sdg"),
    ],
)
def test_unknown_filter_values_are_refused_with_a_message(db, filters, field):
    with pytest.raises(ValidationError) as error:
        _search(**filters)
    assert field in error.value.message_dict


def test_queries_of_punctuation_or_fts_syntax_do_not_break(member_org):
    PracticeFactory(organisation=member_org)
    for q in ['"', "NEAR(", "a & | ! :*", "'; DROP TABLE x; --", "*", "mangrove OR"]:
        _search(q=q, mode="hybrid")


def test_snippets_are_escaped_and_highlighted():
    html = queries.snippet("Replanted <b>mangroves</b> & more", ["mangroves"])
    assert "<b>" not in html and "&lt;b&gt;" in html
    assert "<mark>mangroves</mark>" in html


def test_search_works_on_full_text_when_the_model_is_off(member_org, settings):
    from concord.knowledge.embeddings import _load

    practice = PracticeFactory(organisation=member_org)
    settings.EMBEDDING_MODEL = "none"
    _load.cache_clear()
    try:
        found = _search(q="mangroves", mode="semantic")
        assert found.mode == "fulltext" and not found.semantic_available
        assert found.ids == [practice.pk]
    finally:
        _load.cache_clear()


def test_matrix_is_reloaded_only_when_vectors_change(member_org, query_count):
    from concord.knowledge.embeddings import get_embedder

    first = PracticeFactory(organisation=member_org)
    embedder = get_embedder()
    matrix = search.semantic_matrix(embedder)
    with query_count(1):  # the version check only
        assert search.semantic_matrix(embedder) is matrix
    second = PracticeFactory(
        organisation=member_org, title="Solar pumps", summary="Solar irrigation pumps."
    )
    reloaded = search.semantic_matrix(embedder)
    assert set(reloaded.practice_ids) == {first.pk, second.pk}


def test_similar_case_studies_and_organisations_on_the_same_themes(eval_ids, other_org):
    other_org.themes.set(["oceans-coasts"])
    practice = Practice.objects.get(pk=eval_ids["mangrove-fr"])
    similar = [p.pk for p in queries.similar_practices(practice)]
    mangroves = {eval_ids[k] for k in ("mangrove-es", "mangrove-ar", "mangrove-pt")}
    assert mangroves & set(similar)
    assert practice.pk not in similar
    # the Senegalese practice is in Africa; the Bangladeshi organisation is in Asia
    assert other_org in queries.organisations_on_same_themes(practice)


def test_reuse_for_partnerships(member_org):
    practice = PracticeFactory(organisation=member_org, themes=("oceans-coasts", "adaptation"))
    PracticeFactory(organisation=member_org, status="draft")
    by_org = queries.published_practices_by_organisation([member_org.pk, 999])
    assert by_org[999] == []
    assert [(p["id"], sorted(p["themes"])) for p in by_org[member_org.pk]] == [
        (practice.pk, ["adaptation", "oceans-coasts"])
    ]
    vectors = queries.practice_vectors(practice.pk)
    assert set(vectors) == {"en"} and vectors["en"].shape == (384,)


def test_periodic_job_embeds_documents_left_without_a_vector(member_org):
    from concord.knowledge.models import SearchDocument
    from concord.knowledge.tasks import embed_missing_vectors

    practice = PracticeFactory(organisation=member_org)
    SearchDocument.objects.filter(practice=practice).update(vector=None, vector_source="")
    assert embed_missing_vectors.call() == 1
    assert SearchDocument.objects.get(practice=practice).vector is not None
    assert embed_missing_vectors.call() == 0


def test_embed_vectors_command_catches_up(member_org):
    from io import StringIO

    from django.core.management import call_command

    from concord.knowledge.models import SearchDocument

    practice = PracticeFactory(organisation=member_org)
    SearchDocument.objects.filter(practice=practice).update(vector=None, vector_source="")
    out = StringIO()
    call_command("embed_vectors", stdout=out)
    assert "Embedded 1 " in out.getvalue()
