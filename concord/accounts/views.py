from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from concord.accounts import queries, services
from concord.accounts.forms import PreferencesForm, TokenForm
from concord.core import bounces
from concord.core import preferences as mail_preferences


@login_required
def home(request):
    user = request.user
    preferences = PreferencesForm(
        request.POST if "save_preferences" in request.POST else None,
        initial={"name": user.name, "language": user.language},
    )
    if preferences.is_bound and preferences.is_valid():
        services.set_preferences(user, **preferences.cleaned_data)
        messages.success(request, _("Your preferences have been saved."))
        return redirect("accounts:home")
    return render(
        request,
        "accounts/home.html",
        {
            "preferences": preferences,
            "token_form": TokenForm(),
            "tokens": user.api_tokens.all(),
            # Through the reverse relation: accounts sits below organisations and imports none
            # of it. One role per person and organisation, so one row per organisation.
            "representations": user.representations.select_related(
                "organisation__country"
            ).order_by("organisation__name"),
            "new_token": request.session.pop("new_api_token", None),
            # The person's own proved addresses that mail no longer reaches (core/bounces.py).
            "bouncing": bounces.bouncing(queries.verified_addresses(user)),
            "mail_preferences": [
                (address, mail_preferences.token_for(address))
                for address in queries.verified_addresses(user)
            ],
        },
    )


@login_required
@require_POST
def reset_bounces(request):
    """The person fixed their mailbox: mail may go to their proved addresses again."""
    if any([bounces.reset(address) for address in queries.verified_addresses(request.user)]):
        messages.success(request, _("Mail will be sent to your address again."))
    return redirect("accounts:home")


@login_required
@require_POST
def create_token(request):
    form = TokenForm(request.POST)
    if form.is_valid():
        _token, secret = services.create_api_token(request.user, form.cleaned_data["name"])
        # Shown once on the next page, then forgotten: only its hash is kept.
        request.session["new_api_token"] = secret
    else:
        messages.error(request, _("Give the token a name."))
    return redirect("accounts:home")


@login_required
@require_POST
def revoke_token(request, token_id: int):
    if services.revoke_api_token(request.user, token_id):
        messages.success(request, _("The token was revoked; programs using it are now refused."))
    return redirect("accounts:home")
