"""Addressees, deliveries, responses and pledges: every refusal stores nothing, the response
coverage is the coverage function's, and publishing tells only the signers who asked."""

from datetime import date, timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from concord.core.models import OutgoingEmail
from concord.countries.queries import coverage
from concord.declarations.addressees import notices, queries
from concord.declarations.addressees.models import Addressee, Pledge, Response
from concord.declarations.models import Signature
from concord.declarations.services import addressees
from tests.factories.declarations import SignatureFactory

pytestmark = pytest.mark.django_db


def pdf(body: bytes = b"1 0 obj<<>>endobj") -> SimpleUploadedFile:
    return SimpleUploadedFile(
        "reply.pdf", b"%PDF-1.4\n" + body + b"\ntrailer<<>>\n%%EOF\n", "application/pdf"
    )


@pytest.fixture
def governments(secretariat, declaration):
    return [
        addressees.add_addressee(secretariat, declaration, kind="government", country=code)
        for code in ("SN", "BR", "IN")
    ]


def test_a_country_that_is_not_an_iso_code_is_refused(secretariat, declaration):
    with pytest.raises(ValidationError) as error:
        addressees.add_addressee(secretariat, declaration, kind="government", country="XX")
    assert "ISO 3166-1" in " ".join(error.value.message_dict["country"])
    with pytest.raises(ValidationError):
        addressees.add_addressee(secretariat, declaration, kind="government", country="")
    assert not Addressee.objects.exists()


def test_an_institution_needs_a_name(secretariat, declaration):
    with pytest.raises(ValidationError) as error:
        addressees.add_addressee(secretariat, declaration, kind="institution")
    assert "name" in error.value.message_dict
    unfccc = addressees.add_addressee(
        secretariat, declaration, kind="institution", name="UNFCCC secretariat", language="en"
    )
    assert unfccc.country_id is None


def test_only_those_who_manage_record(declaration, outsider, owner, governments):
    for person in (outsider, owner):
        with pytest.raises(PermissionDenied):
            addressees.add_addressee(person, declaration, kind="government", country="KE")
        with pytest.raises(PermissionDenied):
            addressees.record_response(
                person, governments[0], received_on=date.today(), source="Ministry", text="Yes"
            )
    assert Addressee.objects.count() == 3 and not Response.objects.exists()


def test_a_response_without_a_date_or_source_is_refused(secretariat, governments):
    with pytest.raises(ValidationError) as error:
        addressees.record_response(
            secretariat, governments[0], received_on="", source="", text="Oui"
        )
    assert {"received_on", "source"} <= set(error.value.message_dict)
    assert not Response.objects.exists()


def test_a_pledge_without_a_deadline_is_refused_with_its_response(secretariat, governments):
    with pytest.raises(ValidationError) as error:
        addressees.record_response(
            secretariat, governments[0], received_on=date.today(), source="Ministry",
            text="We will act.", pledges=[{"text": "Halve emissions", "deadline": ""}],
        )  # fmt: skip
    assert "pledges.0.deadline" in error.value.message_dict
    assert not Response.objects.exists() and not Pledge.objects.exists()


def test_a_document_must_be_a_clean_pdf(secretariat, governments):
    fake = SimpleUploadedFile("reply.pdf", b"<html><script>x</script></html>", "application/pdf")
    with pytest.raises(ValidationError) as error:
        addressees.record_response(
            secretariat, governments[0], received_on=date.today(), source="Ministry", document=fake
        )
    assert "document" in error.value.message_dict
    response = addressees.record_response(
        secretariat, governments[0], received_on=date.today(), source="Ministry", document=pdf()
    )
    assert response.document.name.startswith("declarations/responses/")
    assert response.document_name == "reply.pdf"


def test_pledge_status_follows_its_deadline(secretariat, governments):
    today = date.today()
    response = addressees.record_response(
        secretariat, governments[0], received_on=today, source="Ministry", text="Yes",
        pledges=[
            {"text": "Soon", "deadline": today + timedelta(days=30)},
            {"text": "Late", "deadline": today - timedelta(days=1)},
        ],
    )  # fmt: skip
    soon, late = response.pledges.order_by("deadline").reverse()
    assert (soon.status, late.status) == ("open", "missed")
    addressees.mark_pledge_met(secretariat, late, met_on=today)
    late.refresh_from_db()
    assert late.status == "met"


def test_response_coverage_counts_published_responses_of_addressed_states(
    secretariat, declaration, governments
):
    addressees.add_addressee(secretariat, declaration, kind="institution", name="UN-Habitat")
    senegal, brazil, _india = governments
    for government in (senegal, brazil):
        addressees.record_response(
            secretariat, government, received_on=date.today(), source="Ministry", text="Yes"
        )
    addressees.publish_response(secretariat, senegal.responses.get())
    cover = queries.response_coverage(declaration)
    assert cover.addressed.un_member_states == 3 and cover.institutions == 1
    assert cover.responded.un_member_states == 1  # Brazil's is not published
    assert cover.responded == coverage(["SN"])
    assert cover.per_country == {"SN": 1}


def test_publishing_tells_only_confirmed_signers_who_asked(
    secretariat, declaration, governments, django_capture_on_commit_callbacks
):
    asked = SignatureFactory(declaration=declaration, email="asked@example.org", confirmed=True)
    SignatureFactory(declaration=declaration, email="quiet@example.org", confirmed=True)
    pending = SignatureFactory(declaration=declaration, email="pending@example.org")
    Signature.objects.filter(pk__in=[asked.pk, pending.pk]).update(keep_informed=True)
    response = addressees.record_response(
        secretariat, governments[0], received_on=date.today(), source="Ministry",
        text="Yes", summary="Senegal will report by June.",
    )  # fmt: skip
    with django_capture_on_commit_callbacks(execute=True):
        addressees.publish_response(secretariat, response)
    sent = OutgoingEmail.objects.filter(key__startswith=f"response-published:{response.pk}:")
    assert list(sent.values_list("to", flat=True)) == ["asked@example.org"]
    assert "Senegal will report by June." in sent.get().body_text
    assert notices.notify(response.pk) == 0  # a second run sends nobody twice


def test_a_response_document_is_served_as_an_attachment_once_published(
    client, secretariat, outsider, governments
):
    response = addressees.record_response(
        secretariat, governments[0], received_on=date.today(), source="Ministry", document=pdf()
    )
    url = response.document.url
    client.force_login(outsider)
    assert client.get(url).status_code in (403, 404)  # not published yet
    client.force_login(secretariat)
    assert client.get(url).status_code == 200  # those who manage it see it
    addressees.publish_response(secretariat, response)
    client.logout()
    served = client.get(url)
    assert served.status_code == 200
    assert served["Content-Disposition"].startswith("attachment")
    assert served["Content-Type"] == "application/pdf"
