"""A post is mailed, through a real SMTP server, to the members who chose every post, in
each reader's language, with a reply address of their own and the headers mail programs
thread and unsubscribe by; the digest job sends each daily member one message a day."""

from datetime import timedelta
from email import message_from_bytes, policy

from django.utils import timezone

from concord.core import preferences
from concord.core.models import OutgoingEmail
from concord.groups import notify, tokens
from concord.groups.models import Membership
from concord.groups.services import membership, posting


def _parsed(message):
    return message_from_bytes(message.as_bytes(), policy=policy.default)


def test_a_post_reaches_every_post_members_with_threading_headers(
    members, people, smtp_server, django_capture_on_commit_callbacks
):
    membership.choose_delivery(people["moderator"], members, Membership.Delivery.WEB)
    with django_capture_on_commit_callbacks(execute=True):
        first = posting.start_thread(
            people["colleague"], members, "Finance", "Shall we write a note?"
        )
    received = smtp_server.wait_for(1)
    assert [m["To"] for m in received] == ["fatou@sahel.example"]  # not the author, not "web"
    with django_capture_on_commit_callbacks(execute=True):
        second = posting.reply(people["colleague"], first.thread, "A second thought on it.")
    received = [_parsed(m) for m in smtp_server.wait_for(2)]
    mail = received[1]
    assert mail["Message-ID"] == notify.message_id(second.pk)
    assert mail["In-Reply-To"] == notify.message_id(first.pk)
    assert mail["References"] == notify.message_id(first.pk)
    assert mail["List-Id"] == f"<{members.slug}.reply.concord.test>"
    assert "List-Unsubscribe" in mail and mail["List-Unsubscribe-Post"]
    token = mail["Reply-To"].split("+", 1)[1].split("@")[0]
    fatou = Membership.objects.get(group=members, user=people["fatou"])
    assert tokens.read(token) == (fatou.pk, first.thread_id)
    # Fatou reads French: the message is rendered in French (its links lead to the French
    # pages; the catalogues get their strings at merge), the post as written.
    text = mail.get_body(preferencelist=("plain",)).get_content()
    assert "/fr/groups/" in text
    assert "A second thought on it." in text


def test_a_mention_reaches_a_web_only_member(members, people, django_capture_on_commit_callbacks):
    Membership.objects.filter(group=members).update(delivery=Membership.Delivery.WEB)
    with django_capture_on_commit_callbacks(execute=True):
        posting.start_thread(people["colleague"], members, "Hello", "What does @SWN think?")
    assert list(OutgoingEmail.objects.values_list("to", flat=True)) == ["fatou@sahel.example"]


def test_an_address_that_stopped_group_mail_gets_none(
    members, people, django_capture_on_commit_callbacks
):
    preferences.stop_address("fatou@sahel.example", "groups")
    with django_capture_on_commit_callbacks(execute=True):
        posting.start_thread(people["colleague"], members, "Hello", "Nobody should mail Fatou")
    assert not OutgoingEmail.objects.filter(to="fatou@sahel.example").exists()


def test_the_digest_sends_one_message_a_day_with_every_new_post(
    members, people, smtp_server, django_capture_on_commit_callbacks
):
    other = membership.create_group(
        people["moderator"], membership.GroupInput(name="Climate finance")
    )
    membership.join(people["fatou"], other)
    Membership.objects.filter(user=people["fatou"]).update(delivery=Membership.Delivery.DIGEST)
    Membership.objects.exclude(user=people["fatou"]).update(delivery=Membership.Delivery.WEB)
    with django_capture_on_commit_callbacks(execute=True):
        posting.start_thread(people["colleague"], members, "One", "First post of the day")
        posting.start_thread(people["moderator"], other, "Two", "Second post, other group")
    assert not OutgoingEmail.objects.filter(to="fatou@sahel.example").exists()
    now = timezone.now() + timedelta(minutes=1)
    with django_capture_on_commit_callbacks(execute=True):
        assert notify.send_digests(now=now) == 1
        assert notify.send_digests(now=now) == 0  # the same day: nothing new, nothing sent
    received = smtp_server.wait_for(1)
    assert len(received) == 1
    body = _parsed(received[0]).get_body(preferencelist=("plain",)).get_content()
    assert "First post of the day" in body and "Second post, other group" in body


def test_a_posts_files_are_named_in_the_mail_not_sent_with_it(
    members, people, smtp_server, django_capture_on_commit_callbacks
):
    from tests.security.calls import pdf

    with django_capture_on_commit_callbacks(execute=True):
        posting.start_thread(people["colleague"], members, "Report", "Attached.", files=[pdf()])
    received = [_parsed(m) for m in smtp_server.wait_for(2)]
    mail = next(m for m in received if m["To"] == "fatou@sahel.example")
    text = mail.get_body(preferencelist=("plain",)).get_content()
    assert "register.pdf (" in text and "/fr/groups/" in text
    assert not list(mail.iter_attachments())
