"""Who brought whom: a member organisation's share link (`?via=`) credits the signatures it
brings, on every path, counted exactly in attribution tallies; any other value is ignored
and changes no answer."""

import json
import re
import time
from collections import Counter

import pytest
from django.core import signing as django_signing
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation

from concord.declarations import counting, intake
from concord.declarations.models import Attribution, Signature, SignatureIntake
from concord.declarations.queries import declaration_stats
from concord.declarations.services import attribution, erasure, review, signing, withdrawal
from tests.factories.accounts import UserFactory
from tests.factories.declarations import SignatureFactory
from tests.factories.organisations import OrganisationFactory, RepresentativeFactory

pytestmark = pytest.mark.django_db

DEFERRED_TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


@pytest.fixture(autouse=True)
def _quick(settings):
    settings.SIGN_MIN_SECONDS = 0


@pytest.fixture
def maputo(db):
    """A member organisation in Mozambique, with a representative of its own."""
    organisation = OrganisationFactory(name="Maputo Coastal Alliance", country_id="MZ")
    RepresentativeFactory(organisation=organisation, user=UserFactory(email="rep@maputo.example"))
    return organisation


def url_for(name: str, *args) -> str:
    with translation.override("en"):
        return reverse(name, args=args)


def form_data(email: str, **changes) -> dict:
    data = {
        "name": "Fatou Sow",
        "email": email,
        "country": "MZ",
        "kind": "individual",
        "show_name": "on",
        "language": "en",
        "started": django_signing.dumps(time.time() - 30),
        "website": "",
    }
    data.update(changes)
    return data


def api_sign(client, declaration, email: str, **fields):
    body = {"name": "Ana Silva", "email": email, "country": "MZ", **fields}
    url = f"/api/v1/declarations/{declaration.slug}/signatures"
    return client.post(url, json.dumps(body), content_type="application/json")


def confirm(declaration, email: str) -> Signature:
    """Confirm by the emailed link's path: store a known token's hash, confirm with it."""
    token = "token-" + email
    Signature.objects.filter(declaration=declaration, email=email).update(
        token_hash=signing.hash_token(token)
    )
    return signing.confirm_signature(declaration, token)


def brought(declaration) -> Counter:
    return counting.tallied_attributions(declaration)


def assert_exact(declaration) -> None:
    assert counting.tallied_attributions(declaration) == counting.true_attributions(declaration)
    assert counting.recount(declaration) is False  # nothing to correct


# --- Credited on every path -------------------------------------------------------------


def test_the_web_form_carries_the_share_link_and_credits_on_confirmation(
    client, declaration, maputo
):
    page = client.get(url_for("declarations:detail", declaration.slug) + f"?via={maputo.pk}")
    assert f'name="via" value="{maputo.pk}"' in page.content.decode()
    response = client.post(
        url_for("declarations:sign", declaration.slug),
        form_data("ana@example.org", via=str(maputo.pk)),
    )
    assert response.status_code == 302
    signature = Signature.objects.get(email="ana@example.org")
    assert signature.via == maputo and signature.status == "pending"
    assert brought(declaration) == Counter()  # nothing counted before the link is confirmed
    confirm(declaration, "ana@example.org")
    assert brought(declaration) == Counter({(maputo.pk, "MZ"): 1})
    assert_exact(declaration)


@pytest.mark.parametrize("via", ["{pk}", "{pk_int}"])
def test_the_api_credits_a_string_or_a_number(client, declaration, maputo, via):
    value = str(maputo.pk) if via == "{pk}" else maputo.pk
    response = api_sign(client, declaration, "ana@example.org", via=value)
    assert response.status_code == 202
    assert Signature.objects.get(email="ana@example.org").via == maputo
    confirm(declaration, "ana@example.org")
    assert brought(declaration) == Counter({(maputo.pk, "MZ"): 1})


def test_the_intake_keeps_the_value_and_the_batch_resolves_it_in_one_query(
    client, declaration, maputo, pending_org, settings
):
    settings.TASKS = DEFERRED_TASKS
    for index in range(3):
        api_sign(client, declaration, f"ana{index}@example.org", via=str(maputo.pk))
    api_sign(client, declaration, "pending@example.org", via=str(pending_org.pk))
    api_sign(client, declaration, "none@example.org")
    assert not Signature.objects.exists()
    payloads = [row.payload["data"]["via"] for row in SignatureIntake.objects.order_by("pk")]
    assert payloads == [str(maputo.pk)] * 3 + [str(pending_org.pk), ""]
    with CaptureQueriesContext(connection) as captured:
        assert intake.process()["recorded"] == 5
    organisation_reads = [
        query["sql"]
        for query in captured.captured_queries
        if query["sql"].startswith("SELECT") and '"organisations_organisation"' in query["sql"]
    ]
    assert len(organisation_reads) == 1  # for the five rows, not one per row
    credited = dict(Signature.objects.values_list("email", "via_id"))
    assert credited == {
        "ana0@example.org": maputo.pk,
        "ana1@example.org": maputo.pk,
        "ana2@example.org": maputo.pk,
        "pending@example.org": None,  # an application, not (yet) a member
        "none@example.org": None,
    }


