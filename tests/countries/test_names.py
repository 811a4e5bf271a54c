"""Region and group names in each language: CLDR where it names the M49 area, else gettext."""

import pytest
from django.utils import translation

from concord.countries.names import babel_locale, group_name, group_short_name, localised_name

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("code", "language", "expected"),
    [
        ("002", "fr", "Afrique"),  # from CLDR
        ("202", "fr", "Afrique subsaharienne"),  # CLDR has no name for it
        ("419", "fr", "Amérique latine et Caraïbes"),  # CLDR's leaves out the Caribbean
        ("202", "ar", "أفريقيا جنوب الصحراء الكبرى"),
        ("002", "zh-hans", "非洲"),
        ("002", "sw", "Afrika"),
        ("SN", "az", "Seneqal"),
        ("419", "en", "Latin America and the Caribbean"),
    ],
)
def test_regions_are_named_in_the_language(code, language, expected):
    assert localised_name(code, "English fallback", language) == expected


def test_chinese_is_babels_simplified_chinese():
    assert str(babel_locale("zh-hans")) == "zh_Hans"
    assert babel_locale("not a language") is None


@pytest.mark.parametrize(
    ("language", "name", "short"),
    [
        ("fr", "Petits États insulaires en développement", "PEID"),
        ("es", "Pequeños Estados insulares en desarrollo", "PEID"),
        ("en", "Small Island Developing States", "SIDS"),
    ],
)
def test_groups_are_named_in_the_language(language, name, short):
    with translation.override(language):
        assert group_name("sids") == name
        assert group_short_name("sids") == short


@pytest.mark.parametrize(
    ("prefix", "expected"),
    [("/fr", "Groupe des 77 et la Chine (G77+Chine)"), ("/ar", "الدول الجزرية الصغيرة النامية")],
)
def test_the_data_page_names_groups_in_its_language(client, prefix, expected):
    assert expected in client.get(f"{prefix}/data/").content.decode()
