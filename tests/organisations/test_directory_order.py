"""The member directory is in the order of the page's language, across its pages: the
database sorts it (it is cut into pages there) with the language's collation."""

import html
import re

import pytest
from django.utils import translation

from tests.factories.organisations import OrganisationFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _default_language_after():
    """A page request leaves its language active in the thread: give the next test English."""
    yield
    translation.deactivate()


PAGE = 24  # organisations:directory's page size


def listed(client, prefix: str, page: int = 1) -> list[str]:
    response = client.get(f"{prefix}/members/", {"page": page})
    assert response.status_code == 200
    found = re.findall(r'<h3><a href="[^"]+">(?:<bdi>)?([^<]+)<', response.content.decode())
    return [html.unescape(name) for name in found]


def test_an_accented_name_is_on_the_first_page_where_its_letter_is(client):
    for index in range(PAGE):
        OrganisationFactory(name=f"Zones Humides {index:02}")
    OrganisationFactory(name="Élan Climat")
    OrganisationFactory(name="aube verte")
    first = listed(client, "/fr")
    assert first[:2] == ["aube verte", "Élan Climat"]
    assert first + listed(client, "/fr", 2) == [
        "aube verte",
        "Élan Climat",
        *(f"Zones Humides {index:02}" for index in range(PAGE)),
    ]


def test_azerbaijani_pages_follow_the_azerbaijani_alphabet(client):
    for name in ["Çay Evi", "Cəmiyyət", "İqlim Birliyi", "Ilıq Su", "Əkinçi", "Ekoloji Məktəb"]:  # noqa: RUF001
        OrganisationFactory(name=name)
    assert listed(client, "/az") == [
        "Cəmiyyət", "Çay Evi", "Ekoloji Məktəb", "Əkinçi", "Ilıq Su", "İqlim Birliyi",  # noqa: RUF001
    ]  # fmt: skip
    assert listed(client, "")[:2] == ["Çay Evi", "Cəmiyyət"]  # English has no letter ç


def test_chinese_pages_follow_pinyin(client):
    for name in ["中华环保联合会", "北京绿色行动", "阿拉善生态协会"]:  # zhōng, běi, ā
        OrganisationFactory(name=name)
    assert listed(client, "/zh-hans") == ["阿拉善生态协会", "北京绿色行动", "中华环保联合会"]
