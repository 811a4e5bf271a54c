"""Registering and changing one's answers check country, organisation and answers with one
function: the pages and the API refuse the same input with the same message and 422."""

import pytest
from django.core.exceptions import ValidationError

from concord.accounts.services import create_api_token
from concord.countries.checks import country_message
from concord.events.models import Registration
from concord.events.services.registration import (
    RegistrationInput,
    change_answers,
    check_registration,
)
from tests.factories.accounts import UserFactory
from tests.factories.events import RegistrationFactory
from tests.factories.organisations import OrganisationFactory

pytestmark = pytest.mark.django_db


def api_register(client, event, person, body):
    _, token = create_api_token(person, "test")
    return client.post(
        f"/api/v1/events/{event.slug}/registrations",
        body,
        content_type="application/json",
        headers={"Authorization": f"Bearer {token}"},
    )


def test_a_missing_required_answer_is_refused_alike_everywhere(client, event):
    question = event.questions.get()
    message = f"This question needs an answer: {question.label}"
    api = api_register(client, event, UserFactory(), {"country": "SN", "answers": {}})
    assert api.status_code == 422
    assert api.json()["detail"] == [
        {"loc": ["body", f"question_{question.pk}"], "msg": message, "type": "value_error"}
    ]
    client.force_login(UserFactory())
    page = client.post(f"/events/{event.slug}/register/", {"country": "SN"})
    assert page.status_code == 422 and message in page.content.decode()
    registered = UserFactory()
    RegistrationFactory(event=event, user=registered)
    client.force_login(registered)
    change = client.post(
        f"/events/{event.slug}/registration/",
        {"action": "change", "country": "SN", f"question_{question.pk}": ""},
    )
    assert change.status_code == 422 and message in change.content.decode()
    assert Registration.objects.count() == 1


def test_registering_and_changing_name_the_same_wrong_fields(event):
    person = UserFactory()
    stranger = OrganisationFactory(name="Somebody Else's NGO")
    data = RegistrationInput(country="XX", organisation_id=stranger.pk, answers={})
    with pytest.raises(ValidationError) as refused:
        check_registration(person, event, data)
    fields = refused.value.message_dict
    question = event.questions.get()
    assert set(fields) == {"country", "organisation", f"question_{question.pk}"}
    assert fields["country"] == [country_message("XX")]
    registration = RegistrationFactory(event=event, user=person)
    with pytest.raises(ValidationError) as changed:
        change_answers(person, registration, data)
    assert changed.value.message_dict == fields
