"""Every write path for organisations: applying, reviewing, editing, representatives.

Each function checks permission and input, writes in one transaction, logs the audit
event and queues emails that leave only once the transaction commits. Errors are
raised as ValidationError (bad input, with per-field messages), PermissionDenied, or
`Refused` (409) for a review or resubmission the application's status does not allow.
"""

import hashlib
import secrets
from datetime import timedelta
from typing import Any, NamedTuple

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from concord.accounts.models import User, normalise_email
from concord.core.audit import log_event
from concord.core.checks import Errors, no_nul, reject_markup
from concord.core.emails import page_url, queue_email
from concord.core.errors import Refused, wrong_state
from concord.core.images import reencode_image
from concord.core.limits import TooMany
from concord.core.models import Sdg, Theme
from concord.core.numbers import figure
from concord.countries import checks as country_checks
from concord.organisations import permissions
from concord.organisations.models import Invitation, Organisation, Representative, name_key

PROFILE_FIELDS = (
    "name", "acronym", "country", "city", "kind", "website", "description",
    "unfccc_observer", "year_founded",
)  # fmt: skip
INVITATION_DAYS = 14


def _check_profile(data: dict[str, Any]) -> None:
    errors = Errors()
    for field in ("name", "acronym", "city"):
        try:
            reject_markup(data.get(field) or "")
        except ValidationError as error:
            errors.extend(field, error.messages)
    for field in ("website", "description"):
        no_nul(errors, field, str(data.get(field) or ""))
    if "country" in data:
        country_checks.country(errors, "country", data["country"])
    errors.raise_if_any()


def _apply_profile(organisation: Organisation, data: dict[str, Any]) -> None:
    for field in PROFILE_FIELDS:
        if field not in data:
            continue
        value = data[field]
        if field == "country":
            organisation.country_id = str(getattr(value, "code", value)).upper()
        else:
            setattr(organisation, field, "" if value is None and field != "year_founded" else value)
    organisation.name_key = name_key(organisation.name)
    organisation.full_clean(
        exclude=["logo", "applied_by"], validate_unique=False, validate_constraints=False
    )


def _set_vocabularies(organisation: Organisation, data: dict[str, Any]) -> None:
    # An explicit null (an API PATCH with "themes": null) clears the list, as "" clears text.
    if "themes" in data:
        slugs = [getattr(t, "slug", t) for t in data["themes"] or []]
        themes = list(Theme.objects.filter(slug__in=slugs))
        if len(themes) != len(set(slugs)):
            raise ValidationError({"themes": [_("Unknown theme.")]})
        organisation.themes.set(themes)
    if "sdgs" in data:
        numbers = [getattr(s, "number", s) for s in data["sdgs"] or []]
        sdgs = list(Sdg.objects.filter(number__in=numbers))
        if len(sdgs) != len(set(numbers)):
            raise ValidationError({"sdgs": [_("SDGs are numbered 1 to 17.")]})
        organisation.sdgs.set(sdgs)


def _set_logo(organisation: Organisation, upload) -> None:
    if upload is None:
        return
    try:
        clean = reencode_image(upload, max_bytes=settings.LOGO_MAX_BYTES, max_side=400)
    except ValidationError as error:
        raise ValidationError({"logo": error.messages}) from None
    organisation.logo.save(clean.name or "logo.webp", clean, save=True)


def _duplicate_error() -> ValidationError:
    return ValidationError(
        {
            "name": [
                _(
                    "An organisation with this name in this country has already applied or is a member."
                )
            ]
        },
        code="duplicate",
    )


def apply_for_membership(user: User, data: dict[str, Any], logo=None) -> Organisation:
    """An organisation applies to join; the applicant becomes its first admin."""
    if not permissions.can_apply(user):
        raise PermissionDenied(_("Sign in to apply."))
    _check_profile(data)
    organisation = Organisation(applied_by=user, status=Organisation.Status.PENDING)
    _apply_profile(organisation, data)
    live = Organisation.objects.exclude(status=Organisation.Status.REJECTED)
    if live.filter(name_key=name_key(organisation.name), country=organisation.country_id).exists():
        raise _duplicate_error()
    try:
        with transaction.atomic():
            organisation.save()
            _set_vocabularies(organisation, data)
            _set_logo(organisation, logo)
            Representative.objects.create(
                organisation=organisation, user=user, role=Representative.Role.ADMIN
            )
            log_event("membership.applied", organisation, actor=user, name=organisation.name)
            _notify_secretariat(organisation)
    except IntegrityError:
        # Two identical applications at once: the database constraint lets one through.
        raise _duplicate_error() from None
    return organisation


