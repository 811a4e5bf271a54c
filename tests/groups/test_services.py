"""Groups, membership, threads, posts, moderation and polls through their services."""

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from concord.core import limits
from concord.core.errors import Refused
from concord.core.models import AuditEvent
from concord.groups import queries
from concord.groups.models import Membership, PostRevision
from concord.groups.services import membership, moderation, polls, posting


def test_the_creator_moderates_and_a_request_waits_for_approval(group, people):
    moderator = Membership.objects.get(group=group, user=people["moderator"])
    assert moderator.is_moderator
    asked = membership.join(people["fatou"], group)
    assert asked.status == Membership.Status.PENDING
    with pytest.raises(PermissionDenied):
        membership.approve(people["colleague"], asked)
    membership.approve(people["moderator"], asked)
    asked.refresh_from_db()
    assert asked.is_active
    assert AuditEvent.objects.filter(action="group.approved").count() == 1


def test_an_outsider_without_a_member_organisation_cannot_join(group, people):
    with pytest.raises(PermissionDenied):
        membership.join(people["outsider"], group)
    assert not Membership.objects.filter(user=people["outsider"]).exists()


def test_joining_twice_is_refused(members, people):
    with pytest.raises(Refused):
        membership.join(people["fatou"], members)


def test_coverage_counts_the_members_countries(members):
    found = queries.member_coverage(members)
    assert found.countries == 2  # Senegal and Mali


def test_a_post_gets_its_language_detected_and_edits_keep_history(members, people):
    post = posting.start_thread(
        people["fatou"], members, "Financement",
        "Bonjour à tous, je propose que nous rédigions une note commune sur le financement.",
    )  # fmt: skip
    assert post.language == "fr"
    posting.edit_post(people["fatou"], post, "Bonjour, une note commune sur le financement, merci.")
    assert PostRevision.objects.get(post=post).body.startswith("Bonjour à tous")
    with pytest.raises(PermissionDenied):
        posting.edit_post(people["colleague"], post, "Not mine")


def test_a_non_member_cannot_post_and_bad_input_changes_nothing(members, people):
    with pytest.raises(PermissionDenied):
        posting.start_thread(people["outsider"], members, "Hi", "Hello there")
    with pytest.raises(ValidationError):
        posting.start_thread(people["fatou"], members, "", "")
    assert not members.threads.exists()


def test_posts_are_rate_limited(members, people, settings):
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "group-post": {"address": "2/hour"}}
    limits.reset()
    post = posting.start_thread(people["fatou"], members, "One", "First message here")
    posting.reply(people["fatou"], post.thread, "Second message here")
    with pytest.raises(limits.TooMany):
        posting.reply(people["fatou"], post.thread, "Third message here")
    assert post.thread.posts.count() == 2


def test_moderators_hide_with_a_reason_lock_and_close_with_a_conclusion(members, people):
    post = posting.start_thread(people["fatou"], members, "Plan", "A first proposal for the plan")
    moderation.report(people["colleague"], post, "Off topic")
    with pytest.raises(PermissionDenied):
        moderation.hide(people["colleague"], post, "No")
    moderation.hide(people["moderator"], post, "Off topic")
    post.refresh_from_db()
    assert post.is_hidden and post.hidden_reason == "Off topic"
    assert AuditEvent.objects.filter(action="group.post_hidden", data__reason="Off topic").exists()
    thread = post.thread
    moderation.set_locked(people["moderator"], thread, True)
    with pytest.raises(Refused):
        posting.reply(people["colleague"], thread, "Late answer")
    with pytest.raises(ValidationError):
        moderation.close(people["moderator"], thread, "")
    moderation.close(people["moderator"], thread, "We agreed on the plan.")
    assert queries.threads(members).first().conclusion == "We agreed on the plan."


def test_concluded_threads_come_first(members, people):
    old = posting.start_thread(people["fatou"], members, "Old", "An older discussion here").thread
    posting.start_thread(people["fatou"], members, "New", "A newer discussion here")
    moderation.close(people["moderator"], old, "Done.")
    assert [t.title for t in queries.threads(members)] == ["Old", "New"]


def test_a_poll_of_one_vote_per_organisation_counts_colleagues_once(members, people):
    thread = posting.start_thread(
        people["moderator"], members, "Vote", "Which option do we take?"
    ).thread
    poll = polls.create_poll(
        people["moderator"], thread,
        polls.PollInput(question="Option?", choices=["A", "B"],
                        closes_at=timezone.now() + timedelta(days=2), per_organisation=True),
    )  # fmt: skip
    a, b = poll.choices.all()
    assert not polls.may_see_results(people["colleague"], poll)
    polls.vote(people["moderator"], poll, [a.pk])
    with pytest.raises(Refused):
        polls.vote(people["colleague"], poll, [b.pk])  # same organisation
    polls.vote(people["fatou"], poll, [b.pk])
    assert [(c.label, n) for c, n in polls.results(poll)] == [("A", 1), ("B", 1)]
    assert polls.may_see_results(people["colleague"], poll)  # their organisation voted
    with pytest.raises(ValidationError):
        polls.vote(people["fatou"], poll, [a.pk, b.pk])


def test_a_closed_poll_takes_no_votes_and_shows_results(members, people):
    thread = posting.start_thread(
        people["moderator"], members, "Vote", "Which option do we take?"
    ).thread
    poll = polls.create_poll(
        people["moderator"], thread,
        polls.PollInput(question="Q?", choices=["A", "B"], closes_at=timezone.now() + timedelta(minutes=1)),
    )  # fmt: skip
    poll.closes_at = timezone.now() - timedelta(minutes=1)
    poll.save()
    with pytest.raises(Refused):
        polls.vote(people["fatou"], poll, [poll.choices.first().pk])
    assert polls.may_see_results(people["outsider"], poll)


def test_search_finds_posts_only_in_groups_the_reader_may_see(members, people):
    posting.start_thread(people["fatou"], members, "Mangroves", "Restoring mangroves with villages")
    assert queries.search_posts(people["fatou"], "mangroves")
    assert queries.search_posts(people["outsider"], "mangroves") == []
