"""Public API signatures are accepted first (one stored row, 202) and recorded by the worker."""

from datetime import timedelta

import pytest
from django.utils import timezone, translation
from django_tasks_db.models import DBTaskResult

from concord.core.models import OutgoingEmail
from concord.declarations import intake
from concord.declarations.models import Declaration, Signature, SignatureIntake
from concord.declarations.services import lifecycle, signing

pytestmark = pytest.mark.django_db

DEFERRED_TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


def post(client, declaration, email, name="Ana Silva", **headers):
    body = {"name": name, "email": email, "country": "MZ", "kind": "individual"}
    url = f"/api/v1/declarations/{declaration.slug}/signatures"
    return client.post(url, body, content_type="application/json", **headers)


@pytest.fixture
def deferred(settings):
    """Tasks stored for the worker, as in production (the tests' default runs them at once)."""
    settings.TASKS = DEFERRED_TASKS


def test_accepting_stores_one_row_and_one_task_per_second(client, declaration, deferred):
    for n in range(3):
        assert post(client, declaration, f"ana{n}@example.org").status_code == 202
    assert SignatureIntake.objects.count() == 3
    assert not Signature.objects.exists() and not OutgoingEmail.objects.exists()
    tasks = DBTaskResult.objects.filter(task_path__endswith="process_signature_intake")
    assert tasks.count() == 1  # one run for every acceptance of this second
    assert tasks.get().run_after > timezone.now()

    assert intake.process() == {"recorded": 3, "duplicates": 0, "kept": 0}
    assert SignatureIntake.objects.filter(recorded_at__isnull=False).count() == 3
    assert set(Signature.objects.values_list("email", flat=True)) == {
        f"ana{n}@example.org" for n in range(3)
    }
    assert Signature.objects.filter(source="api", status="pending").count() == 3
    assert OutgoingEmail.objects.filter(key__startswith="signature.confirm:").count() == 3


def test_the_confirmation_email_speaks_the_language_the_signer_acted_in(declaration, deferred):
    for language in ("fr", "en"):
        data = signing.SignatureInput(name="Ana", email=f"{language}@example.org", country="MZ")
        context = signing.Context(ip="198.51.100.7", language=language)
        with translation.override("es"):  # what matters is the signer's, kept with the row
            intake.accept(declaration, data, context)
    with translation.override("ar"):  # the worker's own language does not matter
        intake.process()
    french = OutgoingEmail.objects.get(to="fr@example.org")
    english = OutgoingEmail.objects.get(to="en@example.org")
    assert english.subject.startswith("Confirm your signature")
    assert french.subject.startswith("Confirmez votre signature")
    assert "/fr/declarations/" in french.body_text
    assert "/fr/" not in english.body_text


def test_an_address_already_recorded_is_answered_as_any_other_and_told_by_email(
    client, declaration, deferred
):
    first = post(client, declaration, "ana@example.org")
    intake.process()
    response = post(client, declaration, "ANA@example.org", name="Ana M. Silva")
    assert (response.status_code, response.content) == (202, first.content)
    assert intake.process() == {"recorded": 0, "duplicates": 1, "kept": 0}
    assert Signature.objects.count() == 1
    assert OutgoingEmail.objects.filter(key__startswith="signature.already_signed:").count() == 1


def test_the_same_address_twice_before_recording_gives_one_signature_and_one_email(
    client, declaration, deferred
):
    assert post(client, declaration, "twice@example.org").status_code == 202
    assert post(client, declaration, "twice@example.org", name="Ana M.").status_code == 202
    assert intake.process() == {"recorded": 1, "duplicates": 1, "kept": 0}
    assert Signature.objects.filter(email="twice@example.org").count() == 1
    sent = OutgoingEmail.objects.filter(to="twice@example.org")
    assert sent.filter(key__startswith="signature.confirm:").count() == 1
    assert sent.filter(key__startswith="signature.already_signed:").count() == 1
    assert not SignatureIntake.objects.filter(recorded_at__isnull=True).exists()


