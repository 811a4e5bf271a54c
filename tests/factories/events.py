"""Events and registrations, made through the events services."""

from datetime import datetime, timedelta

import factory

from concord.events.models import Event, Registration
from concord.events.services import programme, registration
from tests.factories.accounts import UserFactory


def next_month_at_nine() -> datetime:
    return (datetime.now() + timedelta(days=30)).replace(hour=9, minute=0, second=0, microsecond=0)


class EventFactory(factory.django.DjangoModelFactory):
    """A forum in Dakar in a month, created through the service by `created_by`. Times are
    wall-clock at the venue unless aware; any other field of `EventInput` may be given."""

    class Meta:
        model = Event

    created_by = factory.SubFactory(UserFactory, staff=True)
    slug = factory.Sequence(lambda n: f"event-{n}")
    title = "National NGO Forum"
    kind = "forum"
    format = "in_person"
    starts_at = factory.LazyFunction(next_month_at_nine)
    ends_at = factory.LazyAttribute(lambda event: event.starts_at + timedelta(hours=8))
    time_zone = "Africa/Dakar"
    city = "Dakar"
    country = "SN"

    @classmethod
    def _create(cls, model_class, created_by, **fields):
        return programme.create_event(created_by, programme.EventInput(**fields))


def required_answers(event: Event) -> dict:
    """An answer to each required question of the event."""
    return {str(q.pk): "None" for q in event.questions.all() if q.required}


class RegistrationFactory(factory.django.DjangoModelFactory):
    """A person registered through the service, from Senegal, answering the required
    questions; other fields of `RegistrationInput` may be given."""

    class Meta:
        model = Registration

    event = factory.SubFactory(EventFactory)
    user = factory.SubFactory(UserFactory)
    country = "SN"
    answers = factory.LazyAttribute(lambda row: required_answers(row.event))

    @classmethod
    def _create(cls, model_class, event, user, **fields):
        return registration.register(user, event, registration.RegistrationInput(**fields))
