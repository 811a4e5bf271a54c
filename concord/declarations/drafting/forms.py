"""Page forms for drafting: they shape input; the services decide what is allowed."""

from django import forms
from django.utils.translation import gettext_lazy as _

from concord.declarations.drafting.models import (
    COMMENT_MAX,
    PARAGRAPH_MAX,
    REASON_MAX,
    Amendment,
    CommentPeriod,
)
from concord.declarations.forms import UTCDateTimeField


def _organisation_field(organisations, required: bool) -> forms.ChoiceField:
    choices = [(str(o.pk), o.name) for o in organisations]
    if not required:
        choices = [("", _("Myself only")), *choices]
    return forms.ChoiceField(label=_("On behalf of"), choices=choices, required=required)


class PeriodForm(forms.Form):
    audience = forms.ChoiceField(label=_("Open to"), choices=CommentPeriod.Audience.choices)
    organisations = forms.MultipleChoiceField(
        label=_("The drafting group"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Only when the text is open to a drafting group."),
    )
    closes_at = UTCDateTimeField(label=_("Comments until"))

    def __init__(self, *args, organisations=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisations"].choices = [(str(o.pk), o.name) for o in organisations]


class CommentForm(forms.Form):
    text = forms.CharField(
        label=_("Your comment"), max_length=COMMENT_MAX, widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(self, *args, organisations=(), **kwargs):
        super().__init__(*args, **kwargs)
        if organisations:
            self.fields["organisation"] = _organisation_field(organisations, required=False)


class EditCommentForm(forms.Form):
    text = forms.CharField(
        label=_("Your comment"), max_length=COMMENT_MAX, widget=forms.Textarea(attrs={"rows": 4})
    )


class AmendmentForm(forms.Form):
    kind = forms.ChoiceField(label=_("The amendment"), choices=Amendment.Kind.choices)
    text = forms.CharField(
        label=_("New text"),
        required=False,
        max_length=PARAGRAPH_MAX,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Leave empty to remove the paragraph."),
    )
    reason = forms.CharField(
        label=_("Reason"), max_length=REASON_MAX, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args, organisations=(), **kwargs):
        super().__init__(*args, **kwargs)
        if organisations:
            self.fields["organisation"] = _organisation_field(organisations, required=False)


class SupportForm(forms.Form):
    def __init__(self, *args, organisations=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"] = _organisation_field(organisations, required=True)


class EndorseForm(forms.Form):
    def __init__(self, *args, organisations=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"] = _organisation_field(organisations, required=True)


class DecisionForm(forms.Form):
    decision = forms.ChoiceField(
        label=_("Decision"),
        choices=[("accept", _("Accept")), ("merge", _("Merge")), ("reject", _("Reject"))],
        widget=forms.RadioSelect,
    )
    text = forms.CharField(
        label=_("Accepted text"),
        required=False,
        max_length=PARAGRAPH_MAX,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Edit the proposed text before accepting it, if needed."),
    )
    merge_into = forms.ChoiceField(label=_("Merge into"), required=False)
    reason = forms.CharField(
        label=_("Reason"), max_length=REASON_MAX, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args, others=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["merge_into"].choices = [("", "—")] + [  # type: ignore[attr-defined]
            (str(a.pk), f"#{a.pk}") for a in others
        ]


class HistoryForm(forms.Form):
    public = forms.BooleanField(label=_("Anyone may read the drafting history"), required=False)
