# ruff: noqa: RUF001, RUF003 - text in many scripts is what these tests are about
"""Full text in every script: Chinese without word spaces, Arabic, Russian, Azerbaijani's i's.

Each test runs on whichever database the suite runs on (SQLite by default, PostgreSQL with
DATABASE_URL), so both are held to the same answers.
"""

import importlib

import pytest
from django.apps import apps
from django.db import connection

from concord.knowledge import queries
from tests.factories.knowledge import PracticeFactory

pytestmark = pytest.mark.django_db

MANGROVES_ZH = {
    "language": "zh",
    "title": "沿海社区的海岸防护",
    "summary": "渔民和妇女沿着海岸线重新种植了红树林，减缓了海岸侵蚀，也为鱼类提供了栖息地。",
    "challenges": "气候变化带来的风暴潮和海平面上升威胁着村庄。",
}
SOLAR_ZH = {
    "language": "zh",
    "title": "学校屋顶的太阳能",
    "summary": "社区合作社在学校屋顶安装了太阳能板，附近的一片树林也得到了保护。",
}


def _ids(q, mode="fulltext", **filters):
    return queries.search_practices(queries.PracticeFilters(q=q, mode=mode, **filters)).all_ids()


@pytest.fixture
def chinese(member_org):
    mangroves = PracticeFactory(organisation=member_org, **MANGROVES_ZH)
    solar = PracticeFactory(organisation=member_org, **SOLAR_ZH)
    english = PracticeFactory(organisation=member_org)
    return mangroves, solar, english


@pytest.mark.parametrize("q", ["红树", "气候", "海岸侵蚀"])
def test_chinese_words_from_the_middle_of_the_text_find_the_case_study(chinese, q):
    mangroves, _solar, _english = chinese
    assert _ids(q) == [mangroves.pk]


def test_a_chinese_query_is_found_in_hybrid_search_too(chinese):
    mangroves, _solar, _english = chinese
    found = _ids("红树", mode="hybrid")
    assert mangroves.pk in found


def test_chinese_ranking_puts_the_whole_word_first(chinese):
    # 红树林 (mangrove forest) shares 树林 (woods) with the solar case study: both are
    # found, the one with the whole word first.
    mangroves, solar, _english = chinese
    assert _ids("红树林") == [mangroves.pk, solar.pk]
    assert _ids("太阳能") == [solar.pk]


def test_a_one_character_chinese_query_finds_it(chinese):
    mangroves, _solar, _english = chinese
    assert _ids("鱼") == [mangroves.pk]  # fish


def test_chinese_and_latin_words_in_one_query(chinese):
    mangroves, _solar, english = chinese
    assert set(_ids("红树 erosion")) == {mangroves.pk, english.pk}


def test_chinese_words_are_marked_in_the_snippet():
    html = queries.snippet(MANGROVES_ZH["summary"], ["红树", "树林"])
    assert "<mark>红树林</mark>" in html


def test_chinese_search_page(client, chinese):
    mangroves, _solar, _english = chinese
    response = client.get("/zh-hans/practices/", {"q": "红树", "mode": "fulltext"})
    assert response.status_code == 200
    assert f"/practices/{mangroves.pk}/" in response.text
    assert "<mark>红树</mark>" in response.text


def test_arabic_without_article_or_with_short_vowels_finds_it(member_org):
    arabic = PracticeFactory(
        organisation=member_org,
        language="ar",
        title="حماية السواحل بأشجار المانغروف",
        summary="أعاد الصيادون زراعة غابات المانغروف على طول الشاطئ للحد من تآكل التربة"
        " بعد الأمطار.",
    )
    PracticeFactory(organisation=member_org)
    assert _ids("مانغروف") == [arabic.pk]  # "mangrove", without "the"
    assert _ids("غَابَات") == [arabic.pk]  # "forests", typed with its short vowels
    assert _ids("الامطار") == [arabic.pk]  # "the rains", typed without the hamza


def test_russian_in_another_case_or_without_yo_finds_it(member_org):
    russian = PracticeFactory(
        organisation=member_org,
        language="ru",
        title="Восстановление мангровых лесов",
        summary="Рыбаки высадили деревья вдоль берега, чтобы остановить эрозию. Зимой ёлки"
        " укрывают саженцы.",
    )
    PracticeFactory(organisation=member_org)
    assert _ids("мангровый лес") == [russian.pk]  # nominative, the text has genitive
    assert _ids("елки") == [russian.pk]  # ё typed as е


def test_azerbaijani_i_and_dotless_i_meet_in_either_case(member_org):
    azerbaijani = PracticeFactory(
        organisation=member_org,
        language="az",
        title="QURAQLIĞA DAVAMLI TOXUM BANKI",
        summary="İqlim dəyişikliyi kəndlərə quraqlıq gətirir. Fermerlər yağış suyunu toplayır.",
    )
    PracticeFactory(organisation=member_org)
    assert _ids("quraqlığa") == [azerbaijani.pk]  # the title's capital I is a dotless ı
    assert _ids("İqlim") == [azerbaijani.pk]  # capital dotted İ typed in the query
    assert _ids("QURAQLIQ") == [azerbaijani.pk]  # capital I for the text's ı
    assert _ids("yagis") == [azerbaijani.pk]  # typed without Azerbaijani letters


def test_the_migration_rebuilds_the_index_of_an_existing_database(chinese):
    mangroves, _solar, english = chinese
    migration = importlib.import_module("concord.knowledge.migrations.0005_words_in_every_script")
    editor = connection.schema_editor()
    migration.backwards(apps, editor)  # the index as an older version built it
    assert _ids("红树") == []
    migration.forwards(apps, editor)
    assert _ids("红树") == [mangroves.pk]
    assert _ids("mangroves") == [english.pk]
