"""Writing, submitting, reviewing and publishing case studies; revisions after publication."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from concord.core.models import AuditEvent, OutgoingEmail
from concord.knowledge import queries
from concord.knowledge.models import Practice, Revision, SearchDocument
from concord.knowledge.services import review, writing

DATA = {
    "title": "Mangrove belts against coastal erosion",
    "summary": "Villagers replanted 340 ha of mangroves along the shore.",
    "language": "en",
    "setting": "coastal",
    "countries": ["SN"],
    "themes": ["oceans-coasts", "adaptation"],
    "sdgs": [13, 14],
    "impacts": "340 ha restored; 1,200 households protected.",
    "blocks": [
        {"title": "Nurseries run by women's groups", "lessons": "Pay for survival, not planting."}
    ],
}


def test_representative_writes_submits_and_secretariat_publishes(
    member_org, colleague, secretariat
):
    practice = writing.create_practice(colleague, member_org, DATA)
    assert practice.status == "draft"
    assert not SearchDocument.objects.filter(practice=practice).exists()

    review.submit_practice(colleague, practice)
    practice.refresh_from_db()
    assert practice.status == "submitted"
    assert OutgoingEmail.objects.filter(to=secretariat.email).exists()

    review.publish_practice(secretariat, practice)
    practice.refresh_from_db()
    assert practice.status == "published" and practice.published_at
    assert [b.title for b in practice.blocks.all()] == ["Nurseries run by women's groups"]
    found = queries.search_practices(queries.PracticeFilters(q="mangroves", mode="fulltext"))
    assert found.ids == [practice.pk]
    assert AuditEvent.objects.filter(action="practice.published").count() == 1
    # the authors are told, in their language
    assert OutgoingEmail.objects.filter(to=colleague.email, subject__contains="Published").exists()


def test_secretariat_returns_with_comments_and_authors_resubmit(member_org, owner, secretariat):
    practice = writing.create_practice(owner, member_org, DATA)
    review.submit_practice(owner, practice)
    with pytest.raises(ValidationError):
        review.return_practice(secretariat, practice, "   ")
    review.return_practice(secretariat, practice, "Add the number of households.")
    practice.refresh_from_db()
    assert practice.status == "returned"
    assert practice.review_note == "Add the number of households."
    assert OutgoingEmail.objects.filter(to=owner.email, body_text__contains="households").exists()
    writing.update_practice(owner, practice, {"beneficiaries": "1,200 households"})
    review.submit_practice(owner, practice)
    assert Practice.objects.get(pk=practice.pk).status == "submitted"


def test_outsider_cannot_write_review_or_edit(member_org, owner, outsider, secretariat):
    with pytest.raises(PermissionDenied):
        writing.create_practice(outsider, member_org, DATA)
    practice = writing.create_practice(owner, member_org, DATA)
    with pytest.raises(PermissionDenied):
        writing.update_practice(outsider, practice, {"title": "Mine now"})
    with pytest.raises(PermissionDenied):
        review.submit_practice(outsider, practice)
    review.submit_practice(owner, practice)
    with pytest.raises(PermissionDenied):
        review.publish_practice(owner, practice)  # authors do not publish their own
    with pytest.raises(PermissionDenied):
        writing.update_practice(owner, practice, {"title": "Changed while in review"})
    assert Practice.objects.get(pk=practice.pk).title == DATA["title"]


def test_pending_organisation_cannot_write(pending_org, owner):
    with pytest.raises(PermissionDenied):
        writing.create_practice(owner, pending_org, DATA)


def test_edits_after_publication_keep_a_revision_and_reindex(member_org, owner, secretariat):
    practice = writing.create_practice(owner, member_org, DATA)
    review.submit_practice(owner, practice)
    review.publish_practice(secretariat, practice)
    writing.update_practice(owner, practice, {"title": "Mangrove belts that stop erosion"})
    revision = Revision.objects.get(practice=practice)
    assert revision.number == 1 and revision.changed == ["title"]
    assert revision.snapshot == {"title": DATA["title"]}
    assert SearchDocument.objects.get(practice=practice).title == "Mangrove belts that stop erosion"
    # an edit that changes nothing writes no revision
    writing.update_practice(owner, practice, {"title": "Mangrove belts that stop erosion"})
    assert Revision.objects.filter(practice=practice).count() == 1


def test_bad_input_is_refused_per_field_and_nothing_is_stored(member_org, owner):
    bad = {
        **DATA,
        "countries": ["XX"],
        "themes": ["astrology"],
        "title": "<b>Hi</b>",
        "setting": "moon",
    }
    with pytest.raises(ValidationError) as error:
        writing.create_practice(owner, member_org, bad)
    assert set(error.value.message_dict) >= {"countries", "themes", "title", "setting"}
    assert not Practice.objects.exists()


def test_html_in_long_text_is_reduced_to_plain_text(member_org, owner):
    practice = writing.create_practice(
        owner,
        member_org,
        {**DATA, "summary": "Shore <script>alert(1)</script><b>replanted</b> & safe"},
    )
    assert practice.summary == "Shore replanted & safe"


def test_translation_is_indexed_as_its_own_language(member_org, owner, secretariat):
    practice = writing.create_practice(owner, member_org, DATA)
    review.submit_practice(owner, practice)
    review.publish_practice(secretariat, practice)
    writing.save_translation(
        owner,
        practice,
        {
            "language": "fr",
            "title": "Ceintures de palétuviers",
            "summary": "Des villageois replantent.",
        },
    )
    assert set(
        SearchDocument.objects.filter(practice=practice).values_list("language", flat=True)
    ) == {"en", "fr"}
    found = queries.search_practices(queries.PracticeFilters(q="palétuviers", mode="fulltext"))
    assert found.ids == [practice.pk]
    with pytest.raises(ValidationError):
        writing.save_translation(owner, practice, {"language": "en", "title": "x", "summary": "y"})


def test_demo_publishes_case_studies_with_vectors_and_one_waits_for_review(secretariat):
    import json
    import random

    from concord.knowledge import demo
    from concord.knowledge.models import SearchDocument
    from concord.organisations import demo as organisations_demo

    # Enough members for every case study's author (the anchors) besides the 12 applicants.
    size = len(organisations_demo.anchors()) + 12
    organisations_demo.build(random.Random(1), size=size, secretariat=secretariat)
    counts = demo.build(random.Random(1), secretariat=secretariat)
    items = json.loads(demo.DATA.read_text(encoding="utf-8"))["practices"]
    assert counts["case studies"] == len(items)
    assert Practice.objects.filter(status="submitted").count() == 1
    assert set(Practice.objects.values_list("language", flat=True)) == {
        "en", "fr", "es", "ar", "pt", "ru", "zh", "az", "sw",
    }  # fmt: skip
    published = items[:-1]  # the last one waits for review
    versions = len(published) + sum(len(item.get("translations", {})) for item in published)
    assert SearchDocument.objects.filter(vector__isnull=False).count() == versions
    found = queries.search_practices(
        queries.PracticeFilters(q="mangrove restoration", mode="semantic")
    )
    assert found.count() > 0


def test_vectors_follow_the_text_and_are_not_recomputed_for_unchanged_text(
    member_org, owner, secretariat, django_capture_on_commit_callbacks
):
    from concord.knowledge import search

    practice = writing.create_practice(owner, member_org, DATA)
    review.submit_practice(owner, practice)
    with django_capture_on_commit_callbacks(execute=True):
        review.publish_practice(secretariat, practice)
    document = SearchDocument.objects.get(practice=practice)
    assert document.vector is not None and document.vector_model
    first = bytes(document.vector)
    assert search.compute_vectors(practice.pk) == 0  # same text: nothing to embed
    with django_capture_on_commit_callbacks(execute=True):
        writing.update_practice(owner, practice, {"summary": "Solar pumps irrigate gardens."})
    assert bytes(SearchDocument.objects.get(practice=practice).vector) != first
