import json

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required
from django.core.serializers.json import DjangoJSONEncoder
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache

from concord.core.errors import Refused
from concord.organisations import queries
from concord.web import data_rights
from concord.web.forms import DeleteAccountForm


def home(request):
    members = queries.members()
    return render(
        request,
        "web/home.html",
        {
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
