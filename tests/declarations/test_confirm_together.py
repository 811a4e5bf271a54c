"""Confirmations from concurrent requests share one transaction, and each is answered as it
would be alone: confirmed, confirmed twice (harmless), a bad link, an invalidated signature,
an expired link, a declaration closed meanwhile. Real threads with their own connections,
through the API and the confirm page."""

import threading
import time
from datetime import timedelta

import pytest
from django.db import connection
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from concord.declarations import counting
from concord.declarations.models import Signature
from concord.declarations.services import lifecycle, signing
from tests.factories.declarations import DeclarationFactory

pytestmark = pytest.mark.django_db(transaction=True)


def pending(declaration, name: str, **fields) -> str:
    """A pending signature whose emailed token is known; returns the token."""
    token = f"token-{name}"
    Signature.objects.create(
        declaration=declaration,
        email=f"{name}@example.org",
        name=name,
        country_id="SN" if len(name) % 2 else "KE",
        language="en",
        token_hash=signing.hash_token(token),
        token_expires_at=timezone.now() + timedelta(hours=1),
        **fields,
    )
    return token


def confirm_by_api(declaration, token: str) -> tuple[int, str]:
    url = f"/api/v1/declarations/{declaration.slug}/signatures/confirm"
    response = Client().post(url, {"token": token}, content_type="application/json")
    body = response.json()
    return response.status_code, body.get("status") or body.get("code", "")


def confirm_by_page(declaration, token: str) -> tuple[int, str]:
    url = reverse("declarations:confirm", args=[declaration.slug, token])
    response = Client().post(url)
    return response.status_code, "refused" if response.status_code >= 400 else "confirmed"


def in_threads(calls) -> list:
    outcomes: list = [None] * len(calls)
    start = threading.Barrier(len(calls))

    def request(n: int) -> None:
        start.wait()
        try:
            outcomes[n] = calls[n]()
        except Exception as exc:
            outcomes[n] = exc
        finally:
            connection.close()

    threads = [threading.Thread(target=request, args=(n,)) for n in range(len(calls))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return outcomes


@pytest.fixture
def slow_rounds(monkeypatch):
    """Each confirmation takes a little longer, so concurrent ones surely meet in a round;
    returns the sizes of the rounds' batches of successes."""
    confirm, finish = signing._confirm, signing._confirmations._finish
    sizes: list[int] = []

    def slow_confirm(*args):
        time.sleep(0.005)
        return confirm(*args)

    def counted_finish(results):
        sizes.append(len(results))
        return finish(results)

    monkeypatch.setattr(signing, "_confirm", slow_confirm)
    monkeypatch.setattr(signing._confirmations, "_finish", counted_finish)
    return sizes


def test_concurrent_confirmations_each_get_their_own_answer(declaration, secretariat, slow_rounds):
    good = [pending(declaration, f"good{n}") for n in range(16)]
    invalidated = pending(declaration, "invalid", status=Signature.Status.INVALIDATED)
    expired = pending(declaration, "late")
    Signature.objects.filter(email="late@example.org").update(
        token_expires_at=timezone.now() - timedelta(minutes=1)
    )
    closed = DeclarationFactory(created_by=secretariat, opened=True)
    too_late = pending(closed, "closed")
    lifecycle.close_declaration(secretariat, closed)
    calls = [lambda t=token: confirm_by_api(declaration, t) for token in good[:12]]
    calls += [lambda t=token: confirm_by_page(declaration, t) for token in good[12:]]
    calls += [
        lambda: confirm_by_api(declaration, good[0]),  # twice, at the same moment
        lambda: confirm_by_api(declaration, "not-a-token"),
        lambda: confirm_by_api(declaration, invalidated),
        lambda: confirm_by_api(declaration, expired),
        lambda: confirm_by_api(closed, too_late),
        lambda: confirm_by_page(declaration, "not-a-token"),
    ]
    outcomes = in_threads(calls)
    assert outcomes[:12] == [(200, "confirmed")] * 12
    assert outcomes[12:16] == [(200, "confirmed")] * 4
    assert outcomes[16:] == [
        (200, "confirmed"),
        (400, "bad_token"),
        (400, "invalidated"),
        (410, "expired"),
        (409, "not_open"),
        (400, "refused"),
    ]
    confirmed = Signature.objects.filter(status=Signature.Status.CONFIRMED)
    assert set(confirmed.values_list("email", flat=True)) == {
        f"good{n}@example.org" for n in range(16)
    }
    assert Signature.objects.get(email="late@example.org").status == Signature.Status.PENDING
    # Each counted once, together with the others of its round.
    assert counting.tallied_counts(declaration) == counting.true_counts(declaration)
    assert sum(counting.tallied_counts(declaration)[0].values()) == 16
    assert sum(slow_rounds) == 17 and len(slow_rounds) < 17  # with the second of good0


def test_a_failed_count_answers_every_confirmation_of_its_round_and_confirms_none(
    declaration, monkeypatch
):
    tokens = [pending(declaration, f"s{n}") for n in range(6)]

    def tallies_away(signatures, sign=1):
        raise RuntimeError("tallies away")

    monkeypatch.setattr(counting, "count_signatures", tallies_away)
    outcomes = in_threads(
        [lambda t=token: signing.confirm_signature(declaration, t) for token in tokens]
    )
    assert all(isinstance(o, RuntimeError) for o in outcomes), outcomes
    assert not Signature.objects.filter(status=Signature.Status.CONFIRMED).exists()


def test_a_link_clicked_after_another_process_closed_the_declaration_is_refused(
    secretariat, monkeypatch
):
    from concord.declarations import queries
    from concord.declarations.models import Declaration

    monkeypatch.setattr(queries, "SIGNING_LOOKUP_SECONDS", 60.0)  # however slow this machine
    declaration = DeclarationFactory(created_by=secretariat, opened=True)
    token = pending(declaration, "late")
    assert queries.declaration_for_signing(declaration.slug).is_open  # kept by this process
    # Closed elsewhere: this process's copy is not told (no save signal runs here).
    Declaration.objects.filter(pk=declaration.pk).update(status=Declaration.Status.CLOSED)
    assert confirm_by_api(declaration, token) == (409, "not_open")
    assert Signature.objects.get(declaration=declaration).status == Signature.Status.PENDING
