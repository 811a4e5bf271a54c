"""The groups' page forms; the services do the checking that matters."""

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from concord.core.forms import MultipleFileField, MultipleFileInput
from concord.core.numbers import figure, file_size
from concord.groups.models import BODY_MAX, NAME_MAX, TITLE_MAX, Group, Membership

LANGUAGE_CHOICES = [("", _("Detect it")), *settings.LANGUAGES]


class GroupForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=NAME_MAX)
    purpose = forms.CharField(label=_("Purpose"), widget=forms.Textarea, required=False)
    language = forms.ChoiceField(label=_("Written in"), choices=settings.LANGUAGES)
    kind = forms.ChoiceField(label=_("Kind"), choices=Group.Kind.choices)
    admission = forms.ChoiceField(label=_("Who may join"), choices=Group.Admission.choices)
    visibility = forms.ChoiceField(label=_("Who may read it"), choices=Group.Visibility.choices)


ACCEPTED = "application/pdf,image/png,image/jpeg,image/webp,image/gif"


def _files_field() -> MultipleFileField:
    return MultipleFileField(
        label=_("Images or PDFs"),
        widget=MultipleFileInput(attrs={"accept": ACCEPTED}),
    )


class _WithFiles(forms.Form):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Said in the reader's language when the form is made, with the limits in force.
        count = settings.GROUP_ATTACHMENTS
        self.fields["files"].help_text = ngettext(
            "Up to %(count)s file (PNG, JPEG, WebP, GIF or PDF), %(size)s at most.",
            "Up to %(count)s files (PNG, JPEG, WebP, GIF or PDF), %(size)s each at most.",
            count,
        ) % {"count": figure(count), "size": file_size(settings.GROUP_ATTACHMENT_MAX_BYTES)}


class ThreadForm(_WithFiles):
    title = forms.CharField(label=_("Title"), max_length=TITLE_MAX)
    body = forms.CharField(
        label=_("Message (Markdown)"), widget=forms.Textarea, max_length=BODY_MAX
    )
    language = forms.ChoiceField(label=_("Language"), choices=LANGUAGE_CHOICES, required=False)
    files = _files_field()


class ReplyForm(_WithFiles):
    body = forms.CharField(
        label=_("Your reply (Markdown)"), widget=forms.Textarea, max_length=BODY_MAX
    )
    language = forms.ChoiceField(label=_("Language"), choices=LANGUAGE_CHOICES, required=False)
    files = _files_field()


class EditForm(forms.Form):
    body = forms.CharField(
        label=_("Message (Markdown)"), widget=forms.Textarea, max_length=BODY_MAX
    )


class DeliveryForm(forms.Form):
    delivery = forms.ChoiceField(
        label=_("Mail from this group"),
        choices=Membership.Delivery.choices,
        widget=forms.RadioSelect,
    )


class ReasonForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), widget=forms.Textarea, max_length=2000)


class ConclusionForm(forms.Form):
    conclusion = forms.CharField(
        label=_("Conclusion (Markdown)"), widget=forms.Textarea, max_length=BODY_MAX
    )


class PollForm(forms.Form):
    question = forms.CharField(label=_("Question"), max_length=TITLE_MAX)
    choices = forms.CharField(label=_("Choices, one a line"), widget=forms.Textarea)
    multiple = forms.BooleanField(label=_("Several choices may be ticked"), required=False)
    per_organisation = forms.BooleanField(
        label=_("One vote per organisation (else one per person)"), required=False
    )
    closes_at = forms.DateTimeField(
        label=_("Open until"), widget=forms.DateTimeInput(attrs={"type": "datetime-local"})
    )


class SearchForm(forms.Form):
    q = forms.CharField(label=_("Search the groups' posts"), max_length=200, required=False)
