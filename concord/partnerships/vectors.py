"""Embeddings of request, offer and organisation descriptions, stored with their model, and
the background tasks that compute them.

A save queues its task with `embed_after_commit`, so the task runs only once the saved text is
committed; re-embedding the same text with the same model is skipped (the text's hash is
kept), so a task that runs twice does the work once.
"""

import hashlib

from django.db import transaction
from django_tasks import task

from concord.knowledge.embeddings import get_embedder, to_bytes
from concord.organisations.models import Organisation
from concord.partnerships.models import PartnershipRequest, TextVector


def _text_of(subject: str, pk: int) -> str | None:
    if subject == TextVector.Subject.REQUEST:
        posted = PartnershipRequest.objects.filter(pk=pk).first()
        return None if posted is None else f"{posted.title}\n{posted.description}".strip()
    organisation = Organisation.objects.filter(pk=pk).first()
    if organisation is None:
        return None
    return f"{organisation.name}\n{organisation.description}".strip()


def embed(subject: str, pk: int) -> bool:
    """Store the vector of one description; True when a new vector was computed."""
    embedder = get_embedder()
    if embedder is None:
        return False
    text = _text_of(subject, pk)
    if subject == TextVector.Subject.ORGANISATION and text is not None and "\n" not in text:
        text = None  # a bare name says too little to compare
    if not text:
        TextVector.objects.filter(subject=subject, object_id=pk).delete()
        return False
    digest = hashlib.sha256(f"{embedder.name}\n{text}".encode()).hexdigest()
    if TextVector.objects.filter(
        subject=subject, object_id=pk, model=embedder.name, text_hash=digest
    ).exists():
        return False
    # A request is what someone seeks (a query); organisations and offers are passages.
    if subject == TextVector.Subject.REQUEST and _is_request(pk):
        vector = embedder.embed_queries([text])[0]
    else:
        vector = embedder.embed_passages([text])[0]
    TextVector.objects.update_or_create(
        subject=subject,
        object_id=pk,
        model=embedder.name,
        defaults={"text_hash": digest, "vector": to_bytes(vector)},
    )
    return True


def _is_request(pk: int) -> bool:
    return PartnershipRequest.objects.filter(pk=pk, kind=PartnershipRequest.Kind.REQUEST).exists()


@task()
def embed_request(request_id: int) -> bool:
    return embed(TextVector.Subject.REQUEST, request_id)


@task()
def embed_organisation(organisation_id: int) -> bool:
    return embed(TextVector.Subject.ORGANISATION, organisation_id)


def embed_after_commit(subject: str, pk: int) -> None:
    """Queue the embedding of one description once the transaction that saved it commits."""
    job = embed_request if subject == TextVector.Subject.REQUEST else embed_organisation
    transaction.on_commit(lambda: job.enqueue(pk))
