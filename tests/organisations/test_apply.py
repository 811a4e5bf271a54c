"""Applying for membership: what is stored, who is told, and what is refused."""

import pytest
from django.urls import reverse
from django.utils.http import urlencode

from concord.core.models import AuditEvent, OutgoingEmail
from concord.organisations.models import Organisation, Representative

pytestmark = pytest.mark.django_db

VALID = {
    "name": "Sahel Green Futures",
    "acronym": "SGF",
    "country": "ML",
    "city": "Bamako",
    "kind": "ngo",
    "website": "https://sahel-green.example.org",
    "description": "We plant trees with farmers.",
    "themes": ["adaptation", "water"],
    "sdgs": ["13", "15"],
    "year_founded": "2009",
}


def apply(client, user, **changes):
    client.force_login(user)
    return client.post(reverse("organisations:apply"), {**VALID, **changes})


def test_application_is_stored_pending_with_the_applicant_as_admin(
    client, owner, secretariat, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = apply(client, owner)
    organisation = Organisation.objects.get(name="Sahel Green Futures")
    assert response.status_code == 302
    assert response["Location"] == reverse("organisations:detail", args=[organisation.pk])
    assert organisation.status == Organisation.Status.PENDING
    assert organisation.country_id == "ML"
    assert sorted(organisation.themes.values_list("slug", flat=True)) == ["adaptation", "water"]
    assert sorted(organisation.sdgs.values_list("number", flat=True)) == [13, 15]
    assert Representative.objects.get(organisation=organisation).user == owner
    assert Representative.objects.get(organisation=organisation).role == "admin"
    assert AuditEvent.objects.filter(action="membership.applied").count() == 1
    notice = OutgoingEmail.objects.get(to=secretariat.email)
    assert "Sahel Green Futures" in notice.subject
    assert notice.sent_at is not None


def test_application_is_not_in_the_public_directory(client, owner):
    apply(client, owner)
    client.logout()
    assert "Sahel Green Futures" not in client.get(reverse("organisations:directory")).text
    organisation = Organisation.objects.get(name="Sahel Green Futures")
    assert client.get(reverse("organisations:detail", args=[organisation.pk])).status_code == 404


@pytest.mark.parametrize(
    "variant",
    [
        "Sahel Green Futures",
        "sahel green futures",
        "  Sahel-Green   Futures ",
        "Sáhel Green Futures",
    ],
)
def test_duplicate_application_is_refused(client, owner, outsider, variant):
    apply(client, owner)
    response = apply(client, outsider, name=variant)
    assert response.status_code == 200
    assert "already applied or is a member" in response.text
    assert Organisation.objects.count() == 1


def test_same_name_in_another_country_is_a_different_organisation(client, owner, outsider):
    apply(client, owner)
    apply(client, outsider, country="NE")
    assert Organisation.objects.count() == 2


def test_a_declined_organisation_may_apply_again(client, owner, secretariat):
    apply(client, owner)
    Organisation.objects.update(status="rejected")
    apply(client, owner)
    assert Organisation.objects.filter(status="pending").count() == 1


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"country": "XX"}, "country", "Select a valid choice"),
        ({"name": "A" * 201}, "name", "at most 200 characters"),
        ({"name": ""}, "name", "This field is required"),
        ({"website": "not a url"}, "website", "Enter a valid URL"),
        ({"name": "<script>alert(1)</script> Org"}, "name", "HTML is not allowed"),
        ({"year_founded": "1500"}, "year_founded", "greater than or equal to 1800"),
        ({"sdgs": ["18"]}, "sdgs", "Select a valid choice"),
    ],
)
def test_bad_input_is_refused_with_a_message_and_nothing_is_written(
    client, owner, changes, field, message
):
    response = apply(client, owner, **changes)
    assert response.status_code == 200
    assert message in response.text
    assert field in response.context["form"].errors
    assert Organisation.objects.count() == 0
    assert Representative.objects.count() == 0
    assert AuditEvent.objects.count() == 0


def test_html_in_the_description_is_shown_as_text(client, owner, secretariat):
    apply(client, owner, description='<img src=x onerror="alert(1)"> We plant trees.')
    organisation = Organisation.objects.get()
    client.force_login(secretariat)
    page = client.get(reverse("organisations:detail", args=[organisation.pk])).text
    assert '<img src=x onerror="alert(1)">' not in page
    assert "&lt;img src=x onerror=&quot;alert(1)&quot;&gt; We plant trees." in page


def test_signing_in_is_required_to_send_an_application(client):
    response = client.post(reverse("organisations:apply"), VALID)
    assert response.status_code == 302
    assert reverse("account_login") in response["Location"]
    assert not Organisation.objects.filter(name=VALID["name"]).exists()


def test_a_signed_out_visitor_is_told_an_account_comes_first(client):
    url = reverse("organisations:apply")

    response = client.get(url)

    assert response.status_code == 200
    page = response.content.decode()
    back = urlencode({"next": url})
    assert f'href="{reverse("account_signup")}?{back}"' in page
    assert f'href="{reverse("account_login")}?{back}"' in page
    assert "Send the application" not in page