def test_a_signed_in_member_is_confirmed_and_credited_at_once(client, declaration, maputo, owner):
    client.force_login(owner)
    response = client.post(
        url_for("declarations:sign", declaration.slug),
        form_data(owner.email, via=str(maputo.pk)),
    )
    assert response.status_code == 302 and response["Location"].endswith("status=confirmed")
    assert Signature.objects.get(email=owner.email).via == maputo
    assert brought(declaration) == Counter({(maputo.pk, "MZ"): 1})
    assert_exact(declaration)


# --- Ignored, and the answers say nothing of it -------------------------------------------

GARBAGE = ["abc", "12abc", "-3", "0", "1" * 40, "\uff11\uff12", " ", "12\x00", "<b>1</b>"]


def test_an_unknown_non_member_or_malformed_value_is_ignored_with_the_same_api_answer(
    client, declaration, maputo, pending_org
):
    good = api_sign(client, declaration, "good@example.org", via=str(maputo.pk))
    values = [str(pending_org.pk), "999999", 999999, True, 1.5, [maputo.pk], {"id": 1}, None]
    for index, value in enumerate(values + GARBAGE):
        response = api_sign(client, declaration, f"other{index}@example.org", via=value)
        assert (response.status_code, response.content) == (good.status_code, good.content)
        assert response.headers.get("Content-Type") == good.headers.get("Content-Type")
    assert list(Signature.objects.exclude(via=None).values_list("email", flat=True)) == [
        "good@example.org"
    ]


def test_the_form_answers_the_same_whatever_the_value(client, declaration, maputo, pending_org):
    url = url_for("declarations:sign", declaration.slug)
    good = client.post(url, form_data("good@example.org", via=str(maputo.pk)))
    for index, value in enumerate([str(pending_org.pk), "999999", *GARBAGE]):
        response = client.post(url, form_data(f"other{index}@example.org", via=value))
        assert (response.status_code, response["Location"]) == (302, good["Location"])
        assert response.content == good.content
    assert Signature.objects.exclude(via=None).count() == 1


def test_the_page_is_the_same_for_a_member_and_for_an_application(
    client, declaration, maputo, pending_org
):
    def page(value: int) -> str:
        url = url_for("declarations:detail", declaration.slug) + f"?via={value}"
        html = client.get(url).content.decode()
        # What differs by the request, whatever it names: the value itself (in the form and
        # the language switcher's return address), the CSRF token, the form's time.
        html = html.replace(f'name="via" value="{value}"', "VIA").replace(f"via={value}", "VIA")
        html = re.sub(r'name="csrfmiddlewaretoken" value="[^"]*"', "CSRF", html)
        return re.sub(r'name="started" value="[^"]*"', "STARTED", html)

    assert page(maputo.pk) == page(pending_org.pk) == page(999999)


def test_only_a_positive_number_is_kept():
    assert [attribution.clean_via(v) for v in ["12", " 12 ", 12, "012"]] == ["12"] * 4
    assert {attribution.clean_via(v) for v in [*GARBAGE, None, True, [1], 1.5]} == {""}


# --- Exact through every change ------------------------------------------------------------


def test_tallies_stay_exact_through_confirmation_invalidation_withdrawal_and_erasure(
    declaration, maputo, member_org, secretariat
):
    for index in range(4):
        SignatureFactory(
            declaration=declaration,
            email=f"m{index}@maputo.example",
            country="MZ",
            via=str(maputo.pk),
            confirmed=True,
        )
    SignatureFactory(
        declaration=declaration, email="s@spam.example", country="KE", via=str(maputo.pk)
    )
    confirm(declaration, "s@spam.example")
    SignatureFactory(
        declaration=declaration, email="k@dakar.example", via=str(member_org.pk), confirmed=True
    )
    SignatureFactory(declaration=declaration, email="plain@example.org", confirmed=True)
    SignatureFactory(  # pending: never counted
        declaration=declaration, email="wait@maputo.example", country="MZ", via=str(maputo.pk)
    )
    assert brought(declaration) == Counter(
        {(maputo.pk, "MZ"): 4, (maputo.pk, "KE"): 1, (member_org.pk, "SN"): 1}
    )

    review.invalidate_signatures(
        secretariat, declaration, review.SignatureFilter(domain="spam.example"), "spam"
    )
    withdrawal.withdraw_by_link(declaration, "token-m0@maputo.example")
    signer = UserFactory(email="m1@maputo.example")
    withdrawal.hide_name(signer, Signature.objects.get(email="m1@maputo.example").pk)
    erasure.forget_person(
        UserFactory(email="m2@maputo.example"), ["m2@maputo.example"]
    )  # the person's account and signatures go
    assert brought(declaration) == counting.true_attributions(declaration)
    assert brought(declaration)[(maputo.pk, "KE")] == 0
    assert brought(declaration)[(member_org.pk, "SN")] == 1
    assert_exact(declaration)
    stats = declaration_stats(declaration, fresh=True)
    expected = sum(n for (org, _country), n in brought(declaration).items() if org == maputo.pk)
    assert [(row.name, row.signatures) for row in stats.brought_by] == sorted(
        [("Maputo Coastal Alliance", expected), ("Mangrove Keepers", 1)],
        key=lambda row: -row[1],
    )


