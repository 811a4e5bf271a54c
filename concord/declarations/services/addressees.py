"""A declaration's addressees, what was delivered to them, their responses and pledges: the
secretariat's and the committee's records. Publishing a response tells the signers who
asked to be kept informed (addressees/notices.py, in the worker).

Refusals: no right 403, bad input 422 (per field); nothing is stored when one is raised.
"""

from datetime import date

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from concord.accounts.models import User
from concord.core import checks
from concord.core.audit import log_event
from concord.core.errors import Refused
from concord.core.files import PDF, download_name, is_clean_pdf, stored_name
from concord.countries import checks as country_checks
from concord.declarations import permissions
from concord.declarations.addressees import notices
from concord.declarations.addressees.models import (
    CONTACT_MAX,
    NAME_MAX,
    SUMMARY_MAX,
    TEXT_MAX,
    Addressee,
    Delivery,
    Pledge,
    Response,
)
from concord.declarations.models import Declaration
from concord.declarations.services.lifecycle import check_language


def _require(user, declaration: Declaration) -> None:
    if not permissions.can_manage_addressees(user, declaration):
        raise PermissionDenied(_("Only the secretariat or the drafting committee may do this."))


def _language(errors: checks.Errors, value: str) -> str:
    try:
        return check_language(value or "en")
    except ValidationError as error:
        errors.extend("language", error.message_dict["language"])
        return ""


def add_addressee(
    user: User,
    declaration: Declaration,
    *,
    kind: str,
    country: str = "",
    name: str = "",
    contact: str = "",
    language: str = "en",
) -> Addressee:
    """A government by its country's ISO code, or an institution by its name."""
    _require(user, declaration)
    errors = checks.Errors()
    kind = checks.choice(errors, "kind", kind, Addressee.Kind)
    code = ""
    if kind == Addressee.Kind.GOVERNMENT:
        code = country_checks.country(errors, "country", country, required=True)
    name = checks.text(errors, "name", name, limit=NAME_MAX,
                       required=kind == Addressee.Kind.INSTITUTION)  # fmt: skip
    contact = checks.text(errors, "contact", contact, limit=CONTACT_MAX, plain=False)
    language = _language(errors, language)
    errors.raise_if_any()
    try:
        with transaction.atomic():
            addressee = Addressee.objects.create(
                declaration=declaration, kind=kind, country_id=code or None, name=name,
                contact=contact, language=language,
            )  # fmt: skip
            log_event(
                "declaration.addressee_added", declaration, actor=user, addressee=addressee.pk
            )
    except IntegrityError:
        raise Refused(
            _("This government is already an addressee."), code="already_addressed"
        ) from None
    return addressee


def record_delivery(
    user: User, addressee: Addressee, *, delivered_on, channel: str, letter: str = ""
) -> Delivery:
    _require(user, addressee.declaration)
    errors = checks.Errors()
    day = checks.iso_date(errors, "delivered_on", delivered_on, required=True)
    channel = checks.choice(errors, "channel", channel, Delivery.Channel)
    letter = checks.text(errors, "letter", letter, limit=TEXT_MAX, plain=False)
    errors.raise_if_any()
    assert day is not None  # a missing date was refused above
    with transaction.atomic():
        delivery = Delivery.objects.create(
            addressee=addressee, delivered_on=day, channel=channel, letter=letter,
            recorded_by=user,
        )  # fmt: skip
        log_event(
            "declaration.delivered", addressee.declaration, actor=user, addressee=addressee.pk
        )
    return delivery


def check_document(errors: checks.Errors, upload) -> tuple[ContentFile, str] | None:
    """A response's document: a clean PDF within the upload limit, kept as it is."""
    if upload is None:
        return None
    name = (getattr(upload, "name", "") or "response")[-200:]
    if upload.size > settings.MAX_UPLOAD_BYTES:
        errors.add("document", _("The file is too large."))
        return None
    upload.seek(0)
    data = upload.read(settings.MAX_UPLOAD_BYTES + 1)
    if not is_clean_pdf(data):
        errors.add("document", _("%(name)s is not a PDF.") % {"name": name})
        return None
    return ContentFile(data), download_name(name, PDF)


def _pledges(errors: checks.Errors, pledges) -> list[tuple[str, date]]:
    clean = []
    for index, pledge in enumerate(pledges or []):
        text = checks.text(errors, f"pledges.{index}.text", pledge.get("text"), limit=TEXT_MAX,
                           required=True, plain=False)  # fmt: skip
        deadline = checks.iso_date(
            errors, f"pledges.{index}.deadline", pledge.get("deadline"), required=True
        )
        if text and deadline:
            clean.append((text, deadline))
    return clean


def record_response(
    user: User,
    addressee: Addressee,
    *,
    received_on,
    source: str,
    text: str = "",
    language: str = "en",
    summary: str = "",
    document=None,
    pledges=(),
) -> Response:
    """`pledges`: [{"text": ..., "deadline": date or "YYYY-MM-DD"}], each with a deadline."""
    _require(user, addressee.declaration)
    errors = checks.Errors()
    day = checks.iso_date(errors, "received_on", received_on, required=True)
    source = checks.text(
        errors, "source", source, limit=NAME_MAX, required=True,
        required_message_text=_("Say who responded."),
    )  # fmt: skip
    text = checks.text(errors, "text", text, limit=TEXT_MAX, plain=False)
    summary = checks.text(errors, "summary", summary, limit=SUMMARY_MAX, plain=False)
    language = _language(errors, language)
    checked = check_document(errors, document)
    if not text and checked is None and "document" not in errors:
        errors.add("text", _("Give the response's text or its document."))
    clean_pledges = _pledges(errors, pledges)
    errors.raise_if_any()
    assert day is not None  # a missing date was refused above
    with transaction.atomic():
        response = Response(
            addressee=addressee, received_on=day, source=source, text=text, language=language,
            summary=summary, recorded_by=user,
        )  # fmt: skip
        if checked is not None:
            content, response.document_name = checked
            response.document_type = PDF
            response.document.save(stored_name(PDF), content, save=False)
        response.save()
        Pledge.objects.bulk_create(
            Pledge(response=response, text=t, deadline=d) for t, d in clean_pledges
        )
        log_event("declaration.response_recorded", addressee.declaration, actor=user,
                  response=response.pk)  # fmt: skip
    return response


def mark_pledge_met(user: User, pledge: Pledge, *, met_on) -> Pledge:
    _require(user, pledge.response.addressee.declaration)
    errors = checks.Errors()
    day = checks.iso_date(errors, "met_on", met_on, required=True)
    errors.raise_if_any()
    pledge.met_on = day
    pledge.save(update_fields=["met_on"])
    log_event("declaration.pledge_met", pledge.response.addressee.declaration, actor=user,
              pledge=pledge.pk)  # fmt: skip
    return pledge


def publish_response(user: User, response: Response) -> Response:
    """Show the response on the declaration's page and tell the signers who asked to be
    kept informed (once, whenever it is published)."""
    declaration = response.addressee.declaration
    _require(user, declaration)
    if declaration.status == Declaration.Status.DRAFT:
        raise Refused(_("A draft's responses cannot be published."), code="draft")
    with transaction.atomic():
        locked = Response.objects.select_for_update().get(pk=response.pk)
        if locked.published_at is None:
            locked.published_at = timezone.now()
            locked.save(update_fields=["published_at"])
            log_event("declaration.response_published", declaration, actor=user,
                      response=locked.pk)  # fmt: skip
            transaction.on_commit(lambda: notices.notify_signers.enqueue(locked.pk))
    return locked
