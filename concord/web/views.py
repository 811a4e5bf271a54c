import json
from functools import lru_cache
from pathlib import Path

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required
from django.contrib.staticfiles import finders
from django.core.serializers.json import DjangoJSONEncoder
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache

from concord.core.errors import Refused
from concord.declarations import queries as declarations
from concord.events import queries as events
from concord.knowledge import queries as knowledge
from concord.organisations import queries
from concord.partnerships import queries as partnerships
from concord.partnerships.digests import local_deadline
from concord.web import data_rights
from concord.web import mine as my_concord
from concord.web.forms import DeleteAccountForm

# Each list on the home page is a short taste, followed by a link to its full list.
HOME_LIST = 4


def home(request):
    """What a visitor can act on now (sign, attend, read, apply), then the coalition. Only
    public items, and a fixed number of queries however many there are: the lists drop the
    prefetches their full pages need."""
    members = queries.members()
    language = translation.get_language()
    open_declarations = list(declarations.open_declarations()[:HOME_LIST])
    signatures = declarations.signature_counts(open_declarations)
    calls = partnerships.open_calls().prefetch_related(None)[:HOME_LIST]
    return render(
        request,
        "web/home.html",
        {
            "declarations": [
                {
                    "declaration": declaration,
                    "text": declaration.text_for(language),
                    "signatures": signatures.get(declaration.pk, 0),
                }
                for declaration in open_declarations
            ],
            "events": list(events.upcoming().prefetch_related(None)[:HOME_LIST]),
            "practices": list(
                knowledge.published()
                .select_related("organisation")
                .order_by("-published_at", "-pk")[:HOME_LIST]
            ),
            "calls": [(call, local_deadline(call)) for call in calls],
            "member_count": members.count(),
            "coverage": queries.members_coverage(members),
            "recent": members.exclude(member_since=None).order_by("-member_since", "pk")[:6],
        },
    )


def privacy(request):
    return render(
        request,
        "web/privacy.html",
        {
            "email_days": settings.EMAIL_RETENTION_DAYS,
            "confirm_hours": settings.SIGNATURE_CONFIRM_HOURS,
        },
    )


@never_cache
@login_required
def mine(request):
    """The signed-in person's own things and what waits for them: the URL names nobody, so
    nobody else's can be asked for. Signed-out visitors sign in and come back here."""
    return render(
        request,
        "web/mine.html",
        {"mine": my_concord.for_person(request.user), "shown": my_concord.SHOWN},
    )


@never_cache
@login_required
def download_data(request):
    """Only the signed-in person's own data: the URL names nobody, so nobody else's can be
    asked for."""
    now = timezone.now()
    document = json.dumps(
        data_rights.personal_data(request.user, now=now),
        cls=DjangoJSONEncoder,
        ensure_ascii=False,
        indent=2,
    )
    response = HttpResponse(document, content_type="application/json; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="concord-my-data-{now:%Y-%m-%d}.json"'
    return response


@never_cache
@login_required
def delete_account(request):
    user = request.user
    form = DeleteAccountForm(request.POST or None, user=user)
    status = 200
    refusal = None
    try:
        data_rights.check_can_delete(user)
    except Refused as error:
        refusal, status = error, error.status
    if refusal is None and form.is_bound:
        if form.is_valid():
            try:
                data_rights.delete_account(user)
            except Refused as error:
                refusal, status = error, error.status
            else:
                logout(request)
                messages.success(request, _("Your account and your personal data were deleted."))
                return redirect("web:home")
        else:
            status = 422
    return render(
        request,
        "web/delete_account.html",
        {"form": form, "refusal": refusal},
        status=status,
    )


@lru_cache(maxsize=1)
def _service_worker_source() -> bytes:
    path = finders.find("web/sw.js")
    assert path, "web/static/web/sw.js is missing"
    return Path(path).read_bytes()


def service_worker(request):
    """The service worker (web/static/web/sw.js) at the site's root, so its scope covers
    every page in every language; browsers look for a new one on each visit."""
    response = HttpResponse(_service_worker_source(), content_type="text/javascript")
    response["Cache-Control"] = "no-cache"
    response["Service-Worker-Allowed"] = "/"
    return response
