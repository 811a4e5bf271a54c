"""Reads for drafting: the current version and its paragraphs, comments and amendments by
paragraph, the comparison of two versions, translations behind the original, co-sponsors."""

from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import Count, Prefetch, Subquery

from concord.declarations.drafting import diff
from concord.declarations.drafting.models import (
    Amendment,
    Comment,
    Endorsement,
    Paragraph,
    Support,
    Version,
)
from concord.declarations.models.declarations import Declaration, DeclarationText


def current_version(declaration: Declaration) -> Version | None:
    return Version.objects.filter(declaration=declaration).order_by("-number").first()


def current_number(declaration: Declaration) -> int | None:
    version = current_version(declaration)
    return version.number if version else None


def paragraphs_of(version: Version) -> list[tuple[int, str]]:
    return list(version.paragraphs.order_by("position").values_list("key", "text"))


@dataclass
class ParagraphView:
    key: int
    number: int
    text: str
    comments: list = field(default_factory=list)
    amendments: list = field(default_factory=list)


def draft_view(declaration: Declaration, version: Version) -> list[ParagraphView]:
    """The version's paragraphs, each with its comments and amendments (four queries)."""
    views = {
        key: ParagraphView(key, number, text)
        for number, (key, text) in enumerate(paragraphs_of(version), 1)
    }
    comments = Comment.objects.filter(declaration=declaration).select_related(
        "author", "organisation"
    )
    for comment in comments:
        if comment.paragraph_key in views:
            views[comment.paragraph_key].comments.append(comment)
    for amendment in amendments(declaration):
        if amendment.paragraph_key in views:
            views[amendment.paragraph_key].amendments.append(amendment)
    return list(views.values())


def amendments(declaration: Declaration):
    return (
        Amendment.objects.filter(declaration=declaration)
        .select_related("proposer", "organisation", "version", "made_version", "merged_into")
        .prefetch_related(
            Prefetch(
                "supports",
                queryset=Support.objects.select_related("organisation").order_by("pk"),
                to_attr="support_rows",
            )
        )
        .annotate(support_count=Count("supports"))
    )


def versions(declaration: Declaration):
    return Version.objects.filter(declaration=declaration).order_by("number")


def comparison(declaration: Declaration, old: int, new: int) -> list[diff.Row] | None:
    """The rows comparing version `old` with version `new`, or None if either is missing."""
    found = {v.number: v for v in versions(declaration).filter(number__in=[old, new])}
    if old not in found or new not in found:
        return None
    by_version = defaultdict(list)
    for row in Paragraph.objects.filter(version__in=found.values()).order_by("position"):
        by_version[row.version_id].append((row.key, row.text))
    return diff.compare(by_version[found[old].pk], by_version[found[new].pk])


def translations_behind(declaration: Declaration) -> set[str]:
    """The languages whose text was last saved against an older version of the original
    (a text saved before drafting started counts as saved against version 1)."""
    number = current_number(declaration)
    if number is None:
        return set()
    return {
        text.language
        for text in DeclarationText.objects.filter(declaration=declaration, is_original=False)
        if (text.based_on_version or 1) < number
    }


def cosponsors(declaration: Declaration) -> list[Endorsement]:
    """The organisations that endorsed the current (or, once open, the final) version, in
    the order they endorsed: the initial signatories. One query (the public page asks)."""
    newest = Version.objects.filter(declaration=declaration).order_by("-number").values("pk")[:1]
    return list(
        Endorsement.objects.filter(
            declaration=declaration, version=Subquery(newest)
        ).select_related("organisation", "organisation__country", "version")
    )
