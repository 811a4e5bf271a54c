"""What other sites show of a declaration: the counter badge, the link preview's tags and
the share image drawn on the server."""

import dataclasses
import io
import re

import pytest
from django.core.cache import cache
from django.test import Client
from PIL import Image

from concord.declarations import share_card
from concord.declarations.services import lifecycle
from concord.declarations.views import images
from tests.factories.declarations import DeclarationFactory, SignatureFactory

pytestmark = pytest.mark.django_db

BADGE = "/declarations/baku-call/badge.svg"
SHARE = "/declarations/baku-call/share.png"


@pytest.fixture(autouse=True)
def empty_cache():
    cache.clear()
    yield
    cache.clear()


def counted(declaration, n: int, countries=("SN",)) -> None:
    for i in range(n):
        country = countries[i % len(countries)]
        SignatureFactory(
            declaration=declaration, email=f"s{i}@example.org", country=country, confirmed=True
        )


# --- The badge --------------------------------------------------------------------------


def test_the_badge_is_a_small_svg_with_the_count(declaration):
    counted(declaration, 2)
    response = Client().get(BADGE)
    assert response.status_code == 200
    assert response["Content-Type"] == "image/svg+xml"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Cache-Control"] == f"public, max-age={images.BADGE_CACHE_SECONDS}"
    assert len(response.content) < 2048
    svg = response.content.decode()
    assert svg.startswith("<svg") and ">2 signatures</text>" in svg
    assert "<script" not in svg


def test_the_badge_writes_the_number_as_the_language_does(declaration, monkeypatch):
    # A thousand real signatures would cost a minute: the count is what the statistics say.
    real = images.queries.declaration_stats

    def thousands(declaration):
        return dataclasses.replace(real(declaration), signatures=1234567)

    monkeypatch.setattr(images.queries, "declaration_stats", thousands)
    english = Client().get(BADGE).content.decode()
    french = Client().get("/fr" + BADGE).content.decode()
    arabic = Client().get("/ar" + BADGE).content.decode()
    assert "1,234,567" in english
    assert "1\u202f234\u202f567" in french  # CLDR's narrow no-break space
    assert "1,234,567" not in french
    assert 'direction="rtl"' in arabic and 'direction="rtl"' not in french


def test_the_badge_escapes_the_title(secretariat):
    draft = DeclarationFactory(
        created_by=secretariat, slug="odd", title='Fish & <chips> "now"', opened=True
    )
    svg = Client().get(f"/declarations/{draft.slug}/badge.svg").content.decode()
    assert "<title>Fish &amp; &lt;chips&gt; &quot;now&quot;: 0 signatures</title>" in svg
    assert "<chips>" not in svg


def test_a_drafts_badge_is_hidden_and_private(secretariat):
    draft = DeclarationFactory(created_by=secretariat, slug="draft-call")
    assert Client().get(f"/declarations/{draft.slug}/badge.svg").status_code == 404
    client = Client()
    client.force_login(secretariat)
    response = client.get(f"/declarations/{draft.slug}/badge.svg")
    assert response.status_code == 200 and response["Cache-Control"] == "private, no-cache"


# --- The link preview -------------------------------------------------------------------


def meta(page: str, name: str) -> str:
    return re.search(rf'<meta (?:property|name)="{name}" content="([^"]*)">', page).group(1)


def test_the_page_has_link_preview_tags_with_absolute_urls(declaration):
    page = Client().get("/declarations/baku-call/").text
    assert meta(page, "og:title") == "The Baku Call for Climate Justice"
    assert meta(page, "og:description").startswith("We, the undersigned organisations")
    assert meta(page, "og:url") == "http://testserver/declarations/baku-call/"
    assert meta(page, "og:image") == "http://testserver/declarations/baku-call/share.png"
    assert (meta(page, "og:image:width"), meta(page, "og:image:height")) == ("1200", "630")
    assert meta(page, "twitter:card") == "summary_large_image"
    assert meta(page, "og:locale") == "en_GB"


def test_the_preview_is_in_the_readers_language(declaration):
    page = Client().get("/fr/declarations/baku-call/").text
    assert meta(page, "og:title") == "L&#x27;Appel de Bakou pour la justice climatique"
    assert meta(page, "og:url") == "http://testserver/fr/declarations/baku-call/"
    assert meta(page, "og:image") == "http://testserver/fr/declarations/baku-call/share.png"
    assert meta(page, "og:locale") == "fr_FR"


def test_a_long_text_is_cut_for_the_description(declaration, secretariat):
    lifecycle.set_text(
        secretariat, declaration, language="es", title="Llamado", text="palabra " * 200
    )
    description = meta(Client().get("/es/declarations/baku-call/").text, "og:description")
    assert len(description) <= 200 and description.endswith("…")


# --- The share image --------------------------------------------------------------------


def test_the_share_image_is_a_1200_by_630_png(declaration):
    counted(declaration, 3, countries=("SN", "KE"))
    response = Client().get(SHARE)
    assert response.status_code == 200
    assert response["Content-Type"] == "image/png"
    assert response["Cache-Control"] == f"public, max-age={images.SHARE_KEEP_SECONDS}"
    image = Image.open(io.BytesIO(response.content))
    assert image.format == "PNG" and image.size == (1200, 630)


def test_the_count_line_says_signatures_and_countries():
    assert images.count_line(1023, 137) == "1,023 signatures from 137 countries"
    assert images.count_line(1, 1) == "1 signature from 1 country"
    assert images.count_line(0, 0) == "0 signatures"


def test_a_second_request_reuses_the_drawing(declaration, monkeypatch):
    drawn = []
    real = share_card.draw_card
    monkeypatch.setattr(share_card, "draw_card", lambda *a: drawn.append(a) or real(*a))
    first = Client().get(SHARE)
    second = Client().get(SHARE)
    assert len(drawn) == 1 and first.content == second.content
    assert Client().get(SHARE, headers={"if-none-match": first["ETag"]}).status_code == 304
    Client().get("/ar" + SHARE)  # another language: its own drawing
    assert len(drawn) == 2


def test_the_drawing_is_redone_when_the_count_moves_on(declaration, monkeypatch):
    drawn = []
    real = share_card.draw_card
    monkeypatch.setattr(share_card, "draw_card", lambda *a: drawn.append(a) or real(*a))
    Client().get(SHARE)
    counted(declaration, 1)
    Client().get(SHARE)
    assert [args[2] for args in drawn] == ["0 signatures", "1 signature from 1 country"]


def test_the_count_bucket_keeps_two_figures():
    assert [images.count_bucket(n) for n in (7, 99, 100, 1023, 1099, 1100, 987654)] == [
        7, 99, 100, 1000, 1000, 1100, 980000,
    ]  # fmt: skip


@pytest.mark.parametrize(
    ("text", "font"),
    [
        ("نداء باكو", "NotoSansArabic"),
        ("نداء باكو COP29", "DejaVuSans"),  # Noto's Arabic has no Latin letters
        ("巴库呼吁 COP29", "NotoSansCJK"),
        ("Бакинский призыв", "NotoSans-"),
    ],
)
def test_each_text_gets_a_font_that_has_its_letters(text, font):
    assert font in share_card.font_file(share_card.script_of(text))[0]
