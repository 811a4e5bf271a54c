"""The fixed lists the coalition uses: themes and the 17 SDGs (names marked for translation)."""

from django.utils.translation import gettext_noop

from concord.core import models

THEMES = [
    ("adaptation", gettext_noop("Adaptation")),
    ("mitigation", gettext_noop("Mitigation")),
    ("loss-and-damage", gettext_noop("Loss and damage")),
    ("climate-finance", gettext_noop("Climate finance")),
    ("disaster-risk-reduction", gettext_noop("Disaster risk reduction")),
    ("water", gettext_noop("Water")),
    ("food-agriculture", gettext_noop("Food and agriculture")),
    ("energy", gettext_noop("Energy")),
    ("oceans-coasts", gettext_noop("Oceans and coasts")),
    ("cities-housing", gettext_noop("Cities and housing")),
    ("health", gettext_noop("Health")),
    ("gender-inclusion", gettext_noop("Gender and inclusion")),
    ("education", gettext_noop("Education")),
]

# Short titles as the UN publishes them (https://sdgs.un.org/goals).
SDGS = [
    (1, gettext_noop("No poverty")),
    (2, gettext_noop("Zero hunger")),
    (3, gettext_noop("Good health and well-being")),
    (4, gettext_noop("Quality education")),
    (5, gettext_noop("Gender equality")),
    (6, gettext_noop("Clean water and sanitation")),
    (7, gettext_noop("Affordable and clean energy")),
    (8, gettext_noop("Decent work and economic growth")),
    (9, gettext_noop("Industry, innovation and infrastructure")),
    (10, gettext_noop("Reduced inequalities")),
    (11, gettext_noop("Sustainable cities and communities")),
    (12, gettext_noop("Responsible consumption and production")),
    (13, gettext_noop("Climate action")),
    (14, gettext_noop("Life below water")),
    (15, gettext_noop("Life on land")),
    (16, gettext_noop("Peace, justice and strong institutions")),
    (17, gettext_noop("Partnerships for the goals")),
]


def load_vocabularies(apps=None) -> None:
    """Create or update the rows; used by the data migration and by tests."""
    if apps is None:
        Sdg, Theme = models.Sdg, models.Theme
    else:
        Sdg, Theme = apps.get_model("core", "Sdg"), apps.get_model("core", "Theme")
    for position, (slug, name) in enumerate(THEMES):
        Theme.objects.update_or_create(slug=slug, defaults={"name": name, "position": position})
    for number, name in SDGS:
        Sdg.objects.update_or_create(number=number, defaults={"name": name})
