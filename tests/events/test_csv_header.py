"""The registrations CSV: question labels in its header are spreadsheet-safe too."""

import csv
import io

import pytest

from concord.events.services.programme import add_question
from tests.factories.events import RegistrationFactory

pytestmark = pytest.mark.django_db


def test_a_question_label_is_not_run_as_a_formula(client, event, secretariat):
    add_question(
        secretariat, event, label='=HYPERLINK("http://evil.example")', kind="text", choices=[],
        required=False,
    )  # fmt: skip
    RegistrationFactory(event=event)
    client.force_login(secretariat)
    response = client.get(f"/events/{event.slug}/registrations/?format=csv")
    header = next(csv.reader(io.StringIO(response.content.decode())))
    assert header[-1] == '\'=HYPERLINK("http://evil.example")'
