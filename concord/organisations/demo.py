"""Demo member organisations and their representatives (generated names, never real people).

Where members are comes from `data/demo_countries.json` (real cities, and the subjects that fit
each country's geography: mangroves only on tropical coasts, glaciers in the mountains), how they
are named and described from `data/demo_names.json` (in the languages NGOs of that country use),
who represents them from `data/demo_people.json`. The first members are the anchors: the other
apps' demo content (case studies, projects, requests) belongs to them, so a case study about the
Saloum's mangroves has a mangrove group near the Saloum as its author. Others find them with
`member()`.
"""

import json
import random
import unicodedata
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from functools import cache
from pathlib import Path

from babel import Locale

from concord.accounts.demo import demo_password, verified_user
from concord.core.models import Sdg, Theme
from concord.countries.models import Country
from concord.organisations.models import Organisation, Representative, name_key

DATA = Path(__file__).resolve().parent / "data"

# The organisation admin who signs in with the demo password (the others cannot sign in).
DEMO_ORG_ADMIN_EMAIL = "amina.diallo@concord.example"

# What an organisation working on a subject says it works on (the coalition's themes, SDGs).
SUBJECTS = {
    "mangroves": (["oceans-coasts", "adaptation"], [13, 14, 15]),
    "coast": (["oceans-coasts", "adaptation", "loss-and-damage"], [11, 13, 14]),
    "reefs": (["oceans-coasts", "adaptation"], [13, 14]),
    "cyclones": (["disaster-risk-reduction", "adaptation"], [11, 13]),
    "hurricanes": (["disaster-risk-reduction", "adaptation"], [11, 13]),
    "typhoons": (["disaster-risk-reduction", "adaptation"], [11, 13]),
    "floods": (["disaster-risk-reduction", "water", "adaptation"], [6, 11, 13]),
    "glaciers": (["water", "disaster-risk-reduction", "adaptation"], [6, 13, 15]),
    "water": (["water", "adaptation"], [6, 13]),
    "drylands": (["food-agriculture", "adaptation"], [2, 13, 15]),
    "farming": (["food-agriculture", "adaptation"], [2, 13]),
    "solar": (["energy", "mitigation"], [7, 13]),
    "energy": (["energy", "mitigation", "climate-finance"], [7, 8, 13]),
    "cookstoves": (["energy", "health", "mitigation"], [3, 7, 13]),
    "forests": (["mitigation", "adaptation"], [13, 15]),
    "cities": (["cities-housing", "health", "adaptation"], [11, 13]),
    "caspian": (["water", "adaptation"], [6, 13, 15]),
    "justice": (["climate-finance", "loss-and-damage"], [10, 13, 16]),
}
# Subjects that only make sense by the sea (the Caspian counts, but brings no ocean theme).
SHORE_SUBJECTS = {"mangroves", "coast", "reefs", "cyclones", "hurricanes", "typhoons", "caspian"}
# A theme an organisation may add to its subject's: never a coastal one, which must come
# from the subject (and so from a coastal city).
EXTRA_THEMES = ["education", "gender-inclusion", "health", "climate-finance"]
# The interface language of the people of an organisation named in a language.
INTERFACE = {"pt-br": "pt", "zh": "zh-hans"}
# English short names where CLDR's would look odd in an organisation's name.
SHORT_NAMES = {"MM": "Myanmar", "LC": "Saint Lucia", "TT": "Trinidad and Tobago", "PS": "Palestine"}
KIND_WEIGHTS = {"ngo": 62, "cbo": 22, "other": 4}
NETWORK_WORDS = ("Network", "Réseau", "Red ", "Rede ", "Mtandao", "Şəbəkə", "сеть", "网络", "شبكة")
FOUNDATION_WORDS = ("Foundation", "Fundación", "фонд", "Trust")
RESEARCH_WORDS = (
    "Centre for",
    "Centre d'études",
    "Centro de Estudos",
    "Centro de Estudios",
    "研究中心",
)
DEMO_START = datetime(2023, 1, 15, 9, 0, tzinfo=UTC)
VOWELS = "AEIOUÉÈÊÂÎÔ"


@dataclass(frozen=True)
class Place:
    country: str
    city: str  # as the country's NGOs write it (Latin script, or Cyrillic, Chinese)
    other_script: str  # as an Arabic-named organisation writes it ("" when none)
    shore: bool
    preposition: str  # Portuguese "da"/"do" before the city, "" for "de"

    def written(self, language: str) -> str:
        return self.other_script if language == "ar" and self.other_script else self.city


