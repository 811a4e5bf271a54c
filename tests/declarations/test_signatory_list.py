"""The public signatory list, paged by cursor: complete, stable, cheap at any depth."""

import base64
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from concord.declarations import queries
from concord.declarations.models import Signature
from concord.declarations.services import review
from tests.declarations.test_pages import page_text, url_for
from tests.factories.declarations import SignatureFactory

# Ties on purpose: the same name in one country and across countries, so only the row
# breaks them.
PEOPLE = [
    ("Awa Diallo", "SN"),
    ("Awa Diallo", "SN"),
    ("Awa Diallo", "KE"),
    ("Bakary Camara", "SN"),
    ("Zainab Otieno", "KE"),
    ("Amina Yusuf", "KE"),
    ("Ana Silva", "BR"),
    ("Awa Diallo", "BR"),
    ("Chen Jing", "FJ"),
]


@pytest.fixture
def listed(declaration):
    """The signatures above, confirmed, plus hidden ones (2 in Kenya, 1 in Senegal) and one
    pending, which the list never shows."""
    for index, (name, country) in enumerate(PEOPLE):
        SignatureFactory(
            declaration=declaration,
            email=f"person{index}@example.org",
            name=name,
            country=country,
            confirmed=True,
        )
    for index, country in enumerate(["KE", "KE", "SN"]):
        SignatureFactory(
            declaration=declaration,
            email=f"hidden{index}@example.org",
            name=f"Hidden {country} {index}",
            country=country,
            show_name=False,
            confirmed=True,
        )
    SignatureFactory(declaration=declaration, email="pending@example.org", name="Pending")
    return declaration


def api(declaration) -> str:
    return f"/api/v1/declarations/{declaration.slug}/signatories"


def expected_order(declaration) -> list[int]:
    shown = Signature.objects.filter(declaration=declaration, status="confirmed", show_name=True)
    return list(shown.order_by("country_id", "name", "pk").values_list("pk", flat=True))


def walk(client, url: str, link: str) -> list[dict]:
    rows, seen_pages = [], 0
    while url and seen_pages < 50:
        answer = client.get(url)
        assert answer.status_code == 200, answer.content
        body = answer.json()
        rows.append(body["results"])
        url = body[link]
        seen_pages += 1
    return rows


def test_following_next_lists_every_visible_signature_once_in_order(client, listed):
    pages = walk(client, api(listed) + "?page_size=2", "next")
    names = [(row["name"], row["country"]) for page in pages for row in page]
    order = Signature.objects.in_bulk(expected_order(listed))
    assert names == [(order[pk].name, order[pk].country_id) for pk in expected_order(listed)]
    assert len(pages) == 5 and all(len(page) == 2 for page in pages[:-1])
    assert not any(name.startswith(("Hidden", "Pending")) for name, _ in names)


def test_pages_are_the_same_walked_backwards_from_the_last(client, listed):
    forward = walk(client, api(listed) + "?page_size=2", "next")
    backward = walk(client, api(listed) + "?page_size=2&page=last", "previous")
    flat = [row for page in forward for row in page]
    assert len(flat) == len(expected_order(listed))
    assert [row for page in reversed(backward) for row in page] == flat


def test_a_new_signature_does_not_shift_the_next_page(client, listed):
    first = client.get(api(listed) + "?page_size=3").json()
    SignatureFactory(
        declaration=listed,
        email="early@example.org",
        name="Aaron Early",
        country="BR",
        confirmed=True,
    )
    second = client.get(first["next"]).json()
    # The row after the cursor is the one that followed it before the new signature came.
    before = walk(client, api(listed) + "?page_size=100", "next")[0]
    index = next(i for i, row in enumerate(before) if row == first["results"][-1])
    assert second["results"][0] == before[index + 1]


def test_page_walk_is_complete_on_the_page_too(client, listed, monkeypatch):
    monkeypatch.setattr(queries, "SIGNATORY_PAGE", 4)
    url = url_for("declarations:signatories", args=[listed.slug])
    shown, query, pages = [], "", 0
    while pages < 10:
        html = client.get(url + query).content.decode()
        shown += re.findall(r"<li><strong><bdi>([^<]+)</bdi></strong>", html)
        found = re.search(r'<a href="(\?[^"]*)" rel="next">', html)
        pages += 1
        if not found:
            break
        query = found.group(1).replace("&amp;", "&")
    assert pages == 3
    assert len(shown) == len(PEOPLE)
    assert sorted(shown) == sorted(name for name, _ in PEOPLE)


