"""Large counts on the declaration pages go through the one formatter: "1,234 signatures",
never "1234" (Django writes a plural's counter without separators)."""

import pytest

from concord.declarations.models import Declaration

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("prefix", "written"), [("", "Signing closed with 1,234 signatures."), ("/ar", "1,234")]
)
def test_the_final_count_has_thousands_separators(client, declaration, prefix, written):
    Declaration.objects.filter(pk=declaration.pk).update(
        final_signature_count=1234, final_export_sha256="0" * 64
    )
    page = client.get(f"{prefix}/declarations/{declaration.slug}/").content.decode()
    assert written in page