@cache
def countries() -> dict[str, dict]:
    return json.loads((DATA / "demo_countries.json").read_text(encoding="utf-8"))["countries"]


@cache
def places() -> dict[str, list[Place]]:
    found: dict[str, list[Place]] = {}
    for code, spec in countries().items():
        for entry in spec["cities"]:
            entry, _, preposition = entry.partition("~")
            city, _, other = entry.partition("=")
            found.setdefault(code, []).append(
                Place(code, city.rstrip("*"), other, city.endswith("*"), preposition)
            )
    return found


@cache
def _languages() -> dict[str, dict]:
    tables = json.loads((DATA / "demo_names.json").read_text(encoding="utf-8"))["languages"]
    # Brazilian Portuguese says some things differently; everything else is Portuguese.
    brazil = tables["pt-br"]
    tables["pt-br"] = {
        **tables["pt"],
        **brazil,
        "subjects": {**tables["pt"]["subjects"], **brazil["subjects"]},
    }
    return tables


@cache
def _people() -> dict[str, dict]:
    return json.loads((DATA / "demo_people.json").read_text(encoding="utf-8"))


def cities_for(code: str, subject: str) -> list[Place]:
    """The cities where an organisation of the country can credibly work on the subject."""
    spec = countries()[code]
    only = spec.get("only", {}).get(subject)
    if only:
        return [p for p in places()[code] if p.city in only]
    if subject in SHORE_SUBJECTS:
        return [p for p in places()[code] if p.shore]
    return places()[code]


def interface_language(naming: str) -> str:
    return INTERFACE.get(naming, naming)


@dataclass(frozen=True)
class Profile:
    """What one demo organisation is: where, on what, named in which language."""

    place: Place
    subject: str
    language: str
    kind: str = "names"  # or "women", "youth"
    extra: tuple[str, ...] = ()

    @property
    def themes(self) -> list[str]:
        added = {"women": ["gender-inclusion"], "youth": ["education"]}.get(self.kind, [])
        return list(dict.fromkeys([*SUBJECTS[self.subject][0], *added, *self.extra]))


@cache
def anchors() -> list[Profile]:
    found = []
    for line in json.loads((DATA / "demo_countries.json").read_text(encoding="utf-8"))["anchors"]:
        code, city, subject, language, *flags = line.split("|")
        words = " ".join(flags).split()
        place = next(p for p in cities_for(code, subject) if p.city == city)
        kind = next((w for w in words if w in ("women", "youth")), "names")
        extra = tuple(w[1:] for w in words if w.startswith("+"))
        found.append(Profile(place, subject, language, kind, extra))
    return found


def _of(language: str, place: Place) -> str:
    city = place.written(language)
    if language == "fr":
        if city.startswith("Les "):
            return "des " + city[4:]
        return ("d'" if city[:1].upper() in VOWELS else "de ") + city
    if language.startswith("pt"):
        return f"{place.preposition or 'de'} {city}"
    return f"de {city}"


def _at(language: str, place: Place) -> str:
    city = place.written(language)
    if language == "fr":
        return "aux " + city[4:] if city.startswith("Les ") else "à " + city
    return {"da": "na", "do": "no"}.get(place.preposition, "em") + " " + city


def _fill(text: str, profile: Profile) -> str:
    place, language = profile.place, profile.language
    return text.format(
        city=place.written(language),
        of_city=_of(language, place),
        at_city=_at(language, place),
        country=SHORT_NAMES.get(place.country) or Locale("en").territories[place.country],
    )


def name_of(rng: random.Random, profile: Profile) -> str:
    table = _languages()[profile.language]
    phrase = table["subjects"][profile.subject][0]
    pattern = rng.choice(table[profile.kind]).replace("{subject}", phrase)
    return _fill(pattern, profile)


def description_of(rng: random.Random, profile: Profile) -> str:
    table = _languages()[profile.language]
    closing = (
        table["closing_" + profile.kind]
        if profile.kind != "names"
        else rng.choice(table["closing"])
    )
    joint = "" if profile.language == "zh" else " "
    return _fill(table["subjects"][profile.subject][1], profile) + joint + closing