def test_a_recount_repairs_attribution_drift(declaration, maputo):
    SignatureFactory(
        declaration=declaration, email="a@example.org", via=str(maputo.pk), confirmed=True
    )
    Attribution.objects.update(count=7)
    Attribution.objects.create(
        declaration=declaration, organisation=maputo, country_id="KE", count=3
    )
    assert counting.recount(declaration) is True
    assert brought(declaration) == Counter({(maputo.pk, "SN"): 1})
    assert counting.recount(declaration) is False


# --- Shown -----------------------------------------------------------------------------------


def test_the_statistics_show_who_brought_how_many(client, declaration, maputo, member_org):
    for index in range(2):
        SignatureFactory(
            declaration=declaration,
            email=f"m{index}@example.org",
            country="MZ",
            via=str(maputo.pk),
            confirmed=True,
        )
    SignatureFactory(
        declaration=declaration, email="d@example.org", via=str(member_org.pk), confirmed=True
    )
    SignatureFactory(declaration=declaration, email="p@example.org", via=str(member_org.pk))
    stats = client.get(f"/api/v1/declarations/{declaration.slug}/stats").json()
    assert stats["brought_by"] == [
        {
            "organisation": maputo.pk,
            "name": "Maputo Coastal Alliance",
            "url": f"/members/{maputo.pk}/",
            "signatures": 2,
        },
        {
            "organisation": member_org.pk,
            "name": "Mangrove Keepers",
            "url": f"/members/{member_org.pk}/",
            "signatures": 1,
        },
    ]
    html = client.get(url_for("declarations:detail", declaration.slug)).content.decode()
    section = html[html.index('id="brought-by"') :]
    assert section.index("Maputo Coastal Alliance") < section.index("Mangrove Keepers")
    assert f'href="{url_for("organisations:detail", maputo.pk)}"' in section


def test_no_brought_by_section_without_attributed_signatures(client, declaration, maputo):
    SignatureFactory(declaration=declaration, email="a@example.org", confirmed=True)
    SignatureFactory(declaration=declaration, email="b@example.org", via=str(maputo.pk))
    assert client.get(f"/api/v1/declarations/{declaration.slug}/stats").json()["brought_by"] == []
    html = client.get(url_for("declarations:detail", declaration.slug)).content.decode()
    assert 'id="brought-by"' not in html


# --- The organisation's own page ---------------------------------------------------------


@pytest.fixture
def brought_page(declaration, maputo):
    for index, country in enumerate(["MZ", "MZ", "KE"]):
        SignatureFactory(
            declaration=declaration,
            email=f"secret{index}@example.org",
            name=f"Hidden Person {index}",
            country=country,
            via=str(maputo.pk),
            confirmed=True,
        )
    return url_for("declarations:brought", declaration.slug, maputo.pk)


def test_the_organisations_representative_sees_its_count_countries_and_link(
    client, brought_page, maputo
):
    client.force_login(maputo.representatives.get().user)
    response = client.get(brought_page)
    assert response.status_code == 200
    html = response.content.decode()
    assert "<strong>3</strong> confirmed signatures" in html
    assert re.search(r"Mozambique</th><td[^>]*>2<", html)
    assert re.search(r"Kenya</th><td[^>]*>1<", html)
    assert f"http://testserver/declarations/baku-call/?via={maputo.pk}" in html
    assert "Hidden Person" not in html and "@example.org" not in html


@pytest.mark.parametrize(
    ("persona", "status"),
    [("anonymous", 302), ("outsider", 403), ("owner", 403), ("secretariat", 200)],
)
def test_who_may_see_what_an_organisation_brought(
    client, brought_page, persona, status, request, member_org
):
    # owner: the admin of another member organisation (Mangrove Keepers).
    if persona != "anonymous":
        client.force_login(request.getfixturevalue(persona))
    response = client.get(brought_page)
    assert response.status_code == status
    if persona == "anonymous":
        assert "/accounts/" in response["Location"] or "login" in response["Location"]


def test_an_application_has_no_such_page_for_others(client, declaration, pending_org, outsider):
    url = url_for("declarations:brought", declaration.slug, pending_org.pk)
    client.force_login(outsider)
    assert client.get(url).status_code == 404
    # Its own people represent no member yet: refused, as the page is about share links.
    client.force_login(pending_org.representatives.get().user)
    assert client.get(url).status_code == 403


def test_a_representative_finds_the_page_from_the_declaration(client, declaration, maputo):
    client.force_login(maputo.representatives.get().user)
    html = client.get(url_for("declarations:detail", declaration.slug)).content.decode()
    assert url_for("declarations:brought", declaration.slug, maputo.pk) in html
