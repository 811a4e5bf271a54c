"""The outbox forgets one-time links once a message is delivered, never before."""

import pytest
from django.core.mail import EmailMultiAlternatives

from concord.core import emails
from concord.core.models import OutgoingEmail
from concord.declarations.services import signing

pytestmark = pytest.mark.django_db

DATA = signing.SignatureInput(
    name="Fatou Sow", email="fatou@example.org", country="SN", kind="individual"
)


def test_a_delivered_confirmation_keeps_no_link(
    declaration, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        signing.sign(declaration, DATA, signing.Context())
    [sent] = mailoutbox
    assert "/confirm/" in sent.body and "/confirm/" in sent.alternatives[0][0]
    stored = OutgoingEmail.objects.get(to="fatou@example.org")
    assert stored.sent_at is not None
    assert "/confirm/" not in stored.body_text and "/confirm/" not in stored.body_html
    assert emails.LINK_REMOVED in stored.body_text and emails.LINK_REMOVED in stored.body_html


def test_an_undelivered_message_keeps_its_link_for_the_retry(
    declaration, mailoutbox, monkeypatch, django_capture_on_commit_callbacks
):
    def refuse(self, *args, **kwargs):
        raise ConnectionRefusedError("mail server down")

    with monkeypatch.context() as patch:
        patch.setattr(EmailMultiAlternatives, "send", refuse)
        with django_capture_on_commit_callbacks(execute=True):  # the task records the failure
            signing.sign(declaration, DATA, signing.Context())
    stored = OutgoingEmail.objects.get(to="fatou@example.org")
    assert stored.sent_at is None and "/confirm/" in stored.body_text
    assert emails.deliver(stored.pk)
    [sent] = mailoutbox
    assert "/confirm/" in sent.body
    assert "/confirm/" not in OutgoingEmail.objects.get(pk=stored.pk).body_text
