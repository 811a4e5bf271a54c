"""Checks for free text that every app shares."""

import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

_TAG = re.compile(r"<\s*/?\s*[a-zA-Z!][^>]*>")


def reject_markup(value: str) -> str:
    """Names are plain text: refuse anything that looks like an HTML tag."""
    if "\x00" in (value or ""):
        raise ValidationError(_("contains a null character"), code="null")
    if _TAG.search(value or ""):
        raise ValidationError(_("HTML is not allowed here; write plain text."), code="markup")
    return value
