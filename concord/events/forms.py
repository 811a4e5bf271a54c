"""Page forms for events: they shape input; the services decide what is allowed."""

from zoneinfo import available_timezones

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from concord.core import bidi
from concord.core.collation import Collated
from concord.core.models import Theme
from concord.countries.forms import localised_country_choices
from concord.events.models import Event, Question, Registration
from concord.events.zones import zone_choices
from concord.organisations.models import Organisation

DATETIME_LOCAL = "%Y-%m-%dT%H:%M"
LOCAL_HELP = _("Local time at the venue, in the event's time zone.")


class LocalDateTimeField(forms.DateTimeField):
    """A `datetime-local` input kept as a wall-clock time (naive): the service reads it in
    the event's time zone and refuses times that daylight saving skips or repeats."""

    widget = forms.DateTimeInput(attrs={"type": "datetime-local"}, format=DATETIME_LOCAL)
    input_formats = [DATETIME_LOCAL, "%Y-%m-%dT%H:%M:%S", "%Y-%m-%d %H:%M"]

    def __init__(self, **kwargs):
        kwargs.setdefault("help_text", LOCAL_HELP)
        super().__init__(**kwargs)

    def to_python(self, value):
        result = super().to_python(value)
        # Django makes the value aware in the current zone; keep the wall-clock time.
        return result.replace(tzinfo=None) if result is not None else None


class ZoneField(forms.ChoiceField):
    """A time-zone picker: it lists the current zones, but takes any IANA name, as the
    service does, so an event stored with an old alias can still be saved unchanged."""

    def valid_value(self, value) -> bool:
        return value in available_timezones()

    def offer(self, *first: str, blank: str | None = None) -> None:
        """List the zones, `first` (the current choice, the venue's) and UTC on top."""
        choices = zone_choices(first)
        self.choices = [("", blank), *choices] if blank is not None else choices


def _chosen(form: forms.Form, name: str) -> str:
    """The zone the form shows selected: the one posted, else the initial one."""
    value = form.data.get(name) if form.is_bound else None
    return str(value or form.initial.get(name) or "")


def language_choices() -> list[tuple[str, str]]:
    return list(settings.LANGUAGES)


