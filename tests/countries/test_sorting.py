"""Country, region and group pickers and the country table, in the order of the page's
language: CLDR's names sorted by its collation, regions by name with sub-regions under them."""

import re

import pytest
from django.utils import translation

from concord.countries.forms import localised_country_choices
from concord.knowledge.forms import SearchForm
from concord.organisations.forms import DirectoryFilterForm
from concord.partnerships.forms import FundingCallForm, RequestForm

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _default_language_after():
    """A page request leaves its language active in the thread: give the next test English."""
    yield
    translation.deactivate()


AZERBAIJANI_LETTERS = "ABCÇDEƏFGĞHXIİJKQLMNOÖPRSŞTUÜVYZ"


def country_names(language: str) -> list[str]:
    with translation.override(language):
        return [name for _code, name in localised_country_choices()]


def test_english_sorts_aland_as_aland_and_turkiye_among_the_ts():
    names = country_names("en")
    assert names.index("Afghanistan") + 1 == names.index("Åland Islands")
    assert names.index("Åland Islands") + 1 == names.index("Albania")
    assert names.index("Tunisia") < names.index("Türkiye") < names.index("Turkmenistan")
    assert names[-1] == "Zimbabwe"


def test_french_puts_benin_between_belize_and_bermuda():
    names = country_names("fr")
    at = names.index("Belgique")
    assert names[at : at + 4] == ["Belgique", "Belize", "Bénin", "Bermudes"]
    assert names.index("Îles Åland") < names.index("Inde")  # Î sorts as I, not after Z
    assert names.index("Égypte") < names.index("Érythrée") < names.index("Espagne")


def test_azerbaijani_follows_its_alphabet():
    initials = [AZERBAIJANI_LETTERS.index(name[0]) for name in country_names("az")]
    assert initials == sorted(initials)
    assert len(set(initials)) > 25  # Ç, Ə, İ, Ş... are all there, each in its place


def test_chinese_sorts_by_pinyin():
    names = country_names("zh-hans")
    assert names[0].startswith("阿")  # ā: Afghanistan, Albania, Algeria...
    # bā xī, dé guó, fǎ guó, mǎ lǐ, rì běn, zhōng guó
    places = [names.index(name) for name in ["巴西", "德国", "法国", "马里", "日本", "中国"]]
    assert places == sorted(places)


REGION_PICKERS = [
    pytest.param(lambda: DirectoryFilterForm().fields["region"], id="directory"),
    pytest.param(lambda: SearchForm().fields["region"], id="case-studies"),
    pytest.param(lambda: RequestForm().fields["regions"], id="partnership-request"),
    pytest.param(lambda: FundingCallForm().fields["eligible_regions"], id="funding-call"),
]


def region_groups(field) -> list[tuple[str, list[tuple[str, str]]]]:
    """The picker's option groups: (label, [(code, name)...]), leaving out the blank choice."""
    return [(label, options) for label, options in field.choices if label]


@pytest.mark.parametrize(
    ("language", "regions"),
    [
        ("en", ["Africa", "Americas", "Asia", "Europe", "Oceania"]),
        ("fr", ["Afrique", "Amériques", "Asie", "Europe", "Océanie"]),
        ("zh-hans", ["大洋洲", "非洲", "美洲", "欧洲", "亚洲"]),  # dà, fēi, měi, ōu, yà
    ],
)
def test_regions_are_sorted_by_name_not_by_un_code(language, regions):
    with translation.override(language):
        groups = region_groups(DirectoryFilterForm().fields["region"])
    assert [label for label, _options in groups] == regions


@pytest.mark.parametrize("picker", REGION_PICKERS)
def test_each_region_holds_itself_then_its_sub_regions_by_name(picker):
    with translation.override("en"):
        groups = dict(region_groups(picker()))
    assert groups["Africa"] == [
        ("002", "Africa"),
        ("015", "Northern Africa"),
        ("202", "Sub-Saharan Africa"),
    ]
    assert groups["Americas"] == [
        ("019", "Americas"),
        ("419", "Latin America and the Caribbean"),
        ("021", "Northern America"),
    ]
    assert [code for code, _name in groups["Asia"]] == ["142", "143", "030", "035", "034", "145"]


def test_a_sub_region_is_still_a_valid_choice():
    assert DirectoryFilterForm({"region": "202"}).is_valid()
    assert SearchForm({"region": "419"}).is_valid()


def test_the_directory_filter_shows_regions_as_option_groups():
    with translation.override("fr"):
        html = str(DirectoryFilterForm()["region"])
    groups = re.findall(r'<optgroup label="([^"]+)"', html)
    assert groups == ["Afrique", "Amériques", "Asie", "Europe", "Océanie"]
    assert html.index("Afrique subsaharienne") < html.index('label="Amériques"')


@pytest.mark.parametrize(
    "picker",
    [
        pytest.param(lambda: DirectoryFilterForm().fields["group"], id="directory"),
        pytest.param(lambda: SearchForm().fields["group"], id="case-studies"),
    ],
)
def test_groups_are_sorted_by_their_name_in_the_language(picker):
    with translation.override("en"):
        labels = [label for slug, label in picker().choices if slug]
    assert labels == ["G77+China", "Global South", "LDCs", "LLDCs", "NAM", "SIDS"]


def test_a_funding_calls_groups_are_sorted_by_their_label():
    with translation.override("fr"):
        labels = [label for _slug, label in FundingCallForm().fields["eligible_groups"].choices]
    assert [label.split(":")[0] for label in labels] == [
        "G77+Chine", "MNA", "PDSL", "PEID", "PMA", "Sud global",
    ]  # fmt: skip


def test_the_country_table_follows_the_pages_language(client):
    page = client.get("/fr/data/countries/").content.decode()
    rows = re.findall(r'<th scope="row">([^<]+)</th>', page)
    at = rows.index("Belgique")
    assert rows[at : at + 4] == ["Belgique", "Belize", "Bénin", "Bermudes"]
    regions = page[page.index('id="region"') : page.index('id="group"')]
    options = re.findall(r'<option value="\d{3}">([^<]+)</option>', regions)
    assert options == ["Afrique", "Amériques", "Asie", "Europe", "Océanie"]


def test_the_filtered_country_table_keeps_the_languages_order(client):
    page = client.get("/az/data/countries/", {"region": "142"}).content.decode()
    rows = re.findall(r'<th scope="row">([^<]+)</th>', page)
    assert "Çin" in rows and "Əfqanıstan" in rows  # noqa: RUF001
    initials = [AZERBAIJANI_LETTERS.index(name[0]) for name in rows]
    assert initials == sorted(initials)
