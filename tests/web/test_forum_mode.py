"""Forum mode's pieces: the service worker at the root with its scope, the manifest, the
Content-Security-Policy that allows both, the outbox's words in every plural form, and the
size budget of the scripts a phone keeps."""

import gzip
import json
from pathlib import Path

import pytest
from django.contrib.staticfiles import finders
from django.utils import translation

from concord.core.plurals import plural_texts
from concord.web.templatetags.offline import outbox_words

pytestmark = pytest.mark.django_db

# The service worker and the scripts of forum mode, compressed together.
BUDGET = 30 * 1024
SCRIPTS = ["web/sw.js", "web/offline.js", "events/checkin_offline.js"]


def test_the_service_worker_and_its_scripts_stay_within_their_budget():
    sizes = {}
    for name in SCRIPTS:
        path = finders.find(name)
        assert path, f"{name} is missing"
        sizes[name] = len(gzip.compress(Path(path).read_bytes(), compresslevel=9))
    assert sum(sizes.values()) <= BUDGET, sizes


def test_the_service_worker_is_served_at_the_root_for_every_page(client):
    response = client.get("/sw.js")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/javascript")
    assert response["Service-Worker-Allowed"] == "/"
    assert response["Cache-Control"] == "no-cache"
    assert b'addEventListener("fetch"' in response.content


def test_pages_link_the_manifest_and_the_policy_allows_the_worker(client):
    response = client.get("/fr/")
    html = response.content.decode()
    assert 'rel="manifest"' in html and 'data-service-worker="/sw.js"' in html
    policy = response["Content-Security-Policy"]
    assert "worker-src 'self'" in policy and "manifest-src 'self'" in policy
    manifest = json.loads(Path(finders.find("web/manifest.webmanifest")).read_text())
    assert manifest["scope"] == "/" and {"192x192", "512x512"} <= {
        icon["sizes"] for icon in manifest["icons"]
    }
    for icon in manifest["icons"]:
        assert finders.find(icon["src"].removeprefix("/static/")), icon["src"]


@pytest.mark.parametrize(
    ("language", "categories"),
    [("en", {"one", "other"}), ("ru", {"one", "few", "many"}), ("zh-hans", {"other"})],
)
def test_the_outbox_carries_one_text_per_plural_category(language, categories):
    """Whole numbers only: Russian's "other" is for fractions, never counted here."""
    texts = plural_texts(lambda n: f"form for {n}", language)
    assert set(texts) == categories
    with translation.override(language):
        html = str(outbox_words())
    assert all(f"data-{category}=" in html for category in categories)
    assert "{count}" in html
