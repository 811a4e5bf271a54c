"""A funding call's amount range is written in the page's language: thousands separators
(French and Arabic pages showed "50000", an en dash, "500000 XOF"), the currency code once."""

import pytest

from tests.factories.partnerships import FundingCallFactory

pytestmark = pytest.mark.django_db
NNBSP, NBSP, RLM = "\u202f", "\u00a0", "\u200f"


@pytest.fixture
def call(secretariat):
    return FundingCallFactory(
        user=secretariat,
        amount_min=50000,
        amount_max=500000,
        currency="XOF",
        open_to_all=True,
    )


@pytest.mark.parametrize(
    ("prefix", "written"),
    [
        ("/fr", f"50{NNBSP}000–500{NNBSP}000{NBSP}XOF"),  # noqa: RUF001
        ("/ar", f"50,000–500,000{NBSP}XOF"),  # noqa: RUF001 (CLDR's RLM dropped inside the <bdi>)
        ("", f"XOF{NBSP}50,000–500,000"),  # noqa: RUF001
    ],
)
def test_the_call_and_the_list_write_the_range_in_the_pages_language(client, call, prefix, written):
    assert written in client.get(f"{prefix}/partnerships/funding/{call.pk}/").content.decode()
    assert written in client.get(f"{prefix}/partnerships/funding/").content.decode()
