"""Page forms for partnerships: they shape input; the services decide what is allowed."""

from django import forms
from django.utils.translation import gettext_lazy as _

from concord.core.collation import sorted_by_name
from concord.core.forms import add_service_errors
from concord.core.models import Sdg, Theme
from concord.countries.forms import (
    localised_country_choices,
    localised_group_choices,
    localised_region_choices,
)
from concord.countries.names import group_name, group_short_name
from concord.events.zones import zone_choices
from concord.partnerships.matching import language_name
from concord.partnerships.models import (
    WORKING_LANGUAGES,
    FundingApplication,
    FundingCall,
    PartnershipRequest,
)

__all__ = ["add_service_errors"]


def language_choices() -> list[tuple[str, str]]:
    return sorted_by_name(
        ((code, language_name(code)) for code in WORKING_LANGUAGES), key=lambda c: c[1]
    )


def organisation_choices(organisations) -> list[tuple[int, str]]:
    return [(org.pk, org.name) for org in sorted_by_name(organisations, key=lambda o: o.name)]


class RequestForm(forms.Form):
    organisation = forms.TypedChoiceField(label=_("On behalf of"), coerce=int)
    kind = forms.ChoiceField(
        label=_("Do you seek or offer?"),
        choices=PartnershipRequest.Kind.choices,
        widget=forms.RadioSelect,
        initial=PartnershipRequest.Kind.REQUEST,
    )
    purpose = forms.ChoiceField(label=_("Purpose"), choices=PartnershipRequest.Purpose.choices)
    title = forms.CharField(label=_("Title"), max_length=200)
    description = forms.CharField(
        label=_("Description"), max_length=5000, widget=forms.Textarea(attrs={"rows": 6})
    )
    themes = forms.MultipleChoiceField(
        label=_("Themes"),
        required=False,
        widget=forms.CheckboxSelectMultiple(attrs={"class": "checkbox-list"}),
    )
    sdgs = forms.TypedMultipleChoiceField(
        label=_("SDGs"), coerce=int, required=False,
        widget=forms.CheckboxSelectMultiple(attrs={"class": "checkbox-list"}),
    )  # fmt: skip
    countries = forms.MultipleChoiceField(
        label=_("Countries of work"), required=False, widget=forms.SelectMultiple(attrs={"size": 6})
    )
    regions = forms.MultipleChoiceField(
        label=_("Regions of work"), required=False, widget=forms.SelectMultiple(attrs={"size": 6})
    )
    languages = forms.MultipleChoiceField(
        label=_("Working languages"), required=False, widget=forms.SelectMultiple(attrs={"size": 6})
    )
    deadline = forms.DateField(
        label=_("Deadline"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )

    def __init__(self, *args, organisations=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"].choices = organisation_choices(organisations)
        self.fields["themes"].choices = [(t.slug, str(t)) for t in Theme.objects.all()]
        self.fields["sdgs"].choices = [(s.number, str(s)) for s in Sdg.objects.all()]
        self.fields["countries"].choices = localised_country_choices()
        self.fields["regions"].choices = localised_region_choices()
        self.fields["languages"].choices = language_choices()


class InterestForm(forms.Form):
    organisation = forms.TypedChoiceField(label=_("On behalf of"), coerce=int)
    message = forms.CharField(
        label=_("Message"),
        max_length=3000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Sent through the platform: your email address is not shown."),
    )

    def __init__(self, *args, organisations=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"].choices = organisation_choices(organisations)


class DeliverableForm(forms.Form):
    title = forms.CharField(
        label=_("Deliverable"), max_length=200, help_text=_("Specific: what will exist when done.")
    )
    target = forms.DecimalField(
        label=_("Target"), min_value=0, max_digits=12, decimal_places=2,
        help_text=_("Measurable: how many."),
    )  # fmt: skip
    unit = forms.CharField(
        label=_("Unit"), max_length=60, help_text=_("e.g. hectares, people trained")
    )
    due_on = forms.DateField(label=_("Due date"), widget=forms.DateInput(attrs={"type": "date"}))


class ReportForm(forms.Form):
    year = forms.IntegerField(label=_("Year reported on"), min_value=1900, max_value=2200)
    summary = forms.CharField(
        label=_("What was done"), max_length=5000, widget=forms.Textarea(attrs={"rows": 5})
    )

    def __init__(self, *args, deliverables=(), **kwargs):
        super().__init__(*args, **kwargs)
        for deliverable in deliverables:
            self.fields[f"achieved_{deliverable.pk}"] = forms.DecimalField(
                label=_("Achieved so far: %(title)s (%(unit)s)")
                % {"title": deliverable.title, "unit": deliverable.unit},
                required=False,
                min_value=0,
                max_digits=12,
                decimal_places=2,
                initial=deliverable.achieved,
            )

    def achieved(self) -> dict[int, object]:
        return {
            int(name.removeprefix("achieved_")): value
            for name, value in self.cleaned_data.items()
            if name.startswith("achieved_")
        }


class FundingCallForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200)
    funder = forms.CharField(label=_("Funder"), max_length=200)
    instrument = forms.ChoiceField(label=_("Instrument"), choices=FundingCall.Instrument.choices)
    description = forms.CharField(
        label=_("Description"), required=False, max_length=5000,
        widget=forms.Textarea(attrs={"rows": 4}),
    )  # fmt: skip
    amount_min = forms.DecimalField(
        label=_("Smallest amount"), min_value=0, max_digits=14, decimal_places=2
    )
    amount_max = forms.DecimalField(
        label=_("Largest amount"), min_value=0, max_digits=14, decimal_places=2
    )
    currency = forms.CharField(
        label=_("Currency"), max_length=3, min_length=3, help_text=_("ISO 4217 code, e.g. USD")
    )
    deadline = forms.DateTimeField(
        label=_("Deadline"), widget=forms.DateTimeInput(attrs={"type": "datetime-local"}),
        input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M", "%Y-%m-%dT%H:%M:%S"],
    )  # fmt: skip
    deadline_timezone = forms.ChoiceField(label=_("Time zone of the deadline"), initial="UTC")
    link = forms.URLField(label=_("Link to the call"), max_length=500, assume_scheme="https")
    themes = forms.MultipleChoiceField(
        label=_("Themes"),
        required=False,
        widget=forms.CheckboxSelectMultiple(attrs={"class": "checkbox-list"}),
    )
    eligible_groups = forms.MultipleChoiceField(
        label=_("Eligible country groups"), required=False,
        widget=forms.CheckboxSelectMultiple(attrs={"class": "checkbox-list"}),
    )  # fmt: skip
    eligible_countries = forms.MultipleChoiceField(
        label=_("Eligible countries"),
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 6}),
    )
    eligible_regions = forms.MultipleChoiceField(
        label=_("Eligible regions"), required=False, widget=forms.SelectMultiple(attrs={"size": 6})
    )
    open_to_all = forms.BooleanField(
        label=_("Open to organisations in every country"), required=False
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # The same picker as events': current zones named in the page's language, any
        # zone already stored (an old alias too) kept on top so it stays selectable.
        current = str(
            self.data.get("deadline_timezone") or self.initial.get("deadline_timezone") or ""
        )
        self.fields["deadline_timezone"].choices = zone_choices((current,))
        self.fields["themes"].choices = [(t.slug, str(t)) for t in Theme.objects.all()]
        self.fields["eligible_groups"].choices = localised_group_choices(
            label=lambda g: (
                f"{group_short_name(g.slug, g.short_name)}: {group_name(g.slug, g.name)}"
            )
        )
        self.fields["eligible_countries"].choices = localised_country_choices()
        self.fields["eligible_regions"].choices = localised_region_choices()

    def service_data(self) -> dict:
        data = dict(self.cleaned_data)
        # The time is read on the call's own clock (its time zone), not the server's.
        data["deadline"] = data["deadline"].replace(tzinfo=None)
        return data


class TrackForm(forms.Form):
    organisation = forms.TypedChoiceField(label=_("Organisation"), coerce=int)
    status = forms.ChoiceField(label=_("Status"), choices=FundingApplication.Status.choices)

    def __init__(self, *args, organisations=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"].choices = organisation_choices(organisations)


class DigestForm(forms.Form):
    weekly_digest = forms.BooleanField(
        label=_("Send me the weekly partnerships and funding digest"), required=False
    )


class WorkingLanguagesForm(forms.Form):
    languages = forms.MultipleChoiceField(
        label=_("Working languages"),
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 6}),
        help_text=_("Used to suggest partners you can talk to. Without a choice, the official "
                    "languages of your country are used."),
    )  # fmt: skip

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["languages"].choices = language_choices()
