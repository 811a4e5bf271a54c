"""One rule for whether a registration is still active (`Registration.is_active`): the page
and the API refuse the same moves from the wrong state with the same message and 409."""

import pytest

from concord.accounts.services import create_api_token
from concord.events.models import Registration
from concord.events.services.registration import cancel_registration, decide_registration
from tests.factories.accounts import UserFactory
from tests.factories.events import EventFactory, RegistrationFactory, required_answers

pytestmark = pytest.mark.django_db


def on_the_page(client, event, person):
    client.force_login(person)
    question = event.questions.get()
    return client.post(
        f"/events/{event.slug}/register/", {"country": "SN", f"question_{question.pk}": "None"}
    )


def through_the_api(client, event, person):
    _, token = create_api_token(person, "test")
    return client.post(
        f"/api/v1/events/{event.slug}/registrations",
        {"country": "SN", "answers": required_answers(event)},
        content_type="application/json",
        headers={"Authorization": f"Bearer {token}"},
    )


@pytest.mark.parametrize(
    "status,active",
    [
        ("pending", True),
        ("confirmed", True),
        ("waiting", True),
        ("cancelled", False),
        ("declined", False),
    ],
)
def test_the_model_says_which_registrations_are_active(status, active):
    assert Registration(status=status).is_active is active


def test_registering_again_while_active_is_refused_alike(client, event):
    page_person, api_person = UserFactory(), UserFactory()
    RegistrationFactory(event=event, user=page_person)
    RegistrationFactory(event=event, user=api_person)
    page = on_the_page(client, event, page_person)
    api = through_the_api(client, event, api_person)
    assert page.status_code == api.status_code == 409
    assert api.json()["code"] == "duplicate"
    assert api.json()["detail"] in page.content.decode()
    assert Registration.objects.filter(event=event).count() == 2


def test_a_cancelled_registration_may_register_again_alike(client, event):
    page_person, api_person = UserFactory(), UserFactory()
    for person in (page_person, api_person):
        cancel_registration(person, RegistrationFactory(event=event, user=person))
    assert on_the_page(client, event, page_person).status_code == 302
    assert through_the_api(client, event, api_person).status_code == 201
    assert set(Registration.objects.values_list("status", flat=True)) == {"confirmed"}


def test_a_declined_registration_is_refused_alike(client, secretariat):
    event = EventFactory(created_by=secretariat, slug="moderated", approval="moderated")
    event.questions.create(label="Dietary needs", kind="text", required=True)
    page_person, api_person = UserFactory(), UserFactory()
    for person in (page_person, api_person):
        decide_registration(
            secretariat, RegistrationFactory(event=event, user=person), approve=False
        )
    page = on_the_page(client, event, page_person)
    api = through_the_api(client, event, api_person)
    assert page.status_code == api.status_code == 409
    assert api.json()["code"] == "declined"
    assert api.json()["detail"] in page.content.decode().replace("&#x27;", "'")


def test_changing_the_answers_of_a_cancelled_registration_answers_409(client, event):
    person = UserFactory()
    registration = RegistrationFactory(event=event, user=person)
    cancel_registration(person, registration)
    client.force_login(person)
    question = event.questions.get()
    response = client.post(
        f"/events/{event.slug}/registration/",
        {"action": "change", "country": "SN", f"question_{question.pk}": "Vegan"},
    )
    assert response.status_code == 409
    assert "no longer active" in response.content.decode()
    registration.refresh_from_db()
    assert registration.answers != {str(question.pk): "Vegan"}
