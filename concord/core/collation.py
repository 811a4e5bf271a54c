"""Names in the order the reader's language sorts them: ICU's collation of CLDR's rules.

Python's own `sorted` compares code points, so "Åland Islands" and "Türkiye" came after
"Zimbabwe" and "Bénin" after "Burundi"; and every language has rules of its own (Azerbaijani
puts "ç" after "c" and the dotless i before the dotted one, Chinese sorts by pinyin). Lists
sorted in Python use `sort_key` or `sorted_by_name`; lists the database orders and pages use
`Collated`, a `COLLATE` clause naming a collation per interface language: on PostgreSQL an
ICU collation made by migration `core/0006_collations`, on SQLite the same collator
registered on every new connection (`register_sqlite_collations`, in `CoreConfig.ready`).
"""

from collections.abc import Callable, Iterable
from functools import lru_cache
from typing import TypeVar

import icu
from django.conf import settings
from django.db.models.functions import Collate
from django.utils import translation

from concord.core.locales import babel_locale

T = TypeVar("T")


def _language(language: str | None) -> str:
    return language or translation.get_language() or settings.LANGUAGE_CODE


@lru_cache(maxsize=32)
def collator(language: str) -> icu.Collator:
    """ICU's collator for a Django language code, made once per process: the same locale
    Babel names countries with ("zh-hans" is "zh_Hans"), the root order for an unknown one.
    Only its read-only methods are used, which ICU allows from several threads at once."""
    locale = babel_locale(language)
    return icu.Collator.createInstance(icu.Locale(str(locale)) if locale else icu.Locale.getRoot())


def sort_key(text: str, language: str | None = None) -> tuple[bytes, str]:
    """What to sort `text` by in `language` (the active one by default). Names the collator
    finds equal (they differ only in what it ignores) fall back to their code points, so
    the order never depends on the order the items came in."""
    text = text or ""
    return collator(_language(language)).getSortKey(text), text


def sorted_by_name(
    items: Iterable[T], key: Callable[[T], str] = str, *, language: str | None = None
) -> list[T]:
    """`items` in the order of their names (`key(item)`) in `language`, the active one by
    default: for lists built in Python, e.g. localised country names or form choices."""
    language = _language(language)
    return sorted(items, key=lambda item: sort_key(key(item), language))


def collation_name(language: str | None = None) -> str:
    """The database collation of an interface language ("concord_zh_hans"); a language that is
    not one of `LANGUAGES` sorts as the default language, which has a collation."""
    try:
        code = translation.get_supported_language_variant(_language(language))
    except LookupError:
        code = settings.LANGUAGE_CODE
    return "concord_" + code.lower().replace("-", "_")


class Collated(Collate):
    """`field COLLATE "concord_<language>"` for `order_by`, in the language active when the query
    runs rather than when it was built: a queryset made at import time (a form field's) still
    sorts for each reader. Pages the database cuts (the directory) need the order there,
    since a page sorted in Python would only be sorted within itself."""

    def __init__(self, expression):
        super().__init__(expression, collation_name(settings.LANGUAGE_CODE))

    def as_sql(self, compiler, connection, **extra_context):
        extra_context["collation"] = connection.ops.quote_name(collation_name())
        return super().as_sql(compiler, connection, **extra_context)


def _comparison(language: str) -> Callable[[str, str], int]:
    """SQLite's comparison for `language`: the order `sort_key` gives, without building keys."""
    compare_names = collator(language).compare

    def compare(left: str, right: str) -> int:
        return compare_names(left, right) or (left > right) - (left < right)

    return compare


def register_sqlite_collations(sender, connection, **kwargs) -> None:
    """Give a new SQLite connection one collation per interface language. Nothing is stored in
    the database file (no index or view uses them), so a copy opens anywhere."""
    if connection.vendor != "sqlite":
        return
    for code, _name in settings.LANGUAGES:
        connection.connection.create_collation(collation_name(code), _comparison(code))
