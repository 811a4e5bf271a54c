"""Accepted submissions are recorded in batches (declarations/recording.py), exactly as
`signing.sign` would record them one by one, and each submission only once."""

from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from concord.core import emails
from concord.core.models import OutgoingEmail
from concord.declarations import intake, recording
from concord.declarations.models import Signature, SignatureIntake, Tally
from concord.declarations.services import confirmation_mail, signing

pytestmark = pytest.mark.django_db

DEFERRED_TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
URL = "/api/v1/declarations/{slug}/signatures"


@pytest.fixture
def deferred(settings):
    settings.TASKS = DEFERRED_TASKS


def accept(declaration, email, language="en", name="Ana Silva", **context):
    data = signing.SignatureInput(name=name, email=email, country="MZ", language=language)
    source = Signature.Source.API
    context = signing.Context(ip="198.51.100.7", language=language, source=source, **context)
    intake.accept(declaration, data, context)


def post(client, declaration, email="ana@example.org", name="Ana Silva", **headers):
    body = {"name": name, "email": email, "country": "MZ", "kind": "individual"}
    url = URL.format(slug=declaration.slug)
    return client.post(url, body, content_type="application/json", **headers)


def token_of(message: OutgoingEmail) -> str:
    return message.one_time_links[0].rstrip("/").rsplit("/", 1)[-1]


def test_a_batch_records_what_signing_one_by_one_records(declaration, deferred):
    languages = ["en", "fr", "ar", "fr", "es", "en"]
    for n, language in enumerate(languages):
        accept(declaration, f"s{n}@example.org", language=language)
    # The same submission signed one by one, for comparison.
    alone = signing.sign(
        declaration,
        signing.SignatureInput(
            name="Ana Silva", email="alone@example.org", country="MZ", language="fr"
        ),
        signing.Context(ip="198.51.100.7", language="fr", source=Signature.Source.API),
    )
    assert intake.process() == {"recorded": 6, "duplicates": 0, "kept": 0}

    fields = ["name", "country_id", "kind", "language", "text_sha256", "source", "status"]
    for n, language in enumerate(languages):
        signature = Signature.objects.get(email=f"s{n}@example.org")
        if language == "fr":
            assert [getattr(signature, f) for f in fields] == [getattr(alone, f) for f in fields]
        assert signature.status == "pending" and signature.confirmations_sent == 1
        message = OutgoingEmail.objects.get(to=signature.email)
        token = token_of(message)
        assert signing.hash_token(token) == signature.token_hash
        # The very message `sign` would have written for this signature and token.
        expected = confirmation_mail.confirmation_email(signature, token, language)
        assert (message.key, message.subject, message.body_text, message.body_html) == (
            expected.key,
            expected.subject,
            expected.body_text,
            expected.body_html,
        )
        assert message.one_time_links == expected.one_time_links
        assert token in message.body_text and token in message.body_html
    french = OutgoingEmail.objects.get(to="s1@example.org")
    assert french.subject.startswith("Confirmez votre signature")
    assert "/fr/declarations/" in french.body_text
    assert len({token_of(m) for m in OutgoingEmail.objects.all()}) == 7  # one link each
    # Pending signatures are not counted; confirming one is.
    assert not Tally.objects.filter(count__gt=0).exists()
    signing.confirm_signature(declaration, token_of(french))
    assert sum(Tally.objects.values_list("count", flat=True)) == 1


def test_a_batch_queues_its_emails_with_one_task_that_delivers_them_all(
    declaration, deferred, django_capture_on_commit_callbacks
):
    for n in range(5):
        accept(declaration, f"d{n}@example.org")
    with django_capture_on_commit_callbacks(execute=True):
        intake.process()
    [task] = DBTaskResult.objects.filter(task_path=emails.deliver_emails.module_path)
    assert not DBTaskResult.objects.filter(task_path=emails.deliver_email.module_path).exists()
    [ids] = task.args_kwargs["args"]
    assert sorted(ids) == sorted(OutgoingEmail.objects.values_list("pk", flat=True))
    assert emails.deliver_emails.call(ids) == 5
    assert sorted(m.to[0] for m in mail.outbox) == [f"d{n}@example.org" for n in range(5)]
    assert not OutgoingEmail.objects.filter(sent_at__isnull=True).exists()
    assert emails.deliver_emails.call(ids) == 0  # run again: nothing is sent twice


def test_duplicates_in_a_batch_and_of_recorded_signatures_are_told_once_a_day(
    declaration, deferred
):
    accept(declaration, "old@example.org")
    intake.process()
    accept(declaration, "old@example.org", name="Ana again")
    accept(declaration, "new@example.org")
    accept(declaration, "new@example.org", name="Ana twice")
    accept(declaration, "new@example.org", name="Ana thrice")
    assert intake.process() == {"recorded": 1, "duplicates": 3, "kept": 0}
    assert Signature.objects.count() == 2
    for address in ("old@example.org", "new@example.org"):
        sent = OutgoingEmail.objects.filter(to=address)
        assert sent.filter(key__startswith="signature.confirm:").count() == 1
        assert sent.filter(key__startswith="signature.already_signed:").count() == 1
    assert Signature.objects.get(email="new@example.org").name == "Ana Silva"  # the first


