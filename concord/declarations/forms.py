"""Page forms for declarations: they shape input; the services decide what is allowed."""

import re
import time
from datetime import UTC

from django import forms
from django.conf import settings
from django.core import signing
from django.utils import timezone
from django.utils.functional import lazy
from django.utils.translation import gettext_lazy as _

from concord.core.checks import length_message
from concord.core.csv import decode
from concord.core.imports import ImportRefused
from concord.core.numbers import file_size
from concord.countries.forms import localised_country_choices
from concord.declarations.models import TEXT_MAX, TITLE_MAX, Declaration, Signature
from concord.declarations.services import attribution
from concord.declarations.services.review import SignatureFilter
from concord.declarations.services.signing import KEEP_INFORMED, SignatureInput
from concord.events.eligibility import event_field

# Declarations may also be written in a language of the interface's family that it names
# differently: Chinese texts are stored as "zh" (a "zh-hans" reader gets them, `text_for`).
EXTRA_LANGUAGES = [("zh", "中文")]
DATETIME_LOCAL = "%Y-%m-%dT%H:%M"
UTC_HELP = _("Date and time in UTC (Coordinated Universal Time), not your local time.")


def language_choices() -> list[tuple[str, str]]:
    interface = [(code, name) for code, name in settings.LANGUAGES if code != "zh-hans"]
    return [*interface, *EXTRA_LANGUAGES]


def title_field() -> forms.CharField:
    """A language version's title: the model's limit, and the services' message past it."""
    return forms.CharField(
        label=_("Title"),
        max_length=TITLE_MAX,
        error_messages={"max_length": lazy(length_message, str)(TITLE_MAX)},
    )


def text_field(rows: int) -> forms.CharField:
    return forms.CharField(
        label=_("Text"),
        max_length=TEXT_MAX,
        widget=forms.Textarea(attrs={"rows": rows}),
        error_messages={"max_length": lazy(length_message, str)(TEXT_MAX)},
    )


class UTCDateTimeField(forms.DateTimeField):
    """A `datetime-local` input read and shown in UTC, whatever the server's time zone."""

    widget = forms.DateTimeInput(attrs={"type": "datetime-local"}, format=DATETIME_LOCAL)
    input_formats = [DATETIME_LOCAL, "%Y-%m-%dT%H:%M:%S", "%Y-%m-%d %H:%M", "%Y-%m-%d"]

    def __init__(self, **kwargs):
        kwargs.setdefault("help_text", UTC_HELP)
        super().__init__(**kwargs)

    def to_python(self, value):
        with timezone.override(UTC):
            return super().to_python(value)

    def prepare_value(self, value):
        with timezone.override(UTC):
            return super().prepare_value(value)


