"""Page forms for case studies: they shape input; the services decide what is allowed."""

from django import forms
from django.utils.translation import gettext_lazy as _

from concord.core.models import Sdg, Theme
from concord.countries.forms import (
    localised_country_choices,
    localised_group_choices,
    localised_region_choices,
)
from concord.knowledge.models import LANGUAGES, Practice
from concord.knowledge.queries import MAX_QUERY_CHARS

BLOCK_SLOTS = 3
BLOCK_FIELDS = ("title", "description", "enabling_factors", "lessons")


class PracticeForm(forms.Form):
    organisation = forms.TypedChoiceField(label=_("Organisation"), coerce=int)
    title = forms.CharField(label=_("Title"), max_length=200)
    summary = forms.CharField(
        label=_("Summary"),
        max_length=1500,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("One paragraph: what was done, where, with whom, and what changed."),
    )
    language = forms.ChoiceField(label=_("Language of the text"), choices=LANGUAGES)
    setting = forms.ChoiceField(label=_("Setting"), choices=Practice.Setting.choices)
    countries = forms.MultipleChoiceField(
        label=_("Countries"), widget=forms.SelectMultiple(attrs={"size": 6})
    )
    challenges = forms.CharField(
        label=_("Challenges addressed"), required=False, max_length=4000,
        widget=forms.Textarea(attrs={"rows": 4}),
    )  # fmt: skip
    beneficiaries = forms.CharField(
        label=_("Beneficiaries"), required=False, max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )  # fmt: skip
    impacts = forms.CharField(
        label=_("Impacts"), required=False, max_length=4000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("With numbers where there are numbers, e.g. “340 ha restored”."),
    )  # fmt: skip
    themes = forms.MultipleChoiceField(
        label=_("Themes"), widget=forms.CheckboxSelectMultiple(attrs={"class": "checkbox-list"})
    )
    sdgs = forms.TypedMultipleChoiceField(
        label=_("SDGs"), required=False, coerce=int,
        widget=forms.CheckboxSelectMultiple(attrs={"class": "checkbox-list"}),
    )  # fmt: skip
    adaptation = forms.ChoiceField(
        label=_("Adaptation relevance"), required=False, choices=Practice.Relevance.choices
    )
    mitigation = forms.ChoiceField(
        label=_("Mitigation relevance"), required=False, choices=Practice.Relevance.choices
    )

    def __init__(self, *args, organisations=None, instance: Practice | None = None, **kwargs):
        if instance is not None and not kwargs.get("initial"):
            kwargs["initial"] = initial_from(instance)
        super().__init__(*args, **kwargs)
        self.instance = instance
        if instance is not None:
            del self.fields["organisation"]
        else:
            self.fields["organisation"].choices = [(o.pk, o.name) for o in organisations or []]
        self.fields["countries"].choices = localised_country_choices()
        self.fields["themes"].choices = [(t.slug, str(t)) for t in Theme.objects.all()]
        self.fields["sdgs"].choices = [(s.number, str(s)) for s in Sdg.objects.all()]
        for slot in range(1, BLOCK_SLOTS + 1):
            self.fields[f"block_{slot}_title"] = forms.CharField(
                label=_("Building block %(number)s") % {"number": slot},
                required=False,
                max_length=200,
            )
            self.fields[f"block_{slot}_description"] = forms.CharField(
                label=_("What it is"), required=False, max_length=3000,
                widget=forms.Textarea(attrs={"rows": 2}),
            )  # fmt: skip
            self.fields[f"block_{slot}_enabling_factors"] = forms.CharField(
                label=_("Enabling factors"), required=False, max_length=2000,
                widget=forms.Textarea(attrs={"rows": 2}),
            )  # fmt: skip
            self.fields[f"block_{slot}_lessons"] = forms.CharField(
                label=_("Lessons learned"), required=False, max_length=2000,
                widget=forms.Textarea(attrs={"rows": 2}),
            )  # fmt: skip

    def main_fields(self):
        return [f for f in self if not f.name.startswith("block_")]

    def block_fieldsets(self):
        return [
            [self[f"block_{slot}_{name}"] for name in BLOCK_FIELDS]
            for slot in range(1, BLOCK_SLOTS + 1)
        ]

    def service_data(self) -> dict:
        data = {k: v for k, v in self.cleaned_data.items() if not k.startswith("block_")}
        data.pop("organisation", None)
        data["blocks"] = [
            {name: self.cleaned_data.get(f"block_{slot}_{name}", "") for name in BLOCK_FIELDS}
            for slot in range(1, BLOCK_SLOTS + 1)
        ]
        if self.instance is not None:
            # Blocks beyond the form's slots are kept as they are.
            data["blocks"] += [
                {name: getattr(b, name) for name in BLOCK_FIELDS}
                for b in list(self.instance.blocks.all())[BLOCK_SLOTS:]
            ]
        return data


