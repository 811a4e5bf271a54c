"""The pages behind every topic mail's footer and List-Unsubscribe header (core/preferences.py):
the preferences page, opened by a signed link without signing in, and RFC 8058's one-click
unsubscribe. Both change state only by POST."""

from django import forms
from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods

from concord.core import preferences


class PreferencesForm(forms.Form):
    topics = forms.MultipleChoiceField(
        label=gettext_lazy("The mail I want to receive"),
        choices=list(preferences.TOPICS.items()),
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )


def _holder(token: str) -> str:
    holder = preferences.holder_of(token)
    if holder is None:
        raise Http404
    return holder


@never_cache
@require_http_methods(["GET", "POST"])
def mail_preferences(request: HttpRequest, token: str) -> HttpResponse:
    holder = _holder(token)
    if request.method == "POST":
        form = PreferencesForm(request.POST)
        if form.is_valid():
            preferences.set_topics(holder, form.cleaned_data["topics"])
            messages.success(request, _("Your mail preferences have been saved."))
            return redirect(request.path)
    else:
        stopped = preferences.stopped_topics(holder)
        form = PreferencesForm(
            initial={"topics": [t for t in preferences.TOPICS if t not in stopped]}
        )
    return render(request, "core/mail_preferences.html", {"form": form})


@csrf_exempt  # RFC 8058: the mail provider posts without a page, so without a CSRF token
@never_cache
@require_http_methods(["GET", "POST"])
def unsubscribe(request: HttpRequest, token: str, topic: str) -> HttpResponse:
    """POST (one click in the mail program): stop the topic. A GET only leads to the page:
    link checkers and previews open links, and must not unsubscribe anyone."""
    holder = _holder(token)
    if request.method == "GET":
        return redirect("core:mail_preferences", token)
    preferences.stop(holder, topic)
    return HttpResponse(_("You are unsubscribed."), content_type="text/plain; charset=utf-8")
