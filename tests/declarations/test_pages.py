"""Declaration pages: create and open, sign and confirm, read in every language, without scripts."""

import gzip
import re
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from django.contrib.staticfiles import finders
from django.core import signing
from django.core.cache import cache
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.html import strip_tags

from concord.core.models import OutgoingEmail
from concord.declarations import counting
from concord.declarations.models import Declaration, Signature
from concord.declarations.services import lifecycle

pytestmark = pytest.mark.django_db

BUDGET = 50 * 1024
ASSET = re.compile(r'<(?:script|link|img|iframe|source)\b[^>]*?(?:src|href)="([^"]+)"', re.I)


@pytest.fixture(autouse=True)
def fresh_signing_checks(settings):
    """No minimum time, and per-network counters from earlier tests forgotten."""
    settings.SIGN_MIN_SECONDS = 0
    cache.clear()


def url_for(name: str, args=()) -> str:
    """A path without a language prefix, whatever language the last request activated."""
    with translation.override("en"):
        return reverse(name, args=args)


def page_text(response) -> str:
    return " ".join(strip_tags(response.content.decode()).split())


def assert_clean(html: str, url: str = "") -> None:
    """No inline script, style or handler, nothing from another host, within the budget."""
    assert not re.search(r"<script(?![^>]*\bsrc=)[^>]*>", html), f"inline script on {url}"
    assert not re.search(r'\sstyle="', html), f"inline style attribute on {url}"
    assert not re.search(r"<style\b", html), f"style element on {url}"
    assert not re.search(r"\son[a-z]+=", html), f"inline event handler on {url}"
    weight = len(gzip.compress(html.encode()))
    for asset in ASSET.findall(html):
        assert asset.startswith("/") and not asset.startswith("//"), f"{url} loads {asset}"
        if asset.startswith("/static/") and asset.endswith((".css", ".js")):
            path = finders.find(asset.removeprefix("/static/"))
            weight += len(gzip.compress(Path(path).read_bytes()))
    assert weight <= BUDGET, f"{url} weighs {weight} bytes compressed"


def get_clean(client, url: str, status: int = 200):
    response = client.get(url)
    assert response.status_code == status, url
    assert_clean(response.content.decode(), url)
    return response


def form_data(email: str = "fatou@example.org", **changes) -> dict:
    data = {
        "name": "Fatou Sow",
        "email": email,
        "country": "SN",
        "kind": "individual",
        "organisation": "",
        "role": "",
        "show_name": "on",
        "language": "en",
        "started": signing.dumps(time.time() - 30),
        "website": "",
    }
    data.update(changes)
    return {key: value for key, value in data.items() if value is not None}


def confirmation_url(email: str) -> str:
    message = OutgoingEmail.objects.filter(to=email).latest("created_at")
    return re.search(r"http://testserver(/\S*/confirm/\S+/)", message.body_text).group(1)


def add_confirmed(declaration, count: int, *, start: int = 0, organisation=None) -> None:
    """Confirmed signatures written directly, then tallied as the scheduled recount would."""
    now = timezone.now()
    countries = ["SN", "KE", "FJ", "BR", "BD", "FR"]
    Signature.objects.bulk_create(
        Signature(
            declaration=declaration,
            email=f"signer{index}@example.org",
            name=f"Signer Number {index}",
            country_id=countries[index % len(countries)],
            kind="organisation" if organisation and index % 2 else "individual",
            organisation=organisation if index % 2 else None,
            organisation_name=organisation.name if organisation and index % 2 else "",
            show_name=index % 5 != 4,
            status=Signature.Status.CONFIRMED,
            confirmed_at=now - timedelta(days=index % 3),
        )
        for index in range(start, start + count)
    )
    counting.recount(declaration)


def detail_url(declaration, prefix: str = "") -> str:
    return prefix + url_for("declarations:detail", args=[declaration.slug])


