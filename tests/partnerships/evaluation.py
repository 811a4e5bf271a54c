"""An evaluation set for matching: member organisations, requests, and the organisations a
person who knows the field would suggest for each. Used by tests/partnerships/test_matching.py
and by bench/partnerships_matching.py (precision@5)."""

from dataclasses import dataclass

# name, country, themes, SDGs, description
ORGANISATIONS = [
    ("Mangrove Keepers", "SN", ["oceans-coasts", "adaptation"], [14, 13],
     "Community mangrove restoration in the Saloum delta with women oyster harvesters."),
    ("Costa Viva", "MZ", ["oceans-coasts"], [14],
     "Replanting mangroves and protecting the coastline of Beira against storm surge with "
     "fishing communities."),
    ("Pacific Reef Guardians", "FJ", ["oceans-coasts", "adaptation"], [14],
     "Coral reef and mangrove protection for island villages; coastal erosion control."),
    ("Sundarbans Delta Alliance", "BD", ["oceans-coasts", "disaster-risk-reduction"], [13, 14],
     "Mangrove belts and cyclone shelters for delta communities."),
    ("Sahel Solar", "ML", ["energy"], [7],
     "Solar mini-grids for rural health centres and schools."),
    ("Andes Water Collective", "PE", ["water", "adaptation"], [6],
     "Glacier-fed water management and irrigation for highland farmers."),
    ("Nile Farmers Network", "EG", ["food-agriculture", "water"], [2, 6],
     "Drip irrigation and drought-tolerant seeds for smallholder farmers."),
    ("Kathmandu Flood Watch", "NP", ["disaster-risk-reduction"], [11, 13],
     "Early warning systems for glacial lake outburst floods and landslides."),
    ("Green Kampala", "UG", ["cities-housing", "energy"], [11, 7],
     "Clean cooking, solar lighting and waste-to-energy in informal settlements."),
    ("Caribbean Resilience Hub", "JM", ["disaster-risk-reduction", "oceans-coasts"], [13],
     "Hurricane early warning, preparedness and reef-based coastal defence for small islands."),
    ("Mekong Rice Futures", "VN", ["food-agriculture", "adaptation"], [2, 13],
     "Salt-tolerant rice and farmer field schools in the Mekong delta facing sea-level rise."),
    ("Women for Climate Finance", "KE", ["climate-finance", "gender-inclusion"], [5, 13],
     "Helping women-led groups access adaptation finance and write funding proposals."),
    ("Bolivia Solar Schools", "BO", ["energy", "education"], [7, 4],
     "Solar panels, mini-grids and climate education in rural schools."),
    ("Tunis Urban Cool", "TN", ["cities-housing", "health"], [11, 3],
     "Urban heat action plans and shade for vulnerable neighbourhoods."),
    ("Haiti Reforest", "HT", ["adaptation", "food-agriculture"], [15],
     "Agroforestry on degraded hillsides to reduce erosion and landslides."),
    ("Tuvalu Water Security", "TV", ["water", "adaptation"], [6],
     "Rainwater harvesting and desalination for atoll communities."),
]  # fmt: skip


@dataclass(frozen=True)
class Case:
    by: str
    title: str
    description: str
    themes: tuple[str, ...]
    countries: tuple[str, ...]
    languages: tuple[str, ...]
    expected: frozenset[str]


CASES = [
    Case(
        "Mangrove Keepers",
        "Knowledge exchange on mangrove restoration",
        "We seek partners experienced in mangrove replanting and coastal protection to "
        "exchange methods with our fishing communities.",
        ("oceans-coasts",), ("MZ",), ("pt", "fr"),
        frozenset({"Costa Viva", "Sundarbans Delta Alliance", "Pacific Reef Guardians",
                   "Caribbean Resilience Hub"}),
    ),
    Case(
        "Sahel Solar",
        "Peer training on solar mini-grids",
        "Peer training for technicians who install and maintain solar mini-grids in villages.",
        ("energy",), (), ("fr",),
        frozenset({"Bolivia Solar Schools", "Green Kampala"}),
    ),
    Case(
        "Tuvalu Water Security",
        "Drinking water through droughts",
        "Partners working on water supply, rainwater harvesting and drought for communities.",
        ("water",), (), ("en",),
        frozenset({"Andes Water Collective", "Nile Farmers Network"}),
    ),
    Case(
        "Kathmandu Flood Watch",
        "Joint project on community early warning",
        "A partner for a joint project on community early warning for floods, cyclones and "
        "landslides.",
        ("disaster-risk-reduction",), (), ("en",),
        frozenset({"Caribbean Resilience Hub", "Sundarbans Delta Alliance"}),
    ),
    Case(
        "Nile Farmers Network",
        "Consortium on drought-resilient farming",
        "A consortium for a funding application on climate-resilient crops and irrigation.",
        ("food-agriculture", "adaptation"), (), ("ar", "en"),
        frozenset({"Mekong Rice Futures", "Andes Water Collective", "Haiti Reforest"}),
    ),
    # A hard case: the request names a broad theme (adaptation) that many members share,
    # while the partner it needs works on landslides under another theme.
    Case(
        "Haiti Reforest",
        "Landslide risk on deforested hillsides",
        "Exchange with organisations that reduce landslide and erosion risk on steep slopes.",
        ("adaptation",), (), ("fr", "en"),
        frozenset({"Kathmandu Flood Watch"}),
    ),
    # No theme given at all: only the description can find the partners.
    Case(
        "Bolivia Solar Schools",
        "Solar power for rural clinics",
        "Organisations installing solar power in rural health centres and schools, to share "
        "suppliers and maintenance.",
        (), (), ("es",),
        frozenset({"Sahel Solar", "Green Kampala"}),
    ),
]  # fmt: skip


def build() -> dict[str, object]:
    """Create the organisations (members, each with a representative); answer them by name."""
    from tests.factories.accounts import UserFactory
    from tests.factories.organisations import OrganisationFactory

    by_name = {}
    for index, (name, country, themes, sdgs, description) in enumerate(ORGANISATIONS):
        admin = UserFactory(email=f"eval{index}@example.org")
        organisation = OrganisationFactory(
            name=name, country_id=country, admin=admin, description=description
        )
        organisation.themes.set(themes)
        organisation.sdgs.set(sdgs)
        by_name[name] = organisation
    return by_name


def post(case: Case, organisations: dict):
    from tests.factories.partnerships import PartnershipRequestFactory

    return PartnershipRequestFactory(
        organisation=organisations[case.by],
        title=case.title,
        description=case.description,
        themes=list(case.themes),
        countries=list(case.countries),
        languages=list(case.languages),
        purpose="knowledge_exchange",
    )


def precision_at_5(suggested: list[str], expected: frozenset[str]) -> tuple[float, float]:
    """(precision@5, the same divided by the best a perfect ranking could reach)."""
    top = list(dict.fromkeys(suggested))[:5]
    hits = sum(1 for name in top if name in expected)
    return hits / 5, hits / min(5, len(expected))
