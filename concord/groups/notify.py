"""Mail about posts: each new post to the members who chose "every post" (and to those it
mentions), and the daily digest to those who chose it. Each message is in its reader's
language (the interface parts; the post as written), carries a reply address of its own
(tokens.py), the threading headers and List-Id/List-Unsubscribe. Rendered once per language
with placeholders, then copied per recipient, so a post to 500 members renders a few times."""

import secrets
from collections import defaultdict
from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django_tasks import task

from concord.core import emails, preferences
from concord.core.models import OutgoingEmail
from concord.groups import text, tokens
from concord.groups.models import Membership, Post
from concord.groups.queries import mentioned

TOPIC = "groups"


def message_id(post_id: int) -> str:
    return f"<post-{post_id}@{settings.REPLY_DOMAIN}>"


def after_commit(post: Post) -> None:
    transaction.on_commit(lambda: notify_post.enqueue(post.pk))


def _headers(post: Post, first_id: int | None, reply_to: str, token: str) -> dict:
    group = post.thread.group
    headers = {
        "From-Name": f"{post.author.display_name if post.author else group.slug} ({group.slug})",
        "Message-ID": message_id(post.pk),
        "List-Id": f"<{group.slug}.{settings.REPLY_DOMAIN}>",
        "List-Post": f"<mailto:{tokens.group_address(group.slug)}>",
        "Reply-To": reply_to,
        **preferences.unsubscribe_headers(token, TOPIC),
    }
    if first_id and first_id != post.pk:
        headers["In-Reply-To"] = message_id(first_id)
        headers["References"] = message_id(first_id)
    return headers


def recipients(post: Post) -> list[Membership]:
    """Active members who get this post now: "every post", or mentioned, never its author,
    never an address that stopped the groups' mail."""
    members = Membership.objects.filter(
        group_id=post.thread.group_id,
        status=Membership.Status.ACTIVE,
        delivery=Membership.Delivery.EVERY,
    ).select_related("user")
    if post.author_id is not None:  # a post whose author's account is gone has no author
        members = members.exclude(user_id=post.author_id)
    every = list(members)
    seen = {membership.pk for membership in every}
    every += [m for m in mentioned(post) if m.pk not in seen]
    stopped = preferences.stopped_among([m.user.email for m in every], TOPIC)
    return [m for m in every if m.user.email.lower() not in stopped]


@task()
def notify_post(post_id: int) -> int:
    post = (
        Post.objects.select_related("thread__group", "author", "organisation")
        .filter(pk=post_id, hidden_at=None)
        .first()
    )
    if post is None:
        return 0
    members = recipients(post)
    if not members:
        return 0
    first_id = post.thread.posts.order_by("created_at", "pk").values_list("pk", flat=True).first()
    placeholder = secrets.token_hex(16)
    context = {
        "post": post,
        "thread": post.thread,
        "group": post.thread.group,
        "body_html": text.html(post.body),
        # Named, not attached: a phone on a costly connection fetches them only if wanted.
        "files": list(post.attachments.all()),
        "thread_link": emails.page_url("groups:thread", post.thread.group.slug, post.thread.pk),
        "preferences_link": emails.page_url("core:mail_preferences", placeholder),
    }
    languages = emails.account_languages([m.user.email for m in members])
    rendered: dict[str, tuple] = {}
    messages = []
    for membership in members:
        language = emails.interface_language(languages.get(membership.user.email.lower()))
        if language not in rendered:
            rendered[language] = emails.render_email(
                "groups/emails/post", {**context, "language": language}, language
            )
        subject, body_text, body_html, _links = rendered[language]
        token = preferences.token_for(membership.user.email)
        messages.append(
            OutgoingEmail(
                key=f"group.post:{post.pk}:{membership.pk}",
                to=membership.user.email,
                subject=subject,
                body_text=body_text.replace(placeholder, token),
                body_html=body_html.replace(placeholder, token),
                headers=_headers(
                    post, first_id, tokens.reply_address(membership.pk, post.thread_id), token
                ),
            )
        )
    existing = set(
        OutgoingEmail.objects.filter(key__in=[m.key for m in messages]).values_list(
            "key", flat=True
        )
    )
    with transaction.atomic():
        return len(emails.queue_prepared_batch([m for m in messages if m.key not in existing]))


def send_digests(now=None) -> int:
    """One message per person who chose the daily digest in any group, with every post of
    their groups since their last digest (at most a day back); none when nothing is new."""
    now = now or timezone.now()
    members = (
        Membership.objects.filter(
            status=Membership.Status.ACTIVE, delivery=Membership.Delivery.DIGEST
        )
        .select_related("user", "group")
        .order_by("user_id", "group__slug")
    )
    by_person: dict[int, list[Membership]] = defaultdict(list)
    for membership in members:
        by_person[membership.user_id].append(membership)
    stopped = preferences.stopped_among([ms[0].user.email for ms in by_person.values()], TOPIC)
    sent = 0
    for memberships in by_person.values():
        person = memberships[0].user
        if person.email.lower() in stopped:
            continue
        sections = []
        for membership in memberships:
            since = max(
                membership.digest_sent_until or now - timedelta(days=1), now - timedelta(days=1)
            )
            posts = list(
                Post.objects.filter(
                    thread__group=membership.group, hidden_at=None,
                    created_at__gt=since, created_at__lte=now,
                )
                .exclude(author_id=person.pk)
                .select_related("thread", "author")
                .order_by("thread_id", "created_at")
            )  # fmt: skip
            if posts:
                sections.append({"group": membership.group, "posts": posts})
        with transaction.atomic():
            if sections:
                token = preferences.token_for(person.email)
                queued = emails.queue_email(
                    key=f"group.digest:{person.pk}:{now.date().isoformat()}",
                    to=person,
                    template="groups/emails/digest",
                    context={
                        "sections": sections,
                        "preferences_link": emails.page_url("core:mail_preferences", token),
                        "site": settings.SITE_URL,
                    },
                )
                if queued is None:
                    continue  # already had today's: these posts wait for tomorrow's
                queued.headers = preferences.unsubscribe_headers(token, TOPIC)
                queued.save(update_fields=["headers"])
                sent += 1
            Membership.objects.filter(pk__in=[m.pk for m in memberships]).update(
                digest_sent_until=now
            )
    return sent