def test_secretariat_creates_a_declaration_adds_a_translation_and_opens_it(client, secretariat):
    client.force_login(secretariat)
    get_clean(client, url_for("declarations:create"))
    response = client.post(
        url_for("declarations:create"),
        {
            "slug": "ocean-pledge",
            "title": "The Ocean Pledge",
            "text": "We pledge to protect the ocean.",
            "language": "en",
            "opens_at": "",
            "closes_at": "2999-01-01T12:30",
            "eligibility": "anyone",
            "goal_signatures": "100",
            "goal_countries": "",
            "adopted_at": "Civil society forum, Nice",
        },
    )
    assert response.status_code == 302
    declaration = Declaration.objects.get(slug="ocean-pledge")
    assert response["Location"] == url_for("declarations:manage", args=["ocean-pledge"])
    assert declaration.status == "draft"
    assert declaration.closes_at == datetime(2999, 1, 1, 12, 30, tzinfo=UTC)  # read as UTC
    assert declaration.goal_signatures == 100

    manage = url_for("declarations:manage", args=["ocean-pledge"])
    get_clean(client, manage)
    response = client.post(
        manage,
        {
            "action": "text",
            "language": "fr",
            "title": "L'Engagement pour l'océan",
            "text": "Nous nous engageons à protéger l'océan.",
        },
    )
    assert response.status_code == 302
    response = client.post(manage, {"action": "open"}, follow=True)
    assert "The declaration is open for signature." in page_text(response)
    declaration.refresh_from_db()
    assert declaration.status == "open"
    assert all(len(text.sha256) == 64 for text in declaration.texts.all())
    assert declaration.texts.count() == 2


def test_creating_with_a_taken_short_name_shows_the_error_on_the_field(
    client, secretariat, declaration
):
    client.force_login(secretariat)
    response = client.post(
        url_for("declarations:create"),
        {"slug": declaration.slug, "title": "Again", "text": "Again.", "language": "en"}
        | {"eligibility": "anyone"},
    )
    assert response.status_code == 422
    assert response.context["form"].errors["slug"]
    assert Declaration.objects.count() == 1


def test_only_the_secretariat_creates_declarations(client, owner):
    client.force_login(owner)
    assert client.get(url_for("declarations:create")).status_code == 403


def test_anonymous_signer_confirms_by_post_and_is_counted(client, declaration):
    detail = get_clean(client, detail_url(declaration))
    assert 'name="website"' in detail.content.decode()
    assert 'class="hp"' in detail.content.decode()

    response = client.post(url_for("declarations:sign", args=[declaration.slug]), form_data())
    assert response.status_code == 302
    assert response["Location"].endswith("/signed/?status=pending")
    page = get_clean(client, response["Location"])
    assert "Check your email" in page_text(page)
    signature = Signature.objects.get(email="fatou@example.org")
    assert signature.status == "pending"
    assert signature.network == "127.0.0.0/24"
    assert signature.flags == ""

    url = confirmation_url("fatou@example.org")
    opened = get_clean(client, url)  # a mail scanner opening the link changes nothing
    assert "Confirm my signature" in page_text(opened)
    signature.refresh_from_db()
    assert signature.status == "pending"

    confirmed = client.post(url)
    assert confirmed.status_code == 200
    assert "Your signature is confirmed and counted" in page_text(confirmed)
    signature.refresh_from_db()
    assert signature.status == "confirmed"

    page = get_clean(client, detail_url(declaration))
    assert page.context["stats"].signatures == 1
    text = page_text(page)
    assert "1 signature" in text
    assert "Senegal" in text


def test_a_bad_confirmation_link_is_refused_with_400(client, declaration):
    url = url_for("declarations:confirm", args=[declaration.slug, "not-a-token"])
    response = client.post(url)
    assert response.status_code == 400
    assert "This confirmation link is not valid." in page_text(response)


def test_an_expired_link_answers_410_and_offers_a_new_one(client, declaration):
    client.post(url_for("declarations:sign", args=[declaration.slug]), form_data())
    url = confirmation_url("fatou@example.org")
    Signature.objects.update(token_expires_at=timezone.now() - timedelta(minutes=1))
    response = client.post(url)
    assert response.status_code == 410
    assert "Send the link again" in page_text(response)
    assert Signature.objects.get().status == "pending"


def test_resend_gives_the_same_answer_whatever_the_address(client, declaration):
    client.post(url_for("declarations:sign", args=[declaration.slug]), form_data())
    before = OutgoingEmail.objects.count()
    resend = url_for("declarations:resend", args=[declaration.slug])
    known = client.post(resend, {"email": "fatou@example.org"}, follow=True)
    unknown = client.post(resend, {"email": "nobody@example.org"}, follow=True)
    message = "If this address has a pending signature, a new link is on its way."
    assert message in page_text(known)
    assert message in page_text(unknown)
    assert OutgoingEmail.objects.count() == before + 1


