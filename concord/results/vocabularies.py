"""The shared indicators the secretariat defines, so results add up across organisations.

Titles and units are marked for translation; the secretariat adds more in the back office.
"""

from django.utils.translation import gettext_noop

# (slug, title, unit, SDG)
SHARED_INDICATORS = [
    ("people-early-warnings", gettext_noop("People reached with early warnings"), gettext_noop("people"), 13),
    ("hectares-restored", gettext_noop("Hectares of land or mangroves restored"), gettext_noop("hectares"), 15),
    ("tonnes-co2e-avoided", gettext_noop("Tonnes of CO2 equivalent avoided"), gettext_noop("tCO2e"), 13),
    ("people-trained", gettext_noop("People trained in climate adaptation"), gettext_noop("people"), 4),
    ("people-clean-water", gettext_noop("People with improved access to clean water"), gettext_noop("people"), 6),
]  # fmt: skip


def load_shared_indicators(apps=None) -> None:
    if apps is None:
        # Here, not at the top: a data migration imports this module and passes its own
        # historical models, which must not load the app's current models.
        from concord.results.models import SharedIndicator
    else:
        SharedIndicator = apps.get_model("results", "SharedIndicator")
    for position, (slug, title, unit, sdg) in enumerate(SHARED_INDICATORS):
        SharedIndicator.objects.update_or_create(
            slug=slug,
            defaults={"title": title, "unit": unit, "sdg_id": sdg, "position": position},
        )
