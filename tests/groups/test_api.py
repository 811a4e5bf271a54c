"""The groups' API over the same services as the pages: finding groups, joining, threads,
posts (with their files), polls and votes; a members-only group is not found by an
outsider, and nothing is written by a call that is refused."""

import json
from datetime import timedelta

from django.utils import timezone

from concord.accounts.services import create_api_token
from concord.groups.models import Membership, Post, Thread
from concord.groups.services import polls, posting
from tests.security.calls import pdf


def bearer(user) -> dict:
    return {"HTTP_AUTHORIZATION": f"Bearer {create_api_token(user, 'tests')[1]}"}


def send(client, path, body, who):
    return client.post(path, json.dumps(body), content_type="application/json", **bearer(who))


def test_a_member_reads_and_writes_through_the_api_and_an_outsider_finds_nothing(
    client, members, people
):
    base = f"/api/v1/groups/{members.slug}"
    slugs = [g["slug"] for g in client.get("/api/v1/groups", **bearer(people["fatou"])).json()]
    assert members.slug in slugs
    assert client.get(base, **bearer(people["outsider"])).status_code == 404
    assert client.get(f"{base}/threads", **bearer(people["outsider"])).status_code == 404
    assert send(client, f"{base}/threads", {"title": "X", "body": "Y"}, people["outsider"])\
        .status_code in (403, 404)  # fmt: skip
    assert not Thread.objects.exists()

    started = send(client, f"{base}/threads", {"title": "Finance", "body": "Une note ?"},
                   people["fatou"])  # fmt: skip
    assert started.status_code == 201 and started.json()["attachments"] == []
    thread = Thread.objects.get()
    posting.reply(people["colleague"], thread, "With the register", files=[pdf()])
    answer = send(client, f"{base}/threads/{thread.pk}/posts", {"body": "Merci"}, people["fatou"])
    assert answer.status_code == 201
    listed = client.get(f"{base}/threads/{thread.pk}/posts", **bearer(people["fatou"])).json()
    assert [p["body"] for p in listed] == ["Une note ?", "With the register", "Merci"]
    files = listed[1]["attachments"]
    assert [(f["name"], f["content_type"]) for f in files] == [("register.pdf", "application/pdf")]
    assert files[0]["url"].startswith("/media/groups/attachments/")
    assert send(client, f"{base}/threads/{thread.pk}/posts", {"body": ""}, people["fatou"])\
        .status_code == 422  # fmt: skip
    assert Post.objects.count() == 3

    poll = polls.create_poll(
        people["moderator"], thread,
        polls.PollInput(question="Which fund?", choices=["GCF", "Adaptation Fund"],
                        multiple=False, per_organisation=True,
                        closes_at=timezone.now() + timedelta(days=2)),
    )  # fmt: skip
    choice = poll.choices.order_by("pk").first()
    voted = send(client, f"{base}/polls/{poll.pk}/votes", {"choices": [choice.pk]},
                 people["colleague"])  # fmt: skip
    assert voted.status_code == 201 and voted.json()["choices"][0]["votes"] == 1
    # The moderator speaks for the same organisation: one vote per organisation.
    again = send(client, f"{base}/polls/{poll.pk}/votes", {"choices": [choice.pk]},
                 people["moderator"])  # fmt: skip
    assert again.status_code == 409


def test_joining_a_group_that_asks_leaves_the_request_pending(client, group, people):
    answer = send(client, f"/api/v1/groups/{group.slug}/membership", {}, people["fatou"])
    assert answer.status_code == 201 and answer.json()["status"] == "pending"
    assert Membership.objects.get(user=people["fatou"]).status == Membership.Status.PENDING
