"""Who brought whom: the member organisation whose share link a signer followed.

A member organisation shares a declaration as `…/declarations/<slug>/?via=<organisation id>`
(the form, the embed and the API carry the value on). A signature made that way is credited
to the organisation (`Signature.via`) and, once confirmed, counted in its `Attribution` rows
(counting.py), so "brought by" figures stay exact and cost no more than the tallies.

A `via` that is malformed, unknown or names an organisation that is not an approved member
is ignored, without a word: the signer is never refused or answered differently for it (an
answer that differed would tell anyone which organisations are members, and a share link
that went stale must not cost a signature). Resolving it costs one query for a signature
signed at once, and one for a whole batch recorded by the worker (`members_among`).
"""

from collections.abc import Collection, Iterable

from concord.organisations.models import Organisation

# An organisation's id as a share link carries it; anything longer is not one.
MAX_DIGITS = 12


def clean_via(value: object) -> str:
    """The organisation id `value` may be, as text, or "" for anything else (never an error)."""
    if isinstance(value, bool):
        return ""
    text = str(value).strip() if isinstance(value, str | int) else ""
    if not text.isascii() or not text.isdigit() or len(text) > MAX_DIGITS:
        return ""
    return str(int(text)) if int(text) > 0 else ""


def members_among(values: Iterable[str]) -> set[int]:
    """The ids among `values` (cleaned) that are approved member organisations, in one query
    (none when no value names one)."""
    ids = {int(value) for value in values if value}
    if not ids:
        return set()
    found = Organisation.objects.filter(pk__in=ids, status=Organisation.Status.MEMBER)
    return set(found.values_list("pk", flat=True))


def credited(via: str, members: Collection[int] | None = None) -> int | None:
    """The member organisation a signature is credited to: `members` is what `members_among`
    found for a batch; without it, this one value is looked up."""
    if not via:
        return None
    if members is None:
        members = members_among([via])
    return int(via) if int(via) in members else None
