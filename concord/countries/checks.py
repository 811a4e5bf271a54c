"""Field checks for reference codes (countries, M49 regions, country groups), with one message
each, for every app's services. They add to a `core.checks.Errors` like the other checks."""

from typing import Any

from django.utils.translation import gettext as _

from concord.core.checks import Errors
from concord.countries.queries import reference


def _code(value: Any) -> str:
    return str(getattr(value, "code", value) or "").strip()


def country_message(code: str) -> str:
    return _("“%(code)s” is not an ISO 3166-1 alpha-2 country code.") % {"code": code[:10]}


def country(errors: Errors, field: str, value: Any, *, required: bool = True) -> str:
    """An ISO 3166-1 alpha-2 code, upper-cased; '' when empty and not required."""
    code = _code(value).upper()
    if not code:
        if required:
            errors.add(field, _("This field is required."))
        return ""
    if code not in reference().countries:
        errors.add(field, country_message(code))
    return code


def countries(errors: Errors, field: str, values: Any) -> list[str]:
    """Known ISO codes among `values`, sorted, without repeats; each unknown one is named."""
    codes = sorted({_code(value).upper() for value in values or []} - {""})
    known = reference().countries
    for code in codes:
        if code not in known:
            errors.add(field, country_message(code))
    return [code for code in codes if code in known]


def regions(errors: Errors, field: str, values: Any) -> list[str]:
    codes = sorted({_code(value) for value in values or []} - {""})
    known = reference().regions
    unknown = [code for code in codes if code not in known]
    if unknown:
        errors.add(
            field,
            _("Unknown regions: %(codes)s. Use UN M49 codes, e.g. 002 for Africa.")
            % {"codes": ", ".join(unknown)},
        )
    return [code for code in codes if code in known]


def groups(errors: Errors, field: str, values: Any) -> list[str]:
    slugs = sorted({str(getattr(g, "slug", g)).strip().lower() for g in values or []} - {""})
    known = {group.slug for group in reference().groups}
    unknown = [slug for slug in slugs if slug not in known]
    if unknown:
        errors.add(
            field,
            _("Unknown country groups: %(groups)s. Known groups: %(known)s.")
            % {"groups": ", ".join(unknown), "known": ", ".join(sorted(known))},
        )
    return [slug for slug in slugs if slug in known]
