"""One answer for every well-formed signature submission, on the page and in the API.

A different answer for a new address, an address that already signed, one not on the
invitation list or not at the event would tell anyone who signed or took part. So every such
submission is answered "pending" ("check your email"), and what differs goes by email to the
address only: the confirmation link (`signing.sign`), "you have already signed" or "this
declaration is open only to …", each at most once a day per address and declaration (and
within the "sign" rate limits, checked where the request is known).

The owner of the address (signed in, address verified) is told the truth: a refusal tells
them only about their own signature. A refusal about the signed-in person (not a member's
representative, not a participant) likewise says nothing about any address.
"""

import hashlib

from django.conf import settings
from django.utils import timezone

from concord.accounts.queries import owns_address
from concord.core.emails import page_url, queue_email
from concord.core.errors import Refused
from concord.declarations.models import Declaration, Signature
from concord.declarations.services import signing

# Eligibility rules judged by the address typed in (for a signer who is not signed in).
ADDRESS_RULES = (
    Declaration.Eligibility.INVITED,
    Declaration.Eligibility.REGISTERED,
    Declaration.Eligibility.ATTENDED,
)


def submit(declaration: Declaration, data: signing.SignatureInput, context: signing.Context) -> str:
    """Sign, and answer the status the submitter may learn: the real one for the owner of
    the address, "pending" for everyone else."""
    signing.check_open(declaration)
    data = signing.check_signature_input(data)
    user = signing.signed_in(context.user)
    owner = user is not None and owns_address(user, data.email)
    try:
        return signing.sign(declaration, data, context).status
    except Refused as refusal:
        if owner or not tell_by_email(declaration, data, refusal, user, context.language):
            raise
    return Signature.Status.PENDING


def tell_by_email(
    declaration: Declaration,
    data: signing.SignatureInput,
    refusal: Refused,
    user=None,
    language: str = "",
) -> bool:
    """Mail the address, in the `language` the submission was made in, why it was not
    recorded, if the reason is about the address; False when the refusal is about something
    else (to be answered as it is)."""
    if refusal.code == "duplicate":
        notify(declaration, data, "already_signed", language)
        return True
    about_address = declaration.eligibility == Declaration.Eligibility.INVITED or (
        user is None and declaration.eligibility in ADDRESS_RULES
    )
    if refusal.code == "not_eligible" and about_address:
        notify(declaration, data, "not_eligible", language)
        return True
    return False


def notify(
    declaration: Declaration, data: signing.SignatureInput, template: str, language: str = ""
) -> None:
    """One message of `template` per address, declaration and day, whoever asks how often.
    Nothing the submitter typed but the address is in it."""
    address = hashlib.sha256(data.email.encode()).hexdigest()[:32]
    day = timezone.now().date().isoformat()
    version = declaration.text_for(data.language)
    text_language = version.language if version is not None else declaration.original_language
    queue_email(
        key=f"signature.{template}:{declaration.pk}:{address}:{day}",
        to=data.email,
        template=f"declarations/emails/{template}",
        context={
            "title": declaration.title_for(text_language),
            "rule": Declaration.Eligibility(declaration.eligibility).label,
            "hours": settings.SIGNATURE_CONFIRM_HOURS,
            "url": page_url("declarations:detail", declaration.slug),
            "mine_url": page_url("declarations:mine"),
        },
        acted_in=language,
    )