def update_organisation(user: User, organisation: Organisation, data: dict[str, Any], logo=None):
    """Edit the profile. A member's new name or country is kept aside for the secretariat
    (`review_identity_change`); every other change applies at once."""
    if not permissions.can_edit(user, organisation):
        raise PermissionDenied(_("Only the organisation's admins may edit it."))
    reviewed_name, reviewed_country = organisation.name, organisation.country_id
    _check_profile(data)
    _apply_profile(organisation, data)
    if _clashes(organisation, organisation.name, organisation.country_id):
        raise _duplicate_error()
    held = (
        organisation.is_member
        and not permissions.is_secretariat(user)
        and (organisation.name, organisation.country_id) != (reviewed_name, reviewed_country)
    )
    if held:
        organisation.proposed_name, organisation.proposed_country_id = (
            organisation.name, organisation.country_id,
        )  # fmt: skip
        organisation.proposed_at = timezone.now()
        organisation.name, organisation.country_id = reviewed_name, reviewed_country
    with transaction.atomic():
        organisation.save()
        _set_vocabularies(organisation, data)
        _set_logo(organisation, logo)
        log_event("organisation.updated", organisation, actor=user)
        if held:
            log_event(
                "organisation.identity_change_proposed", organisation, actor=user,
                name=organisation.proposed_name, country=organisation.proposed_country_id,
            )  # fmt: skip
    return organisation


def _clashes(organisation: Organisation, name: str, country: str) -> bool:
    others = Organisation.objects.exclude(status=Organisation.Status.REJECTED).exclude(
        pk=organisation.pk
    )
    return others.filter(name_key=name_key(name), country=country).exists()


def review_identity_change(reviewer: User, organisation: Organisation, *, approve: bool):
    """The secretariat applies a member's proposed name and country, or sets them aside."""
    if not permissions.can_review_applications(reviewer):
        raise PermissionDenied(_("Only the secretariat reviews applications."))
    with transaction.atomic():
        org = Organisation.objects.select_for_update().get(pk=organisation.pk)
        if not org.awaits_identity_review:
            raise wrong_state(_("No change of name or country is waiting for review."))
        proposed = {"name": org.proposed_name, "country": org.proposed_country_id}
        if approve:
            country = org.proposed_country_id or org.country_id
            if _clashes(org, org.proposed_name, country):
                raise _duplicate_error()
            org.name, org.country_id = org.proposed_name, country
        org.proposed_name, org.proposed_country, org.proposed_at = "", None, None
        org.save()
        event = "approved" if approve else "declined"
        log_event(f"organisation.identity_change_{event}", org, actor=reviewer, **proposed)
    return org


def _check_reviewable(reviewer: User, organisation: Organisation) -> None:
    if not permissions.can_review_applications(reviewer):
        raise PermissionDenied(_("Only the secretariat reviews applications."))
    if not organisation.awaits_review:
        raise wrong_state(
            _("This application is “%(status)s” and cannot be changed that way.")
            % {"status": organisation.get_status_display()}
        )


def _review(reviewer: User, organisation: Organisation) -> Organisation:
    locked = Organisation.objects.select_for_update().get(pk=organisation.pk)
    _check_reviewable(reviewer, locked)
    return locked


def approve_membership(reviewer: User, organisation: Organisation) -> Organisation:
    with transaction.atomic():
        org = _review(reviewer, organisation)
        org.status = Organisation.Status.MEMBER
        org.reviewed_at = org.member_since = timezone.now()
        org.review_note = ""
        org.save(update_fields=["status", "reviewed_at", "member_since", "review_note"])
        log_event("membership.approved", org, actor=reviewer)
        _notify_applicants(org, "approved")
    return org


