"""Who may do what, with personas: moderator, member, a representative who is not a member,
an outsider with no organisation, the secretariat."""

from concord.groups import permissions
from concord.groups.services import posting


def test_a_members_only_group_is_seen_by_members_and_the_secretariat(members, people, secretariat):
    assert permissions.can_see_group(people["fatou"], members)
    assert permissions.can_see_group(secretariat, members)
    assert not permissions.can_see_group(people["outsider"], members)


def test_who_may_post_moderate_and_vote(members, people, secretariat):
    assert permissions.can_post(people["colleague"], members)
    assert not permissions.can_post(people["outsider"], members)
    assert permissions.can_moderate(people["moderator"], members)
    assert permissions.can_moderate(secretariat, members)
    assert not permissions.can_moderate(people["fatou"], members)
    assert permissions.can_vote(people["fatou"], members)
    assert not permissions.can_vote(people["outsider"], members)


def test_creating_and_joining_need_a_member_organisation(group, people, secretariat):
    assert permissions.can_create_group(people["fatou"])
    assert permissions.can_create_group(secretariat)
    assert not permissions.can_create_group(people["outsider"])
    assert permissions.can_join(people["fatou"], group)
    assert not permissions.can_join(people["outsider"], group)
    assert not permissions.can_join(people["moderator"], group)  # already in


def test_only_the_author_edits_and_only_while_the_thread_is_open(members, people):
    post = posting.start_thread(people["fatou"], members, "T", "Some words here")
    assert permissions.can_edit_post(people["fatou"], post)
    assert not permissions.can_edit_post(people["colleague"], post)
    post.thread.locked = True
    assert not permissions.can_edit_post(people["fatou"], post)
