"""What an outbox message leaves with besides its text: the envelope sender (a per-message
return path when BOUNCE_DOMAIN is set, core/bounces.py), its extra headers (List-Unsubscribe,
Reply-To, a sender's name), and what a refusal by the mail server means for its address."""

import smtplib
from email.utils import formataddr, parseaddr

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.utils import timezone

from concord.core import bounces
from concord.core.models import OutgoingEmail

# Headers a stored message may set; anything else in `headers` is ignored.
ALLOWED = {"List-Unsubscribe", "List-Unsubscribe-Post", "Reply-To", "Precedence", "List-Id"}
# A discussion's messages: mail programs group them by these (working groups).
ALLOWED |= {"Message-ID", "In-Reply-To", "References", "List-Post"}


def email_for(message: OutgoingEmail, connection) -> EmailMultiAlternatives:
    headers = {name: value for name, value in message.headers.items() if name in ALLOWED}
    sender = settings.DEFAULT_FROM_EMAIL
    if message.headers.get("From-Name"):
        # A mailing's sender name, with the platform's own address (never a forged one).
        sender = formataddr((message.headers["From-Name"], parseaddr(sender)[1]))
    headers["From"] = sender
    email = EmailMultiAlternatives(
        subject=message.subject,
        body=message.body_text,
        # The envelope sender: where a bounce goes back to.
        from_email=bounces.return_path(message.pk) or sender,
        to=[message.to],
        headers=headers,
        connection=connection,
    )
    if message.body_html:
        email.attach_alternative(message.body_html, "text/html")
    return email


def refused(message: OutgoingEmail, error: OSError) -> bool:
    """When the server refused the recipient itself (not itself being away), count the
    failure for the address and mark the message refused, never to be retried; True then."""
    if not isinstance(error, smtplib.SMTPRecipientsRefused) or not error.recipients:
        return False
    code, reply = next(iter(error.recipients.values()))
    detail = reply.decode(errors="replace") if isinstance(reply, bytes) else str(reply)
    bounces.record_refusal(message.to, code, detail[:200])
    if code < 500:
        return False  # a temporary refusal is retried later like any failure
    OutgoingEmail.objects.filter(pk=message.pk).update(
        refused_at=timezone.now(), claimed_until=None, last_error=f"{code} {detail}"[:2000]
    )
    return True
