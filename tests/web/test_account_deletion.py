"""Deleting an account: a confirmation step, then the person is erased everywhere; their
signatures on closed declarations stay as anonymous counted rows."""

from datetime import timedelta

import pytest
from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from django.contrib.sessions.models import Session
from django.test import Client
from django.utils import timezone

from concord.accounts.models import User
from concord.accounts.services import create_api_token
from concord.core.models import AuditEvent, OutgoingEmail
from concord.declarations import exports, queries
from concord.declarations.log import queries as log_queries
from concord.declarations.log import sealing, verifier
from concord.declarations.log.models import LogEntry
from concord.declarations.models import Signature
from concord.declarations.services import lifecycle
from concord.events.models import Event, Registration
from concord.organisations.models import Representative
from tests.factories.accounts import PASSWORD, UserFactory
from tests.factories.declarations import DeclarationFactory, SignatureFactory
from tests.factories.events import EventFactory, RegistrationFactory
from tests.factories.organisations import OrganisationFactory, RepresentativeFactory

pytestmark = pytest.mark.django_db


def delete(client, user, password=PASSWORD):
    client.force_login(user)
    return client.post("/account/delete/", {"password": password})


def test_the_confirmation_page_asks_for_the_password(client, outsider):
    client.force_login(outsider)
    page = client.get("/account/delete/")
    assert page.status_code == 200
    assert 'name="password"' in page.content.decode()
    assert 'name="csrfmiddlewaretoken"' in page.content.decode()
    assert User.objects.filter(pk=outsider.pk).exists()


def test_a_wrong_password_deletes_nothing(client, outsider):
    response = delete(client, outsider, password="not-it")
    assert response.status_code == 422
    assert "That is not your password; nothing was deleted." in response.content.decode()
    assert User.objects.filter(pk=outsider.pk).exists()


def test_a_post_without_csrf_token_is_refused(outsider):
    client = Client(enforce_csrf_checks=True)
    client.force_login(outsider)
    assert client.post("/account/delete/", {"password": PASSWORD}).status_code == 403
    assert User.objects.filter(pk=outsider.pk).exists()


def test_a_get_deletes_nothing(client, outsider):
    client.force_login(outsider)
    assert client.get("/account/delete/", {"password": PASSWORD}).status_code == 200
    assert User.objects.filter(pk=outsider.pk).exists()


def test_the_account_and_its_sign_in_data_are_gone(client, outsider):
    create_api_token(outsider, "CRM")
    Authenticator.objects.create(user=outsider, type=Authenticator.Type.TOTP, data={})
    other_device = Client()
    other_device.force_login(outsider)
    OutgoingEmail.objects.create(
        key="test:1", to="Outsider@example.org", subject="Hi", body_text="…"
    )

    response = delete(client, outsider)

    assert response.status_code == 302
    assert not User.objects.filter(pk=outsider.pk).exists()
    assert not EmailAddress.objects.filter(email="outsider@example.org").exists()
    assert not Authenticator.objects.exists()
    assert not OutgoingEmail.objects.filter(to__iexact="outsider@example.org").exists()
    assert not any(
        s.get_decoded().get("_auth_user_id") == str(outsider.pk) for s in Session.objects.all()
    )
    assert other_device.get("/account/").status_code == 302  # signed out everywhere
    event = AuditEvent.objects.get(action="account.deleted")
    assert "outsider@example.org" not in str(event.data) + event.subject


def test_a_signature_on_an_open_declaration_is_removed_and_uncounted(client, outsider):
    declaration = DeclarationFactory(opened=True)
    SignatureFactory(declaration=declaration, email="outsider@example.org", confirmed=True)
    SignatureFactory(declaration=declaration, confirmed=True)
    assert queries.declaration_stats(declaration).signatures == 2

    delete(client, outsider)

    assert not Signature.objects.filter(email="outsider@example.org").exists()
    assert declaration.signatures.count() == 1
    assert queries.declaration_stats(declaration, fresh=True).signatures == 1
    logged = AuditEvent.objects.get(action="signatures.erased")
    assert logged.data == {"count": 1, "confirmed": 1}


def test_the_log_keeps_an_erased_signature_but_forgets_its_salt(client, outsider):
    """The log must stay verifiable, so its entries stay; without their salt nothing ties
    them to the address any more."""
    declaration = DeclarationFactory(opened=True)
    SignatureFactory(declaration=declaration, email="outsider@example.org", confirmed=True)
    other = SignatureFactory(declaration=declaration, confirmed=True)
    entry = LogEntry.objects.get(event="confirmed", signature__email="outsider@example.org")

    delete(client, outsider)

    erased = LogEntry.objects.filter(email_hash=entry.email_hash).order_by("id")
    assert [e.event for e in erased] == ["confirmed", "withdrawn"]
    assert all(e.salt == "" and e.fields_salt == "" for e in erased)
    assert LogEntry.objects.get(signature=other).salt != ""
    sealing.seal(declaration)
    copy = log_queries.copy(declaration, log_queries.published_counts(declaration))
    assert verifier.verify_copy(copy) == []


