"""Retention: a delivered email's body is emptied EMAIL_RETENTION_DAYS after delivery, by a
periodic job; waiting and recent messages keep theirs."""

from datetime import timedelta

import pytest
from django.utils import timezone

from concord.core import tasks
from concord.core.models import OutgoingEmail

pytestmark = pytest.mark.django_db


def message(key: str, sent_days_ago: float | None) -> OutgoingEmail:
    sent_at = None if sent_days_ago is None else timezone.now() - timedelta(days=sent_days_ago)
    return OutgoingEmail.objects.create(
        key=key,
        to="awa@example.org",
        subject="Hello",
        body_text="Dear Awa",
        body_html="<p>Dear Awa</p>",
        sent_at=sent_at,
    )


def test_old_delivered_bodies_are_emptied_and_the_rest_kept(settings):
    settings.EMAIL_RETENTION_DAYS = 30
    old, recent, waiting = message("old", 31), message("recent", 29), message("waiting", None)

    assert tasks.clear_old_email_bodies.call() == 1

    old.refresh_from_db()
    assert (old.body_text, old.body_html) == ("", "")
    assert old.key == "old"  # kept, so the event it reported never mails twice
    for kept in (recent, waiting):
        kept.refresh_from_db()
        assert kept.body_text == "Dear Awa"


def test_the_job_reads_the_setting(settings):
    settings.EMAIL_RETENTION_DAYS = 7
    message("week-old", 8)
    assert tasks.clear_old_email_bodies.call() == 1


def test_the_job_is_scheduled():
    assert "clear-old-email-bodies" in {name for name, _every, _job in tasks.PERIODIC_JOBS}