class DeclarationForm(forms.Form):
    slug = forms.SlugField(
        label=_("Short name"),
        max_length=80,
        help_text=_("Used in the address, e.g. “baku-call”: lower-case letters, digits, hyphens."),
    )
    title = title_field()
    text = text_field(rows=12)
    language = forms.ChoiceField(label=_("Language of this text"), initial="en")
    opens_at = UTCDateTimeField(label=_("Opens at"), required=False)
    closes_at = UTCDateTimeField(label=_("Closes at"), required=False)
    eligibility = forms.ChoiceField(
        label=_("Who may sign"),
        choices=Declaration.Eligibility.choices,
        initial=Declaration.Eligibility.ANYONE,
    )
    goal_signatures = forms.IntegerField(label=_("Goal: signatures"), required=False, min_value=1)
    goal_countries = forms.IntegerField(
        label=_("Goal: countries"), required=False, min_value=1, max_value=249
    )
    adopted_at = forms.CharField(
        label=_("Adopted at or by"),
        required=False,
        max_length=200,
        help_text=_("An event or a body, e.g. “Civil society forum, Baku, November 2024”."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["language"].choices = language_choices()
        # Required for the participants' rules: the service says so (services.lifecycle).
        self.fields["event"] = event_field()


class TextForm(forms.Form):
    language = forms.ChoiceField(label=_("Language"))
    title = title_field()
    text = text_field(rows=10)

    def __init__(self, *args, languages: list[tuple[str, str]] | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["language"].choices = languages or language_choices()  # type: ignore[attr-defined]


class InviteesForm(forms.Form):
    emails = forms.CharField(
        label=_("Email addresses to invite"),
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("One per line, or separated by commas."),
        max_length=500_000,
    )

    def addresses(self) -> list[str]:
        return [a for a in re.split(r"[\s,;]+", self.cleaned_data["emails"]) if a]


class ViaField(forms.Field):
    """The share link's organisation (`?via=`): never an error, whatever it holds (not even
    the NUL a CharField refuses); a value that names no member is ignored, so the signer's
    answer is the same (services/attribution.py)."""

    widget = forms.HiddenInput

    def clean(self, value) -> str:
        return attribution.clean_via(value)


class SignForm(forms.Form):
    name = forms.CharField(label=_("Your name"), max_length=150)
    email = forms.EmailField(
        label=_("Your email address"),
        max_length=254,
        help_text=_("We send you a link to confirm your signature. Your email is never shown."),
    )
    country = forms.ChoiceField(label=_("Country"))
    kind = forms.ChoiceField(
        label=_("I sign"),
        widget=forms.RadioSelect,
        choices=[
            (Signature.Kind.INDIVIDUAL, _("As an individual")),
            (Signature.Kind.ORGANISATION, _("On behalf of an organisation")),
        ],
        initial=Signature.Kind.INDIVIDUAL,
    )
    organisation_id = forms.TypedChoiceField(
        label=_("Member organisation"), required=False, coerce=int, empty_value=None
    )
    organisation = forms.CharField(
        label=_("Organisation"),
        required=False,
        max_length=200,
        help_text=_("Required when you sign on behalf of an organisation."),
    )
    role = forms.CharField(label=_("Your role or position"), required=False, max_length=120)
    show_name = forms.BooleanField(
        label=_("Show my name in the public list of signatories"),
        required=False,
        initial=True,
        help_text=_("Your email is never shown."),
    )
    keep_informed = forms.BooleanField(label=KEEP_INFORMED, required=False, initial=False)
    language = forms.CharField(widget=forms.HiddenInput, required=False, max_length=10)
    started = forms.CharField(widget=forms.HiddenInput, required=False, max_length=200)
    via = ViaField()
    # A field people do not see (hidden by the .hp class) and bots fill in.
    website = forms.CharField(
        label=_("Leave this empty"),
        required=False,
        max_length=200,
        widget=forms.TextInput(attrs={"tabindex": "-1", "autocomplete": "off"}),
    )

    def __init__(self, *args, organisations=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["country"].choices = localised_country_choices(blank="")
        organisations = list(organisations)
        if organisations:
            self.fields["organisation_id"].choices = [("", _("Another organisation"))] + [
                (organisation.pk, organisation.name) for organisation in organisations
            ]
            self.fields["organisation"].help_text = _(
                "If you sign for an organisation that is not in the list above."
            )
        else:
            del self.fields["organisation_id"]
        if not self.is_bound:
            self.initial.setdefault("started", signing.dumps(time.time()))

    def started_at(self) -> float | None:
        """When the form was shown. A missing or forged value counts as "just now" (so the
        signature is flagged as fast); one older than a day as unknown."""
        try:
            return float(signing.loads(self.cleaned_data.get("started") or "", max_age=86400))
        except signing.SignatureExpired:
            return None
        except (signing.BadSignature, TypeError, ValueError):
            return time.time()

    def signature_input(self) -> SignatureInput:
        data = self.cleaned_data
        return SignatureInput(
            name=data["name"],
            email=data["email"],
            country=data["country"],
            kind=data["kind"],
            organisation=data["organisation"],
            organisation_id=data.get("organisation_id"),
            role=data["role"],
            show_name=data["show_name"],
            language=data["language"],
            via=data["via"],
            keep_informed=bool(data.get("keep_informed")),
        )


class OutcomeForm(forms.Form):
    """Link a declaration to the event it was adopted at (posted from the event's page)."""

    declaration = forms.SlugField(label=_("Short name of the declaration"), max_length=80)


class ResendForm(forms.Form):
    email = forms.CharField(label=_("Your email address"), max_length=254)


class SignatoryFilterForm(forms.Form):
    q = forms.CharField(label=_("Name or organisation"), required=False, max_length=200)
    country = forms.ChoiceField(label=_("Country"), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["country"].choices = localised_country_choices(blank=str(_("All")))


FLAG_CHOICES = [
    ("", _("Any")),
    ("honeypot", _("Filled the hidden field (honeypot)")),
    ("fast", _("Sent too fast")),
    ("busy-network", _("Busy network")),
    # A form kept offline whose device's clock was far from the server's (services/flags.py).
    ("device-clock", _("Device clock far off")),
]


class ReviewFilterForm(forms.Form):
    domain = forms.CharField(
        label=_("Email domain"), required=False, max_length=200, help_text=_("e.g. example.org")
    )
    network = forms.CharField(
        label=_("Network"), required=False, max_length=50, help_text=_("e.g. 198.51.100.0/24")
    )
    since = UTCDateTimeField(label=_("Since"), required=False)
    until = UTCDateTimeField(label=_("Until"), required=False)
    flag = forms.ChoiceField(label=_("Flag"), required=False, choices=FLAG_CHOICES)

    def selection(self) -> SignatureFilter:
        data = self.cleaned_data
        return SignatureFilter(
            domain=data.get("domain") or "",
            network=data.get("network") or "",
            since=data.get("since"),
            until=data.get("until"),
            flag=data.get("flag") or "",
        )


class InvalidateForm(ReviewFilterForm):
    reason = forms.CharField(
        label=_("Reason"),
        max_length=500,
        help_text=_(
            "Kept in the audit trail, e.g. “a burst of signatures from a throwaway domain”."
        ),
    )


class ImportForm(forms.Form):
    file = forms.FileField(
        label=_("CSV file"),
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,text/csv"}),
        help_text=_("UTF-8 text; in a spreadsheet, save as “CSV UTF-8”."),
    )
    collected_by = forms.CharField(
        label=_("Collected by"),
        max_length=200,
        help_text=_("Who collected these signatures, e.g. “Secretariat desk, Baku forum”."),
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE
        if limit and upload.size > limit:
            raise forms.ValidationError(
                _("The file is too large: at most %(size)s.") % {"size": file_size(limit)}
            )
        try:
            return decode(upload.read())
        except ImportRefused as refusal:
            raise forms.ValidationError(str(refusal)) from None
