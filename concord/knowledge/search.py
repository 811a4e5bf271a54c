"""The search engine behind `queries.search_practices`: indexing, full text, vectors.

- Every language version of a published case study is one `SearchDocument`.
- Full text: text becomes words the same way for both databases (`words`: folding, Chinese
  as pairs of characters); PostgreSQL `tsvector` built with the language's configuration,
  queried with the words of the query parsed by every configuration (a French query is
  stemmed as French, an English one as English); SQLite FTS5 with the same Snowball stemmers
  applied in Python, accents folded. Both rank with OR semantics (more matching words rank
  higher), so long natural queries still match.
- Semantic: each process keeps the published vectors as one float32 matrix, reloaded when
  `IndexVersion` moves; a query costs one embedding and one matrix product.
- Hybrid: reciprocal rank fusion of the two rankings.

A write indexes the full text in its own transaction and, once that commits, the
`refresh_search` task (here, beside the work it runs) computes the vectors.
"""

from __future__ import annotations

import hashlib
import secrets
import threading
from dataclasses import dataclass
from functools import lru_cache

import numpy as np
from django.db import connection, transaction
from django_tasks import task

from concord.knowledge import fulltext, words
from concord.knowledge.embeddings import Embedder, from_bytes, get_embedder, to_bytes
from concord.knowledge.models import IndexVersion, Practice, SearchDocument
from concord.knowledge.words import TEXT_SEARCH_CONFIG

FULLTEXT_LIMIT = 500  # the best full-text matches considered
SEMANTIC_LIMIT = 100  # the nearest case studies considered
SEMANTIC_MIN_SCORE = 0.80  # e5 cosines: below this a case study is not about the query
RRF_K = 60
# In hybrid search a case study found by meaning counts more than one sharing a word with
# the query (which may be "water" in a case study about something else): the full-text
# ranking is cut to its best HYBRID_FULLTEXT_DEPTH and weighted by HYBRID_FULLTEXT_WEIGHT.
HYBRID_FULLTEXT_DEPTH = 20
HYBRID_FULLTEXT_WEIGHT = 0.5
EMBED_CHARS = 1500  # the model reads ~512 tokens; title, summary and challenges come first


# ---- what is indexed ------------------------------------------------------------------------


def _original_body(practice: Practice) -> str:
    parts = [practice.summary, practice.challenges, practice.beneficiaries, practice.impacts]
    for block in practice.blocks.all():
        parts += [block.title, block.description, block.enabling_factors, block.lessons]
    return "\n".join(part for part in parts if part)


def _versions(practice: Practice) -> list[tuple[str, str, str, str]]:
    """(language, title, full body, text to embed) for the original and each translation."""
    versions = [
        (
            practice.language,
            practice.title,
            _original_body(practice),
            f"{practice.title}. {practice.summary}\n{practice.challenges}",
        )
    ]
    for translation in practice.translations.all():
        if translation.language == practice.language:
            continue
        versions.append(
            (
                translation.language,
                translation.title,
                f"{translation.summary}\n{translation.body}",
                f"{translation.title}. {translation.summary}\n{translation.body}",
            )
        )
    return versions


def _fingerprint(model: str, text: str) -> str:
    return hashlib.sha256(f"{model}\n{text}".encode()).hexdigest()


def index_practice(practice_id: int) -> list[int]:
    """Bring the practice's search documents in line with its text and status.

    Returns the ids of documents whose vector must be (re)computed. Unpublished practices
    have no documents. Idempotent: run it again and nothing changes.
    """
    with transaction.atomic():
        practice = (
            Practice.objects.prefetch_related("blocks", "translations")
            .filter(pk=practice_id)
            .first()
        )
        existing = {d.language: d for d in SearchDocument.objects.filter(practice_id=practice_id)}
        wanted = _versions(practice) if practice and practice.is_published else []
        stale = [d for lang, d in existing.items() if lang not in {v[0] for v in wanted}]
        if stale:
            with connection.cursor() as cursor:
                fulltext.delete(cursor, connection.vendor, [d.pk for d in stale])
            SearchDocument.objects.filter(pk__in=[d.pk for d in stale]).delete()
            if any(d.vector is not None for d in stale):
                bump_index_version()
        to_embed = []
        for language, title, body, embed_text in wanted:
            document = existing.get(language) or SearchDocument(
                practice_id=practice_id, language=language
            )
            document.title, document.body = title, body
            document.save()
            with connection.cursor() as cursor:
                fulltext.write(cursor, connection.vendor, [(document.pk, language, title, body)])
            embedder = get_embedder()
            if embedder and document.vector_source != _fingerprint(embedder.name, embed_text):
                to_embed.append(document.pk)
    return to_embed


def embed_text_of(document: SearchDocument, practice: Practice) -> str:
    for language, _title, _body, text in _versions(practice):
        if language == document.language:
            return text
    return f"{document.title}. {document.body}"


