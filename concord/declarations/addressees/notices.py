"""Telling the signers who asked to be kept informed that a response was published: one
email per confirmed signature with `keep_informed`, in the signer's language, keyed by the
response and the signature (so a task run again sends nobody twice).

The work runs in the worker (`notify_signers`, enqueued when the response is published),
in batches: each batch is rendered once per language and stored with one INSERT.
"""

from django.db.models import Q
from django_tasks import task

from concord.core import emails
from concord.core.models import OutgoingEmail
from concord.declarations.addressees.models import Response
from concord.declarations.models import Signature

BATCH = 500
TEMPLATE = "declarations/emails/response_published"


def _key(response: Response, signature_id: int) -> str:
    return f"response-published:{response.pk}:{signature_id}"


def notify(response_id: int) -> int:
    """Queue the emails of a published response; returns how many were queued now."""
    response = (
        Response.objects.filter(pk=response_id, published_at__isnull=False)
        .select_related("addressee__declaration", "addressee__country")
        .first()
    )
    if response is None:
        return 0
    declaration = response.addressee.declaration
    signatures = Signature.objects.filter(
        Q(declaration=declaration, status=Signature.Status.CONFIRMED, keep_informed=True)
    ).order_by("pk")
    queued, after = 0, 0
    while True:
        batch = list(signatures.filter(pk__gt=after).values_list("pk", "email", "language")[:BATCH])
        if not batch:
            return queued
        after = batch[-1][0]
        keys = {_key(response, pk) for pk, _email, _language in batch}
        sent = set(OutgoingEmail.objects.filter(key__in=keys).values_list("key", flat=True))
        waiting = [row for row in batch if _key(response, row[0]) not in sent]
        languages = emails.recipient_languages(
            [(email, language) for _pk, email, language in waiting]
        )
        rendered: dict[str, tuple] = {}
        messages = []
        for (pk, email, _acted_in), language in zip(waiting, languages, strict=True):
            if language not in rendered:
                context = {
                    "title": declaration.title_for(language),
                    "addressee": str(response.addressee.name or ""),
                    "country": response.addressee.country_id or "",
                    "summary": response.summary,
                    "url": emails.page_url(
                        "declarations:detail", declaration.slug, query="#responses"
                    ),
                }
                rendered[language] = emails.render_email(TEMPLATE, context, language)
            subject, text, html, links = rendered[language]
            messages.append(
                OutgoingEmail(
                    key=_key(response, pk), to=email, subject=subject, body_text=text,
                    body_html=html, one_time_links=links,
                )
            )  # fmt: skip
        queued += len(emails.queue_prepared_batch(messages))


@task()
def notify_signers(response_id: int) -> int:
    return notify(response_id)
