"""Page forms for addressees, deliveries, responses and pledges: they shape input; the
services decide (a country that is not an ISO code, a response without a date or source,
a pledge without a deadline are refused there, for the page and the API alike)."""

from django import forms
from django.utils.translation import gettext_lazy as _

from concord.countries.forms import localised_country_choices
from concord.declarations.addressees.models import Addressee, Delivery
from concord.declarations.forms import language_choices


def _date(label, required=True) -> forms.DateField:
    return forms.DateField(
        label=label, required=required, widget=forms.DateInput(attrs={"type": "date"})
    )


def _language() -> forms.ChoiceField:
    return forms.ChoiceField(label=_("Language"), initial="en")


class AddresseeForm(forms.Form):
    kind = forms.ChoiceField(label=_("Addressee"), choices=Addressee.Kind.choices)
    country = forms.ChoiceField(label=_("Country (for a government)"), required=False)
    name = forms.CharField(
        label=_("Name"),
        required=False,
        max_length=200,
        help_text=_("For an institution, e.g. UNFCCC secretariat, UN-Habitat, a ministry."),
    )
    contact = forms.CharField(
        label=_("Contact"),
        required=False,
        max_length=500,
        help_text=_("Seen only by the secretariat and the committee."),
    )
    language = _language()

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["country"].choices = localised_country_choices(blank="—")  # type: ignore[attr-defined]
        self.fields["language"].choices = language_choices()  # type: ignore[attr-defined]


class DeliveryForm(forms.Form):
    delivered_on = _date(_("Delivered on"))
    channel = forms.ChoiceField(label=_("How"), choices=Delivery.Channel.choices)
    letter = forms.CharField(
        label=_("Letter or document sent"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class ResponseForm(forms.Form):
    received_on = _date(_("Received on"), required=False)
    source = forms.CharField(
        label=_("From whom"), required=False, max_length=200,
        help_text=_("e.g. Ministry of Environment, Office of the Minister."),
    )  # fmt: skip
    text = forms.CharField(
        label=_("Text of the response"), required=False, widget=forms.Textarea(attrs={"rows": 4})
    )
    document = forms.FileField(label=_("Document (PDF)"), required=False)
    language = _language()
    summary = forms.CharField(
        label=_("Summary"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    pledge = forms.CharField(
        label=_("A pledge it makes"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    pledge_deadline = _date(_("Pledge deadline"), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["language"].choices = language_choices()  # type: ignore[attr-defined]

    def pledges(self) -> list[dict]:
        data = self.cleaned_data
        if not (data.get("pledge") or data.get("pledge_deadline")):
            return []
        return [{"text": data.get("pledge", ""), "deadline": data.get("pledge_deadline")}]


class MetForm(forms.Form):
    met_on = _date(_("Met on"))