def test_a_duplicate_gets_the_same_page_and_the_address_an_email(client, declaration):
    sign = url_for("declarations:sign", args=[declaration.slug])
    first = client.post(sign, form_data())
    response = client.post(sign, form_data(name="Someone Else"))
    assert (response.status_code, response["Location"]) == (302, first["Location"])
    assert Signature.objects.count() == 1
    assert OutgoingEmail.objects.filter(
        to="fatou@example.org", key__startswith="signature.already_signed:"
    ).exists()


def test_bad_input_is_shown_on_the_form_and_nothing_is_written(client, declaration):
    response = client.post(
        url_for("declarations:sign", args=[declaration.slug]),
        form_data(email="not-an-address", kind="organisation", organisation=""),
    )
    assert response.status_code == 422
    errors = response.context["form"].errors
    assert "email" in errors
    assert Signature.objects.count() == 0


def test_organisation_signature_needs_the_organisation(client, declaration):
    response = client.post(
        url_for("declarations:sign", args=[declaration.slug]),
        form_data(kind="organisation", organisation=""),
    )
    assert response.status_code == 422
    assert "Name the organisation you sign for." in page_text(response)
    assert Signature.objects.count() == 0


def test_signing_a_closed_declaration_is_refused_with_409(client, secretariat, declaration):
    lifecycle.close_declaration(secretariat, declaration)
    response = client.post(url_for("declarations:sign", args=[declaration.slug]), form_data())
    assert response.status_code == 409
    assert "This declaration is not open for signature." in page_text(response)
    assert Signature.objects.count() == 0


def test_signing_a_draft_is_refused_with_409(client, secretariat):
    draft = lifecycle.create_declaration(
        secretariat, slug="draft-call", title="Draft call", text="Not yet.", language="en"
    )
    # Nobody else even sees a draft.
    assert (
        client.post(url_for("declarations:sign", args=[draft.slug]), form_data()).status_code == 404
    )
    client.force_login(secretariat)
    response = client.post(url_for("declarations:sign", args=[draft.slug]), form_data())
    assert response.status_code == 409
    assert Signature.objects.count() == 0


def test_a_members_only_declaration_refuses_an_anonymous_signer(client, secretariat):
    members_only = lifecycle.open_declaration(
        secretariat,
        lifecycle.create_declaration(
            secretariat,
            slug="members-call",
            title="Members' call",
            text="For members.",
            eligibility="members",
        ),
    )
    response = client.post(url_for("declarations:sign", args=[members_only.slug]), form_data())
    assert response.status_code == 403
    assert "Only representatives of member organisations may sign" in page_text(response)
    assert Signature.objects.count() == 0


def test_a_representative_signs_for_their_member_organisation_and_counts_at_once(
    client, colleague, member_org, declaration
):
    client.force_login(colleague)
    page = client.get(detail_url(declaration))
    form = page.context["form"]
    assert form.initial["email"] == colleague.email
    assert "organisation_id" in form.fields
    response = client.post(
        url_for("declarations:sign", args=[declaration.slug]),
        form_data(
            email=colleague.email,
            name=colleague.name,
            kind="organisation",
            organisation_id=str(member_org.pk),
        ),
    )
    assert response["Location"].endswith("?status=confirmed")
    signature = Signature.objects.get()
    assert (signature.status, signature.organisation) == ("confirmed", member_org)


def test_the_honeypot_flags_the_signature_and_sends_no_email(client, declaration):
    response = client.post(
        url_for("declarations:sign", args=[declaration.slug]),
        form_data(website="http://spam.example"),
    )
    assert response["Location"].endswith("?status=pending")  # the bot learns nothing
    assert Signature.objects.get().flags == "honeypot"
    assert not OutgoingEmail.objects.exists()


def test_a_form_sent_faster_than_a_person_types_is_flagged(client, settings, declaration):
    settings.SIGN_MIN_SECONDS = 3
    client.post(
        url_for("declarations:sign", args=[declaration.slug]),
        form_data(started=signing.dumps(time.time())),
    )
    client.post(
        url_for("declarations:sign", args=[declaration.slug]),
        form_data(email="forged@example.org", started="forged"),
    )
    assert set(Signature.objects.values_list("flags", flat=True)) == {"fast"}


