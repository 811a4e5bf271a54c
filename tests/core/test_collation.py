"""Sorting by the language's collation: in Python (`sort_key`, `sorted_by_name`) and in the
database (`Collated`, one collation per interface language on SQLite and PostgreSQL)."""

import importlib

import pytest
from django.conf import settings
from django.utils import translation

from concord.core.collation import Collated, collation_name, sort_key, sorted_by_name
from concord.organisations.models import Organisation
from tests.factories.organisations import OrganisationFactory

# The Azerbaijani alphabet: a b c ç d e ə f g ğ h x ı i j k q l m n o ö p r s ş t u ü v y z.  # noqa: RUF003
AZERBAIJANI = ["ana", "cəm", "çay", "ev", "əl", "gül", "ğ", "hava", "xal", "ılıq", "iki"]  # noqa: RUF001
AZERBAIJANI += ["kənd", "qala", "ox", "öz", "su", "şam", "un", "üz"]


def test_accented_names_sort_with_their_letter():
    names = ["Türkiye", "Zambia", "Åland Islands", "Albania", "Tunisia", "Afghanistan"]
    assert sorted_by_name(names, language="en") == [
        "Afghanistan", "Åland Islands", "Albania", "Tunisia", "Türkiye", "Zambia",
    ]  # fmt: skip


def test_french_sorts_accented_letters_as_their_base_letter():
    names = ["Burundi", "Bénin", "Bermudes", "Belize", "Belgique"]
    assert sorted_by_name(names, language="fr") == [
        "Belgique", "Belize", "Bénin", "Bermudes", "Burundi",
    ]  # fmt: skip


def test_azerbaijani_follows_its_alphabet():
    shuffled = sorted(AZERBAIJANI, key=lambda word: word[::-1])
    assert sorted_by_name(shuffled, language="az") == AZERBAIJANI


def test_chinese_sorts_by_pinyin():
    # ā fù hàn, bā xī, dé guó, fǎ guó, rì běn, zhōng guó
    pinyin_order = ["阿富汗", "巴西", "德国", "法国", "日本", "中国"]
    assert sorted_by_name(reversed(pinyin_order), language="zh-hans") == pinyin_order


def test_the_active_language_is_the_default():
    with translation.override("az"):
        assert sorted_by_name(["çay", "cəm"]) == ["cəm", "çay"]
    with translation.override("en"):
        assert sorted_by_name(["cəm", "çay"]) == ["çay", "cəm"]


def test_a_key_picks_the_name_and_equal_names_keep_a_fixed_order():
    rows = [("b", "Éire"), ("a", "Eire"), ("c", "Zaire")]
    assert [code for code, _name in sorted_by_name(rows, key=lambda row: row[1])] == ["a", "b", "c"]
    assert sort_key("Eire", "fr") != sort_key("Éire", "fr")


def test_an_unknown_language_sorts_by_the_root_order_and_the_default_collation():
    assert sorted_by_name(["Zèbre", "Élan"], language="not a language") == ["Élan", "Zèbre"]
    assert collation_name("de") == collation_name(settings.LANGUAGE_CODE)
    assert collation_name("zh-hans") == "concord_zh_hans"


@pytest.mark.django_db
@pytest.mark.parametrize("language", [code for code, _name in settings.LANGUAGES])
def test_the_database_orders_by_each_languages_collation(language):
    for name in ["Zèbre", "Élan", "Çay", "Cəm", "aube"]:
        OrganisationFactory(name=name)
    with translation.override(language):
        found = list(Organisation.objects.order_by(Collated("name")).values_list("name", flat=True))
        assert found == sorted_by_name(found)
    assert found.index("Élan") < found.index("Zèbre")


@pytest.mark.django_db
def test_the_database_collation_is_the_readers_when_the_query_runs_not_when_it_was_built():
    for name in ["Çay", "Cəm"]:
        OrganisationFactory(name=name)
    ordered = Organisation.objects.order_by(Collated("name")).values_list("name", flat=True)
    with translation.override("az"):
        assert list(ordered.all()) == ["Cəm", "Çay"]
    with translation.override("fr"):
        assert list(ordered.all()) == ["Çay", "Cəm"]


def test_every_interface_language_has_a_postgresql_collation():
    migration = importlib.import_module("concord.core.migrations.0006_collations")
    assert set(migration.LOCALES) == {code for code, _name in settings.LANGUAGES}
    assert {f"concord_{code.replace('-', '_')}" for code in migration.LOCALES} == {
        collation_name(code) for code, _name in settings.LANGUAGES
    }
