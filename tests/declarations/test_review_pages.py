"""The organisers' pages: who may use them, invalidating abuse, importing paper signatures, PDF."""

import pytest
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import translation
from django.utils.html import strip_tags

from concord.declarations import queries
from concord.declarations.models import Export, ImportJob, Signature
from concord.declarations.services import lifecycle, signing
from tests.declarations.test_pages import add_confirmed, assert_clean

pytestmark = pytest.mark.django_db

GOOD_AND_BAD = (
    "name,email,country,kind,organisation,role,show_name\n"
    "Fatou Sow,fatou@example.org,SN,individual,,,yes\n"  # line 2: good
    "No Address,not-an-email,KE,individual,,,yes\n"  # line 3: bad email
    "Ana Lima,ana@example.org,BR,organisation,Rede Clima,Coordinator,no\n"  # line 4: good
    "Nowhere Person,nowhere@example.org,ZZ,individual,,,yes\n"  # line 5: bad country
    "Fatou Again,FATOU@example.org,SN,individual,,,yes\n"  # line 6: duplicate of line 2
)


@pytest.fixture(autouse=True)
def fresh_signing_checks():
    cache.clear()  # per-network counters from earlier tests would flag these signatures


def url_for(name: str, *args) -> str:
    with translation.override("en"):
        return reverse(f"declarations:{name}", args=args)


def page_text(response) -> str:
    return " ".join(strip_tags(response.content.decode()).split())


def signatures(declaration) -> int:
    return queries.declaration_stats(declaration, fresh=True).signatures


@pytest.mark.parametrize("page", ["manage", "review", "import"])
def test_outsiders_and_colleagues_are_refused(client, outsider, colleague, declaration, page):
    url = url_for(page, declaration.slug)
    for person in (outsider, colleague):
        client.force_login(person)
        assert client.get(url).status_code == 403
        assert client.post(url, {"action": "close"}).status_code == 403
    declaration.refresh_from_db()
    assert declaration.status == "open"


@pytest.mark.parametrize("page", ["manage", "review", "import"])
def test_anonymous_visitors_are_sent_to_sign_in(client, declaration, page):
    response = client.get(url_for(page, declaration.slug))
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]


def test_a_drafting_committee_member_may_manage(client, colleague, declaration):
    declaration.committee.add(colleague)
    client.force_login(colleague)
    assert client.get(url_for("manage", declaration.slug)).status_code == 200


@pytest.mark.parametrize("prefix", ["", "/fr", "/ar"])
def test_organiser_pages_render_cleanly(client, secretariat, declaration, prefix):
    add_confirmed(declaration, 3)
    client.force_login(secretariat)
    for url in [
        url_for("manage", declaration.slug),
        url_for("review", declaration.slug),
        url_for("review", declaration.slug) + "?domain=example.org",
        url_for("import", declaration.slug),
        url_for("create"),
    ]:
        response = client.get(prefix + url)
        assert response.status_code == 200, url
        assert_clean(response.content.decode(), url)


def test_secretariat_invalidates_signatures_by_email_domain(client, secretariat, declaration):
    add_confirmed(declaration, 5)  # signerN@example.org
    for index in range(3):
        Signature.objects.create(
            declaration=declaration,
            email=f"bot{index}@spam.example",
            name=f"Bot {index}",
            country_id="FR",
            kind="individual",
        )
    services_sign_confirmed(declaration, "bot9@spam.example")
    before = signatures(declaration)
    assert before == 6

    client.force_login(secretariat)
    review = url_for("review", declaration.slug)
    listed = client.get(review, {"domain": "spam.example"})
    assert listed.context["page"].paginator.count == 4
    assert "bot9@spam.example" in listed.content.decode()
    assert "signer1@example.org" not in listed.content.decode()

    refused = client.post(review, {"domain": "spam.example", "reason": ""})
    assert refused.status_code == 422
    assert refused.context["invalidate_form"].errors["reason"]
    assert signatures(declaration) == before

    response = client.post(
        review,
        {"domain": "spam.example", "reason": "Throwaway domain", "confirm": "yes"},
        follow=True,
    )
    assert "4 signatures invalidated; the counts already reflect it." in page_text(response)
    assert Signature.objects.filter(status="invalidated").count() == 4
    assert signatures(declaration) == before - 1  # only one of the four was confirmed
    detail = client.get(url_for("detail", declaration.slug))
    assert detail.context["stats"].signatures == before - 1
    assert set(
        Signature.objects.filter(status="invalidated").values_list("invalidation_reason", flat=True)
    ) == {"Throwaway domain"}


def test_invalidating_confirmed_signatures_lowers_the_count_by_exactly_that_number(
    client, secretariat, declaration
):
    add_confirmed(declaration, 6)
    for email in ("a@bulk.example", "b@bulk.example", "c@bulk.example"):
        services_sign_confirmed(declaration, email)
    before = signatures(declaration)
    client.force_login(secretariat)
    client.post(
        url_for("review", declaration.slug),
        {"domain": "bulk.example", "reason": "Bulk signup", "confirm": "yes"},
    )
    assert signatures(declaration) == before - 3


def test_a_filter_is_required_to_invalidate(client, secretariat, declaration):
    add_confirmed(declaration, 2)
    client.force_login(secretariat)
    response = client.post(url_for("review", declaration.slug), {"reason": "Everything"})
    assert response.status_code == 422
    assert "Choose which signatures to invalidate." in page_text(response)
    assert not Signature.objects.filter(status="invalidated").exists()


