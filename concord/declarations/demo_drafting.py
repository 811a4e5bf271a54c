"""Demo drafting and answers (texts in data/demo_drafting.json): the youth forum's draft
open for comments, with comments and amendments in several languages, one accepted and one
rejected; the Baku Call co-sponsored before it opened, its drafting history public, and its
addressees (six governments and the UNFCCC secretariat) with deliveries, published
responses and pledges."""

import json
from datetime import timedelta
from pathlib import Path

from django.utils import timezone

from concord.declarations.drafting import queries
from concord.declarations.models import Declaration
from concord.declarations.services import addressees, amendments, drafting
from concord.organisations.models import Organisation, Representative

DATA = Path(__file__).resolve().parent / "data" / "demo_drafting.json"


def _data() -> dict:
    return json.loads(DATA.read_text(encoding="utf-8"))


def _members(count: int) -> list[tuple[Organisation, object]]:
    """The first `count` member organisations by name that have an admin, with the admin."""
    found = []
    admins = Representative.objects.filter(
        role="admin", organisation__status=Organisation.Status.MEMBER
    ).select_related("organisation", "user")
    for rep in sorted(admins, key=lambda rep: rep.organisation.name):
        if all(rep.organisation != organisation for organisation, _user in found):
            found.append((rep.organisation, rep.user))
        if len(found) == count:
            break
    return found


def _key(declaration: Declaration, number: int) -> int:
    """The key of the paragraph at `number` (from 1) of the current version."""
    return queries.paragraphs_of(queries.current_version(declaration))[number - 1][0]


def draft_together(secretariat, draft: Declaration) -> int:
    """The draft open to member organisations for two weeks, with its comments and
    amendments; returns how many amendments."""
    data = _data()["youth-forum-2027"]
    drafting.open_for_comments(
        secretariat, draft, audience="members", closes_at=timezone.now() + timedelta(days=14)
    )
    people = _members(6)
    keys = {number: _key(draft, number) for number in range(1, 6)}
    for index, comment in enumerate(data["comments"]):
        organisation, user = people[index % len(people)]
        drafting.add_comment(
            user, draft, paragraph=keys[comment["paragraph"]], text=comment["text"],
            organisation=organisation,
        )  # fmt: skip
    for index, item in enumerate(data["amendments"]):
        organisation, user = people[index % len(people)]
        amendment = drafting.propose_amendment(
            user, draft, paragraph=keys[item["paragraph"]], kind=item["kind"],
            text=item["text"], reason=item["reason"], language=item["language"],
            organisation=organisation,
        )  # fmt: skip
        supporters = [pair for pair in people if pair[0] != organisation][: item.get("supports", 1)]
        for other, person in supporters:
            drafting.support_amendment(person, amendment, other)
        if "decision" in item:
            amendments.decide(
                secretariat, amendment, decision=item["decision"],
                reason=item["decision_reason"], text=item.get("accepted"),
            )  # fmt: skip
    return len(data["amendments"])


def cosponsor(secretariat, declaration: Declaration) -> int:
    """Before it opens: version 1 of the text, endorsed by a few members; the history public."""
    drafting.open_for_comments(
        secretariat, declaration, audience="members", closes_at=timezone.now() + timedelta(days=1)
    )
    count = _data()["baku-call"]["cosponsors"]
    for organisation, user in _members(count):
        drafting.endorse(user, declaration, organisation)
    drafting.set_history_public(secretariat, declaration, True)
    return count


def answers(secretariat, declaration: Declaration, delivered) -> int:
    """Addressees, a delivery to each the day after `delivered`, and the published responses;
    returns how many responses."""
    data = _data()["baku-call"]
    found = {}
    for row in data["addressees"]:
        addressee = addressees.add_addressee(secretariat, declaration, **row)
        found[row.get("country") or row.get("name")] = addressee
        addressees.record_delivery(
            secretariat, addressee, delivered_on=delivered + timedelta(days=1),
            channel="concord" if row["kind"] == "institution" else "email",
            letter="The Baku Call for Climate Justice, with its list of signatories (PDF).",
        )  # fmt: skip
    for row in data["responses"]:
        addressee = found[row.get("country") or row.get("institution")]
        received = delivered + timedelta(days=row["days_after"])
        response = addressees.record_response(
            secretariat, addressee, received_on=received, source=row["source"],
            text=row["text"], language=row["language"], summary=row["summary"],
            pledges=[{"text": p["text"], "deadline": received + timedelta(days=p["days"])}
                     for p in row["pledges"]],
        )  # fmt: skip
        for pledge, given in zip(response.pledges.order_by("pk"), row["pledges"], strict=True):
            if "met_after" in given:
                addressees.mark_pledge_met(
                    secretariat, pledge, met_on=received + timedelta(days=given["met_after"])
                )
        addressees.publish_response(secretariat, response)
    return len(data["responses"])