@pytest.mark.parametrize(
    "cursor",
    [
        "not-a-cursor!",
        base64.urlsafe_b64encode(b"not json").decode(),
        base64.urlsafe_b64encode(b'{"a": 1}').decode(),
        base64.urlsafe_b64encode(b'["SN", "Awa"]').decode(),
        base64.urlsafe_b64encode(b'["SN", "Awa", "7"]').decode(),
        base64.urlsafe_b64encode(b'["SN", 3, 7]').decode(),
        base64.urlsafe_b64encode(b'["SN", "Awa", true]').decode(),
        base64.urlsafe_b64encode(b'["S\\u0000N", "Awa", 7]').decode(),
    ],
)
@pytest.mark.parametrize("direction", ["after", "before"])
def test_a_bad_cursor_is_a_clear_400(client, listed, cursor, direction):
    answer = client.get(api(listed), {direction: cursor})
    assert answer.status_code == 400
    assert answer.json()["code"] == "bad_cursor"
    assert "cursor" in answer.json()["detail"]
    page = client.get(url_for("declarations:signatories", args=[listed.slug]), {direction: cursor})
    assert page.status_code == 400
    assert "cursor cannot be read" in page_text(page)


def test_a_page_number_is_refused_not_clamped(client, listed):
    answer = client.get(api(listed), {"page": "999999999999"})
    assert answer.status_code == 400 and answer.json()["code"] == "no_page_numbers"
    page = client.get(url_for("declarations:signatories", args=[listed.slug]), {"page": "7"})
    assert page.status_code == 400
    assert client.get(api(listed), {"page": "1"}).status_code == 200


def test_the_count_comes_from_the_tallies_and_respects_the_filter(client, listed):
    assert client.get(api(listed)).json()["count"] == len(PEOPLE)
    assert client.get(api(listed), {"country": "KE"}).json()["count"] == 3
    assert client.get(api(listed), {"q": "awa"}).json()["count"] == 4


def test_the_hidden_count_follows_the_country_filter(client, listed):
    url = url_for("declarations:signatories", args=[listed.slug])
    assert "3 more chose not to show their names" in page_text(client.get(url))
    kenya = page_text(client.get(url, {"country": "KE"}))
    assert "2 more chose not to show their names" in kenya
    senegal = page_text(client.get(url, {"country": "SN"}))
    assert "1 more chose not to show their name;" in senegal
    assert "more chose not to show" not in page_text(client.get(url, {"country": "BR"}))
    # Hidden names are never searched, so a name search says nothing about them.
    assert "more chose not to show" not in page_text(client.get(url, {"q": "Hidden"}))


def test_an_invalidated_signature_leaves_the_list_and_its_counts(client, listed, secretariat):
    selection = review.SignatureFilter(domain="example.org")
    review.invalidate_signatures(secretariat, listed, selection, reason="test sweep")
    url = url_for("declarations:signatories", args=[listed.slug])
    assert client.get(api(listed)).json() == {
        "count": 0,
        "next": None,
        "previous": None,
        "results": [],
    }
    assert "more chose not to show" not in page_text(client.get(url))


def test_a_deep_page_seeks_in_the_index_and_counts_nothing(client, listed):
    first = client.get(api(listed) + "?page_size=2").json()
    with CaptureQueriesContext(connection) as captured:
        assert client.get(first["next"]).status_code == 200
    sql = " ".join(query["sql"] for query in captured.captured_queries).upper()
    assert " OFFSET " not in sql
    assert "COUNT(" not in sql
    if connection.vendor == "sqlite":
        for order, filters in (
            (queries.SIGNATORY_ORDER, {}),
            (queries.SIGNATORY_ORDER_IN_COUNTRY, {"country": "KE"}),
        ):
            found = queries.public_signatories(listed, **filters).order_by(*order.fields)
            deeper = order.beyond(found, order.key(found[0]), forward=True)
            plan = deeper.order_by(*order.fields)[:3].explain()
            assert "signatory_list_order" in plan, plan
            assert "TEMP B-TREE" not in plan, plan


@pytest.mark.parametrize("rows", [1, 3])
def test_a_deep_page_costs_a_fixed_number_of_queries(client, declaration, rows, query_count):
    for index in range(rows + 1):
        SignatureFactory(
            declaration=declaration,
            email=f"q{index}@example.org",
            name=f"Q {index}",
            confirmed=True,
        )
    first = client.get(api(declaration) + "?page_size=1").json()
    page = url_for("declarations:signatories", args=[declaration.slug])
    cursor = first["next"].split("after=")[1].split("&")[0]
    client.get(page)  # warm the per-process reference data
    # The declaration and its texts, the page, the tallies: at any depth, for any size.
    with query_count(4):
        assert client.get(first["next"]).status_code == 200
    with query_count(4):
        assert client.get(page, {"after": cursor}).status_code == 200


def test_a_country_is_walked_completely_too(client, listed):
    pages = walk(client, api(listed) + "?page_size=1&country=KE", "next")
    names = [row["name"] for page in pages for row in page]
    assert names == ["Amina Yusuf", "Awa Diallo", "Zainab Otieno"]
    back = walk(client, api(listed) + "?page_size=1&country=KE&page=last", "previous")
    assert [row["name"] for page in reversed(back) for row in page] == names
