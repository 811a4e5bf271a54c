"""What every app's page forms share: service errors shown on the form, the writing
direction of each input, and a field for several files."""

from django import forms
from django.core.exceptions import ValidationError
from django.forms.renderers import DjangoTemplates

# Inputs whose text reads left to right in every language: addresses, links, phone numbers.
LEFT_TO_RIGHT_INPUTS = {"email", "url", "tel"}
# Inputs for free text, which may be typed in either direction.
FREE_TEXT_INPUTS = {"text", "search"}


class MultipleFileInput(forms.FileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files in one input; the list (maybe empty) goes to the service, which checks
    their content and sizes (core/attachments.py)."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput())
        kwargs.setdefault("required", False)
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        single = super().clean
        if isinstance(data, list | tuple):
            return [single(item, initial) for item in data if item]
        return [single(data, initial)] if data else []


def add_service_errors(form: forms.Form, error: ValidationError) -> None:
    """Show a service's ValidationError on the form, per field where it names one."""
    if hasattr(error, "error_dict"):
        for field, messages in error.message_dict.items():
            form.add_error(field if field in form.fields else None, messages)
    else:
        form.add_error(None, error.messages)


def input_direction(field: forms.Field, widget: forms.Widget) -> str | None:
    """The `dir` an input gets when its form says nothing: "auto" for free text (an English
    name typed on an Arabic page, or the other way round, shows the right way and its full
    stop stays at its end), "ltr" for addresses, links and short names in addresses (slugs);
    none for choices, numbers, files and hidden fields."""
    input_type = widget.attrs.get("type") or getattr(widget, "input_type", None)
    if isinstance(field, forms.SlugField) or input_type in LEFT_TO_RIGHT_INPUTS:
        return "ltr"
    if isinstance(widget, forms.Textarea) or input_type in FREE_TEXT_INPUTS:
        return "auto"
    return None


class DirectedBoundField(forms.BoundField):
    """A field whose input carries its writing direction, unless the form set one (codes
    such as a badge code set dir="ltr" on their widget)."""

    def build_widget_attrs(self, attrs, widget=None):
        attrs = super().build_widget_attrs(attrs, widget)
        widget = widget or self.field.widget
        if "dir" not in attrs and "dir" not in widget.attrs:
            direction = input_direction(self.field, widget)
            if direction:
                attrs["dir"] = direction
        return attrs


class Renderer(DjangoTemplates):
    """The form renderer of every form (`FORM_RENDERER`), allauth's and the admin's too."""

    bound_field_class = DirectedBoundField
