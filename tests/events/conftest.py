import pytest

from concord.events.services.programme import add_question
from concord.events.services.registration import RegistrationInput
from concord.events.services.registration import register as register_person
from tests.factories import make_event, make_user


@pytest.fixture
def event(secretariat):
    """A forum in Dakar with two seats and one required question."""
    event = make_event(secretariat, slug="dakar-forum", title="National NGO Forum", capacity=2)
    add_question(secretariat, event, label="Dietary needs", kind="text", choices=[], required=True)
    return event


def answers(event) -> dict:
    return {str(q.pk): "None" for q in event.questions.all() if q.required}


def register(event, user=None, country: str = "SN", **fields):
    user = user or make_user()
    data = RegistrationInput(
        country=country, answers=fields.pop("answers", None) or answers(event), **fields
    )
    return register_person(user, event, data)
