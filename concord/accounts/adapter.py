"""Ties django-allauth into Concord: its emails go through our outbox and worker."""

import uuid
from types import SimpleNamespace
from urllib.parse import urlsplit

from allauth.account.adapter import DefaultAccountAdapter
from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.urls import translate_url
from django.utils import translation

from concord.core.emails import deliver_after_commit, recipient_language
from concord.core.models import OutgoingEmail
from concord.core.network import client_ip

# allauth's context names for links that act once (password reset, address confirmation).
ONE_TIME_LINKS = ("password_reset_url", "activate_url")


def _site() -> SimpleNamespace:
    """What allauth's templates call `current_site`: our name and host, not the request's
    host (Concord does not use django.contrib.sites)."""
    return SimpleNamespace(name=settings.SITE_NAME, domain=urlsplit(settings.SITE_URL).netloc)


class AccountAdapter(DefaultAccountAdapter):
    def save_user(self, request, user, form, commit=True):
        """A person who signs up in French or Arabic gets their emails in that language; the
        name the sign-up form requires is stored in the same write."""
        language = translation.get_language()
        if language in dict(settings.LANGUAGES):
            user.language = language
        user.name = form.cleaned_data.get("name", "")
        return super().save_user(request, user, form, commit=commit)

    def get_client_ip(self, request):
        """allauth's rate limits count per client address, as TRUSTED_PROXIES sees it."""
        return client_ip(request) or super().get_client_ip(request)

    def send_mail(self, template_prefix, email, context):
        """Render allauth's message in the recipient's language (core/emails.py: their
        account's, else the page they used), with its links moved to pages in that language,
        and deliver it through the worker."""
        account = context.get("user")
        language = recipient_language(
            account if getattr(account, "pk", None) else email, translation.get_language()
        )
        context = {
            "email": email,
            "current_site": _site(),
            "site_name": settings.SITE_NAME,
            **context,
            # allauth built its links in the language of the request (the one active now).
            **{
                name: translate_url(value, language)
                for name, value in context.items()
                if name.endswith("_url") and isinstance(value, str)
            },
        }
        with translation.override(language):
            message: EmailMultiAlternatives = self.render_mail(template_prefix, email, context)
        html = ""
        for content, mimetype in getattr(message, "alternatives", []):
            if mimetype == "text/html":
                html = content
        with transaction.atomic():
            outgoing = OutgoingEmail.objects.create(
                # allauth messages are one-offs (each carries its own link): a fresh key each.
                key=f"allauth:{template_prefix}:{uuid.uuid4().hex}",
                to=email,
                subject=message.subject,
                body_text=message.body,
                body_html=html,
                one_time_links=[
                    context[name] for name in ONE_TIME_LINKS if isinstance(context.get(name), str)
                ],
            )
            deliver_after_commit(outgoing)
