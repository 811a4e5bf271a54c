"""Mail coming in through `concord mailin` (core/mailin.py).

`reply+<token>@REPLY_DOMAIN`: the token (tokens.py) names a membership and a thread; the
reply becomes a post there, with the quoted earlier message and the signature removed by
`mail-parser-reply`. `group+<slug>@REPLY_DOMAIN`: a member's mail starts a thread, its
subject as title. Refused with 550 (core/mailin.Rejected), never posted: a forged or expired
token, a sender who is not an active member (the From address must be the member's own), a
closed thread, an empty or over-long body, a file that is not a clean image or PDF (checked
as uploads are; the answer says so), a spent posting limit. Auto-replies
(`Auto-Submitted` other than "no", `Precedence: bulk | auto_reply | list | junk`) are
dropped without an answer that would start a loop. Messages over `MAILIN_MAX_BYTES` never
get here: the server refuses them while they stream in."""

import logging
from email import message_from_bytes, policy
from email.message import EmailMessage
from email.utils import parseaddr

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils.html import strip_tags
from mailparser_reply import EmailReplyParser

from concord.core.errors import Refused
from concord.core.mailin import Rejected
from concord.groups import permissions, tokens
from concord.groups.models import Group, Membership, Thread
from concord.groups.services import posting

log = logging.getLogger(__name__)

# The languages mail-parser-reply knows the "On … wrote:" lines of.
_PARSER = EmailReplyParser(languages=["en", "fr", "es", "zh", "de", "it", "nl", "pl", "sv"])


def is_auto_reply(message: EmailMessage) -> bool:
    submitted = str(message.get("Auto-Submitted", "no")).strip().lower()
    precedence = str(message.get("Precedence", "")).strip().lower()
    return submitted != "no" or precedence in {"bulk", "auto_reply", "list", "junk"}


def _text_of(message: EmailMessage) -> str:
    part = message.get_body(preferencelist=("plain", "html"))
    if part is None:
        return ""
    content = part.get_content()
    return strip_tags(content) if part.get_content_type() == "text/html" else content


def new_text(message: EmailMessage) -> str:
    """What the sender wrote: the message without the quoted earlier one and the signature."""
    written = _text_of(message).replace("\r\n", "\n")
    parsed = _PARSER.read(text=written)
    if not parsed.replies:
        return written.strip()
    return parsed.replies[0].body.strip()


def attachments_of(message: EmailMessage) -> list[SimpleUploadedFile]:
    """The files sent with the message, as uploads for the same checks as the web form's."""
    found = []
    for part in message.iter_attachments():
        if part.get("Content-ID") and part.get_content_disposition() != "attachment":
            continue  # a picture the HTML body shows (a signature's logo), not a file sent
        data = part.get_payload(decode=True) or b""
        name = part.get_filename() or "attachment"
        found.append(SimpleUploadedFile(name, data, content_type=part.get_content_type()))
    return found


def _sender(message: EmailMessage) -> str:
    return parseaddr(str(message.get("From", "")))[1].strip().lower()


def _post(action, *args, **kwargs):
    try:
        return action(*args, **kwargs)
    except ValidationError as error:
        raise Rejected("; ".join(error.messages), tell_sender=True) from error
    except (PermissionDenied, Refused) as error:
        raise Rejected(str(error)) from error


def handle_reply(suffix: str, raw: bytes) -> bool:
    message = message_from_bytes(raw, policy=policy.default)
    if is_auto_reply(message):
        return False
    found = tokens.read(suffix)
    if found is None:
        raise Rejected("unknown or expired reply address")
    membership = (
        Membership.objects.filter(pk=found[0], status=Membership.Status.ACTIVE)
        .select_related("user")
        .first()
    )
    if membership is None or membership.user.email.lower() != _sender(message):
        raise Rejected("not a member")
    thread = Thread.objects.select_related("group").filter(pk=found[1]).first()
    if thread is None or thread.group_id != membership.group_id:
        raise Rejected("unknown thread")
    _post(
        posting.reply, membership.user, thread, new_text(message), source="email",
        files=attachments_of(message),
    )  # fmt: skip
    return True


def handle_new_thread(suffix: str, raw: bytes) -> bool:
    message = message_from_bytes(raw, policy=policy.default)
    if is_auto_reply(message):
        return False
    group = Group.objects.filter(slug=suffix.lower()).first()
    if group is None:
        raise Rejected("no such group")
    membership = (
        Membership.objects.filter(
            group=group, status=Membership.Status.ACTIVE, user__email__iexact=_sender(message)
        )
        .select_related("user")
        .first()
    )
    if membership is None or not permissions.can_post(membership.user, group):
        raise Rejected("not a member")
    title = str(message.get("Subject", "")).strip()
    _post(
        posting.start_thread, membership.user, group, title, new_text(message), source="email",
        files=attachments_of(message),
    )  # fmt: skip
    return True