def _random_profile(rng: random.Random, code: str) -> Profile:
    spec = countries()[code]
    subject = rng.choice(spec["subjects"])
    # Name in a language of the country that has words for the subject.
    language = rng.choice(
        [lang for lang in spec["names"] if subject in _languages()[lang]["subjects"]]
    )
    kind = rng.choices(["names", "women", "youth"], weights=[70, 15, 15])[0]
    extra = (rng.choice(EXTRA_THEMES),) if rng.random() < 0.3 else ()
    return Profile(rng.choice(cities_for(code, subject)), subject, language, kind, extra)


def _kind(rng: random.Random, name: str) -> str:
    for words, kind in (
        (NETWORK_WORDS, "network"),
        (FOUNDATION_WORDS, "foundation"),
        (RESEARCH_WORDS, "research"),
    ):
        if any(word in name for word in words):
            return kind
    return rng.choices(list(KIND_WEIGHTS), weights=list(KIND_WEIGHTS.values()))[0]


def _acronym(name: str) -> str:
    # Only Latin-script names: "ОФ" or an Arabic acronym would not be how those NGOs are known.
    if not all(not c.isalpha() or "LATIN" in unicodedata.name(c, "") for c in name):
        return ""
    words = [w for w in name.replace(",", " ").split() if w[:1].isupper() and len(w) > 2]
    letters = "".join(w[0] for w in words)[:8]
    return letters if len(letters) >= 3 else ""


def ascii_word(text: str) -> str:
    """An address-friendly form of a Latin-script name: no accents, no spaces."""
    text = "".join(_people()["ascii"].get(c, c) for c in text)
    folded = unicodedata.normalize("NFKD", text)
    kept = "".join(c for c in folded if c.isascii() and (c.isalnum() or c in " -"))
    return kept.strip().replace(" ", "-").lower()


def person(rng: random.Random, code: str) -> tuple[str, str, str, str]:
    """A generated person of the country: display name, address-safe given and family names,
    and "f" or "m" (for titles that agree)."""
    pool_key = countries()[code]["people"]
    pool = _people()["pools"][pool_key]
    gender = rng.choice("fm")
    given, _, given_ascii = rng.choice(pool[gender].split(", ")).partition("=")
    family, _, family_ascii = rng.choice(pool["family"].split(", ")).partition("=")
    feminine = _people()["feminine"]
    if gender == "f" and pool_key in feminine["pools"]:
        for ending, changed in feminine["endings"].items():
            if family.endswith(ending):
                family = family[: -len(ending)] + changed
                family_ascii += "a" if family_ascii else ""
                break
    # Chinese names are written family name first, without a space.
    shown = family + given if pool_key == "cn" else f"{given} {family}"
    return shown, ascii_word(given_ascii or given), ascii_word(family_ascii or family), gender


def member(country: str, city: str, themes: list[str]) -> Organisation | None:
    """The first demo member in the city (as its anchor is written) working on all the themes."""
    forms = {
        p.written(lang)
        for p in places().get(country, [])
        if p.city == city
        for lang in ("en", "ar")
    }
    for organisation in (
        Organisation.objects.filter(
            status=Organisation.Status.MEMBER, country_id=country, city__in=forms or {city}
        )
        .prefetch_related("themes")
        .order_by("pk")
    ):
        if set(themes) <= {theme.slug for theme in organisation.themes.all()}:
            return organisation
    return None


def _profiles(rng: random.Random, size: int, known: set[str]) -> list[Profile]:
    """The anchors, then one member in each country, then members in random countries."""
    codes = [code for code in countries() if code in known]
    chosen = [a for a in anchors() if a.place.country in known][:size]
    index = 0
    while len(chosen) < size:
        code = codes[index] if index < len(codes) else rng.choice(codes)
        chosen.append(_random_profile(rng, code))
        index += 1
    return chosen


def _unique(
    rng: random.Random, profile: Profile, seen: set[tuple[str, str]], anchor: bool
) -> tuple[Profile, str]:
    """A name no other demo member of the country has: two groups of the same name in one
    country would not be believed. A generated member may change subject for it; an anchor
    keeps its own (other apps' content depends on it) and says its city."""
    code = profile.place.country
    for attempt in range(12):
        name = name_of(rng, profile)
        if (name_key(name), code) not in seen:
            break
        if not anchor and attempt % 3 == 2:
            profile = _random_profile(rng, code)
    else:
        base, number = f"{name} ({profile.place.written(profile.language)})", 1
        name = base
        while (name_key(name), code) in seen:
            number += 1
            name = f"{base} {number}"
    seen.add((name_key(name), code))
    return profile, name


