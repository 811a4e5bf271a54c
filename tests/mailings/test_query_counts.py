"""The mailings' lists cost the same with one row as with three."""

import pytest
from django.utils import timezone

from concord.accounts.services import create_api_token
from concord.mailings.models import Audience, Mailing, MailingText

pytestmark = pytest.mark.django_db


def _mailings(secretariat, count: int) -> None:
    for n in range(count):
        mailing = Mailing.objects.create(
            sender_name="Secretariat", original_language="en", public=True,
            status=Mailing.Status.SENT, send_at=timezone.now(), created_by=secretariat,
        )  # fmt: skip
        MailingText.objects.create(mailing=mailing, language="en", subject=f"News {n}", body="Hi")
        MailingText.objects.create(
            mailing=mailing, language="fr", subject=f"Nouvelles {n}", body="Salut"
        )
        Audience.objects.create(
            name=f"Audience {n}", kind="representatives", created_by=secretariat
        )


@pytest.mark.parametrize("rows", [1, 3])
def test_the_mailing_list(client, secretariat, query_count, rows):
    _mailings(secretariat, rows)
    client.force_login(secretariat)
    with query_count(4):
        assert client.get("/mailings/").status_code == 200


@pytest.mark.parametrize("rows", [1, 3])
def test_the_news_archive(client, secretariat, query_count, rows):
    _mailings(secretariat, rows)
    with query_count(2):
        page = client.get("/fr/mailings/news/")
    assert page.content.decode().count("Nouvelles ") == rows


@pytest.mark.parametrize("rows", [1, 3])
def test_the_audiences_endpoint(client, secretariat, query_count, rows):
    _mailings(secretariat, rows)
    token = create_api_token(secretariat, "list")[1]
    with query_count(3):
        answer = client.get("/api/v1/mailings/audiences", HTTP_AUTHORIZATION=f"Bearer {token}")
    assert len(answer.json()) == rows