class EventForm(forms.Form):
    slug = forms.SlugField(
        label=_("Short name"),
        max_length=80,
        help_text=_("Used in the address, e.g. “ngo-forum-2026”."),
    )
    title = forms.CharField(label=_("Title"), max_length=200)
    description = forms.CharField(
        label=_("Description"), required=False, widget=forms.Textarea(attrs={"rows": 6})
    )
    kind = forms.ChoiceField(label=_("Kind"), choices=Event.Kind.choices)
    format = forms.ChoiceField(label=_("Format"), choices=Event.Format.choices)
    time_zone = ZoneField(label=_("Time zone of the venue"), initial="UTC")
    starts_at = LocalDateTimeField(label=_("Starts at"))
    ends_at = LocalDateTimeField(label=_("Ends at"))
    venue = forms.CharField(label=_("Venue"), required=False, max_length=200)
    city = forms.CharField(label=_("City"), required=False, max_length=100)
    country = forms.ChoiceField(label=_("Country"), required=False)
    online_link = forms.URLField(
        label=_("Online link"),
        required=False,
        max_length=500,
        assume_scheme="https",
        help_text=_("Shown only to registered participants."),
    )
    languages = forms.MultipleChoiceField(
        label=_("Languages of the event"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        choices=language_choices,
    )
    capacity = forms.IntegerField(
        label=_("Capacity"),
        required=False,
        min_value=1,
        help_text=_("Leave empty for no limit. When full, people join a waiting list."),
    )
    registration_opens_at = LocalDateTimeField(label=_("Registration opens at"), required=False)
    registration_closes_at = LocalDateTimeField(
        label=_("Registration closes at"),
        required=False,
        help_text=_("Local time at the venue. If empty, registration closes when the event ends."),
    )
    approval = forms.ChoiceField(
        label=_("Approval of registrations"), choices=Event.Approval.choices
    )
    organisations = forms.MultipleChoiceField(
        label=_("Organising organisations"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args, organisations=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["time_zone"].offer(_chosen(self, "time_zone"))  # type: ignore[attr-defined]
        self.fields["country"].choices = localised_country_choices(blank="—")  # type: ignore[attr-defined]
        self.fields["organisations"].choices = [(str(o.pk), o.name) for o in organisations]  # type: ignore[attr-defined]


class SessionForm(forms.Form):
    title = forms.CharField(label=_("Session title"), max_length=200)
    starts_at = LocalDateTimeField(label=_("Starts at"))
    ends_at = LocalDateTimeField(label=_("Ends at"))
    room = forms.CharField(label=_("Room"), required=False, max_length=100)
    link = forms.URLField(
        label=_("Online link"), required=False, max_length=500, assume_scheme="https"
    )
    speakers = forms.CharField(label=_("Speakers"), required=False, max_length=500)
    speaker_organisations = forms.ModelMultipleChoiceField(
        label=_("Speaking organisations"),
        required=False,
        queryset=Organisation.objects.filter(status=Organisation.Status.MEMBER).order_by(
            Collated("name"), "pk"
        ),
        help_text=_("Member organisations that speak in this session."),
    )
    topics = forms.ModelMultipleChoiceField(
        label=_("Topics"),
        required=False,
        queryset=Theme.objects.all(),
        widget=forms.CheckboxSelectMultiple,
    )


class QuestionForm(forms.Form):
    label = forms.CharField(label=_("Question"), max_length=200)
    kind = forms.ChoiceField(label=_("Kind of answer"), choices=Question.Kind.choices)
    choices = forms.CharField(
        label=_("Choices"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("For a choice question: one choice per line."),
        max_length=5000,
    )
    required = forms.BooleanField(label=_("An answer is required"), required=False)


class RegistrationForm(forms.Form):
    """Registration, with one field per custom question of the event (`question_<id>`)."""

    country = forms.ChoiceField(label=_("Country"))
    organisation = forms.TypedChoiceField(
        label=_("Registering for"), required=False, coerce=int, empty_value=None
    )
    listed = forms.BooleanField(
        label=_("Show my name and organisation in the public list of participants"),
        required=False,
    )

    def __init__(self, *args, event: Event, organisations=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["country"].choices = localised_country_choices(blank="—")  # type: ignore[attr-defined]
        self.fields["organisation"].choices = [  # type: ignore[attr-defined]
            ("", _("Myself")),
            *((o.pk, o.name) for o in organisations),
        ]
        for question in event.questions.all():
            name = f"question_{question.pk}"
            # Required answers are checked by the service, which names the question.
            if question.kind == Question.Kind.CHOICE:
                self.fields[name] = forms.ChoiceField(
                    label=question.label,
                    required=False,
                    choices=[("", "—"), *((c, c) for c in question.choices)],
                )
            elif question.kind == Question.Kind.YES_NO:
                self.fields[name] = forms.ChoiceField(
                    label=question.label,
                    required=False,
                    widget=forms.RadioSelect,
                    choices=[("yes", _("Yes")), ("no", _("No"))],
                )
            else:
                self.fields[name] = forms.CharField(
                    label=question.label, required=False, max_length=1000
                )
            if question.required:
                self.fields[name].widget.attrs["aria-required"] = "true"
                self.fields[name].label = f"{question.label} *"

    def answers(self) -> dict[str, object]:
        return {
            name.removeprefix("question_"): value
            for name, value in self.cleaned_data.items()
            if name.startswith("question_")
        }

    @staticmethod
    def initial_for(registration: Registration) -> dict:
        initial: dict = {
            "country": registration.country_id,
            "organisation": registration.organisation_id,
            "listed": registration.listed,
        }
        for key, value in registration.answers.items():
            initial[f"question_{key}"] = {True: "yes", False: "no"}.get(value, value)  # type: ignore[call-overload]
        return initial


class RegistrationFilterForm(forms.Form):
    status = forms.ChoiceField(
        label=_("Status"), required=False, choices=[("", _("All")), *Registration.Status.choices]
    )
    country = forms.ChoiceField(label=_("Country"), required=False)
    checked_in = forms.ChoiceField(
        label=_("Checked in"),
        required=False,
        choices=[("", _("All")), ("yes", _("Yes")), ("no", _("No"))],
    )
    search = forms.CharField(label=_("Name or email"), required=False, max_length=100)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["country"].choices = localised_country_choices(blank=_("All"))  # type: ignore[attr-defined]


class MessageForm(forms.Form):
    subject = forms.CharField(label=_("Subject"), max_length=200)
    body = forms.CharField(
        label=_("Message"), max_length=20_000, widget=forms.Textarea(attrs={"rows": 8})
    )


# The example in the code field's help: the shape of `services.checkin.badge_code`.
EXAMPLE_BADGE_CODE = "C12-0A1B2C3D4E5F6071"


class CheckInForm(forms.Form):
    code = forms.CharField(
        label=_("Badge code"),
        max_length=60,
        # The example is a left-to-right piece of the sentence, so it is neither reordered
        # nor broken at its hyphen on an Arabic page.
        help_text=bidi.fill_lazy(
            _("As printed under the QR code, e.g. %(code)s."),
            {"code": bidi.ltr(EXAMPLE_BADGE_CODE)},
        ),
        widget=forms.TextInput(
            attrs={"autocomplete": "off", "autocapitalize": "characters", "dir": "ltr"}
        ),
    )
    door = forms.CharField(label=_("Door"), required=False, max_length=50)


class TimeZoneForm(forms.Form):
    time_zone = ZoneField(label=_("Show times also in"), required=False)
    next = forms.CharField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args, venue_zone: str = "", **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["time_zone"].offer(_chosen(self, "time_zone"), venue_zone, blank="—")  # type: ignore[attr-defined]