def test_the_signatory_list_shows_chosen_names_only_and_never_emails(client, declaration):
    sign = url_for("declarations:sign", args=[declaration.slug])
    client.post(sign, form_data("shown@example.org", name="Awa Shown", role="Director"))
    client.post(sign, form_data("hidden@example.org", name="Hidden Person", show_name=None))
    for email in ("shown@example.org", "hidden@example.org"):
        client.post(confirmation_url(email))
    response = get_clean(client, url_for("declarations:signatories", args=[declaration.slug]))
    html = response.content.decode()
    assert "Awa Shown" in html
    assert "Director" in html
    assert "Hidden Person" not in html
    assert "@example.org" not in html
    assert "1 more chose not to show their name" in page_text(response)

    found = client.get(
        url_for("declarations:signatories", args=[declaration.slug]), {"q": "awa", "country": "KE"}
    )
    assert "Awa Shown" not in found.content.decode()


def test_the_text_switcher_shows_the_french_version_and_its_fingerprint(client, declaration):
    french = declaration.texts.get(language="fr")
    response = get_clean(client, detail_url(declaration) + "?text=fr")
    html = response.content.decode()
    assert "L&#x27;Appel de Bakou pour la justice climatique" in html
    assert f'<code class="token">{french.sha256}</code>' in html
    assert 'lang="fr"' in html
    # The sign form records the version being read.
    assert response.context["form"].initial["language"] == "fr"


def test_the_interface_language_picks_the_text_by_default(client, declaration):
    response = client.get(detail_url(declaration, "/fr"))
    assert response.context["text"].language == "fr"
    response = client.get(detail_url(declaration, "/ar"))
    assert response.context["text"].language == "en"  # no Arabic version: the original


@pytest.mark.parametrize("prefix", ["", "/fr", "/ar"])
def test_pages_render_in_every_language(client, declaration, prefix):
    add_confirmed(declaration, 3)
    language = prefix.strip("/") or "en"
    slug = declaration.slug
    for url in [
        url_for("declarations:list"),
        url_for("declarations:detail", args=[slug]),
        url_for("declarations:signatories", args=[slug]),
        url_for("declarations:signed", args=[slug]) + "?status=pending",
        url_for("declarations:confirm", args=[slug, "some-token"]),
        url_for("declarations:pdf", args=[slug]),
    ]:
        html = get_clean(client, prefix + url).content.decode()
        assert f'<html lang="{language}"' in html
        assert ('dir="rtl"' in html) == (language == "ar"), url


def test_the_list_puts_open_declarations_first_and_hides_drafts(client, secretariat, declaration):
    lifecycle.create_declaration(
        secretariat, slug="secret-draft", title="Secret draft", text="Draft.", language="en"
    )
    public = page_text(get_clean(client, url_for("declarations:list")))
    assert "The Baku Call for Climate Justice" in public
    assert "Secret draft" not in public
    assert "New declaration" not in public
    client.force_login(secretariat)
    staff = page_text(get_clean(client, url_for("declarations:list")))
    assert "Secret draft" in staff
    assert "New declaration" in staff
    assert staff.index("The Baku Call") < staff.index("Secret draft")


def test_a_closed_one_shows_its_fingerprint_and_no_form(client, secretariat, declaration):
    add_confirmed(declaration, 4)
    closed = lifecycle.close_declaration(secretariat, declaration)
    response = get_clean(client, detail_url(declaration))
    assert closed.final_export_sha256 in response.content.decode()
    assert "Signing closed with 4 signatures." in page_text(response)
    assert 'name="website"' not in response.content.decode()


# The detail page: 7 with its co-sponsors and its addressees (one query each).
@pytest.mark.parametrize("rows", [1, 3])
@pytest.mark.parametrize(("name", "queries"), [("detail", 7), ("signatories", 4)])
def test_query_count_does_not_grow_with_signatures(
    client, declaration, member_org, name, queries, rows, query_count
):
    url = url_for(f"declarations:{name}", args=[declaration.slug])
    add_confirmed(declaration, rows, organisation=member_org)
    if rows > 1:
        assert Signature.objects.filter(organisation=member_org).exists()
    client.get(url)  # warm the per-process reference data
    with query_count(queries):
        assert client.get(url).status_code == 200
