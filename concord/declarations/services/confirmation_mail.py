"""The email that asks a signer to confirm: one signature's (`signing.sign`, a resend),
or a batch's, rendered once per language (the worker's batches, declarations/recording.py)."""

import secrets
from collections.abc import Sequence

from django.conf import settings

from concord.core.emails import Copy, page_url, prepare_copies, prepare_email
from concord.core.models import OutgoingEmail
from concord.declarations.models import Declaration, Signature


def confirmation_email(signature: Signature, token: str, acted_in: str):
    """The confirmation message; its key holds the token's hash, so it is new every time,
    and the declaration, so the expiry job finds every link sent for one signature. It is in
    the language the signer acted in, its links open pages in it (core/emails.py).

    The address has not been confirmed yet, so nothing the signer typed (name, organisation,
    role) is in it: whoever typed the address cannot make the site mail their words."""
    context, links = _confirmation_context(signature.declaration, signature.language, token)
    return prepare_email(
        key=_confirmation_key(signature),
        to=signature.email,
        template=CONFIRMATION_TEMPLATE,
        context=context,
        acted_in=acted_in,
        one_time_links=links,
    )


def confirmation_emails(pending: Sequence[tuple[Signature, str, str]]) -> list[OutgoingEmail]:
    """`confirmation_email` for many (signature, token, language acted in): the same
    messages, each rendered once per declaration, text language and recipient language
    and copied with every signature's token (emails.prepare_copies), in the same order."""
    groups: dict[tuple[int, str], list[int]] = {}
    for index, (signature, _token, _acted_in) in enumerate(pending):
        groups.setdefault((signature.declaration_id, signature.language), []).append(index)
    messages: list[OutgoingEmail | None] = [None] * len(pending)
    for indexes in groups.values():
        first = pending[indexes[0]][0]
        placeholder = secrets.token_urlsafe(24)
        context, links = _confirmation_context(first.declaration, first.language, placeholder)
        copies = [
            Copy(
                key=_confirmation_key(pending[index][0]),
                to=pending[index][0].email,
                acted_in=pending[index][2],
                token=pending[index][1],
            )
            for index in indexes
        ]
        prepared = prepare_copies(
            template=CONFIRMATION_TEMPLATE,
            context=context,
            copies=copies,
            placeholder=placeholder,
            one_time_links=links,
        )
        for index, message in zip(indexes, prepared, strict=True):
            messages[index] = message
    return [message for message in messages if message is not None]


CONFIRMATION_TEMPLATE = "declarations/emails/confirm_signature"


def _confirmation_key(signature: Signature) -> str:
    return f"signature.confirm:{signature.token_hash}:{signature.declaration_id}"


def _confirmation_context(
    declaration: Declaration, language: str, token: str
) -> tuple[dict, list[str]]:
    url = page_url("declarations:confirm", declaration.slug, token)
    withdraw = page_url("declarations:withdraw", declaration.slug, token)
    context = {
        "title": declaration.title_for(language),
        "url": url,
        "withdraw_url": withdraw,
        "hours": settings.SIGNATURE_CONFIRM_HOURS,
    }
    return context, [url, withdraw]
