"""The groups' pages: without JavaScript, every action is a form; a members-only group is
hidden from outsiders; a seeded group's page stays under 50 KB."""

from datetime import timedelta

import pytest
from django.utils import timezone

from concord.groups.models import Group, Membership, Thread
from concord.groups.services import moderation, polls, posting

# What a group's page and a thread's page cost, whatever the number of threads or posts.
QUERIES = {"group": 13, "thread": 12}


def test_a_moderator_creates_a_group_and_a_member_asks_and_is_approved(client, people):
    client.force_login(people["moderator"])
    answer = client.post(
        "/groups/new/",
        {"name": "Climate finance for LDCs", "purpose": "Access to funds.", "language": "en",
         "kind": "thematic", "admission": "request", "visibility": "members"},
    )  # fmt: skip
    group = Group.objects.get()
    assert answer.status_code == 302 and group.is_members_only
    client.force_login(people["fatou"])
    page = client.get(f"/groups/{group.slug}/").content.decode()
    assert "Only the group" in page and "Ask to join" in page  # found, not read
    client.force_login(people["outsider"])
    assert client.get(f"/groups/{group.slug}/").status_code == 404  # not even found
    client.force_login(people["fatou"])
    client.post(f"/groups/{group.slug}/join/")
    asked = Membership.objects.get(user=people["fatou"])
    assert asked.status == "pending"
    client.force_login(people["moderator"])
    assert "Fatou Diallo" in client.get(f"/groups/{group.slug}/members/").content.decode()
    client.post(f"/groups/{group.slug}/members/{asked.pk}/approve/")
    asked.refresh_from_db()
    assert asked.is_active


def test_bad_input_shows_a_message_and_creates_nothing(client, members, people):
    client.force_login(people["fatou"])
    answer = client.post(f"/groups/{members.slug}/threads/new/", {"title": "", "body": ""})
    assert answer.status_code == 422
    assert not Thread.objects.exists()


def test_reply_vote_and_close_on_the_pages(client, members, people):
    thread = posting.start_thread(
        people["moderator"], members, "Which venue?", "Where do we meet?"
    ).thread
    poll = polls.create_poll(
        people["moderator"], thread,
        polls.PollInput(question="Venue?", choices=["Dakar", "Bamako"],
                        closes_at=timezone.now() + timedelta(days=1), per_organisation=True),
    )  # fmt: skip
    client.force_login(people["colleague"])
    url = f"/groups/{members.slug}/threads/{thread.pk}/"
    client.post(url, {"body": "Dakar suits us well."})
    assert thread.posts.count() == 2
    dakar = poll.choices.get(label="Dakar")
    client.post(f"/groups/{members.slug}/polls/{poll.pk}/vote/", {"choice": dakar.pk})
    client.force_login(people["moderator"])  # same organisation: refused
    client.post(f"/groups/{members.slug}/polls/{poll.pk}/vote/", {"choice": dakar.pk})
    assert poll.ballots.count() == 1
    client.post(f"{url}close/", {"conclusion": "We meet in Dakar."})
    page = client.get(url).content.decode()
    assert "We meet in Dakar." in page
    assert page.index("Conclusion") < page.index("Where do we meet?")


def test_an_outsider_cannot_moderate(client, members, people):
    post = posting.start_thread(people["fatou"], members, "T", "Some words here")
    client.force_login(people["colleague"])
    answer = client.post(f"/groups/{members.slug}/posts/{post.pk}/hide/", {"reason": "x"})
    assert answer.status_code == 403
    post.refresh_from_db()
    assert not post.is_hidden


def test_a_group_page_with_many_threads_stays_under_50_kb(client, members, people, settings):
    settings.RATE_LIMITS_ENABLED = False
    for number in range(60):
        posting.start_thread(
            people["moderator"], members, f"Thread number {number} about adaptation finance",
            "A message of a realistic length about adaptation finance. " * 10,
        )  # fmt: skip
    moderation.close(people["moderator"], Thread.objects.first(), "Agreed.")
    client.force_login(people["fatou"])
    page = client.get(f"/groups/{members.slug}/")
    assert page.status_code == 200
    assert "Thread number 59" in page.content.decode()
    assert len(page.content) < 50 * 1024


@pytest.mark.parametrize("threads", [1, 3])
def test_a_group_page_costs_the_same_with_more_threads(
    client, members, people, threads, query_count
):
    for number in range(threads):
        posting.start_thread(people["fatou"], members, f"Thread {number}", "Some words here")
    client.force_login(people["fatou"])
    client.get(f"/groups/{members.slug}/")  # sessions and caches warm
    with query_count(QUERIES["group"]):
        client.get(f"/groups/{members.slug}/")


@pytest.mark.parametrize("replies", [0, 2])
def test_a_thread_page_costs_the_same_with_more_posts(
    client, members, people, replies, query_count
):
    thread = posting.start_thread(people["fatou"], members, "T", "Some words here").thread
    for _ in range(replies):
        posting.reply(people["colleague"], thread, "An answer here")
    client.force_login(people["fatou"])
    client.get(f"/groups/{members.slug}/threads/{thread.pk}/")
    with query_count(QUERIES["thread"]):
        client.get(f"/groups/{members.slug}/threads/{thread.pk}/")
