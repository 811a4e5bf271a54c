"""Receipts: what lets a signer prove they were counted, without trusting Concord.

A receipt holds the signer's leaf, its place, the salt that ties it to their address, and
an inclusion proof against a signed head (log/verifier.py checks it). Each confirmed signer
is emailed one when their entry is first sealed into a head; the email carries the receipt
and a link that shows it checked against the newest head and downloads it again.
"""

import json
import secrets

from django.core import signing
from django.utils.html import escape

from concord.core import emails
from concord.core.emails import page_url, queue_prepared_batch
from concord.core.models import OutgoingEmail
from concord.declarations.log import verifier
from concord.declarations.log.models import LogEntry, TreeHead
from concord.declarations.log.published import head_object
from concord.declarations.models import Declaration, Signature

LINK_SALT = "declarations.log.receipt"
TEMPLATE = "declarations/emails/receipt"


def token_for(entry: LogEntry) -> str:
    return signing.dumps(entry.pk, salt=LINK_SALT, compress=True)


def entry_for_token(token: str) -> LogEntry | None:
    try:
        pk = signing.loads(token, salt=LINK_SALT)
    except signing.BadSignature:
        return None
    return LogEntry.objects.filter(pk=pk, index__isnull=False).first()


def receipt(entry: LogEntry, head: TreeHead, head_object: dict, levels) -> dict:
    """The receipt of a sealed entry against `head` (`levels` of at least its size)."""
    return {
        "receipt": 1,
        "declaration": head_object["declaration"],
        "index": entry.index,
        "leaf": json.loads(entry.leaf),
        "salt": entry.salt,
        "head": head_object,
        "public_key": head.public_key,
        "inclusion": [node.hex() for node in levels.inclusion(entry.index, head.size)],
    }


def send(declaration: Declaration, head: TreeHead, added: list[LogEntry], levels) -> None:
    """Email a receipt to each signer of `added` (who confirmed by email or signed in;
    signatures collected offline were not given by their signers here), rendered once
    per language and copied with each signer's receipt."""
    signatures: dict[int | None, Signature] = {
        s.pk: s
        for s in Signature.objects.filter(
            pk__in=[e.signature_id for e in added if e.signature_id],
            status=Signature.Status.CONFIRMED,
        ).exclude(source=Signature.Source.OFFLINE)
    }
    published = head_object(head, declaration.slug)
    token_mark, receipt_mark = secrets.token_urlsafe(24), secrets.token_urlsafe(24)
    rendered: dict[str, tuple[str, str, str, list[str]]] = {}
    messages = []
    sent = [(e, signatures[e.signature_id]) for e in added if e.signature_id in signatures]
    # The signer's account's language, else the language of the text they signed.
    languages = emails.recipient_languages([(s.email, s.language) for _e, s in sent])
    for (entry, signature), language in zip(sent, languages, strict=True):
        if language not in rendered:
            context = {
                "title": declaration.title_for(language),
                "size": head.size,
                "url": page_url("declarations:receipt", declaration.slug, token_mark),
                "receipt": receipt_mark,
            }
            rendered[language] = emails.render_email(TEMPLATE, context, language)
        subject, text, html, _links = rendered[language]
        content = verifier.canonical(receipt(entry, head, published, levels)).decode()
        token = token_for(entry)
        messages.append(
            OutgoingEmail(
                key=f"log.receipt:{entry.pk}",
                to=signature.email,
                subject=subject,
                body_text=text.replace(token_mark, token).replace(receipt_mark, content),
                body_html=html.replace(token_mark, token).replace(receipt_mark, escape(content)),
            )
        )
    queue_prepared_batch(messages)
