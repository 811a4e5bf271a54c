"""The outbox in the admin: superusers only, and read-only."""

import pytest
from django.contrib.auth.models import Permission

from concord.core.models import OutgoingEmail
from tests.factories.accounts import UserFactory

pytestmark = pytest.mark.django_db

LIST = "/admin/core/outgoingemail/"


@pytest.fixture
def message():
    return OutgoingEmail.objects.create(
        key="test:1", to="ana@example.org", subject="Hello", body_text="Hi"
    )


def test_staff_who_are_not_superusers_cannot_see_the_outbox(client, message):
    staff = UserFactory(staff=True)  # even with every permission on the model
    staff.user_permissions.add(*Permission.objects.filter(codename__endswith="_outgoingemail"))
    client.force_login(staff)
    assert client.get(LIST).status_code == 403
    assert client.get(f"{LIST}{message.pk}/change/").status_code == 403


def test_a_superuser_sees_the_outbox_read_only(client, message):
    client.force_login(UserFactory(staff=True, is_superuser=True))
    assert client.get(LIST).status_code == 200
    page = client.get(f"{LIST}{message.pk}/change/")
    assert page.status_code == 200 and b'name="_save"' not in page.content
    assert client.get(f"{LIST}add/").status_code == 403
    response = client.post(f"{LIST}{message.pk}/change/", {"subject": "Changed", "to": "x@y.z"})
    assert response.status_code == 403
    assert client.post(f"{LIST}{message.pk}/delete/", {"post": "yes"}).status_code == 403
    assert OutgoingEmail.objects.get(pk=message.pk).subject == "Hello"
