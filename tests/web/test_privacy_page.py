"""The privacy page: under every language prefix, its retention figures read from the
settings, linked from every page's footer, from sign-up and from the signing form."""

import pytest

from tests.factories.declarations import DeclarationFactory

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("prefix", ["", "/fr", "/ar"])
def test_the_page_is_there_in_every_language(client, prefix):
    response = client.get(f"{prefix}/privacy/")
    assert response.status_code == 200
    assert f'<html lang="{prefix.strip("/") or "en"}"' in response.content.decode()


def test_the_figures_come_from_the_settings(client, settings):
    settings.EMAIL_RETENTION_DAYS = 12
    settings.SIGNATURE_CONFIRM_HOURS = 48
    page = client.get("/privacy/").content.decode()
    assert "deleted 12 days after delivery" in page
    assert "within 48 hours of signing" in page
    assert "only your country and the day" in page


@pytest.mark.parametrize("path", ["/", "/declarations/", "/accounts/login/"])
def test_every_page_links_to_it_from_the_footer(client, path):
    page = client.get(path).content.decode()
    footer = page[page.index('<footer class="site">') :]
    assert 'href="/privacy/"' in footer


def test_sign_up_links_to_it(client):
    page = client.get("/fr/accounts/signup/").content.decode()
    main = page[page.index("<main") : page.index("</main>")]
    assert 'href="/fr/privacy/"' in main


def test_the_signing_form_links_to_it(client):
    declaration = DeclarationFactory(opened=True)
    page = client.get(f"/declarations/{declaration.slug}/").content.decode()
    form = page[page.index('<form class="stack" method="post" action="/declarations/') :]
    assert 'href="/privacy/#signatures"' in form[: form.index("</form>")]