class NoteReview(NamedTuple):
    """A review that writes the applicant a note: the note's field, the message when it is
    missing and the audit event."""

    field: str
    missing: str | Promise
    event: str


NOTE_REVIEWS = {
    Organisation.Status.REJECTED: NoteReview(
        "reason", gettext_lazy("Give the applicant a reason."), "membership.rejected"
    ),
    Organisation.Status.MORE_INFO: NoteReview(
        "message", gettext_lazy("Say what information is needed."), "membership.more_info_requested"
    ),
}


def _checked_note(outcome: str, note: str) -> str:
    note = (note or "").strip()
    if not note:
        review = NOTE_REVIEWS[Organisation.Status(outcome)]
        raise ValidationError({review.field: [review.missing]})
    return note


def check_review_with_note(
    reviewer: User, organisation: Organisation, outcome: str, note: str
) -> None:
    """The refusals of `review_with_note` without the write (the same order: the missing note
    first), so the page asks to confirm a decline only when it would happen."""
    _checked_note(outcome, note)
    _check_reviewable(reviewer, organisation)


def review_with_note(
    reviewer: User, organisation: Organisation, outcome: str, note: str
) -> Organisation:
    """Decline the application (`outcome` REJECTED, the note is the reason) or ask for more
    information (MORE_INFO, the note is the question); the applicant's admins get the note."""
    outcome = Organisation.Status(outcome)
    review = NOTE_REVIEWS[outcome]
    note = _checked_note(outcome, note)
    with transaction.atomic():
        org = _review(reviewer, organisation)
        org.status = outcome
        org.reviewed_at = timezone.now()
        org.review_note = note[:3000]
        org.save(update_fields=["status", "reviewed_at", "review_note"])
        log_event(review.event, org, actor=reviewer, **{review.field: org.review_note})
        _notify_applicants(org, outcome.value)
    return org


def resubmit_application(user: User, organisation: Organisation) -> Organisation:
    """After answering the secretariat's question, the applicant sends the application back."""
    if not permissions.can_edit(user, organisation):
        raise PermissionDenied(_("Only the organisation's admins may resubmit."))
    with transaction.atomic():
        org = Organisation.objects.select_for_update().get(pk=organisation.pk)
        if not org.awaits_information:
            raise wrong_state(_("Only an application awaiting information can be resubmitted."))
        org.status = Organisation.Status.PENDING
        org.save(update_fields=["status"])
        log_event("membership.resubmitted", org, actor=user)
        _notify_secretariat(org)
    return org


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def invite_representative(
    admin: User, organisation: Organisation, email: str, role: str = "representative"
) -> tuple[Invitation, str]:
    if not permissions.can_manage_representatives(admin, organisation):
        raise PermissionDenied(_("Only the organisation's admins invite representatives."))
    if organisation.status != Organisation.Status.MEMBER:
        # A pending organisation is anyone's to create, so its invitations would let anyone
        # mail strangers in the coalition's name.
        raise Refused(
            _("Invitations can be sent once the organisation is a member."), code="not_member"
        )
    _check_daily_invitations(organisation)
    email = normalise_email(email)
    if role not in Representative.Role.values:
        raise ValidationError({"role": [_("Unknown role.")]})
    if Representative.objects.filter(organisation=organisation, user__email=email).exists():
        raise ValidationError({"email": [_("This person already represents the organisation.")]})
    token = secrets.token_urlsafe(32)
    try:
        with transaction.atomic():
            invitation = Invitation.objects.create(
                organisation=organisation,
                email=email,
                role=role,
                token_hash=_hash(token),
                invited_by=admin,
                expires_at=timezone.now() + timedelta(days=INVITATION_DAYS),
            )
            log_event("representative.invited", organisation, actor=admin, email=email, role=role)
            url = page_url("organisations:accept", token)
            queue_email(
                key=f"invitation:{invitation.pk}",
                to=email,
                template="organisations/emails/invitation",
                context={
                    "organisation": organisation,
                    "inviter": admin,
                    "url": url,
                    "days": INVITATION_DAYS,
                },
                # A newcomer has acted in no language yet: the inviter's is the best guess.
                acted_in=admin.language,
                one_time_links=[url],
            )
    except IntegrityError:
        raise ValidationError(
            {"email": [_("This address already has an open invitation.")]}
        ) from None
    return invitation, token


