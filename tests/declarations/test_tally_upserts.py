"""Counting a round of confirmations (or a review's selection) sums them per tally row and
writes each table's rows in one statement, adding to rows that exist and creating the others;
removing subtracts the same way."""

from collections import Counter
from datetime import UTC, datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from concord.declarations import counting
from concord.declarations.models import HourlyTally, Signature, Tally

pytestmark = pytest.mark.django_db

NINE = datetime(2026, 5, 4, 9, 15, tzinfo=UTC)
TEN = datetime(2026, 5, 4, 10, 40, tzinfo=UTC)


def confirmed(declaration, country: str, kind: str, shown: bool, at: datetime) -> Signature:
    return Signature(
        declaration=declaration,
        country_id=country,
        kind=kind,
        show_name=shown,
        status=Signature.Status.CONFIRMED,
        confirmed_at=at,
    )


def round_of(declaration) -> list[Signature]:
    return (
        [confirmed(declaration, "SN", "individual", True, NINE)] * 5
        + [confirmed(declaration, "SN", "individual", False, TEN)] * 2
        + [confirmed(declaration, "KE", "organisation", True, TEN)] * 3
    )


def test_a_round_is_summed_per_row_and_written_in_one_statement_per_table(declaration):
    with CaptureQueriesContext(connection) as queries:
        counting.count_signatures(round_of(declaration))
    writes = [q["sql"] for q in queries.captured_queries if "INSERT" in q["sql"]]
    assert len(writes) == 2 and len(queries) == 2, queries.captured_queries
    by_country, by_hour = counting.tallied_counts(declaration)
    assert by_country == Counter(
        {
            ("SN", "individual", True): 5,
            ("SN", "individual", False): 2,
            ("KE", "organisation", True): 3,
        }
    )
    assert by_hour == Counter({NINE.replace(minute=0): 5, TEN.replace(minute=0): 5})
    assert Tally.objects.filter(declaration=declaration).count() == 3  # one shard per call
    assert HourlyTally.objects.filter(declaration=declaration).count() == 2


def test_rows_that_exist_are_added_to_and_removal_subtracts(declaration, settings):
    settings.TALLY_SHARDS = 1  # every call lands on the rows of the first
    counting.count_signatures(round_of(declaration))
    counting.count_signatures(round_of(declaration))
    counting.count_signatures([confirmed(declaration, "KE", "organisation", True, TEN)], sign=-1)
    by_country, by_hour = counting.tallied_counts(declaration)
    assert by_country == Counter(
        {
            ("SN", "individual", True): 10,
            ("SN", "individual", False): 4,
            ("KE", "organisation", True): 5,
        }
    )
    assert by_hour == Counter({NINE.replace(minute=0): 10, TEN.replace(minute=0): 9})
    assert Tally.objects.filter(declaration=declaration).count() == 3


def test_nothing_to_count_writes_nothing(declaration):
    with CaptureQueriesContext(connection) as queries:
        counting.count_signatures([])
        counting.count_signatures(round_of(declaration)[:1] * 2, sign=1)
        counting.count_signatures(round_of(declaration)[:1] * 2, sign=-1)
    assert len(queries) == 4  # only the two calls with something to add
    assert counting.tallied_counts(declaration) == (Counter(), Counter())
