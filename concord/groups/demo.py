"""Demo working groups (data/demo_groups.json): a public thematic group on climate finance
for LDCs, a members-only regional group on adaptation in the Sahel and a task force drafting
the next declaration; threads with posts in several languages, an open poll of one vote per
organisation and a concluded thread; each group's first post carries its notes as a PDF,
checked and stored as any attachment is. Members are representatives of member organisations in
the groups' countries, and the demo's organisation admin and a representative, so the page
sweep's personas see them. Rows are written directly: the demo sends no email."""

import json
import random
from datetime import timedelta
from pathlib import Path

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from django.utils.html import escape

from concord.accounts.models import User
from concord.core import attachments
from concord.core.checks import Errors
from concord.core.pdf import html_to_pdf
from concord.groups.models import (
    Attachment,
    Ballot,
    Choice,
    Group,
    Membership,
    Poll,
    Post,
    Thread,
)
from concord.organisations.models import Organisation, Representative

DATA = Path(__file__).parent / "data" / "demo_groups.json"


def _members(rng: random.Random, countries: list[str], extra: list[User]) -> list[Representative]:
    found = list(
        Representative.objects.filter(
            organisation__status=Organisation.Status.MEMBER, organisation__country_id__in=countries
        ).select_related("user", "organisation")[:40]
    )
    rng.shuffle(found)
    chosen = {rep.user_id: rep for rep in found[:12]}
    for user in extra:
        rep = Representative.objects.filter(user=user).select_related("organisation").first()
        if rep:
            chosen.setdefault(user.pk, rep)
    return list(chosen.values())


def build(rng: random.Random, *, secretariat, people: list[User]) -> dict[str, int]:
    now = timezone.now()
    counts = {"groups": 0, "group_posts": 0}
    for data in json.loads(DATA.read_text(encoding="utf-8"))["groups"]:
        reps = _members(rng, data["countries"], people)
        if not reps:
            continue
        group = Group.objects.create(
            slug=data["slug"], kind=data["kind"], admission=data["admission"],
            visibility=data["visibility"], language=data["language"], texts=data["texts"],
            created_by=reps[0].user,
        )  # fmt: skip
        Membership.objects.bulk_create(
            Membership(
                group=group, user=rep.user, organisation=rep.organisation,
                role="moderator" if i == 0 else "member",
                delivery=rng.choice(["every", "digest", "web"]),
            )
            for i, rep in enumerate(reps)
        )  # fmt: skip
        counts["groups"] += 1
        for number, item in enumerate(data["threads"]):
            start = now - timedelta(days=20 - 5 * number)
            thread = Thread.objects.create(
                group=group, title=item["title"], author=reps[0].user,
                created_at=start, last_post_at=start,
            )  # fmt: skip
            for i, (language, body) in enumerate(item["posts"]):
                rep = reps[i % len(reps)]
                when = start + timedelta(hours=6 * i)
                post = Post.objects.create(
                    thread=thread, author=rep.user, organisation=rep.organisation,
                    body=body, language=language, created_at=when,
                )  # fmt: skip
                if number == 0 and i == 0:
                    _notes(post, item["title"], body)
                thread.last_post_at = when
                counts["group_posts"] += 1
            if item.get("conclusion"):
                thread.closed_at, thread.conclusion = thread.last_post_at, item["conclusion"]
                thread.concluded_by = reps[0].user
            thread.save()
            if item.get("poll"):
                _poll(rng, thread, item["poll"], reps, now)
    return counts


def _notes(post: Post, title: str, body: str) -> None:
    html = f"<h1>{escape(title)}</h1><p>{escape(body)}</p>"
    upload = SimpleUploadedFile(f"{title[:60]}.pdf", html_to_pdf(html))
    errors = Errors()
    for item in attachments.check_files(errors, "files", [upload], max_files=1,
                                        max_bytes=5 * 1024 * 1024):  # fmt: skip
        attachments.store(
            Attachment(post=post, name=item.name, content_type=item.content_type, size=item.size),
            item,
        )


def _poll(rng, thread: Thread, data: dict, reps: list[Representative], now) -> None:
    poll = Poll.objects.create(
        thread=thread, question=data["question"], per_organisation=data["per_organisation"],
        closes_at=now + timedelta(days=data["days"]),
    )  # fmt: skip
    choices = Choice.objects.bulk_create(
        Choice(poll=poll, label=label, position=i) for i, label in enumerate(data["choices"])
    )
    voted = set()
    for rep in reps[1:6]:  # a few votes; the sweep's personas are left to vote
        if rep.organisation_id in voted:
            continue
        voted.add(rep.organisation_id)
        ballot = Ballot.objects.create(
            poll=poll, voter=f"organisation:{rep.organisation_id}", user=rep.user
        )
        ballot.choices.set([rng.choice(choices)])
