"""Writing a mailing and its audiences: every check before anything is stored."""

from dataclasses import dataclass, field

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils.translation import gettext as _

from concord.core import audit, checks
from concord.core.errors import wrong_state
from concord.countries import checks as country_checks
from concord.declarations.models import Declaration
from concord.events.models import Event, Registration
from concord.mailings import bodies, permissions
from concord.mailings.audiences import ROLES
from concord.mailings.models import BODY_MAX, SUBJECT_MAX, Audience, Mailing, MailingText
from concord.organisations.models import Organisation


@dataclass
class Text:
    language: str
    subject: str
    body: str


@dataclass
class MailingInput:
    texts: list[Text]
    sender_name: str
    original_language: str
    reply_to: str = ""
    topic: str = "news"
    public: bool = False
    audiences: list[int] = field(default_factory=list)
    organisation: int | None = None


def _languages() -> set[str]:
    return {code for code, _name in settings.LANGUAGES}


def check_mailing(
    user, data: MailingInput
) -> tuple[list[Text], list[Audience], Organisation | None]:
    errors = checks.Errors()
    checks.text(errors, "sender_name", data.sender_name, limit=100, required=True)
    if data.reply_to:
        checks.text(errors, "reply_to", data.reply_to, limit=254)
        if "@" not in data.reply_to:
            errors.add("reply_to", checks.required_message())
    checks.choice(errors, "topic", data.topic, Mailing.Topic.values)
    texts, seen = [], set()
    for text in data.texts:
        if not (text.subject or "").strip() and not (text.body or "").strip():
            continue
        if text.language not in _languages() or text.language in seen:
            errors.add("texts", checks.required_message())
            continue
        seen.add(text.language)
        subject = checks.text(
            errors, f"subject_{text.language}", text.subject, limit=SUBJECT_MAX, required=True
        )
        body = checks.text(
            errors, f"body_{text.language}", text.body, limit=BODY_MAX, required=True, plain=False
        )
        for problem in bodies.problems(body) if body else []:
            errors.add(f"body_{text.language}", problem)
        texts.append(Text(text.language, subject, body))
    if not texts:
        errors.add("texts", _no_text())
    elif data.original_language not in seen:
        errors.add("original_language", _original_missing())
    organisation = None
    if data.organisation is not None:
        organisation = Organisation.objects.filter(pk=data.organisation).first()
        if organisation is None or organisation not in permissions.admin_organisations(user):
            errors.add("organisation", checks.required_message())
    found = list(Audience.objects.filter(pk__in=data.audiences))
    if len(found) != len(set(data.audiences)):
        errors.add("audiences", _unknown_audience())
    errors.raise_if_any()
    if any(not permissions.can_use_audience(user, audience) for audience in found):
        raise PermissionDenied
    return texts, found, organisation


def _no_text() -> str:
    return _("Write the subject and message in at least one language.")


def _original_missing() -> str:
    return _("The original language must be one of the versions written.")


def _unknown_audience() -> str:
    return _("Unknown audience.")


def save_mailing(user, data: MailingInput, mailing: Mailing | None = None) -> Mailing:
    """Create a draft, or replace a draft's fields, texts and audiences."""
    if not permissions.can_write_mailings(user) or (
        mailing is not None and not permissions.can_manage(user, mailing)
    ):
        raise PermissionDenied
    if mailing is not None and not mailing.is_editable:
        raise wrong_state(_not_editable())
    texts, audiences, organisation = check_mailing(user, data)
    with transaction.atomic():
        if mailing is None:
            mailing = Mailing(created_by=user, organisation=organisation)
        mailing.sender_name = data.sender_name.strip()
        mailing.reply_to = data.reply_to.strip()
        mailing.topic = data.topic
        mailing.public = data.public
        mailing.original_language = data.original_language
        mailing.save()
        mailing.texts.all().delete()
        MailingText.objects.bulk_create(
            MailingText(mailing=mailing, language=t.language, subject=t.subject, body=t.body)
            for t in texts
        )
        mailing.audiences.set(audiences)
        audit.log_event("mailing.saved", mailing, user, languages=[t.language for t in texts])
    return mailing


def _not_editable() -> str:
    return _("This mailing is being sent or was sent: it can no longer be changed.")


@dataclass
class AudienceInput:
    name: str
    kind: str
    countries: list[str] = field(default_factory=list)
    regions: list[str] = field(default_factory=list)
    groups: list[str] = field(default_factory=list)
    themes: list[str] = field(default_factory=list)
    sdgs: list[int] = field(default_factory=list)
    role: str = "all"
    declaration: int | None = None
    event: int | None = None
    statuses: list[str] = field(default_factory=list)
    organisation: int | None = None


def save_audience(user, data: AudienceInput) -> Audience:
    errors = checks.Errors()
    name = checks.text(errors, "name", data.name, limit=120, required=True)
    kind = checks.choice(errors, "kind", data.kind, Audience.Kind.values)
    filters: dict = {}
    if kind == Audience.Kind.REPRESENTATIVES:
        filters = {
            "countries": country_checks.countries(errors, "countries", data.countries),
            "regions": country_checks.regions(errors, "regions", data.regions),
            "groups": country_checks.groups(errors, "groups", data.groups),
            "themes": [t.slug for t in checks.themes(errors, "themes", data.themes)],
            "sdgs": [s.number for s in checks.sdgs(errors, "sdgs", data.sdgs)],
            "role": checks.choice(errors, "role", data.role or "all", ROLES),
        }
    elif kind == Audience.Kind.SIGNATORIES:
        if data.declaration is None or not Declaration.objects.filter(pk=data.declaration).exists():
            errors.add("declaration", checks.required_message())
        filters = {"declaration": data.declaration}
    elif kind == Audience.Kind.PARTICIPANTS:
        if data.event is None or not Event.objects.filter(pk=data.event).exists():
            errors.add("event", checks.required_message())
        statuses = sorted(set(data.statuses or [Registration.Status.CONFIRMED]))
        if any(status not in Registration.Status.values for status in statuses):
            errors.add("statuses", checks.required_message())
        filters = {"event": data.event, "statuses": statuses}
    organisation = None
    if data.organisation is not None:
        organisation = Organisation.objects.filter(pk=data.organisation).first()
        if organisation is None:
            errors.add("organisation", checks.required_message())
    errors.raise_if_any()
    if not permissions.can_define_audience(user, kind, organisation, filters):
        raise PermissionDenied
    with transaction.atomic():
        audience = Audience.objects.create(
            name=name, kind=kind, filters=filters, organisation=organisation, created_by=user
        )
        audit.log_event("mailing.audience_saved", audience, user, kind=kind)
    return audience
