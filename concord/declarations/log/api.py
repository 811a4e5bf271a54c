"""The log's API, `/api/v1/declarations/{slug}/log/...`: what a reader's verifier needs to check
receipts and heads without Concord's database. Public wherever the declaration is; thin over
log/queries.py."""

import re

from django.http import Http404
from ninja import Query, Router, Schema

from concord.core import limits
from concord.core.api import errors
from concord.declarations.api import visible_declaration
from concord.declarations.log import queries as log
from concord.declarations.log.models import TreeHead

router = Router(tags=["declarations"])

HEX64 = re.compile(r"[0-9a-fA-F]{64}")


class InclusionQuery(Schema):
    leaf_hash: str
    size: int | None = None


class ConsistencyQuery(Schema):
    old: int
    new: int


class LeavesQuery(Schema):
    start: int = 0
    limit: int = log.LEAVES_PAGE


@router.get(
    "/{slug}/log", response={200: dict, **errors(404)}, summary="The log's signed tree heads"
)
def log_heads(request, slug: str):
    """Every signed tree head, oldest first, and the Ed25519 public key that signed them."""
    declaration = visible_declaration(request, slug)
    newest = TreeHead.objects.filter(declaration=declaration).order_by("-size").first()
    return {
        "public_key": newest.public_key if newest else None,
        "heads": log.heads(declaration),
    }


@router.get(
    "/{slug}/log/inclusion",
    response={200: dict, **errors(404, 422)},
    summary="Inclusion proof of a leaf",
)
def log_inclusion(request, slug: str, query: Query[InclusionQuery]):
    """The audit path (RFC 9162) of the leaf with this hash in the head of `size` (the newest
    if not given)."""
    declaration = visible_declaration(request, slug)
    if not HEX64.fullmatch(query.leaf_hash):
        return 422, {"detail": "leaf_hash must be 64 hexadecimal characters."}
    found = log.inclusion(declaration, query.leaf_hash, query.size)
    if found is None:
        raise Http404
    return found


@router.get(
    "/{slug}/log/consistency",
    response={200: dict, **errors(404, 422)},
    summary="Consistency proof between two heads",
)
def log_consistency(request, slug: str, query: Query[ConsistencyQuery]):
    """The proof (RFC 9162) that the head of size `new` extends the head of size `old`."""
    declaration = visible_declaration(request, slug)
    if query.old < 0 or query.new < query.old:
        return 422, {"detail": "Give 0 <= old <= new."}
    found = log.consistency(declaration, query.old, query.new)
    if found is None:
        raise Http404
    return found


@router.get(
    "/{slug}/log/leaves",
    response={200: dict, **errors(404, 422)},
    summary="The log's leaves, in pages",
)
def log_leaves(request, slug: str, query: Query[LeavesQuery]):
    """Up to 1,000 sealed leaves from `start`, in order."""
    declaration = visible_declaration(request, slug)
    if query.start < 0 or not 1 <= query.limit <= log.LEAVES_PAGE:
        return 422, {"detail": f"Give start >= 0 and 1 <= limit <= {log.LEAVES_PAGE}."}
    return {"start": query.start, "leaves": log.leaves(declaration, query.start, query.limit)}


@router.get(
    "/{slug}/log/copy", response={200: dict, **errors(404, 429)}, summary="A whole copy of the log"
)
def log_copy(request, slug: str):
    """Heads, leaves and what the signatory list holds for each counted leaf: the input of
    the standalone verifier (`concord/declarations/log/verifier.py`)."""
    declaration = visible_declaration(request, slug)
    limits.check("log-copy", request)
    return log.copy(declaration, log.published_counts(declaration))