def initial_from(practice: Practice) -> dict:
    initial = {
        name: getattr(practice, name)
        for name in (
            "title", "summary", "language", "setting", "challenges", "beneficiaries",
            "impacts", "adaptation", "mitigation",
        )
    }  # fmt: skip
    initial["countries"] = [c.code for c in practice.countries.all()]
    initial["themes"] = [t.slug for t in practice.themes.all()]
    initial["sdgs"] = [s.number for s in practice.sdgs.all()]
    for slot, block in enumerate(list(practice.blocks.all())[:BLOCK_SLOTS], start=1):
        for name in BLOCK_FIELDS:
            initial[f"block_{slot}_{name}"] = getattr(block, name)
    return initial


class SearchForm(forms.Form):
    q = forms.CharField(label=_("Search"), required=False, max_length=MAX_QUERY_CHARS)
    mode = forms.ChoiceField(
        label=_("Search by"),
        required=False,
        choices=[
            ("hybrid", _("Meaning and words")),
            ("semantic", _("Meaning (any language)")),
            ("fulltext", _("Exact words")),
        ],
    )
    theme = forms.ChoiceField(label=_("Theme"), required=False)
    sdg = forms.TypedChoiceField(label=_("SDG"), required=False, coerce=int, empty_value=None)
    region = forms.ChoiceField(label=_("Region"), required=False)
    country = forms.ChoiceField(label=_("Country"), required=False)
    group = forms.ChoiceField(label=_("Group"), required=False)
    language = forms.ChoiceField(label=_("Language"), required=False)
    setting = forms.ChoiceField(label=_("Setting"), required=False)
    sort = forms.ChoiceField(
        label=_("Sort by"),
        required=False,
        choices=[("relevance", _("Relevance")), ("newest", _("Newest")), ("title", _("Title"))],
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        everything = str(_("All"))
        self.fields["theme"].choices = [("", everything)] + [
            (t.slug, str(t)) for t in Theme.objects.all()
        ]
        self.fields["sdg"].choices = [("", everything)] + [
            (s.number, str(s)) for s in Sdg.objects.all()
        ]
        self.fields["region"].choices = localised_region_choices(blank=everything)
        self.fields["country"].choices = localised_country_choices(blank=everything)
        self.fields["group"].choices = localised_group_choices(blank=everything)
        self.fields["language"].choices = [("", everything), *LANGUAGES]
        self.fields["setting"].choices = [("", everything), *Practice.Setting.choices]


class ReviewForm(forms.Form):
    action = forms.ChoiceField(
        choices=[("publish", _("Publish")), ("return", _("Return with comments"))],
        widget=forms.HiddenInput,
    )
    comment = forms.CharField(
        label=_("Comments for the authors"),
        required=False,
        max_length=3000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Required when returning the case study."),
    )


class AdaptationForm(forms.Form):
    organisation = forms.TypedChoiceField(label=_("Your organisation"), coerce=int)
    country = forms.ChoiceField(label=_("Country where you adapted it"))
    place = forms.CharField(label=_("Place"), required=False, max_length=120)
    account = forms.CharField(
        label=_("What you did and what happened"),
        max_length=3000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args, organisations=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"].choices = [(o.pk, o.name) for o in organisations]
        self.fields["country"].choices = localised_country_choices(blank="")


class ContactForm(forms.Form):
    message = forms.CharField(
        label=_("Your message"),
        max_length=3000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Sent to the organisation's representatives with your name and email."),
    )


class TranslationForm(forms.Form):
    language = forms.ChoiceField(label=_("Language"), choices=LANGUAGES)
    title = forms.CharField(label=_("Title"), max_length=200)
    summary = forms.CharField(
        label=_("Summary"), max_length=1500, widget=forms.Textarea(attrs={"rows": 4})
    )
    body = forms.CharField(
        label=_("The rest of the case study"),
        required=False,
        max_length=12000,
        widget=forms.Textarea(attrs={"rows": 8}),
    )


class PhotoForm(forms.Form):
    image = forms.FileField(
        label=_("Photo"),
        help_text=_("PNG, JPEG, WebP or GIF, up to 5 MB. Location data is removed."),
        widget=forms.ClearableFileInput(
            attrs={"accept": "image/png,image/jpeg,image/webp,image/gif"}
        ),
    )
    caption = forms.CharField(label=_("Caption"), required=False, max_length=200)


class DocumentForm(forms.Form):
    file = forms.FileField(
        label=_("PDF document"),
        help_text=_("PDF only, up to 10 MB."),
        widget=forms.ClearableFileInput(attrs={"accept": "application/pdf"}),
    )
    title = forms.CharField(label=_("Document title"), max_length=200)