def test_a_run_killed_mid_batch_writes_nothing_and_the_batch_is_recorded_once_later(
    client, declaration, deferred, monkeypatch
):
    for n in range(4):
        post(client, declaration, f"k{n}@example.org")

    def killed(*args, **kwargs):
        raise SystemExit("worker killed")

    # The run inserts the batch's signatures, then dies before queueing their emails.
    with monkeypatch.context() as patch:
        patch.setattr("concord.declarations.recording.queue_prepared_batch", killed)
        with pytest.raises(SystemExit):
            intake.process()
    assert not Signature.objects.exists() and not OutgoingEmail.objects.exists()
    assert not SignatureIntake.objects.filter(recorded_at__isnull=False).exists()
    # Nobody takes the rows while the dead run's claim lasts; then they are taken again.
    assert intake.process() == {"recorded": 0, "duplicates": 0, "kept": 0}
    SignatureIntake.objects.update(claimed_until=timezone.now() - timedelta(seconds=1))
    assert intake.process() == {"recorded": 4, "duplicates": 0, "kept": 0}
    assert Signature.objects.count() == 4
    assert not SignatureIntake.objects.filter(recorded_at__isnull=True).exists()
    # One confirmation each, and no "already signed".
    assert OutgoingEmail.objects.filter(key__startswith="signature.confirm:").count() == 4
    assert OutgoingEmail.objects.count() == 4
    assert intake.process() == {"recorded": 0, "duplicates": 0, "kept": 0}


def test_a_row_that_can_no_longer_be_recorded_is_kept_with_its_reason(
    client, declaration, secretariat, deferred
):
    post(client, declaration, "late@example.org")
    lifecycle.close_declaration(secretariat, Declaration.objects.get(pk=declaration.pk))
    assert intake.process() == {"recorded": 0, "duplicates": 0, "kept": 1}
    kept = SignatureIntake.objects.get()
    assert "not open" in kept.error and kept.payload["data"]["email"] == "late@example.org"
    assert intake.process() == {"recorded": 0, "duplicates": 0, "kept": 0}  # not retried
    assert not Signature.objects.exists()


def test_bad_input_and_closed_declarations_are_refused_before_anything_is_stored(
    client, declaration, secretariat, deferred
):
    response = client.post(
        f"/api/v1/declarations/{declaration.slug}/signatures",
        {"name": "A", "email": "not-an-address", "country": "MZ"},
        content_type="application/json",
    )
    assert response.status_code == 422
    lifecycle.close_declaration(secretariat, Declaration.objects.get(pk=declaration.pk))
    assert post(client, declaration, "after@example.org").status_code == 409
    assert not SignatureIntake.objects.exists()


def test_restricted_declarations_are_judged_at_once(client, declaration, deferred):
    Declaration.objects.filter(pk=declaration.pk).update(eligibility="invited")
    declaration.refresh_from_db()
    declaration.save()  # a change of rule reaches the signing path at once in this process
    response = post(client, declaration, "stranger@example.org")
    assert response.status_code == 202  # the answer does not tell who is invited
    assert not SignatureIntake.objects.exists() and not Signature.objects.exists()
    assert OutgoingEmail.objects.get(to="stranger@example.org").key.startswith(
        "signature.not_eligible:"
    )


def test_kept_rows_are_listed_in_the_admin_for_superusers_only(
    client, declaration, secretariat, outsider, deferred
):
    post(client, declaration, "kept@example.org")
    lifecycle.close_declaration(secretariat, Declaration.objects.get(pk=declaration.pk))
    intake.process()
    url = "/admin/declarations/signatureintake/"
    client.force_login(outsider)
    assert client.get(url).status_code == 302  # to the admin's login
    secretariat.is_superuser = True
    secretariat.save()
    client.force_login(secretariat)
    page = client.get(url)
    assert page.status_code == 200 and "not open" in page.content.decode()


def test_a_process_kicks_the_recording_once_per_period_and_asks_the_cache_once(monkeypatch):
    from types import SimpleNamespace

    from django.core.cache import cache

    enqueued, asked = [], []

    class DeferringTask:
        def get_backend(self):
            return SimpleNamespace(supports_defer=True)

        def using(self, run_after):
            return SimpleNamespace(enqueue=lambda: enqueued.append(run_after))

    real_add = cache.add
    monkeypatch.setattr(intake, "process_signature_intake", DeferringTask())
    monkeypatch.setattr(intake, "_key_lives_until", 0.0)
    monkeypatch.setattr(cache, "add", lambda *a, **k: asked.append(a[0]) or real_add(*a, **k))
    cache.delete("signature-intake:kick")
    for _ in range(5):
        intake._kick()
    assert len(enqueued) == 1
    assert asked == ["signature-intake:kick"]
    # Once the period is over the next acceptance kicks again.
    cache.delete("signature-intake:kick")
    monkeypatch.setattr(intake, "_key_lives_until", 0.0)
    intake._kick()
    assert len(enqueued) == 2
