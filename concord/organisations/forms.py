"""Page forms for organisations: they shape input; the services decide what is allowed."""

from django import forms
from django.utils.translation import gettext_lazy as _

from concord.core.models import Sdg, Theme
from concord.countries.forms import (
    localised_country_choices,
    localised_group_choices,
    localised_region_choices,
)
from concord.organisations.models import Organisation, Representative


class OrganisationForm(forms.ModelForm):
    country = forms.ChoiceField(label=_("Country"))
    website = forms.URLField(
        label=_("Website"), required=False, max_length=300, assume_scheme="https"
    )
    logo = forms.FileField(
        label=_("Logo"),
        required=False,
        help_text=_("PNG, JPEG, WebP or GIF, up to 2 MB. We store a resized copy."),
        widget=forms.ClearableFileInput(
            attrs={"accept": "image/png,image/jpeg,image/webp,image/gif"}
        ),
    )

    class Meta:
        model = Organisation
        fields = [
            "name", "acronym", "country", "city", "kind", "website", "description",
            "themes", "sdgs", "unfccc_observer", "year_founded",
        ]  # fmt: skip
        widgets = {
            "themes": forms.CheckboxSelectMultiple(attrs={"class": "checkbox-list"}),
            "sdgs": forms.CheckboxSelectMultiple(attrs={"class": "checkbox-list"}),
            "description": forms.Textarea(attrs={"rows": 6}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["country"].choices = localised_country_choices(blank="")
        if self.instance.pk:
            self.initial["country"] = self.instance.country_id
        self.fields["themes"].queryset = Theme.objects.all()
        self.fields["sdgs"].queryset = Sdg.objects.all()

    def _post_clean(self):
        # The service validates the model; the form only shapes and checks the fields.
        pass

    def service_data(self) -> dict:
        data = dict(self.cleaned_data)
        data.pop("logo", None)
        return data


class DirectoryFilterForm(forms.Form):
    q = forms.CharField(label=_("Search"), required=False, max_length=200)
    country = forms.ChoiceField(label=_("Country"), required=False)
    region = forms.ChoiceField(label=_("Region"), required=False)
    group = forms.ChoiceField(label=_("Group"), required=False)
    theme = forms.ChoiceField(label=_("Theme"), required=False)
    sdg = forms.TypedChoiceField(label=_("SDG"), required=False, coerce=int, empty_value=None)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        everything = str(_("All"))
        self.fields["country"].choices = localised_country_choices(blank=everything)
        self.fields["region"].choices = localised_region_choices(blank=everything)
        self.fields["group"].choices = localised_group_choices(blank=everything)
        self.fields["theme"].choices = [("", everything)] + [
            (theme.slug, str(theme)) for theme in Theme.objects.all()
        ]
        self.fields["sdg"].choices = [("", everything)] + [
            (sdg.number, str(sdg)) for sdg in Sdg.objects.all()
        ]


class ReviewForm(forms.Form):
    ACTIONS = [
        ("approve", _("Approve")),
        ("more_info", _("Ask for more information")),
        ("reject", _("Decline")),
    ]
    action = forms.ChoiceField(choices=ACTIONS, widget=forms.HiddenInput)
    note = forms.CharField(
        label=_("Message to the applicant"),
        required=False,
        max_length=3000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Required when declining or asking for more information."),
    )


class InvitationForm(forms.Form):
    email = forms.EmailField(label=_("Email address"))
    role = forms.ChoiceField(label=_("Role"), choices=Representative.Role.choices)
