"""The demo's members: a gazetteer that keeps each subject where it exists, and the same
members for the same seed (the demo is rebuilt identically on every machine)."""

import random

from django.db import transaction

from concord.countries.models import CountryGroup
from concord.organisations import demo as organisations_demo
from concord.organisations.models import Organisation


def test_the_gazetteer_keeps_the_sea_away_from_landlocked_countries(db):
    landlocked = set(CountryGroup.objects.get(slug="lldc").members.values_list("code", flat=True))
    countries = organisations_demo.countries()
    for code in landlocked & set(countries):
        shore = set(countries[code]["subjects"]) & (organisations_demo.SHORE_SUBJECTS - {"caspian"})
        assert not shore, code
    seen: dict[str, str] = {}
    for code, spec in countries.items():
        for subject in spec["subjects"]:
            assert organisations_demo.cities_for(code, subject), (code, subject)
            assert any(
                subject in organisations_demo._languages()[language]["subjects"]
                for language in spec["names"]
            ), (code, subject)
        # (Latin names: in Arabic, Tyre and Oman's Sur are both صور.)
        for city in {place.city for place in organisations_demo.places()[code]}:
            assert seen.setdefault(city, code) == code, f"{city} is in {seen[city]} and {code}"
    for anchor in organisations_demo.anchors():
        assert anchor.place in organisations_demo.cities_for(anchor.place.country, anchor.subject)


def test_the_same_seed_builds_the_same_members(db, secretariat):
    def names() -> list[tuple[str, str, str]]:
        with transaction.atomic():
            organisations_demo.build(random.Random(5), size=40, secretariat=secretariat)
            found = list(Organisation.objects.order_by("pk").values_list("name", "country", "city"))
            transaction.set_rollback(True)
        return found

    assert names() == names()
