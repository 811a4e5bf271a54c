"""The pages' forms: a mailing with one subject and body per language, an audience, sending."""

from django import forms
from django.conf import settings
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from concord.core.models import Sdg, Theme
from concord.countries.forms import (
    localised_country_choices,
    localised_group_choices,
    localised_region_choices,
)
from concord.declarations.models import Declaration
from concord.events.models import Event, Registration
from concord.mailings.audiences import ROLES
from concord.mailings.models import BODY_MAX, SUBJECT_MAX, Audience, Mailing
from concord.mailings.services.composing import AudienceInput, MailingInput, Text


def languages() -> list[tuple[str, str]]:
    """The interface's languages, each named in itself as in the language menu."""
    return list(settings.LANGUAGES)


class MailingForm(forms.Form):
    sender_name = forms.CharField(label=_("Sender name"), max_length=100)
    reply_to = forms.EmailField(label=_("Reply-to address"), required=False)
    topic = forms.ChoiceField(
        label=_("Topic"),
        choices=Mailing.Topic.choices,
        help_text=_("Readers who stopped this topic in their mail preferences are left out."),
    )
    audiences = forms.MultipleChoiceField(
        label=_("Audiences"),
        widget=forms.CheckboxSelectMultiple,
        help_text=_("The mailing goes to everyone in any of them, once."),
    )
    original_language = forms.ChoiceField(
        label=_("Original language"),
        help_text=_("Readers whose language has no version get this one."),
    )
    public = forms.BooleanField(label=_("Show in the public news archive"), required=False)

    def __init__(self, *args, audiences=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["audiences"].choices = [(str(a.pk), a.name) for a in audiences]
        self.fields["original_language"].choices = languages()
        for code, name in languages():
            self.fields[f"subject_{code}"] = forms.CharField(
                label=_("Subject (%(language)s)") % {"language": name},
                max_length=SUBJECT_MAX,
                required=False,
            )
            self.fields[f"body_{code}"] = forms.CharField(
                label=_("Message (%(language)s)") % {"language": name},
                max_length=BODY_MAX,
                required=False,
                widget=forms.Textarea(attrs={"rows": 8}),
                help_text=_("Markdown: **bold**, *italic*, [words](https://link), lists."),
            )

    def language_fields(self):
        return [
            (code, name, self[f"subject_{code}"], self[f"body_{code}"])
            for code, name in languages()
        ]

    def mailing_input(self) -> MailingInput:
        data = self.cleaned_data
        return MailingInput(
            texts=[
                Text(code, data.get(f"subject_{code}", ""), data.get(f"body_{code}", ""))
                for code, _name in languages()
            ],
            sender_name=data["sender_name"],
            reply_to=data["reply_to"],
            topic=data["topic"],
            original_language=data["original_language"],
            public=data["public"],
            audiences=[int(pk) for pk in data["audiences"]],
        )

    @staticmethod
    def initial_for(mailing: Mailing) -> dict:
        initial = {
            "sender_name": mailing.sender_name,
            "reply_to": mailing.reply_to,
            "topic": mailing.topic,
            "original_language": mailing.original_language,
            "public": mailing.public,
            "audiences": [str(pk) for pk in mailing.audiences.values_list("pk", flat=True)],
        }
        for text in mailing.texts.all():
            initial[f"subject_{text.language}"] = text.subject
            initial[f"body_{text.language}"] = text.body
        return initial


class AudienceForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=120)
    kind = forms.ChoiceField(label=_("Who"), choices=Audience.Kind.choices)
    groups = forms.MultipleChoiceField(label=_("Country groups"), required=False)
    regions = forms.MultipleChoiceField(label=_("Regions"), required=False)
    countries = forms.MultipleChoiceField(label=_("Countries"), required=False)
    themes = forms.MultipleChoiceField(label=_("Themes"), required=False)
    sdgs = forms.MultipleChoiceField(label=_("SDGs"), required=False)
    role = forms.ChoiceField(
        label=_("Representatives"),
        choices=[("all", _("All representatives")), ("admins", _("Organisation admins only"))],
        required=False,
    )
    declaration = forms.TypedChoiceField(
        label=_("Declaration (signatories who asked to be kept informed)"),
        coerce=int,
        required=False,
        empty_value=None,
    )
    event = forms.TypedChoiceField(
        label=_("Event (participants)"), coerce=int, required=False, empty_value=None
    )
    statuses = forms.MultipleChoiceField(
        label=_("Registration statuses"),
        choices=Registration.Status.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args, declarations=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["groups"].choices = localised_group_choices()
        self.fields["regions"].choices = localised_region_choices()
        self.fields["countries"].choices = localised_country_choices()
        self.fields["themes"].choices = [(t.slug, str(t)) for t in Theme.objects.all()]
        self.fields["sdgs"].choices = [(str(s.number), str(s)) for s in Sdg.objects.all()]
        if declarations is None:
            declarations = Declaration.objects.exclude(status=Declaration.Status.DRAFT)
        language = get_language()
        self.fields["declaration"].choices = [("", "—")] + [
            (d.pk, d.title_for(language)) for d in declarations.prefetch_related("texts")
        ]
        self.fields["event"].choices = [("", "—")] + [(e.pk, e.title) for e in Event.objects.all()]

    def audience_input(self, organisation: int | None = None) -> AudienceInput:
        data = self.cleaned_data
        return AudienceInput(
            name=data["name"],
            kind=data["kind"],
            countries=data["countries"],
            regions=data["regions"],
            groups=data["groups"],
            themes=data["themes"],
            sdgs=[int(n) for n in data["sdgs"]],
            role=data["role"] or ROLES[0],
            declaration=data["declaration"],
            event=data["event"],
            statuses=data["statuses"],
            organisation=organisation,
        )


class SendForm(forms.Form):
    send_at = forms.DateTimeField(
        label=_("Send at (UTC; leave empty to send now)"),
        required=False,
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}),
    )
    confirm = forms.BooleanField(label=_("Yes, send it to this many people"), required=False)
