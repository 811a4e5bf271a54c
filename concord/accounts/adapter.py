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

from concord.core import emails
from concord.core.models import OutgoingEmail
from concord.core.network import client_ip

# allauth's context names for links that act once (password reset, address confirmation).
ONE_TIME_LINKS = ("password_reset_url", "activate_url")

# The allauth messages Concord sends, written as its own (accounts/templates/accounts/emails/)
# and rendered like every other email: in every interface language (allauth has no Swahili),
# with an HTML part in the reader's direction. Any other (codes, notifications, all off in
# settings) keeps allauth's templates.
OWN_TEMPLATES = {
    "account/email/email_confirmation_signup": "accounts/emails/confirm_signup",
    "account/email/email_confirmation": "accounts/emails/confirm_address",
    "account/email/password_reset_key": "accounts/emails/password_reset",
    "account/email/account_already_exists": "accounts/emails/account_exists",
    "account/email/unknown_account": "accounts/emails/unknown_account",
}


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
        language = emails.recipient_language(
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
        links = [context[name] for name in ONE_TIME_LINKS if isinstance(context.get(name), str)]
        own = OWN_TEMPLATES.get(template_prefix) if "code" not in context else None
        if own:
            subject, text, html, links = emails.render_email(own, context, language, links)
            subject = self.format_email_subject(subject)
        else:
            subject, text, html = self._render_allauths(template_prefix, email, context, language)
        with transaction.atomic():
            outgoing = OutgoingEmail.objects.create(
                # allauth messages are one-offs (each carries its own link): a fresh key each.
                key=f"allauth:{template_prefix}:{uuid.uuid4().hex}",
                to=email,
                subject=subject,
                body_text=text,
                body_html=html,
                one_time_links=links,
            )
            emails.deliver_after_commit(outgoing)

    def _render_allauths(self, template_prefix, email, context, language) -> tuple[str, str, str]:
        """A message Concord does not write itself, with allauth's own templates."""
        with translation.override(language):
            message: EmailMultiAlternatives = self.render_mail(template_prefix, email, context)
        html = ""
        for content, mimetype in getattr(message, "alternatives", []):
            if mimetype == "text/html":
                html = content
        return message.subject, message.body, html