def compute_vectors(practice_id: int) -> int:
    """Embed the practice's documents whose text changed since their vector was made."""
    embedder = get_embedder()
    if embedder is None:
        return 0
    practice = (
        Practice.objects.prefetch_related("blocks", "translations").filter(pk=practice_id).first()
    )
    if practice is None or not practice.is_published:
        return 0
    documents = list(SearchDocument.objects.filter(practice_id=practice_id))
    texts = {d.pk: embed_text_of(d, practice)[:EMBED_CHARS] for d in documents}
    todo = [d for d in documents if d.vector_source != _fingerprint(embedder.name, texts[d.pk])]
    if not todo:
        return 0
    vectors = embedder.embed_passages([texts[d.pk] for d in todo])
    with transaction.atomic():
        for document, vector in zip(todo, vectors, strict=True):
            SearchDocument.objects.filter(pk=document.pk).update(
                vector=to_bytes(vector),
                vector_model=embedder.name,
                vector_source=_fingerprint(embedder.name, texts[document.pk]),
            )
        bump_index_version()
    return len(todo)


@task()
def refresh_search(practice_id: int) -> int:
    """Idempotent: brings the search documents in line, then embeds what changed."""
    index_practice(practice_id)
    return compute_vectors(practice_id)


def refresh_after_commit(practice_id: int) -> None:
    """Full text now (in the caller's transaction); vectors in the background after commit."""
    index_practice(practice_id)
    transaction.on_commit(lambda: refresh_search.enqueue(practice_id))


def bump_index_version() -> None:
    """Mark the stored vectors as changed. A random value rather than a counter, so a
    database emptied and refilled (a restore, a test) never repeats a version a process
    already holds a matrix for."""
    version = secrets.randbits(62) + 1
    if not IndexVersion.objects.filter(pk=1).update(version=version):
        IndexVersion.objects.update_or_create(pk=1, defaults={"version": version})


def current_index_version() -> int:
    return IndexVersion.objects.filter(pk=1).values_list("version", flat=True).first() or 0


# ---- full text -------------------------------------------------------------------------------


def fulltext_ranking(text: str, limit: int = FULLTEXT_LIMIT) -> list[tuple[int, float]]:
    """[(practice_id, score)] best first, for published case studies matching any word."""
    terms = words.query_terms(text)
    if not terms:
        return []
    if connection.vendor == "postgresql":
        rows = _postgres_fulltext(terms, limit)
    else:
        rows = _sqlite_fulltext(terms, limit)
    best: dict[int, float] = {}
    for practice_id, score in rows:
        if score > best.get(practice_id, float("-inf")):
            best[practice_id] = score
    return sorted(best.items(), key=lambda item: (-item[1], item[0]))


def _postgres_fulltext(terms: list[str], limit: int) -> list[tuple[int, float]]:
    # The query's words go through every configuration (so they are stemmed as English,
    # French, Spanish... words); the distinct lexemes form one OR query. Deduplicated, it is
    # several times cheaper to check against each matching row than the OR of seven
    # per-configuration queries (27 ms instead of 180 ms at 50,000 case studies), and
    # ts_rank is about three times cheaper than ts_rank_cd for the same quality here.
    configs = sorted({*TEXT_SEARCH_CONFIG.values(), "simple"})
    sql = (
        "WITH q AS (SELECT to_tsquery('simple', string_agg(DISTINCT quote_literal(lexeme), ' | '))"
        " AS query FROM unnest(%s::text[]) AS config,"
        " unnest(tsvector_to_array(to_tsvector(config::regconfig, %s))) AS lexeme) "
        "SELECT d.practice_id, ts_rank(d.search_vector, q.query, 32) AS score"
        " FROM knowledge_searchdocument d, q WHERE d.search_vector @@ q.query"
        " ORDER BY score DESC, d.practice_id LIMIT %s"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [configs, " ".join(words.postgres_words(terms)), limit])
        return [(row[0], float(row[1])) for row in cursor.fetchall()]


def _sqlite_fulltext(terms: list[str], limit: int) -> list[tuple[int, float]]:
    # Each form quoted (FTS5 syntax cannot leak in), joined with OR; bm25 is lower-better.
    match = " OR ".join('"' + form.replace('"', "") + '"' for form in words.sqlite_forms(terms))
    sql = (
        "SELECT d.practice_id, -bm25(knowledge_fts, 3.0, 1.0) AS score"
        " FROM knowledge_fts JOIN knowledge_searchdocument d ON d.id = knowledge_fts.rowid"
        " WHERE knowledge_fts MATCH %s ORDER BY bm25(knowledge_fts, 3.0, 1.0) LIMIT %s"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [match, limit])
        return [(row[0], float(row[1])) for row in cursor.fetchall()]


# ---- semantic --------------------------------------------------------------------------------


@dataclass
class Matrix:
    model: str
    version: int
    practice_ids: np.ndarray  # one per row
    vectors: np.ndarray  # rows, L2-normalised


_matrix: Matrix | None = None
_matrix_lock = threading.Lock()


