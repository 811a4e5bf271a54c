"""Every page: served in each language, at most 50 KB compressed, nothing from other hosts."""

import gzip
import re
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.staticfiles import finders

from tests.factories.organisations import OrganisationFactory

pytestmark = pytest.mark.django_db

BUDGET = 50 * 1024
# Every interface language: English has no prefix, Arabic is the one written right to left.
LANGUAGES = ["", *[f"/{code}" for code, _name in settings.LANGUAGES if code != "en"]]
PUBLIC = ["/", "/members/", "/data/", "/data/countries/", "/accounts/login/", "/accounts/signup/"]
ASSET = re.compile(r'<(?:script|link|img|iframe|source)\b[^>]*?(?:src|href)="([^"]+)"', re.I)


@pytest.fixture
def many_members():
    for index in range(60):
        OrganisationFactory(
            name=f"Member organisation number {index}",
            country_id=["KE", "SN", "FJ", "BR"][index % 4],
        )


def compressed_weight(html: str) -> int:
    """HTML plus the stylesheets and scripts it loads, each gzip-compressed."""
    total = len(gzip.compress(html.encode()))
    for url in ASSET.findall(html):
        if url.startswith("/static/") and url.endswith((".css", ".js")):
            path = finders.find(url.removeprefix("/static/"))
            total += len(gzip.compress(Path(path).read_bytes()))
    return total


def check_page(client, url):
    response = client.get(url)
    assert response.status_code == 200, url
    html = response.content.decode()
    assert compressed_weight(html) <= BUDGET, url
    for asset in ASSET.findall(html):
        assert asset.startswith("/") and not asset.startswith("//"), f"{url} loads {asset}"
    assert not re.search(r"<script(?![^>]*\bsrc=)[^>]*>", html), f"inline script on {url}"
    assert not re.search(r'\sstyle="', html), f"inline style on {url}"
    assert not re.search(r"\son[a-z]+=", html), f"inline event handler on {url}"
    return html


@pytest.mark.parametrize("prefix", LANGUAGES)
@pytest.mark.parametrize("path", PUBLIC)
def test_public_pages(client, many_members, prefix, path):
    html = check_page(client, prefix + path)
    language = prefix.strip("/") or "en"
    assert f'lang="{language}"' in html
    assert ('dir="rtl"' in html) == (language == "ar")
    assert f'<option value="{language}" lang="{language}" selected>' in html
    # The language menu names every language in itself ("Kiswahili", "简体中文").
    assert all(f">{name}</option>" in html for _code, name in settings.LANGUAGES)


@pytest.mark.parametrize("prefix", LANGUAGES)
def test_signed_in_pages(client, many_members, owner, secretariat, member_org, prefix):
    OrganisationFactory(name="Waiting For Review", country_id="BD", status="pending")
    client.force_login(owner)
    for path in [
        "/account/",
        "/my/",
        "/members/apply/",
        f"/members/{member_org.pk}/",
        f"/members/{member_org.pk}/edit/",
    ]:
        check_page(client, prefix + path)
    client.force_login(secretariat)
    check_page(client, prefix + "/members/applications/")
    check_page(client, prefix + "/my/")


def test_language_switcher_keeps_the_page(client):
    response = client.post("/i18n/setlang/", {"language": "ar", "next": "/members/"})
    assert response.status_code == 302
    assert response["Location"] == "/ar/members/"


def test_unknown_language_prefix_is_404(client):
    assert client.get("/xx/members/").status_code == 404