def test_a_hidden_signature_on_a_closed_declaration_stays_counted_and_the_list_is_unchanged(
    client, outsider, secretariat
):
    declaration = DeclarationFactory(opened=True)
    SignatureFactory(
        declaration=declaration,
        email="outsider@example.org",
        name="Chidi",
        country="NG",
        role="Director",
        show_name=False,
        confirmed=True,
    )
    SignatureFactory(declaration=declaration, confirmed=True)
    closed = lifecycle.close_declaration(secretariat, declaration)
    before = exports.signatories_csv(closed)

    delete(client, outsider)

    closed.refresh_from_db()
    kept = closed.signatures.get(country="NG")
    assert (kept.name, kept.role, kept.user, kept.organisation, kept.show_name) == (
        "",
        "",
        None,
        None,
        False,
    )
    assert "outsider" not in kept.email
    assert kept.status == Signature.Status.CONFIRMED
    assert exports.signatories_csv(closed) == before
    assert exports.signatories_sha256(closed) == closed.final_export_sha256
    assert closed.final_signature_count == 2


def test_a_shown_signature_on_a_closed_declaration_leaves_the_list_and_the_fingerprint_is_retaken(
    client, outsider, secretariat
):
    declaration = DeclarationFactory(opened=True)
    SignatureFactory(
        declaration=declaration,
        email="outsider@example.org",
        name="Chidi Okafor",
        country="NG",
        confirmed=True,
    )
    closed = lifecycle.close_declaration(secretariat, declaration)
    first = closed.final_export_sha256

    delete(client, outsider)

    closed.refresh_from_db()
    listed = exports.signatories_csv(closed).decode()
    assert "Chidi Okafor" not in listed
    assert listed.splitlines()[1].startswith("NG,Nigeria,,,,,")
    assert closed.final_signature_count == 1
    assert closed.final_export_sha256 == exports.signatories_sha256(closed) != first
    amended = AuditEvent.objects.get(action="declaration.final_list_amended")
    assert amended.data["previous_sha256"] == first
    assert amended.data["sha256"] == closed.final_export_sha256


def test_the_last_admin_of_a_member_organisation_must_hand_over_first(client, owner, member_org):
    response = delete(client, owner)

    assert response.status_code == 409
    page = response.content.decode()
    assert "You are the last admin of Mangrove Keepers." in page
    assert User.objects.filter(pk=owner.pk).exists()
    assert Representative.objects.filter(user=owner).exists()


def test_an_admin_who_is_not_the_last_leaves_the_organisation(client, owner, colleague, member_org):
    Representative.objects.filter(user=colleague).update(role=Representative.Role.ADMIN)

    delete(client, owner)

    assert list(member_org.representatives.values_list("user", flat=True)) == [colleague.pk]


def test_a_coming_registration_is_deleted_and_its_seat_given_to_the_waiting_list(client, outsider):
    event = EventFactory(capacity=1)
    RegistrationFactory(event=event, user=outsider)
    waiting = RegistrationFactory(event=event)
    assert waiting.status == Registration.Status.WAITING

    delete(client, outsider)

    assert not Registration.objects.filter(email="outsider@example.org").exists()
    waiting.refresh_from_db()
    assert waiting.status == Registration.Status.CONFIRMED


def test_a_past_registration_stays_as_an_anonymous_row(client, outsider):
    event = EventFactory()
    registration = RegistrationFactory(event=event, user=outsider)
    start = timezone.now() - timedelta(days=3)
    Event.objects.filter(pk=event.pk).update(starts_at=start, ends_at=start + timedelta(hours=8))

    delete(client, outsider)

    registration.refresh_from_db()
    assert (registration.user, registration.name, registration.email, registration.answers) == (
        None,
        "",
        "",
        {},
    )
    assert registration.country_id == "SN"


def test_signatures_from_an_unverified_address_stay(client, outsider):
    SignatureFactory(email="someone@example.org", confirmed=True)
    EmailAddress.objects.create(user=outsider, email="someone@example.org", verified=False)

    delete(client, outsider)

    assert not User.objects.filter(pk=outsider.pk).exists()
    assert Signature.objects.filter(email="someone@example.org").exists()


def test_other_people_are_untouched(client, outsider, colleague):
    organisation = OrganisationFactory(admin=colleague)
    RepresentativeFactory(organisation=organisation, user=outsider)
    SignatureFactory(email="colleague@example.org", confirmed=True)

    delete(client, outsider)

    assert User.objects.filter(pk=colleague.pk).exists()
    assert Signature.objects.filter(email="colleague@example.org").exists()
    assert organisation.representatives.count() == 1
    assert UserFactory(email="outsider@example.org")  # the address may sign up again
