import pytest

from concord.events import services
from tests.factories import make_event, make_user


@pytest.fixture
def event(secretariat):
    """A forum in Dakar with two seats and one required question."""
    event = make_event(secretariat, slug="dakar-forum", title="National NGO Forum", capacity=2)
    services.add_question(
        secretariat, event, label="Dietary needs", kind="text", choices=[], required=True
    )
    return event


def answers(event) -> dict:
    return {str(q.pk): "None" for q in event.questions.all() if q.required}


def register(event, user=None, country: str = "SN", **fields):
    user = user or make_user()
    data = services.RegistrationInput(
        country=country, answers=fields.pop("answers", None) or answers(event), **fields
    )
    return services.register(user, event, data)