def _check_daily_invitations(organisation: Organisation) -> None:
    """At most INVITATIONS_PER_ORGANISATION_PER_DAY in any 24 hours, whoever sends them."""
    since = timezone.now() - timedelta(days=1)
    recent = list(
        Invitation.objects.filter(organisation=organisation, created_at__gte=since)
        .order_by("-created_at")
        .values_list("created_at", flat=True)[: settings.INVITATIONS_PER_ORGANISATION_PER_DAY]
    )
    if len(recent) >= settings.INVITATIONS_PER_ORGANISATION_PER_DAY:
        frees_at = recent[-1] + timedelta(days=1)
        raise TooMany(
            max(1, int((frees_at - timezone.now()).total_seconds())),
            ngettext(
                "Your organisation has sent today's %(count)s invitation; try again tomorrow.",
                "Your organisation has sent today's %(count)s invitations; try again tomorrow.",
                settings.INVITATIONS_PER_ORGANISATION_PER_DAY,
            )
            % {"count": figure(settings.INVITATIONS_PER_ORGANISATION_PER_DAY)},
        )


def accept_invitation(user: User, token: str) -> Representative:
    with transaction.atomic():
        invitation = (
            Invitation.objects.select_for_update()
            .select_related("organisation")
            .filter(token_hash=_hash(token))
            .first()
        )
        if invitation is None or invitation.accepted_at or invitation.expires_at < timezone.now():
            raise ValidationError(_("This invitation is not valid any more. Ask for a new one."))
        if invitation.email != normalise_email(user.email):
            raise PermissionDenied(_("This invitation was sent to another email address."))
        representative, _created = Representative.objects.get_or_create(
            organisation=invitation.organisation, user=user, defaults={"role": invitation.role}
        )
        invitation.accepted_at = timezone.now()
        invitation.save(update_fields=["accepted_at"])
        log_event(
            "representative.joined", invitation.organisation, actor=user, role=invitation.role
        )
    return representative


def remove_representative(admin: User, organisation: Organisation, user_id: int) -> None:
    if not permissions.can_manage_representatives(admin, organisation):
        raise PermissionDenied(_("Only the organisation's admins manage representatives."))
    with transaction.atomic():
        reps = Representative.objects.select_for_update().filter(organisation=organisation)
        target = reps.filter(user_id=user_id).first()
        if target is None:
            raise ValidationError(_("This person does not represent the organisation."))
        admins = [r for r in reps if r.role == Representative.Role.ADMIN]
        if target.role == Representative.Role.ADMIN and len(admins) == 1:
            raise ValidationError(_("An organisation keeps at least one admin."))
        target.delete()
        log_event("representative.removed", organisation, actor=admin, user_id=user_id)


def _notify_applicants(organisation: Organisation, outcome: str) -> None:
    admins = User.objects.filter(
        representations__organisation=organisation,
        representations__role=Representative.Role.ADMIN,
        is_active=True,
    )
    stamp = organisation.reviewed_at.isoformat() if organisation.reviewed_at else ""
    for admin in admins:
        queue_email(
            key=f"membership.{outcome}:{organisation.pk}:{admin.pk}:{stamp}",
            to=admin,
            template=f"organisations/emails/membership_{outcome}",
            context={
                "organisation": organisation,
                "note": organisation.review_note,
                "url": page_url("organisations:detail", organisation.pk),
            },
        )


def _notify_secretariat(organisation: Organisation) -> None:
    stamp = timezone.now().isoformat()
    for person in User.objects.filter(is_staff=True, is_active=True):
        queue_email(
            key=f"membership.applied:{organisation.pk}:{person.pk}:{stamp}",
            to=person,
            template="organisations/emails/application_received",
            context={"organisation": organisation, "url": page_url("organisations:review")},
        )