def test_a_signature_written_between_the_look_up_and_the_insert_is_a_duplicate(
    declaration, deferred, monkeypatch
):
    accept(declaration, "race@example.org")
    accept(declaration, "calm@example.org")
    insert = recording._insert

    def racing(entries):
        # Another path signs for the address after the look-up, before the INSERT.
        signing.sign(
            declaration,
            signing.SignatureInput(name="Other", email="race@example.org", country="MZ"),
            signing.Context(ip="198.51.100.8"),
        )
        return insert(entries)

    monkeypatch.setattr(recording, "_insert", racing)
    assert intake.process() == {"recorded": 1, "duplicates": 1, "kept": 0}
    assert Signature.objects.get(email="race@example.org").name == "Other"
    sent = OutgoingEmail.objects.filter(to="race@example.org")
    assert sent.filter(key__startswith="signature.confirm:").count() == 1  # the other's
    assert sent.filter(key__startswith="signature.already_signed:").count() == 1
    assert OutgoingEmail.objects.filter(to="calm@example.org").count() == 1


def test_a_honeypot_signature_is_recorded_without_email(declaration, deferred):
    accept(declaration, "bot@example.org", honeypot="http://spam.example")
    accept(declaration, "human@example.org")
    assert intake.process() == {"recorded": 2, "duplicates": 0, "kept": 0}
    bot = Signature.objects.get(email="bot@example.org")
    assert "honeypot" in bot.flags and bot.confirmations_sent == 0
    assert list(OutgoingEmail.objects.values_list("to", flat=True)) == ["human@example.org"]


def test_a_retried_post_is_stored_once_and_mailed_once(client, declaration, deferred):
    assert post(client, declaration).status_code == 202
    assert post(client, declaration).status_code == 202  # the load balancer tries again
    assert SignatureIntake.objects.count() == 1
    assert intake.process() == {"recorded": 1, "duplicates": 0, "kept": 0}
    assert post(client, declaration).status_code == 202  # again, once recorded
    assert intake.process() == {"recorded": 0, "duplicates": 0, "kept": 0}
    assert list(OutgoingEmail.objects.values_list("to", flat=True)) == ["ana@example.org"]


def test_the_same_idempotency_key_is_one_submission_whatever_it_carries(
    client, declaration, deferred
):
    key = {"HTTP_IDEMPOTENCY_KEY": "a1b2c3"}
    assert post(client, declaration, "first@example.org", **key).status_code == 202
    # Through the API the same key with other content is refused at the door (core/idempotency.py)
    assert post(client, declaration, "other@example.org", **key).status_code == 422
    # and the intake, which remembers the key longer, stores it once whatever it carries.
    accept(declaration, "other@example.org", idempotency_key="a1b2c3")
    # Another key is another submission, even with the same content.
    assert (
        post(client, declaration, "first@example.org", HTTP_IDEMPOTENCY_KEY="z9").status_code == 202
    )
    assert intake.process() == {"recorded": 1, "duplicates": 1, "kept": 0}
    assert list(Signature.objects.values_list("email", flat=True)) == ["first@example.org"]
    assert not OutgoingEmail.objects.filter(to="other@example.org").exists()
    assert SignatureIntake.objects.count() == 2


def test_recorded_rows_are_remembered_a_day_then_forgotten(client, declaration, deferred):
    post(client, declaration)
    intake.process()
    row = SignatureIntake.objects.get()
    assert row.recorded_at is not None and row.claimed_until is None
    SignatureIntake.objects.update(recorded_at=timezone.now() - timedelta(hours=23))
    intake.process()
    assert SignatureIntake.objects.exists()
    SignatureIntake.objects.update(recorded_at=timezone.now() - timedelta(hours=25))
    assert intake.process() == {"recorded": 0, "duplicates": 0, "kept": 0}
    assert not SignatureIntake.objects.exists()
    # A day later the same content is a new submission (its address has signed: told so).
    post(client, declaration)
    assert intake.process() == {"recorded": 0, "duplicates": 1, "kept": 0}


def test_the_submission_key_is_the_content_or_the_clients_key_with_the_declaration():
    data = {"name": "Ana", "email": "ana@example.org"}
    same = intake.submission_key(1, dict(reversed(data.items())))
    assert intake.submission_key(1, data) == same
    assert intake.submission_key(2, data) != same
    assert intake.submission_key(1, {**data, "name": "Ana S"}) != same
    keyed = intake.submission_key(1, data, "k")
    assert keyed == intake.submission_key(1, {}, "k") and keyed != same
    assert keyed != intake.submission_key(2, data, "k")
