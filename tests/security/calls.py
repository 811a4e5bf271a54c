"""What the authorisation matrix sends to each operation: the objects its path names and a
valid body, so that an answer says whether the caller was let through, not whether the
input was well-formed.

One entry per operation that has path parameters, a required query or a body, keyed by the
operation id; an operation with none of these (a plain list) needs no entry. Every persona
gets the same request, so the only thing that changes between the columns of a row is who
asks. The objects come from `world.World`; each call runs in a transaction rolled back
afterwards, so a call never sees what an earlier one changed.
"""

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, timedelta
from io import BytesIO
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from PIL import Image

from concord.declarations.log import entries, sealing
from concord.declarations.log.models import LogEntry
from concord.declarations.models import Signature
from tests.factories.results import PROJECT
from tests.security.world import CONFIRMATION_TOKEN, World


@dataclass
class Call:
    params: dict[str, Any] = field(default_factory=dict)
    json: dict[str, Any] | None = None
    csv: str | None = None
    files: dict[str, SimpleUploadedFile] | None = None
    query: dict[str, str] = field(default_factory=dict)


def png() -> SimpleUploadedFile:
    buffer = BytesIO()
    Image.new("RGB", (64, 64), "green").save(buffer, "PNG")
    return SimpleUploadedFile("logo.png", buffer.getvalue(), content_type="image/png")


def pdf() -> SimpleUploadedFile:
    return SimpleUploadedFile(
        "register.pdf", b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n", "application/pdf"
    )


def sealed(declaration) -> str:
    """A signed head over one confirmed signature (a draft can hold one only here); the
    leaf hash of that signature."""
    signature = Signature.objects.create(
        declaration=declaration,
        email=f"sealed-{declaration.pk}@example.org",
        name="Amina Juma",
        country_id="TZ",
        kind=Signature.Kind.INDIVIDUAL,
        status=Signature.Status.CONFIRMED,
        confirmed_at=timezone.now(),
    )
    entries.record([signature], entries.Event.CONFIRMED)
    sealing.seal(declaration)
    return LogEntry.objects.get(signature_id=signature.pk).leaf_hash


def later(days: int) -> str:
    return (date.today() + timedelta(days=days)).isoformat()


SIGNATURE = {"name": "Ana Silva", "email": "ana@example.org", "country": "MZ"}
SIGNATURES_CSV = (
    "name,email,country,kind,organisation,role,show_name\n"
    "Ana Silva,ana@example.org,MZ,individual,,,true\n"
)


def practice(w: World) -> dict:
    return {
        "organisation": w.org_a.pk,
        "title": "Rain gardens in schools",
        "summary": "Pupils dug rain gardens that keep playgrounds dry.",
        "language": "en",
        "setting": "urban",
        "countries": ["SN"],
        "themes": ["adaptation"],
    }


def event(w: World) -> dict:
    return {
        "slug": "matrix-forum",
        "title": "Regional forum",
        "kind": "forum",
        "format": "in_person",
        "starts_at": f"{later(40)}T09:00:00",
        "ends_at": f"{later(40)}T17:00:00",
        "time_zone": "Africa/Dakar",
        "city": "Dakar",
        "country": "SN",
        "organisations": [w.org_a.pk],
    }


def funding_call(w: World) -> dict:
    return {
        "title": "Coastal resilience grants",
        "funder": "Adaptation Fund",
        "instrument": "grant",
        "amount_min": "10000",
        "amount_max": "50000",
        "currency": "USD",
        "deadline": f"{later(30)}T12:00:00",
        "deadline_timezone": "UTC",
        "link": "https://example.org/call",
        "open_to_all": True,
    }


def update_path(w: World, update) -> dict:
    return {"pk": w.project.pk, "update_id": update.pk}