def upload(client, declaration, content: str, action: str, collected_by="Baku forum desk"):
    return client.post(
        url_for("import", declaration.slug),
        {
            "file": SimpleUploadedFile("paper.csv", content.encode(), content_type="text/csv"),
            "collected_by": collected_by,
            "action": action,
        },
    )


def test_a_dry_run_reports_bad_rows_by_line_and_imports_nothing(
    client, secretariat, declaration, django_capture_on_commit_callbacks
):
    client.force_login(secretariat)
    with django_capture_on_commit_callbacks(execute=True):
        response = upload(client, declaration, GOOD_AND_BAD, "check")
    job = ImportJob.objects.get()
    assert job.dry_run
    assert response["Location"] == url_for("import_job", declaration.slug, job.pk)
    page = client.get(response["Location"])
    assert page.status_code == 200
    assert_clean(page.content.decode())
    rows = [(error["line"], error["field"]) for error in page.context["errors"]]
    assert rows == [(3, "email"), (5, "country"), (6, "email")]
    text = page_text(page)
    assert "an import would add 2 signatures" in text
    assert "duplicate of line 2 in this file" in text
    assert Signature.objects.count() == 0
    assert signatures(declaration) == 0


def test_an_import_adds_the_good_rows_and_the_count_rises_by_exactly_that(
    client, secretariat, declaration, django_capture_on_commit_callbacks
):
    add_confirmed(declaration, 3)
    before = signatures(declaration)
    client.force_login(secretariat)
    with django_capture_on_commit_callbacks(execute=True):
        response = upload(client, declaration, GOOD_AND_BAD, "import")
    page = client.get(response["Location"])
    assert "2 signatures imported" in page_text(page)
    assert signatures(declaration) == before + 2
    imported = Signature.objects.filter(source="offline")
    assert imported.count() == 2
    assert set(imported.values_list("collected_by", flat=True)) == {"Baku forum desk"}


def test_an_unreadable_file_is_refused_on_the_form(client, secretariat, declaration):
    client.force_login(secretariat)
    response = client.post(
        url_for("import", declaration.slug),
        {
            "file": SimpleUploadedFile("paper.csv", "caf\xe9".encode("latin-1")),
            "collected_by": "Desk",
            "action": "check",
        },
    )
    assert response.status_code == 422
    assert "not UTF-8" in page_text(response)
    assert not ImportJob.objects.exists()


def test_a_file_with_the_wrong_header_fails_with_the_reason(
    client, secretariat, declaration, django_capture_on_commit_callbacks
):
    client.force_login(secretariat)
    with django_capture_on_commit_callbacks(execute=True):
        response = upload(client, declaration, "nom,courriel\nA,b@example.org\n", "import")
    page = client.get(response["Location"])
    assert ImportJob.objects.get().status == "failed"
    assert "The first row must be exactly" in page_text(page)


def test_the_pdf_is_prepared_in_the_background_and_offered_for_download(
    client, secretariat, declaration, django_capture_on_commit_callbacks
):
    add_confirmed(declaration, 3)
    client.force_login(secretariat)
    url = url_for("pdf", declaration.slug)
    page = client.get(url, {"lang": "fr"})
    assert page.context["export"] is None
    assert "Prepare the PDF" in page_text(page)

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, {"lang": "fr"})
    assert response.status_code == 302
    assert response["Location"] == url + "?lang=fr"
    export = Export.objects.get()
    assert (export.language, export.requested_by) == ("fr", secretariat)
    export.refresh_from_db()
    assert export.status == "done", export.error
    assert export.signature_count == 3

    page = client.get(response["Location"])
    html = page.content.decode()
    assert export.file.url in html
    assert "Download the PDF" in page_text(page)
    assert 'http-equiv="refresh"' not in html
    assert_clean(html)


def test_a_pdf_being_prepared_refreshes_its_page_and_is_not_queued_twice(
    client, secretariat, declaration
):
    # Without running on-commit callbacks the task never starts: the export stays queued.
    client.force_login(secretariat)
    url = url_for("pdf", declaration.slug)
    client.post(url, {"lang": "en"})
    client.post(url, {"lang": "en"})
    assert Export.objects.count() == 1
    page = client.get(url, {"lang": "en"})
    html = page.content.decode()
    assert '<meta http-equiv="refresh" content="2">' in html
    assert "<progress" in html


def test_a_closed_declaration_reuses_its_finished_pdf(
    client, secretariat, declaration, django_capture_on_commit_callbacks
):
    lifecycle.close_declaration(secretariat, declaration)
    client.force_login(secretariat)
    url = url_for("pdf", declaration.slug)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(url, {"lang": "en"})
    with django_capture_on_commit_callbacks(execute=True):
        client.post(url, {"lang": "en"})
    assert Export.objects.count() == 1
    assert Export.objects.get().status == "done"


def services_sign_confirmed(declaration, email: str) -> Signature:
    """A signature confirmed through the services, as a signer's click would."""
    from concord.declarations.services.signing import hash_token

    signature = signing.sign(
        declaration,
        signing.SignatureInput(name="Someone", email=email, country="FR"),
        signing.Context(ip="203.0.113.5"),
    )
    Signature.objects.filter(pk=signature.pk).update(token_hash=hash_token("t-" + email))
    return signing.confirm_signature(declaration, "t-" + email)
