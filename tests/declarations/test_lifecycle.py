"""draft → open → closed → published; texts frozen and fingerprinted once open."""

import hashlib

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from concord.core.errors import Refused
from concord.core.models import AuditEvent
from concord.declarations.exports import signatories_csv
from concord.declarations.models import Declaration
from concord.declarations.services import lifecycle
from tests.factories.declarations import SignatureFactory

pytestmark = pytest.mark.django_db


def test_opening_fingerprints_every_language_version(declaration):
    texts = {t.language: t for t in declaration.texts.all()}
    assert set(texts) == {"en", "fr"}
    english = texts["en"]
    expected = hashlib.sha256(f"{english.title}\n\n{english.body}".encode()).hexdigest()
    assert english.sha256 == expected
    assert texts["fr"].sha256 and texts["fr"].sha256 != english.sha256


def test_open_texts_are_frozen_but_translations_can_be_added(secretariat, declaration):
    with pytest.raises(Refused):
        lifecycle.set_text(secretariat, declaration, language="en", title="Changed", text="Changed")
    assert declaration.texts.get(language="en").title == "The Baku Call for Climate Justice"
    arabic = lifecycle.set_text(
        secretariat, declaration, language="ar", title="نداء باكو", text="نحن..."
    )
    assert arabic.sha256 == lifecycle.fingerprint("نداء باكو", "نحن...")


def test_signers_sign_the_exact_text_they_read(declaration):
    signature = SignatureFactory(
        declaration=declaration, email="reader@example.org", language="fr", confirmed=True
    )
    assert signature.language == "fr"
    assert signature.text_sha256 == declaration.texts.get(language="fr").sha256


def test_closing_publishes_the_fingerprint_of_the_final_list(secretariat, declaration):
    SignatureFactory(declaration=declaration, email="a@example.org", country="SN", confirmed=True)
    SignatureFactory(
        declaration=declaration,
        email="b@example.org",
        country="BD",
        show_name=False,
        confirmed=True,
    )
    closed = lifecycle.close_declaration(secretariat, declaration)
    assert closed.status == "closed"
    assert closed.final_signature_count == 2
    assert closed.final_export_sha256 == hashlib.sha256(signatories_csv(closed)).hexdigest()
    with pytest.raises(Refused):
        SignatureFactory(declaration=closed, email="late@example.org", confirmed=True)
    published = lifecycle.publish_declaration(secretariat, closed)
    assert published.status == "published"
    actions = list(
        AuditEvent.objects.filter(subject=f"declarations.declaration:{declaration.pk}").values_list(
            "action", flat=True
        )
    )
    assert {
        "declaration.created",
        "declaration.opened",
        "declaration.closed",
        "declaration.published",
    } <= set(actions)


def test_transitions_in_the_wrong_order_are_refused(secretariat, declaration):
    with pytest.raises(Refused):
        lifecycle.open_declaration(secretariat, declaration)
    with pytest.raises(Refused):
        lifecycle.publish_declaration(secretariat, declaration)


@pytest.mark.parametrize("persona", ["owner", "colleague", "outsider"])
def test_only_the_secretariat_or_the_committee_manage(request, persona, declaration, secretariat):
    user = request.getfixturevalue(persona)
    with pytest.raises(PermissionDenied):
        lifecycle.close_declaration(user, declaration)
    with pytest.raises(PermissionDenied):
        lifecycle.create_declaration(user, slug="x-y", title="T", text="T")
    declaration.committee.add(user)
    assert lifecycle.close_declaration(user, declaration).status == "closed"


def test_bad_declarations_are_refused(secretariat, declaration):
    with pytest.raises(ValidationError) as error:
        lifecycle.create_declaration(secretariat, slug="baku-call", title="T", text="T")
    assert "slug" in error.value.message_dict
    with pytest.raises(ValidationError):
        lifecycle.create_declaration(secretariat, slug="ok-slug", title="", text="T")
    with pytest.raises(ValidationError):
        lifecycle.create_declaration(
            secretariat, slug="ok-slug", title="T", text="T", language="zz-notalang"
        )
    assert Declaration.objects.count() == 1
