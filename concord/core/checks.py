"""The one input-checking toolkit: an error collector and the field checks every service uses.

Each check reads one value, adds a message under the field's name when the value is wrong and
returns the cleaned value (or None), so a service gathers every message before it writes
anything and raises them together as one ValidationError (422 in the API, shown per field on
the page).
"""

import re
from collections.abc import Collection, Iterable
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from concord.core.models import Sdg, Theme
from concord.core.numbers import figure

_TAG = re.compile(r"<\s*/?\s*[a-zA-Z!][^>]*>")
# A figure at or past this is a typing slip, not a result (and would overflow the columns).
MAX_NUMBER = Decimal("1e15")


class Errors(dict[str, list[str]]):
    """Per-field messages gathered before anything is written."""

    def add(self, field: str, message: str) -> None:
        self.setdefault(field, []).append(message)

    def extend(self, field: str, messages: Iterable[str]) -> None:
        self.setdefault(field, []).extend(messages)

    def raise_if_any(self) -> None:
        if self:
            raise ValidationError(dict(self))


def has_nul(value: Any) -> bool:
    """PostgreSQL cannot store a NUL character in text, so every input refuses it."""
    if isinstance(value, str):
        return "\x00" in value
    if isinstance(value, dict):
        return any(has_nul(key) or has_nul(item) for key, item in value.items())
    if isinstance(value, list | tuple | set):
        return any(has_nul(item) for item in value)
    return False


def nul_message() -> str:
    return _("contains a null character")


def reject_markup(value: str) -> str:
    """Names are plain text: refuse anything that looks like an HTML tag."""
    if has_nul(value or ""):
        raise ValidationError(nul_message(), code="null")
    if _TAG.search(value or ""):
        raise ValidationError(_("HTML is not allowed here; write plain text."), code="markup")
    return value


def length_message(limit: int) -> str:
    """The one message for a text over its limit, with the number written the reader's way."""
    return ngettext(
        "Keep this to %(limit)s character or fewer.",
        "Keep this to %(limit)s characters or fewer.",
        limit,
    ) % {"limit": figure(limit)}


def required_message() -> str:
    return _("This field is required.")


def text(
    errors: Errors,
    field: str,
    value: Any,
    *,
    limit: int,
    required: bool = False,
    plain: bool = True,
    required_message_text: str | None = None,
) -> str:
    """Stripped text of at most `limit` characters; `plain` also refuses HTML tags."""
    value = str(value or "").strip()
    if required and not value:
        errors.add(field, required_message_text or required_message())
    elif len(value) > limit:
        errors.add(field, length_message(limit))
    elif has_nul(value):
        errors.add(field, nul_message())
    elif plain:
        try:
            reject_markup(value)
        except ValidationError as error:
            errors.extend(field, error.messages)
    return value


def no_nul(errors: Errors, field: str, value: Any) -> Any:
    if has_nul(value):
        errors.add(field, nul_message())
    return value


def iso_date(errors: Errors, field: str, value: Any, *, required: bool = False) -> date | None:
    """A date from a form (a date) or JSON/CSV (YYYY-MM-DD text)."""
    if value in (None, ""):
        if required:
            errors.add(field, required_message())
        return None
    if isinstance(value, date):
        return value
    try:
        return date.fromisoformat(str(value))
    except ValueError:
        errors.add(field, _("Enter a date as YYYY-MM-DD."))
        return None


def choice(errors: Errors, field: str, value: Any, choices: Any, *, default: str = "") -> str:
    """One of a TextChoices' values (or of any collection of strings)."""
    value = default if value in (None, "") else str(value)
    allowed = list(getattr(choices, "values", choices))
    if value not in allowed:
        errors.add(field, _("Choose one of: %(choices)s.") % {"choices": ", ".join(allowed)})
    return value


def decimal(
    errors: Errors,
    field: str,
    value: Any,
    *,
    negative: bool = False,
    maximum: Decimal = MAX_NUMBER,
    places: int = 4,
) -> Decimal | None:
    """A Decimal from a form, JSON number or CSV cell; None when empty. Floats go through
    their shortest text form, so 0.1 stays 0.1."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if isinstance(value, bool):
        errors.add(field, _("Enter a number."))
        return None
    try:
        number = (
            value if isinstance(value, Decimal) else Decimal(str(value).strip().replace(",", ""))
        )
    except InvalidOperation:
        errors.add(field, _("Enter a number."))
        return None
    if not number.is_finite():
        errors.add(field, _("Enter a number."))
        return None
    if number < 0 and not negative:
        errors.add(field, _("This cannot be negative."))
        return None
    if abs(number) >= maximum:
        errors.add(field, _("This number is too large."))
        return None
    if number.normalize().as_tuple().exponent < -places:  # type: ignore[operator]
        errors.add(field, _("Use at most %(places)s decimal places.") % {"places": places})
        return None
    return number


def codes(
    errors: Errors,
    field: str,
    values: Iterable[Any],
    known: Collection[str],
    message: str,
    *,
    normalise=lambda code: str(code).strip(),
) -> list[str]:
    """The known codes among `values`, sorted and without repeats; `message` (with
    %(codes)s) names the unknown ones."""
    given = sorted({normalise(value) for value in values})
    unknown = [code for code in given if code not in known]
    if unknown:
        errors.add(field, message % {"codes": ", ".join(unknown)})
    return [code for code in given if code in known]


def themes(errors: Errors, field: str, values: Iterable[Any] | None) -> list[Theme]:
    """The themes named by slug (or given as Theme); one message when any is unknown."""
    slugs = {str(getattr(value, "slug", value)).strip() for value in values or []}
    found = list(Theme.objects.filter(slug__in=[slug for slug in slugs if not has_nul(slug)]))
    if len(found) != len(slugs):
        errors.add(field, _("Unknown theme."))
    return found


def sdgs(errors: Errors, field: str, values: Iterable[Any] | None) -> list[Sdg]:
    """The goals named by number 1 to 17 (or given as Sdg); none when any number is wrong."""
    numbers = {getattr(value, "number", value) for value in values or []}
    if any(isinstance(n, bool) or not isinstance(n, int) or not 1 <= n <= 17 for n in numbers):
        errors.add(field, _("SDGs are numbered 1 to 17."))
        return []
    return list(Sdg.objects.filter(number__in=numbers))
