"""Page forms for projects and results: they shape input; the services decide what is allowed.

Numbers are taken as text and parsed by the services (Decimal), so the page and the API give
the same messages for the same mistakes.
"""

from django import forms
from django.utils.translation import gettext_lazy as _

from concord.core.models import Sdg, Theme
from concord.countries.forms import localised_country_choices
from concord.results.models import Indicator, Partner, Project, Result, SharedIndicator

COUNTRY_ROWS = 4
PARTNER_ROWS = 3


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)


def _number(label, **kwargs) -> forms.CharField:
    return forms.CharField(
        label=label,
        required=False,
        max_length=30,
        widget=forms.TextInput(attrs={"inputmode": "decimal"}),
        **kwargs,
    )


class ProjectForm(forms.Form):
    organisation = forms.ChoiceField(label=_("Organisation"))
    title = forms.CharField(label=_("Title"), max_length=200)
    summary = forms.CharField(
        label=_("Summary"), max_length=5000, widget=forms.Textarea(attrs={"rows": 4})
    )
    status = forms.ChoiceField(
        label=_("Status"), choices=Project.Status.choices, initial=Project.Status.IMPLEMENTATION
    )
    planned_start = forms.DateField(label=_("Planned start"), widget=DateInput())
    planned_end = forms.DateField(label=_("Planned end"), widget=DateInput())
    actual_start = forms.DateField(label=_("Actual start"), required=False, widget=DateInput())
    actual_end = forms.DateField(label=_("Actual end"), required=False, widget=DateInput())
    themes = forms.ModelMultipleChoiceField(
        label=_("Themes"),
        queryset=Theme.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple(attrs={"class": "checkbox-list"}),
    )
    sdgs = forms.ModelMultipleChoiceField(
        label=_("SDG goals"),
        queryset=Sdg.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple(attrs={"class": "checkbox-list"}),
    )
    sdg_targets = forms.CharField(
        label=_("SDG targets"),
        required=False,
        max_length=200,
        help_text=_("Separated by commas, e.g. 13.1, 13.3"),
    )
    adaptation = forms.ChoiceField(label=_("Climate adaptation"), choices=Project.Marker.choices)
    mitigation = forms.ChoiceField(label=_("Climate mitigation"), choices=Project.Marker.choices)
    budget = _number(_("Budget"))
    currency = forms.CharField(
        label=_("Currency"), required=False, max_length=3, help_text=_("ISO 4217, e.g. USD, XOF")
    )
    organisation_iati_ref = forms.CharField(
        label=_("Your organisation's IATI identifier"),
        required=False,
        max_length=100,
        help_text=_("e.g. SN-NINEA-0012345; needed to publish to IATI"),
    )
    iati_identifier = forms.CharField(
        label=_("Project IATI identifier"),
        required=False,
        max_length=150,
        help_text=_("Optional; starts with your organisation's identifier and a hyphen"),
    )

    def __init__(self, *args, organisations=(), project: Project | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.project = project
        self.fields["themes"].queryset = Theme.objects.all()
        self.fields["sdgs"].queryset = Sdg.objects.all()
        if project is not None:
            del self.fields["organisation"]
        else:
            self.fields["organisation"].choices = [(o.pk, o.name) for o in organisations]
        countries = localised_country_choices(blank="")
        for n in range(1, COUNTRY_ROWS + 1):
            self.fields[f"country_{n}"] = forms.ChoiceField(
                label=_("Country %(n)s") % {"n": n}, choices=countries, required=False
            )
            self.fields[f"percentage_{n}"] = _number(_("Share of country %(n)s (%%)") % {"n": n})
        roles = [("", ""), *Partner.Role.choices]
        for n in range(1, PARTNER_ROWS + 1):
            self.fields[f"partner_{n}"] = forms.CharField(
                label=_("Partner %(n)s") % {"n": n}, required=False, max_length=200
            )
            self.fields[f"partner_role_{n}"] = forms.ChoiceField(
                label=_("Role of partner %(n)s") % {"n": n}, choices=roles, required=False
            )
            self.fields[f"partner_ref_{n}"] = forms.CharField(
                label=_("IATI identifier of partner %(n)s") % {"n": n},
                required=False,
                max_length=100,
            )
        if project is not None and not self.is_bound:
            self._initial_from(project)

    def _initial_from(self, project: Project) -> None:
        for name in ("title", "summary", "status", "planned_start", "planned_end",
                     "actual_start", "actual_end", "adaptation", "mitigation", "currency",
                     "iati_identifier"):  # fmt: skip
            self.initial[name] = getattr(project, name)
        self.initial["budget"] = (
            "" if project.budget is None else format(project.budget.normalize(), "f")
        )
        self.initial["themes"] = list(project.themes.all())
        self.initial["sdgs"] = list(project.sdgs.all())
        self.initial["sdg_targets"] = ", ".join(project.sdg_targets)
        profile = getattr(project.organisation, "reporting_profile", None)
        self.initial["organisation_iati_ref"] = profile.iati_ref if profile else ""
        for n, share in enumerate(project.countries.all()[:COUNTRY_ROWS], start=1):
            self.initial[f"country_{n}"] = share.country_id
            self.initial[f"percentage_{n}"] = format(share.percentage.normalize(), "f")
        for n, partner in enumerate(project.partners.all()[:PARTNER_ROWS], start=1):
            self.initial[f"partner_{n}"] = partner.name
            self.initial[f"partner_role_{n}"] = partner.role
            self.initial[f"partner_ref_{n}"] = partner.iati_ref

    def country_rows(self):
        return [(self[f"country_{n}"], self[f"percentage_{n}"]) for n in range(1, COUNTRY_ROWS + 1)]

    def partner_rows(self):
        return [
            (self[f"partner_{n}"], self[f"partner_role_{n}"], self[f"partner_ref_{n}"])
            for n in range(1, PARTNER_ROWS + 1)
        ]

    def main_fields(self):
        skip = ("country_", "percentage_", "partner_")
        return [field for field in self if not field.name.startswith(skip)]

    def service_data(self) -> dict:
        data = self.cleaned_data
        out = {
            key: data[key]
            for key in (
                "title",
                "summary",
                "status",
                "planned_start",
                "planned_end",
                "actual_start",
                "actual_end",
                "themes",
                "sdgs",
                "adaptation",
                "mitigation",
                "budget",
                "currency",
                "iati_identifier",
                "organisation_iati_ref",
            )
        }
        out["sdg_targets"] = [t for t in data["sdg_targets"].replace(";", ",").split(",") if t]
        out["countries"] = [
            {"country": data[f"country_{n}"], "percentage": data[f"percentage_{n}"]}
            for n in range(1, COUNTRY_ROWS + 1)
            if data[f"country_{n}"] or data[f"percentage_{n}"]
        ]
        out["partners"] = [
            {
                "name": data[f"partner_{n}"],
                "role": data[f"partner_role_{n}"],
                "iati_ref": data[f"partner_ref_{n}"],
            }
            for n in range(1, PARTNER_ROWS + 1)
            if data[f"partner_{n}"] or data[f"partner_role_{n}"]
        ]
        return out


class ResultForm(forms.Form):
    kind = forms.ChoiceField(label=_("Type"), choices=Result.Kind.choices)
    title = forms.CharField(label=_("Title"), max_length=300)
    description = forms.CharField(
        label=_("Description"),
        required=False,
        max_length=3000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class IndicatorForm(forms.Form):
    shared = forms.ChoiceField(
        label=_("Adopt a shared indicator"),
        required=False,
        help_text=_("Shared indicators add up across the coalition's projects."),
    )
    title = forms.CharField(
        label=_("Title"),
        required=False,
        max_length=300,
        help_text=_("May be left empty when adopting a shared indicator."),
    )
    measure = forms.ChoiceField(label=_("Measure"), choices=Indicator.Measure.choices)
    unit = forms.CharField(label=_("Unit"), required=False, max_length=60)
    ascending = forms.BooleanField(label=_("Higher is better"), required=False, initial=True)
    cumulative = forms.BooleanField(
        label=_("Cumulative"),
        required=False,
        help_text=_(
            "Each update gives the total so far (the latest counts), rather than what was added."
        ),
    )
    baseline_year = forms.IntegerField(
        label=_("Baseline year"), required=False, min_value=1900, max_value=2100
    )
    baseline_value = _number(_("Baseline value"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["shared"].choices = [("", "—")] + [
            (s.slug, f"{s} ({_(s.unit)})") for s in SharedIndicator.objects.all()
        ]


class PeriodForm(forms.Form):
    start = forms.DateField(label=_("Start"), widget=DateInput())
    end = forms.DateField(label=_("End"), widget=DateInput())
    target = _number(_("Target"))


class UpdateForm(forms.Form):
    value = _number(_("Value achieved"))
    narrative = forms.CharField(
        label=_("What happened"),
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    female = _number(_("of whom women and girls"))
    male = _number(_("of whom men and boys"))
    evidence = forms.FileField(
        label=_("Evidence"),
        required=False,
        help_text=_("A PDF or an image (PNG, JPEG, WebP, GIF), up to 5 MB."),
        widget=forms.ClearableFileInput(
            attrs={"accept": "application/pdf,image/png,image/jpeg,image/webp,image/gif"}
        ),
    )
    submit = forms.BooleanField(label=_("Submit for approval now"), required=False, initial=True)

    def service_data(self) -> dict:
        data = self.cleaned_data
        sex = {k: data[k] for k in ("female", "male") if (data[k] or "").strip()}
        return {
            "value": data["value"],
            "narrative": data["narrative"],
            "disaggregations": {"sex": sex} if sex else {},
            "submit": data["submit"],
        }


class ReturnForm(forms.Form):
    comment = forms.CharField(
        label=_("What should change"), max_length=3000, widget=forms.Textarea(attrs={"rows": 3})
    )


class ImportForm(forms.Form):
    file = forms.FileField(label=_("CSV file"))
    dry_run = forms.BooleanField(
        label=_("Only check the file (dry run)"), required=False, initial=True
    )