def build(rng: random.Random, *, size: int, secretariat) -> dict[str, int]:
    known = set(Country.objects.values_list("code", flat=True))
    themes = {theme.slug: theme for theme in Theme.objects.all()}
    sdgs = {sdg.number: sdg for sdg in Sdg.objects.all()}
    seen: set[tuple[str, str]] = set()
    organisations: list[Organisation] = []
    chosen: list[Profile] = []
    anchored = len([a for a in anchors() if a.place.country in known])
    for position, profile in enumerate(_profiles(rng, size, known)):
        profile, name = _unique(rng, profile, seen, anchor=position < anchored)
        status = Organisation.Status.MEMBER
        if position >= size - 12:
            status = ["pending"] * 7 + ["more_info"] * 3 + ["rejected"] * 2
            status = Organisation.Status(status[position - (size - 12)])
        applied = DEMO_START + timedelta(hours=position * 61)
        acronym = _acronym(name) if rng.random() < 0.6 else ""
        organisations.append(
            Organisation(
                name=name,
                name_key=name_key(name),
                acronym=acronym,
                country_id=profile.place.country,
                city=profile.place.written(profile.language),
                kind=_kind(rng, name),
                website=f"https://{acronym.lower() or 'ngo'}{position}.example.org",
                description=description_of(rng, profile),
                unfccc_observer=rng.random() < 0.15,
                year_founded=rng.randint(1978, 2022),
                status=status,
                applied_at=applied,
                member_since=applied + timedelta(days=rng.randint(3, 40))
                if status == Organisation.Status.MEMBER
                else None,
                review_note={
                    "more_info": "Please add your registration number and a link to your last annual report.",
                    "rejected": "We could not confirm that the organisation is registered as a non-profit.",
                }.get(status, ""),
            )
        )
        chosen.append(profile)
    Organisation.objects.bulk_create(organisations)
    # bulk_create leaves auto_now_add to "now"; keep the generated history instead.
    for organisation in organisations:
        Organisation.objects.filter(pk=organisation.pk).update(applied_at=organisation.applied_at)

    theme_links, sdg_links = [], []
    for organisation, profile in zip(organisations, chosen, strict=True):
        for slug in profile.themes:
            theme_links.append(
                Organisation.themes.through(organisation=organisation, theme=themes[slug])
            )
        numbers = {13, *SUBJECTS[profile.subject][1]}
        numbers |= {"women": {5}, "youth": {4}}.get(profile.kind, set())
        for number in sorted(numbers):
            sdg_links.append(Organisation.sdgs.through(organisation=organisation, sdg=sdgs[number]))
    Organisation.themes.through.objects.bulk_create(theme_links)
    Organisation.sdgs.through.objects.bulk_create(sdg_links)

    people = _representatives(rng, organisations, chosen)
    return {"organisations": len(organisations), "representatives": people, "secretariat": 1}


def _representatives(rng: random.Random, organisations, profiles) -> int:
    anchored = len(anchors())
    count = 0
    for index, (organisation, profile) in enumerate(zip(organisations, profiles, strict=True)):
        # Anchors report on projects, which needs a second person (a reporter and an approver).
        for seat in range(2 if index < anchored or index % 3 == 0 else 1):
            shown, first, last, gender = person(rng, organisation.country_id)
            email = f"{first}.{last}.{index}-{seat}@example.org"
            language = interface_language(profile.language)
            if index == 0 and seat == 0:
                email, shown, gender = DEMO_ORG_ADMIN_EMAIL, "Amina Diallo", "f"
            elif seat and language != "en" and rng.random() < 0.25:
                language = "en"  # some staff use the English pages
            user = verified_user(
                email,
                shown,
                password=demo_password() if email == DEMO_ORG_ADMIN_EMAIL else None,
                language=language,
            )
            titles = _languages()[profile.language]["titles"][gender]
            Representative.objects.create(
                organisation=organisation,
                user=user,
                role=Representative.Role.ADMIN if seat == 0 else Representative.Role.REPRESENTATIVE,
                title=rng.choice(titles),
            )
            if seat == 0:
                # The first admin applied, so the secretariat's queue names a real person.
                Organisation.objects.filter(pk=organisation.pk).update(applied_by=user)
            count += 1
    return count