CALLS: dict[str, Callable[[World], Call]] = {
    # countries
    "concord_countries_api_get_coverage": lambda w: Call(query={"codes": "SN,BD,FJ"}),
    "concord_countries_api_get_country": lambda w: Call({"code": "SN"}),
    # organisations and membership applications
    "concord_organisations_api_apply": lambda w: Call(
        json={"name": "Sahel Water Watch", "country": "ML"}
    ),
    "concord_organisations_api_get_organisation": lambda w: Call({"pk": w.pending_org.pk}),
    "concord_organisations_api_get_organisation:member": lambda w: Call({"pk": w.org_a.pk}),
    "concord_organisations_api_edit_organisation": lambda w: Call(
        {"pk": w.org_a.pk}, json={"city": "Ziguinchor"}
    ),
    "concord_organisations_api_edit_organisation:pending": lambda w: Call(
        {"pk": w.pending_org.pk}, json={"city": "Khulna"}
    ),
    "concord_organisations_api_upload_logo": lambda w: Call(
        {"pk": w.org_a.pk}, files={"logo": png()}
    ),
    "concord_organisations_api_approve": lambda w: Call({"pk": w.pending_org.pk}),
    "concord_organisations_api_reject": lambda w: Call(
        {"pk": w.pending_org.pk}, json={"reason": "Not a civil society organisation."}
    ),
    "concord_organisations_api_request_information": lambda w: Call(
        {"pk": w.pending_org.pk}, json={"message": "Please send your statutes."}
    ),
    "concord_organisations_api_resubmit": lambda w: Call({"pk": w.more_info_org.pk}),
    # declarations
    "concord_declarations_api_create": lambda w: Call(
        json={"slug": "matrix-call", "title": "A call", "text": "We call for action."}
    ),
    "concord_declarations_api_get_declaration": lambda w: Call({"slug": w.draft.slug}),
    "concord_declarations_api_get_declaration:open": lambda w: Call({"slug": w.open.slug}),
    "concord_declarations_api_open_": lambda w: Call({"slug": w.draft.slug}),
    "concord_declarations_api_close": lambda w: Call({"slug": w.open.slug}),
    "concord_declarations_api_publish": lambda w: Call({"slug": w.closed.slug}),
    "concord_declarations_api_add_translation": lambda w: Call(
        {"slug": w.draft.slug},
        json={"language": "fr", "title": "L'appel", "text": "Nous appelons."},
    ),
    "concord_declarations_api_sign": lambda w: Call({"slug": w.open.slug}, json=SIGNATURE),
    "concord_declarations_api_sign:draft": lambda w: Call({"slug": w.draft.slug}, json=SIGNATURE),
    "concord_declarations_api_confirm": lambda w: Call(
        {"slug": w.open.slug}, json={"token": CONFIRMATION_TOKEN}
    ),
    "concord_declarations_api_resend": lambda w: Call(
        {"slug": w.open.slug}, json={"email": "pending@example.org"}
    ),
    "concord_declarations_api_withdraw": lambda w: Call(
        {"slug": w.open.slug}, json={"token": CONFIRMATION_TOKEN}
    ),
    "concord_declarations_api_import_csv": lambda w: Call(
        {"slug": w.open.slug}, csv=SIGNATURES_CSV
    ),
    "concord_declarations_api_stats": lambda w: Call({"slug": w.draft.slug}),
    "concord_declarations_api_stats:open": lambda w: Call({"slug": w.open.slug}),
    "concord_declarations_api_signatories": lambda w: Call({"slug": w.draft.slug}),
    "concord_declarations_api_signatories_csv": lambda w: Call({"slug": w.draft.slug}),
    "concord_declarations_api_signatories_json": lambda w: Call({"slug": w.draft.slug}),
    "concord_declarations_api_log_heads": lambda w: Call({"slug": w.draft.slug}),
    "concord_declarations_api_log_heads:open": lambda w: Call({"slug": w.open.slug}),
    "concord_declarations_api_log_leaves": lambda w: Call({"slug": w.draft.slug}),
    "concord_declarations_api_log_leaves:open": lambda w: Call({"slug": w.open.slug}),
    "concord_declarations_api_log_copy": lambda w: Call({"slug": w.draft.slug}),
    "concord_declarations_api_log_copy:open": lambda w: Call({"slug": w.open.slug}),
    "concord_declarations_api_log_inclusion": lambda w: Call(
        {"slug": w.draft.slug}, query={"leaf_hash": sealed(w.draft)}
    ),
    "concord_declarations_api_log_inclusion:open": lambda w: Call(
        {"slug": w.open.slug}, query={"leaf_hash": sealed(w.open)}
    ),
    "concord_declarations_api_log_consistency": lambda w: (
        sealed(w.draft) and Call({"slug": w.draft.slug}, query={"old": "1", "new": "1"})
    ),
    "concord_declarations_api_log_consistency:open": lambda w: (
        sealed(w.open) and Call({"slug": w.open.slug}, query={"old": "1", "new": "1"})
    ),
    # drafting together and addressees
    "concord_declarations_api_get_draft": lambda w: Call({"slug": w.draft.slug}),
    "concord_declarations_api_open_period": lambda w: Call(
        {"slug": w.draft.slug},
        json={"audience": "members", "closes_at": "2099-01-01T00:00:00Z"},
    ),
    "concord_declarations_api_list_versions": lambda w: Call({"slug": w.draft.slug}),
    "concord_declarations_api_compare_versions": lambda w: Call(
        {"slug": w.draft.slug}, query={"old": "1", "new": "1"}
    ),
    "concord_declarations_api_list_comments": lambda w: Call({"slug": w.draft.slug}),
    "concord_declarations_api_add_comment": lambda w: Call(
        {"slug": w.draft.slug},
        json={"paragraph": w.drafting.comment.paragraph_key, "text": "Agreed."},
    ),
    "concord_declarations_api_edit_comment": lambda w: Call(
        {"slug": w.draft.slug, "pk": w.drafting.comment.pk}, json={"text": "Say by 2030."}
    ),
    "concord_declarations_api_list_amendments": lambda w: Call({"slug": w.draft.slug}),
    "concord_declarations_api_propose_amendment": lambda w: Call(
        {"slug": w.draft.slug},
        json={
            "paragraph": w.drafting.comment.paragraph_key,
            "kind": "insert",
            "text": "We ask for grants.",
            "reason": "Finance.",
        },
    ),
    "concord_declarations_api_support_amendment": lambda w: Call(
        {"slug": w.draft.slug, "pk": w.drafting.amendment.pk}, json={"organisation": w.org_b.pk}
    ),
    "concord_declarations_api_decide_amendment": lambda w: Call(
        {"slug": w.draft.slug, "pk": w.drafting.amendment.pk},
        json={"decision": "accept", "reason": "Agreed."},
    ),
    "concord_declarations_api_list_cosponsors": lambda w: Call({"slug": w.draft.slug}),
    "concord_declarations_api_endorse": lambda w: Call(
        {"slug": w.draft.slug}, json={"organisation": w.org_b.pk}
    ),
    "concord_declarations_api_list_addressees": lambda w: Call({"slug": w.open.slug}),
    "concord_declarations_api_add_addressee": lambda w: Call(
        {"slug": w.open.slug}, json={"kind": "government", "country": "KE"}
    ),
    "concord_declarations_api_record_delivery": lambda w: Call(
        {"slug": w.open.slug, "pk": w.drafting.addressee.pk},
        json={"delivered_on": "2026-11-20", "channel": "post"},
    ),
    "concord_declarations_api_record_response": lambda w: Call(
        {"slug": w.open.slug, "pk": w.drafting.addressee.pk},
        json={"received_on": "2026-11-25", "source": "Ministry", "text": "We agree."},
    ),
    "concord_declarations_api_publish_response": lambda w: Call(
        {"slug": w.open.slug, "pk": w.drafting.response.pk}
    ),
    "concord_declarations_api_mark_pledge_met": lambda w: Call(
        {"slug": w.open.slug, "pk": w.drafting.pledge.pk}, json={"met_on": "2026-12-01"}
    ),
    "concord_declarations_api_list_responses": lambda w: Call({"slug": w.open.slug}),
    # case studies
    "concord_knowledge_api_create_practice": lambda w: Call(json=practice(w)),
    "concord_knowledge_api_get_practice": lambda w: Call({"pk": w.draft_practice.pk}),
    "concord_knowledge_api_get_practice:published": lambda w: Call({"pk": w.published_practice.pk}),
    "concord_knowledge_api_edit_practice": lambda w: Call(
        {"pk": w.draft_practice.pk}, json={"title": "Mangrove belts, five years on"}
    ),
    "concord_knowledge_api_edit_practice:published": lambda w: Call(
        {"pk": w.published_practice.pk}, json={"title": "Mangrove belts, five years on"}
    ),
    "concord_knowledge_api_submit_practice": lambda w: Call({"pk": w.draft_practice.pk}),
    "concord_knowledge_api_review_practice": lambda w: Call(
        {"pk": w.submitted_practice.pk}, json={"action": "publish"}
    ),
    "concord_knowledge_api_list_adaptations": lambda w: Call({"pk": w.draft_practice.pk}),
    "concord_knowledge_api_list_adaptations:published": lambda w: Call(
        {"pk": w.published_practice.pk}
    ),
    "concord_knowledge_api_record_adaptation": lambda w: Call(
        {"pk": w.published_practice.pk},
        json={"organisation": w.org_b.pk, "country": "PE", "account": "We replanted too."},
    ),
    # events
    "concord_events_api_event_ics": lambda w: Call({"slug": w.event.slug}),
    "concord_events_api_create_event": lambda w: Call(json=event(w)),
    "concord_events_api_get_event": lambda w: Call({"slug": w.event.slug}),
    "concord_events_api_register": lambda w: Call({"slug": w.event.slug}, json={"country": "SN"}),
    "concord_events_api_check_in": lambda w: Call(
        {"slug": w.event.slug}, json={"code": w.badge_code}
    ),
    "concord_events_api_stats": lambda w: Call({"slug": w.event.slug}),
    # working groups
    "concord_groups_api_get_group": lambda w: Call({"slug": w.group.slug}),
    "concord_groups_api_join_group": lambda w: Call(
        {"slug": w.group.slug}, json={"delivery": "digest"}
    ),
    "concord_groups_api_list_threads": lambda w: Call({"slug": w.group.slug}),
    "concord_groups_api_start_thread": lambda w: Call(
        {"slug": w.group.slug}, json={"title": "Budget", "body": "A first proposal for the budget."}
    ),
    "concord_groups_api_list_posts": lambda w: Call(
        {"slug": w.group.slug, "thread_id": w.group_thread.pk}
    ),
    "concord_groups_api_reply": lambda w: Call(
        {"slug": w.group.slug, "thread_id": w.group_thread.pk}, json={"body": "Dakar suits us."}
    ),
    "concord_groups_api_get_poll": lambda w: Call(
        {"slug": w.group.slug, "poll_id": w.group_poll.pk}
    ),
    "concord_groups_api_vote": lambda w: Call(
        {"slug": w.group.slug, "poll_id": w.group_poll.pk},
        json={"choices": [w.group_poll.choices.first().pk]},
    ),
    # mailings
    "concord_mailings_api_create_audience": lambda w: Call(
        json={"name": "Members in SIDS", "kind": "representatives", "groups": ["sids"]}
    ),
    "concord_mailings_api_create_mailing": lambda w: Call(
        json={
            "texts": [{"language": "en", "subject": "Sign before COP", "body": "Dear members"}],
            "sender_name": "Coalition secretariat",
            "original_language": "en",
            "audiences": list(w.mailing.audiences.values_list("pk", flat=True)),
        }
    ),
    "concord_mailings_api_mailing_status": lambda w: Call({"mailing_id": w.mailing.pk}),
    "concord_mailings_api_preview_mailing": lambda w: Call({"mailing_id": w.mailing.pk}),
    "concord_mailings_api_test_mailing": lambda w: Call({"mailing_id": w.mailing.pk}),
    "concord_mailings_api_schedule_mailing": lambda w: Call({"mailing_id": w.mailing.pk}, json={}),
    "concord_mailings_api_pause_mailing": lambda w: Call({"mailing_id": w.mailing.pk}),
    "concord_mailings_api_resume_mailing": lambda w: Call({"mailing_id": w.mailing.pk}),
    # results
    "concord_results_api_create_project": lambda w: Call(
        json={**PROJECT, "organisation": w.org_a.pk, "iati_identifier": "SN-NINEA-0012345-MB02"}
    ),
    "concord_results_api_get_project": lambda w: Call({"pk": w.project.pk}),
    "concord_results_api_edit_project": lambda w: Call(
        {"pk": w.project.pk}, json={"title": "Mangrove belts for the Saloum delta"}
    ),
    "concord_results_api_list_results": lambda w: Call({"pk": w.project.pk}),
    "concord_results_api_add_result": lambda w: Call(
        {"pk": w.project.pk}, json={"kind": "1", "title": "Nurseries built"}
    ),
    "concord_results_api_add_indicator": lambda w: Call(
        {"pk": w.project.pk, "result_id": w.result.pk},
        json={
            "title": "Nurseries",
            "unit": "nurseries",
            "baseline_year": 2024,
            "baseline_value": 0,
        },
    ),
    "concord_results_api_add_period": lambda w: Call(
        {"pk": w.project.pk, "indicator_id": w.indicator.pk},
        json={"start": "2030-01-01", "end": "2030-12-31", "target": "5"},
    ),
    "concord_results_api_list_updates": lambda w: Call(
        {"pk": w.project.pk, "period_id": w.draft_update.period_id}
    ),
    "concord_results_api_add_update": lambda w: Call(
        {"pk": w.project.pk, "period_id": w.free_period.pk}, json={"value": "12"}
    ),
    "concord_results_api_add_evidence": lambda w: Call(
        update_path(w, w.draft_update), files={"file": pdf()}
    ),
    "concord_results_api_submit_update": lambda w: Call(update_path(w, w.draft_update)),
    "concord_results_api_approve_update": lambda w: Call(update_path(w, w.submitted_update)),
    "concord_results_api_return_update": lambda w: Call(
        update_path(w, w.submitted_update), json={"comment": "Please add the register."}
    ),
    "concord_results_api_project_iati": lambda w: Call({"pk": w.project.pk}),
    "concord_results_api_organisation_iati": lambda w: Call({"pk": w.org_a.pk}),
    # partnerships
    "concord_partnerships_api_post_request": lambda w: Call(
        json={
            "organisation": w.org_a.pk,
            "purpose": "peer_training",
            "title": "Trainers sought",
            "description": "We train village brigades to fight bush fires.",
        }
    ),
    "concord_partnerships_api_get_request": lambda w: Call({"pk": w.request.pk}),
    "concord_partnerships_api_request_matches": lambda w: Call({"pk": w.request.pk}),
    "concord_partnerships_api_express_interest": lambda w: Call(
        {"pk": w.unanswered_request.pk},
        json={"organisation": w.org_b.pk, "message": "We ran such trainings in Peru."},
    ),
    "concord_partnerships_api_accept_interest": lambda w: Call({"pk": w.interest.pk}),
    "concord_partnerships_api_decline_interest": lambda w: Call({"pk": w.interest.pk}),
    "concord_partnerships_api_record_partnership": lambda w: Call(
        json={
            "title": "Reefs and mangroves",
            "goals": "Exchange nursery methods.",
            "partners": [w.org_a.pk, w.org_c.pk],
            "deliverables": [
                {"title": "Exchange visit", "target": 1, "unit": "visit", "due_on": later(90)}
            ],
        }
    ),
    "concord_partnerships_api_get_partnership": lambda w: Call({"pk": w.partnership.pk}),
    "concord_partnerships_api_accept_partnership": lambda w: Call(
        {"pk": w.partnership.pk, "organisation": w.org_b.pk}
    ),
    "concord_partnerships_api_decline_partnership": lambda w: Call(
        {"pk": w.partnership.pk, "organisation": w.org_b.pk}
    ),
    "concord_partnerships_api_create_call": lambda w: Call(json=funding_call(w)),
    "concord_partnerships_api_funding_matches": lambda w: Call({"pk": w.org_a.pk}),
    "concord_partnerships_api_funding_matches:pending": lambda w: Call({"pk": w.pending_org.pk}),
}


# One entry per row of the [pages] section, by URL name: the arguments of its `reverse()`
# (the objects its path names; none for a page about the caller alone).
PAGE_CALLS: dict[str, Callable[[World], dict[str, Any]]] = {
    "mailings:list": lambda w: {},
    "mailings:detail": lambda w: {"pk": w.mailing.pk},
    "web:mine": lambda w: {},  # the signed-in person's own things: the path names nobody
    "declarations:map": lambda w: {"slug": w.draft.slug},
    "declarations:badge": lambda w: {"slug": w.draft.slug},
    "declarations:share_image": lambda w: {"slug": w.draft.slug},
    "declarations:embed": lambda w: {"slug": w.draft.slug},
    "declarations:brought": lambda w: {"slug": w.open.slug, "organisation": w.org_a.pk},
}
