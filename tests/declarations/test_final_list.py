"""Once a declaration closes its signatory list is final: Declaration.signatures_can_change is
the one rule, and every path that would add or invalidate signatures (the review page, the
import page, the import API) answers the same 409 with the same message."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from concord.accounts.services import create_api_token
from concord.declarations.models import Declaration, ImportJob, Signature
from concord.declarations.services import lifecycle
from tests.factories.declarations import SignatureFactory

pytestmark = pytest.mark.django_db

FINAL = "The declaration has closed; its list is final."
CSV = "name,email,country,kind,organisation,role,show_name\nAmina,amina@example.org,SN,individual,,,yes\n"


def api_import(client, user, declaration, **query):
    _, token = create_api_token(user, "test")
    return client.post(
        f"/api/v1/declarations/{declaration.slug}/signatures/import"
        + ("?dry_run=1" if query else ""),
        CSV,
        content_type="text/csv",
        headers={"Authorization": f"Bearer {token}"},
    )


def page_import(client, declaration, action="import"):
    return client.post(
        reverse("declarations:import", args=[declaration.slug]),
        {
            "file": SimpleUploadedFile("paper.csv", CSV.encode()),
            "collected_by": "Desk",
            "action": action,
        },
    )


def page_invalidate(client, declaration):
    return client.post(
        reverse("declarations:review", args=[declaration.slug]),
        {"domain": "example.org", "reason": "A burst from one domain", "confirm": "yes"},
    )


@pytest.mark.parametrize("status", ["draft", "open", "closed", "published"])
def test_the_rule_is_on_the_model(status):
    assert Declaration(status=status).signatures_can_change is (status in ("draft", "open"))


def test_a_closed_list_is_refused_alike_by_the_pages_and_the_api(client, secretariat, declaration):
    SignatureFactory(declaration=declaration, email="early@example.org", confirmed=True)
    closed = lifecycle.close_declaration(secretariat, declaration)
    client.force_login(secretariat)

    api = api_import(client, secretariat, closed)
    assert api.status_code == 409
    assert api.json() == {"detail": FINAL, "code": "list_final"}
    page = page_import(client, closed)
    assert page.status_code == 409 and FINAL in page.content.decode()
    review = page_invalidate(client, closed)
    assert review.status_code == 409 and FINAL in review.content.decode()

    assert not ImportJob.objects.exists()
    assert Signature.objects.filter(declaration=closed, status="confirmed").count() == 1


def test_an_open_list_accepts_the_same_requests(client, secretariat, declaration):
    SignatureFactory(declaration=declaration, email="early@example.org", confirmed=True)
    client.force_login(secretariat)
    assert api_import(client, secretariat, declaration, dry_run=1).status_code == 200
    assert page_import(client, declaration, action="check").status_code == 302
    assert page_invalidate(client, declaration).status_code == 302
    assert Signature.objects.get(email="early@example.org").status == "invalidated"
