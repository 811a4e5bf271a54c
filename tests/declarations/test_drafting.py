"""Drafting together: who may comment, propose, support and decide, what a decision does to
the versions, and every refusal (each leaves nothing written)."""

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from concord.core.errors import Refused
from concord.core.models import OutgoingEmail
from concord.declarations.drafting import queries
from concord.declarations.drafting.models import Amendment, Comment, Support
from concord.declarations.models import DeclarationText
from concord.declarations.services import amendments, drafting, lifecycle, outcomes
from tests.factories.accounts import UserFactory
from tests.factories.declarations import DeclarationFactory
from tests.factories.events import EventFactory, RegistrationFactory
from tests.factories.organisations import OrganisationFactory

pytestmark = pytest.mark.django_db

TEXT = (
    "We, the undersigned organisations, call for fair climate finance.\n\n"
    "Loss and damage funds must reach communities directly.\n\n"
    "We invite world governments to act before 2030."
)


@pytest.fixture
def draft(secretariat):
    return DeclarationFactory(created_by=secretariat, slug="south-south", text=TEXT)


@pytest.fixture
def group(member_org, owner):
    """Two organisations of a drafting group: A (owner's, colleague's) and B (partner's)."""
    partner = UserFactory(email="partner@example.org", language="es")
    other = OrganisationFactory(name="Andes Water Forum", country_id="PE", admin=partner)
    return member_org, other, partner


@pytest.fixture
def period(secretariat, draft, group):
    return drafting.open_for_comments(
        secretariat,
        draft,
        audience="group",
        closes_at=timezone.now() + timedelta(days=7),
        organisations=[group[0].pk, group[1].pk],
    )


def keys(draft):
    return [key for key, _text in queries.paragraphs_of(queries.current_version(draft))]


def test_opening_for_comments_makes_version_one_from_the_paragraphs(period, draft):
    version = queries.current_version(draft)
    assert version.number == 1
    assert [text for _k, text in queries.paragraphs_of(version)] == TEXT.split("\n\n")


def test_a_group_member_comments_and_only_the_author_edits(period, draft, owner, colleague):
    comment = drafting.add_comment(owner, draft, paragraph=keys(draft)[1], text="Say how.")
    with pytest.raises(PermissionDenied):
        drafting.edit_comment(colleague, comment, "Changed by someone else.")
    comment.refresh_from_db()
    assert comment.text == "Say how."
    drafting.edit_comment(owner, comment, "Say how, and by when.")
    comment.refresh_from_db()
    assert comment.text == "Say how, and by when." and comment.edited_at is not None


def test_an_outsider_may_neither_comment_nor_propose(period, draft, outsider):
    with pytest.raises(PermissionDenied):
        drafting.add_comment(outsider, draft, paragraph=keys(draft)[0], text="Hello")
    with pytest.raises(PermissionDenied):
        drafting.propose_amendment(
            outsider, draft, paragraph=keys(draft)[0], kind="replace", text="X", reason="Y"
        )
    assert not Comment.objects.exists() and not Amendment.objects.exists()


def test_a_member_outside_the_drafting_group_is_refused(period, draft):
    stranger = UserFactory()
    OrganisationFactory(name="Sahel Scouts", admin=stranger)
    with pytest.raises(PermissionDenied):
        drafting.add_comment(stranger, draft, paragraph=keys(draft)[0], text="Hello")


def test_after_the_deadline_nothing_is_taken(period, draft, owner):
    period.closes_at = timezone.now() - timedelta(minutes=1)
    period.save()
    with pytest.raises(Refused) as refused:
        drafting.add_comment(owner, draft, paragraph=keys(draft)[0], text="Late")
    assert refused.value.status == 409
    assert not Comment.objects.exists()