def semantic_matrix(embedder: Embedder) -> Matrix:
    """The published vectors of this model, reloaded only when the index version moved."""
    global _matrix
    version = current_index_version()
    matrix = _matrix
    if matrix is not None and matrix.version == version and matrix.model == embedder.name:
        return matrix
    with _matrix_lock:
        matrix = _matrix
        if matrix is not None and matrix.version == version and matrix.model == embedder.name:
            return matrix
        rows = SearchDocument.objects.filter(
            vector_model=embedder.name,
            vector__isnull=False,
            practice__status=Practice.Status.PUBLISHED,
        ).values_list("practice_id", "vector")
        ids, chunks = [], []
        for practice_id, data in rows.iterator(chunk_size=5000):
            ids.append(practice_id)
            chunks.append(bytes(data or b""))
        vectors = (
            from_bytes(b"".join(chunks), embedder.dim)
            if chunks
            else np.zeros((0, embedder.dim), dtype=np.float32)
        )
        _matrix = Matrix(embedder.name, version, np.asarray(ids, dtype=np.int64), vectors)
        return _matrix


def forget_matrix() -> None:
    global _matrix
    _matrix = None


def semantic_ranking(
    text: str,
    limit: int = SEMANTIC_LIMIT,
    *,
    min_score: float | None = None,
) -> list[tuple[int, float]]:
    """[(practice_id, cosine)] best first; empty when semantic search is off."""
    if min_score is None:
        min_score = SEMANTIC_MIN_SCORE
    embedder = get_embedder()
    if embedder is None or not text.strip():
        return []
    matrix = semantic_matrix(embedder)
    if not len(matrix.practice_ids):
        return []
    query = query_vector(embedder.name, text[:EMBED_CHARS])
    return rank_by_vector(matrix, query, limit, min_score=min_score)


@lru_cache(maxsize=512)
def _cached_query_vector(model: str, text: str) -> np.ndarray:
    embedder = get_embedder()
    assert embedder is not None and embedder.name == model
    vector = embedder.embed_queries([text])[0]
    vector.setflags(write=False)
    return vector


def query_vector(model: str, text: str) -> np.ndarray:
    """The query's vector; the last few hundred are kept, so paging through results or
    changing a filter does not embed the same words again."""
    return _cached_query_vector(model, text)


def rank_by_vector(
    matrix: Matrix,
    query: np.ndarray,
    limit: int,
    *,
    min_score: float = SEMANTIC_MIN_SCORE,
    exclude: int | None = None,
) -> list[tuple[int, float]]:
    scores = matrix.vectors @ query.astype(np.float32)
    ids = matrix.practice_ids
    mask = scores >= min_score
    if exclude is not None:
        mask &= ids != exclude
    candidates = np.flatnonzero(mask)
    # A practice has a row per language version: fetch more rows than asked, keep its best.
    take = min(len(candidates), limit * 4)
    if take == 0:
        return []
    top = candidates[np.argpartition(-scores[candidates], take - 1)[:take]]
    top = top[np.argsort(-scores[top], kind="stable")]
    best: dict[int, float] = {}
    for row in top:
        practice_id = int(ids[row])
        if practice_id not in best:
            best[practice_id] = float(scores[row])
            if len(best) == limit:
                break
    return list(best.items())


def practice_vectors(practice_id: int) -> dict[str, np.ndarray]:
    """{language: vector} stored for a case study by the current model (empty if none)."""
    embedder = get_embedder()
    if embedder is None:
        return {}
    rows = SearchDocument.objects.filter(
        practice_id=practice_id, vector_model=embedder.name, vector__isnull=False
    ).values_list("language", "vector")
    return {language: from_bytes(bytes(data or b""), embedder.dim)[0] for language, data in rows}


def similar_to(practice_id: int, limit: int = 4) -> list[tuple[int, float]]:
    """Published case studies nearest to this one (any language), by stored vectors."""
    embedder = get_embedder()
    if embedder is None:
        return []
    vectors = practice_vectors(practice_id)
    if not vectors:
        return []
    matrix = semantic_matrix(embedder)
    centre = np.mean(list(vectors.values()), axis=0)
    centre /= np.linalg.norm(centre) or 1.0
    return rank_by_vector(matrix, centre, limit, min_score=0.0, exclude=practice_id)


def fuse(
    fulltext: list[tuple[int, float]], semantic: list[tuple[int, float]], k: int | None = None
) -> list[tuple[int, float]]:
    """Weighted reciprocal rank fusion: sum of weight / (k + rank) over the two rankings."""
    k = RRF_K if k is None else k
    scores: dict[int, float] = {}
    weighted = [
        (fulltext[:HYBRID_FULLTEXT_DEPTH], HYBRID_FULLTEXT_WEIGHT),
        (semantic, 1.0),
    ]
    for ranking, weight in weighted:
        for rank, (practice_id, _score) in enumerate(ranking, start=1):
            scores[practice_id] = scores.get(practice_id, 0.0) + weight / (k + rank)
    return sorted(scores.items(), key=lambda item: (-item[1], item[0]))
