"""Country choices for every app's page forms, named in the reader's language."""

from concord.countries.names import localised_name
from concord.countries.queries import country_choices


def localised_country_choices(blank: str | None = None) -> list[tuple[str, str]]:
    choices = sorted(
        ((code, localised_name(code, name)) for code, name in country_choices()),
        key=lambda choice: choice[1],
    )
    return ([("", blank)] if blank is not None else []) + choices