def test_members_audience_and_event_audience(secretariat, draft, owner, outsider, member_org):
    drafting.open_for_comments(
        secretariat, draft, audience="members", closes_at=timezone.now() + timedelta(days=1)
    )
    assert drafting.add_comment(owner, draft, paragraph=keys(draft)[0], text="Fine.")
    with pytest.raises(PermissionDenied):
        drafting.add_comment(outsider, draft, paragraph=keys(draft)[0], text="Me too.")
    with pytest.raises(ValidationError) as error:  # no event linked yet
        drafting.open_for_comments(
            secretariat, draft, audience="event", closes_at=timezone.now() + timedelta(days=1)
        )
    assert "audience" in error.value.message_dict
    event = EventFactory(created_by=secretariat)
    outcomes.link_outcome(secretariat, event, draft)
    drafting.open_for_comments(
        secretariat, draft, audience="event", closes_at=timezone.now() + timedelta(days=1)
    )
    RegistrationFactory(event=event, user=outsider)
    assert drafting.add_comment(outsider, draft, paragraph=keys(draft)[0], text="From the hall.")
    with pytest.raises(PermissionDenied):  # the member is no participant of the event
        drafting.add_comment(owner, draft, paragraph=keys(draft)[0], text="Not there.")


def test_bad_input_opening_a_period_stores_nothing(secretariat, draft):
    with pytest.raises(ValidationError) as error:
        drafting.open_for_comments(
            secretariat, draft, audience="group", closes_at=timezone.now() - timedelta(days=1)
        )
    assert {"closes_at", "organisations"} <= set(error.value.message_dict)
    assert queries.current_version(draft) is None


def test_only_the_committee_opens_a_period(draft, owner):
    with pytest.raises(PermissionDenied):
        drafting.open_for_comments(
            owner, draft, audience="members", closes_at=timezone.now() + timedelta(days=1)
        )


def test_amendment_supported_once_per_organisation_and_accepted_edited(
    period, draft, group, owner, colleague, secretariat
):
    org_a, org_b, partner = group
    amendment = drafting.propose_amendment(
        partner, draft, paragraph=keys(draft)[1], kind="replace",
        text="Les fonds pour les pertes et dommages doivent atteindre directement les communautés.",
        reason="Plus clair.", language="fr", organisation=org_b.pk,
    )  # fmt: skip
    drafting.support_amendment(owner, amendment, org_a.pk)
    with pytest.raises(Refused):  # the colleague acts for the same organisation
        drafting.support_amendment(colleague, amendment, org_a.pk)
    with pytest.raises(ValidationError):  # its own organisation
        drafting.support_amendment(partner, amendment, org_b.pk)
    assert Support.objects.filter(amendment=amendment).count() == 1

    with pytest.raises(PermissionDenied):  # only the committee decides
        amendments.decide(owner, amendment, decision="accept", reason="Yes")
    decided = amendments.decide(
        secretariat, amendment, decision="accept", reason="Clearer.",
        text="Loss and damage funds must reach communities directly, within a year.",
    )  # fmt: skip
    assert decided.status == "accepted" and decided.made_version.number == 2
    original = DeclarationText.objects.get(declaration=draft, is_original=True)
    assert "within a year" in original.body
    rows = queries.comparison(draft, 1, 2)
    assert [row.kind for row in rows] == ["same", "changed", "same"]
    assert "<ins>" in rows[1].html and "within a year" in rows[1].html
    mail = OutgoingEmail.objects.get(key=f"amendment-decided:{amendment.pk}")
    assert mail.to == partner.email
    assert "/es/declarations/south-south/drafting/" in mail.body_text  # the proposer's language

    with pytest.raises(Refused):  # decided once
        amendments.decide(secretariat, amendment, decision="reject", reason="No")


def test_version_diff_of_added_removed_and_changed_paragraphs(period, draft, owner, secretariat):
    first, second, third = keys(draft)
    add = drafting.propose_amendment(
        owner, draft, paragraph=first, kind="insert", text="Finance must be grants.", reason="R"
    )
    remove = drafting.propose_amendment(
        owner, draft, paragraph=third, kind="remove", text="", reason="R"
    )
    change = drafting.propose_amendment(
        owner, draft, paragraph=second, kind="replace",
        text="Loss and damage funds must reach women and communities directly.", reason="R",
    )  # fmt: skip
    added = amendments.decide(secretariat, add, decision="accept", reason="Agreed")
    for amendment in (remove, change):
        amendments.decide(secretariat, amendment, decision="accept", reason="Agreed")
    new_key = added.made_version.paragraphs.exclude(key__in=[first, second, third]).get().key
    rows = queries.comparison(draft, 1, 4)
    assert [(row.kind, row.key) for row in rows] == [
        ("same", first),
        ("added", new_key),
        ("changed", second),
        ("removed", third),
    ]
    changed = rows[2].html
    assert "<ins><span" in changed and "women and" in changed and "<del>" not in changed


