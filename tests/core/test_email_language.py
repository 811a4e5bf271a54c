"""The one rule for an email's language (core/emails.py: recipient_language) and links that
follow it: the account's preference, else the language the recipient acted in, else the
site's; a page_url() opens the page in the message's language whoever sends it."""

import pytest
from django.core import mail
from django.utils import translation

from concord.core.emails import LINK_REMOVED, page_url, queue_email, recipient_language
from tests.factories.accounts import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def probe(settings, tmp_path):
    """A triplet that writes its link and a French-looking subject with a no-break space."""
    folder = tmp_path / "probe" / "emails"
    folder.mkdir(parents=True)
    (folder / "link_subject.txt").write_text("Objet\u00a0: {{ who }}\n  et la suite")
    (folder / "link.txt").write_text("{{ url }}")
    (folder / "link.html").write_text('<a href="{{ url }}">{{ url }}</a>')
    settings.TEMPLATES = [{**settings.TEMPLATES[0], "DIRS": [tmp_path]}]
    return "probe/emails/link"


def test_the_accounts_preference_comes_before_the_language_acted_in():
    person = UserFactory(email="awa@example.org", language="fr")
    assert recipient_language(person, "ar") == "fr"
    assert recipient_language("awa@example.org", "ar") == "fr"
    assert recipient_language("AWA@example.org ", "ar") == "fr"


def test_an_unproved_address_does_not_reach_the_accounts_preference():
    UserFactory(email="claimed@example.org", language="fr", verified=False)
    assert recipient_language("claimed@example.org", "ar") == "ar"


@pytest.mark.parametrize(
    ("acted_in", "language"),
    [("ar", "ar"), ("fr-CA", "fr"), ("zh", "zh-hans"), ("zh_Hans", "zh-hans"), ("de", "en"),
     ("", "en"), (None, "en")],
)  # fmt: skip
def test_without_an_account_the_language_acted_in_else_the_sites(acted_in, language):
    assert recipient_language("nobody@example.org", acted_in) == language


def test_a_page_link_takes_the_messages_language_not_the_senders(probe):
    with translation.override("en"):
        message = queue_email(
            key="probe:1",
            to="nobody@example.org",
            template=probe,
            context={"who": "Awa", "url": page_url("declarations:mine")},
            acted_in="ru",
        )
    assert message.body_text == "http://testserver/ru/declarations/signatures/mine/"
    english = queue_email(
        key="probe:2",
        to="nobody@example.org",
        template=probe,
        context={"who": "Awa", "url": page_url("declarations:mine")},
        acted_in="en",
    )
    assert english.body_text == "http://testserver/declarations/signatures/mine/"


def test_a_one_time_link_is_forgotten_as_written_in_the_recipients_language(
    probe, django_capture_on_commit_callbacks
):
    link = page_url("organisations:accept", "secret-token")
    with translation.override("en"), django_capture_on_commit_callbacks(execute=True):
        message = queue_email(
            key="probe:3",
            to="nobody@example.org",
            template=probe,
            context={"who": "Awa", "url": link},
            acted_in="es",
            one_time_links=[link],
        )
    assert mail.outbox[0].body == "http://testserver/es/members/invitations/secret-token/"
    message.refresh_from_db()
    assert message.body_text == LINK_REMOVED
    assert message.body_html == f'<a href="{LINK_REMOVED}">{LINK_REMOVED}</a>'


def test_a_subject_keeps_its_no_break_spaces_on_one_line(probe):
    message = queue_email(
        key="probe:4", to="nobody@example.org", template=probe, context={"who": "Awa"}
    )
    assert message.subject == "Objet\u00a0: Awa et la suite"
