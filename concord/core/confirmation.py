"""The second step of an irreversible action on a page (closing a declaration, declining an
application, invalidating signatures): the first POST only shows what will happen; the form on
that page posts the same fields again with `confirm=yes`, and only that POST acts. No script is
needed, and a stray click or a resubmitted form cannot act by itself. The API stays one call:
its requests are explicit already."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

# Not posted again: Django adds a fresh token, and `confirm` is set by the page itself.
NOT_REPOSTED = ("csrfmiddlewaretoken", "confirm")


def is_confirmed(request: HttpRequest) -> bool:
    return request.POST.get("confirm") == "yes"


def ask_to_confirm(
    request: HttpRequest,
    *,
    title: str,
    consequence: str,
    button: str,
    back: str,
    subject: str = "",
    subject_language: str = "",
    details: list[tuple[str, str]] | None = None,
) -> HttpResponse:
    """The page that asks before acting: what will happen, that it cannot be undone, and a
    form that posts the same fields again with `confirm=yes` (or a link back)."""
    fields = [
        (name, value)
        for name in request.POST
        if name not in NOT_REPOSTED
        for value in request.POST.getlist(name)
    ]
    return render(
        request,
        "core/confirm_action.html",
        {
            "title": title,
            "subject": subject,
            "subject_language": subject_language,
            "consequence": consequence,
            "details": details or [],
            "button": button,
            "back": back,
            "fields": fields,
        },
    )
