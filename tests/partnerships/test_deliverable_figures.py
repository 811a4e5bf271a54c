"""A deliverable's unit is typed by a member and has no plural forms, so the page never glues
it to a number ("1 visits"): it has a column of its own."""

import pytest

from tests.factories.partnerships import record_agreed
from tests.partnerships.test_partnerships import payload

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("target", ["1", "2"])
def test_a_deliverable_unit_is_not_glued_to_its_count(
    client, member_org, partner_org, owner, target
):
    deliverable = {
        "title": "Exchange visits",
        "target": target,
        "unit": "visits",
        "due_on": "2030-01-01",
    }
    partnership = record_agreed(
        owner, payload(member_org, partner_org) | {"deliverables": [deliverable]}
    )
    client.force_login(owner)
    page = client.get(f"/partnerships/active/{partnership.pk}/").content.decode()
    row = page[page.index("Exchange visits</bdi></td>") :]
    row = row[: row.index("</tr>")]
    assert f"{target} visits" not in row
    assert f'<td class="num">{target}</td>' in row and "<td><bdi>visits</bdi></td>" in row
