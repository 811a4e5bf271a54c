"""Updates: what counts toward a period's actual, disaggregations, evidence files."""

import io
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from concord.core.errors import Refused
from concord.results.models import Evidence, Update
from concord.results.services import framework, updates
from tests.factories.results import IndicatorFactory, UpdateFactory


def test_only_approved_updates_count_and_they_add_up(owner, colleague, project, indicator):
    _, periods = indicator
    UpdateFactory(user=colleague, approved_by=owner, period=periods[0], value="10.25")
    UpdateFactory(user=colleague, approved_by=owner, period=periods[0], value="4.75")
    updates.save_update(colleague, periods[0], {"value": "100", "submit": True})
    updates.save_update(colleague, periods[0], {"value": "100"})
    periods[0].refresh_from_db()
    assert periods[0].actual == Decimal("15")


def test_a_cumulative_indicator_counts_its_latest_approved_update(owner, colleague, project):
    _, periods = IndicatorFactory.with_periods(owner, project, cumulative=True)
    UpdateFactory(user=colleague, approved_by=owner, period=periods[0], value="30")
    UpdateFactory(user=colleague, approved_by=owner, period=periods[0], value="45")
    periods[0].refresh_from_db()
    assert periods[0].actual == Decimal("45")


def test_disaggregations_that_do_not_add_up_mark_the_update_incomplete(colleague, indicator):
    _, periods = indicator
    whole = updates.save_update(
        colleague, periods[0],
        {"value": "10", "disaggregations": {"sex": {"female": "6", "male": "4"},
                                            "age": {"0-14": "3", "15-24": "7"}}},
    )  # fmt: skip
    partial = updates.save_update(
        colleague, periods[0], {"value": "10", "disaggregations": {"sex": {"female": "6"}}}
    )
    assert not whole.incomplete and whole.disaggregations.count() == 4
    assert partial.incomplete


def test_a_returned_update_can_be_changed_and_submitted_again(owner, colleague, indicator):
    _, periods = indicator
    update = updates.save_update(colleague, periods[0], {"value": "10", "submit": True})
    updates.return_update(owner, update, "Attach the register")
    update = updates.save_update(
        colleague, periods[0], {"value": "12", "submit": True}, update=update
    )
    assert update.status == Update.Status.SUBMITTED and update.value == 12
    with pytest.raises(Refused):
        updates.save_update(colleague, periods[0], {"value": "13"}, update=update)


MINIMAL_PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def png() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (20, 10), "green").save(out, format="PNG")
    return out.getvalue()


def test_evidence_is_checked_by_content_and_size(colleague, indicator, settings):
    _, periods = indicator
    pdf = SimpleUploadedFile("register.pdf", MINIMAL_PDF)
    photo = SimpleUploadedFile("photo.png", png())
    update = updates.save_update(colleague, periods[0], {"value": "1"}, [pdf, photo])
    assert sorted(e.content_type for e in update.evidence.all()) == [
        "application/pdf",
        "image/webp",
    ]

    disguised = SimpleUploadedFile("report.pdf", b"MZ\x90\x00 an executable")
    with pytest.raises(ValidationError) as error:
        updates.save_update(colleague, periods[0], {"value": "1"}, [disguised])
    assert "not a PDF or an image" in str(error.value)
    settings.RESULTS_EVIDENCE_MAX_BYTES = 10
    with pytest.raises(ValidationError) as error:
        updates.save_update(
            colleague,
            periods[0],
            {"value": "1"},
            [SimpleUploadedFile("a.pdf", b"%PDF-" + b"x" * 20)],
        )
    assert "too large" in str(error.value)
    assert Update.objects.count() == 1 and Evidence.objects.count() == 2


def test_percentages_and_qualitative_indicators(owner, colleague, project):
    result = framework.add_result(owner, project, {"kind": "1", "title": "Plans"})
    share = framework.add_indicator(owner, result, {"title": "Share of women", "measure": "2"})
    period = framework.add_period(
        owner, share, {"start": "2025-01-01", "end": "2025-12-31", "target": "50"}
    )
    with pytest.raises(ValidationError):
        updates.save_update(colleague, period, {"value": "120"})
    with pytest.raises(ValidationError):
        framework.add_period(
            owner, share, {"start": "2026-01-01", "end": "2026-12-31", "target": "150"}
        )
    story = framework.add_indicator(owner, result, {"title": "Plan adopted", "measure": "5"})
    period = framework.add_period(owner, story, {"start": "2025-01-01", "end": "2025-12-31"})
    with pytest.raises(ValidationError):
        updates.save_update(colleague, period, {"value": "3"})  # no narrative
    update = updates.save_update(colleague, period, {"value": "3", "narrative": "Adopted."})
    assert update.value is None


def test_admins_hear_of_a_submission_and_the_author_of_the_review(owner, colleague, indicator):
    from concord.core.models import OutgoingEmail

    _, periods = indicator
    colleague.language = "fr"
    colleague.save()
    update = updates.save_update(colleague, periods[0], {"value": "7", "submit": True})
    to_admin = OutgoingEmail.objects.get(to=owner.email)
    assert "awaits your review" in to_admin.subject
    assert f"/results/updates/{update.pk}/" in to_admin.body_text
    updates.return_update(owner, update, "Add the attendance list")
    to_author = OutgoingEmail.objects.get(to=colleague.email)
    assert "renvoyée" in to_author.subject or "returned" in to_author.subject
    assert "Add the attendance list" in to_author.body_text


def test_evidence_is_stored_under_a_name_no_one_can_guess(colleague, indicator):
    _, periods = indicator
    update = updates.save_update(
        colleague, periods[0], {"value": "1"}, [SimpleUploadedFile("register.pdf", MINIMAL_PDF)]
    )
    evidence = update.evidence.get()
    assert evidence.name == "register.pdf"
    assert "register" not in evidence.file.name and evidence.file.name.endswith(".pdf")