def test_merge_and_reject_make_no_version(period, draft, owner, secretariat):
    one = drafting.propose_amendment(
        owner, draft, paragraph=keys(draft)[0], kind="replace", text="A", reason="R"
    )
    two = drafting.propose_amendment(
        owner, draft, paragraph=keys(draft)[0], kind="replace", text="B", reason="R"
    )
    with pytest.raises(ValidationError):  # no reason
        amendments.decide(secretariat, one, decision="reject", reason="")
    amendments.decide(secretariat, one, decision="merge", reason="Same idea", merge_into=two.pk)
    amendments.decide(secretariat, two, decision="reject", reason="Not now")
    assert queries.current_version(draft).number == 1
    one.refresh_from_db()
    assert one.status == "merged" and one.merged_into_id == two.pk


def test_a_frozen_text_accepts_no_amendment(period, draft, owner, secretariat):
    pending = drafting.propose_amendment(
        owner, draft, paragraph=keys(draft)[0], kind="replace", text="A", reason="R"
    )
    lifecycle.open_declaration(secretariat, draft)
    draft.refresh_from_db()
    with pytest.raises(Refused) as refused:
        drafting.propose_amendment(
            owner, draft, paragraph=keys(draft)[0], kind="replace", text="B", reason="R"
        )
    assert refused.value.status == 409
    with pytest.raises(Refused):
        amendments.decide(secretariat, pending, decision="accept", reason="Late")
    assert Amendment.objects.count() == 1


def test_bad_amendment_input_is_refused_per_field(period, draft, owner):
    with pytest.raises(ValidationError) as error:
        drafting.propose_amendment(owner, draft, paragraph=999, kind="rewrite", text="", reason="")
    assert {"paragraph", "kind", "reason"} <= set(error.value.message_dict)
    assert not Amendment.objects.exists()


def test_translations_are_behind_once_the_original_changed(period, draft, owner, secretariat):
    lifecycle.set_text(secretariat, draft, language="fr", title="L'appel", text="Nous appelons.")
    assert queries.translations_behind(draft) == set()
    amendment = drafting.propose_amendment(
        owner, draft, paragraph=keys(draft)[0], kind="replace", text="A new start.", reason="R"
    )
    amendments.decide(secretariat, amendment, decision="accept", reason="Yes")
    assert queries.translations_behind(draft) == {"fr"}
    lifecycle.set_text(secretariat, draft, language="fr", title="L'appel", text="Un début.")
    assert queries.translations_behind(draft) == set()


def test_cosponsors_endorse_the_current_version(period, draft, group, owner, outsider, secretariat):
    org_a, org_b, partner = group
    with pytest.raises(PermissionDenied):
        drafting.endorse(outsider, draft, org_a.pk)
    drafting.endorse(owner, draft, org_a.pk)
    drafting.endorse(partner, draft, org_b.pk)
    assert [e.organisation for e in queries.cosponsors(draft)] == [org_a, org_b]
    amendment = drafting.propose_amendment(
        owner, draft, paragraph=keys(draft)[0], kind="replace", text="A new start.", reason="R"
    )
    amendments.decide(secretariat, amendment, decision="accept", reason="Yes")
    assert queries.cosponsors(draft) == []  # they endorsed an earlier text
    drafting.endorse(partner, draft, org_b.pk)
    assert [e.organisation for e in queries.cosponsors(draft)] == [org_b]
    lifecycle.open_declaration(secretariat, draft)
    draft.refresh_from_db()
    with pytest.raises(Refused):
        drafting.endorse(owner, draft, org_a.pk)
