import pytest

from concord.events.services.programme import add_question
from tests.factories.events import EventFactory


@pytest.fixture
def event(secretariat):
    """A forum in Dakar with two seats and one required question."""
    event = EventFactory(
        created_by=secretariat, slug="dakar-forum", title="National NGO Forum", capacity=2
    )
    add_question(secretariat, event, label="Dietary needs", kind="text", choices=[], required=True)
    return event
