"""The fixed lists the coalition uses: themes and the 17 SDGs (names marked for translation)."""

from django.utils.translation import gettext_noop as N_

THEMES = [
    ("adaptation", N_("Adaptation")),
    ("mitigation", N_("Mitigation")),
    ("loss-and-damage", N_("Loss and damage")),
    ("climate-finance", N_("Climate finance")),
    ("disaster-risk-reduction", N_("Disaster risk reduction")),
    ("water", N_("Water")),
    ("food-agriculture", N_("Food and agriculture")),
    ("energy", N_("Energy")),
    ("oceans-coasts", N_("Oceans and coasts")),
    ("cities-housing", N_("Cities and housing")),
    ("health", N_("Health")),
    ("gender-inclusion", N_("Gender and inclusion")),
    ("education", N_("Education")),
]

# Short titles as the UN publishes them (https://sdgs.un.org/goals).
SDGS = [
    (1, N_("No poverty")),
    (2, N_("Zero hunger")),
    (3, N_("Good health and well-being")),
    (4, N_("Quality education")),
    (5, N_("Gender equality")),
    (6, N_("Clean water and sanitation")),
    (7, N_("Affordable and clean energy")),
    (8, N_("Decent work and economic growth")),
    (9, N_("Industry, innovation and infrastructure")),
    (10, N_("Reduced inequalities")),
    (11, N_("Sustainable cities and communities")),
    (12, N_("Responsible consumption and production")),
    (13, N_("Climate action")),
    (14, N_("Life below water")),
    (15, N_("Life on land")),
    (16, N_("Peace, justice and strong institutions")),
    (17, N_("Partnerships for the goals")),
]


def load_vocabularies(apps=None) -> None:
    """Create or update the rows; used by the data migration and by tests."""
    if apps is None:
        from concord.core.models import Sdg, Theme
    else:
        Sdg, Theme = apps.get_model("core", "Sdg"), apps.get_model("core", "Theme")
    for position, (slug, name) in enumerate(THEMES):
        Theme.objects.update_or_create(slug=slug, defaults={"name": name, "position": position})
    for number, name in SDGS:
        Sdg.objects.update_or_create(number=number, defaults={"name": name})
