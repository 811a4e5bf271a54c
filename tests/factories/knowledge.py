"""Case studies of the knowledge base."""

import factory
from django.utils import timezone

from concord.knowledge import search
from concord.knowledge.models import Practice
from tests.factories.organisations import OrganisationFactory


class PracticeFactory(factory.django.DjangoModelFactory):
    """A published case study on coasts in Senegal; a published one is indexed for full text
    and, if the model is on, vectors (after its themes and countries are set)."""

    class Meta:
        model = Practice
        skip_postgeneration_save = True

    organisation = factory.SubFactory(OrganisationFactory)
    title = "Mangrove belts against coastal erosion"
    summary = "Villagers replanted mangroves along the shore to slow erosion."
    language = "en"
    status = "published"
    setting = "coastal"
    published_at = factory.LazyAttribute(
        lambda practice: timezone.now() if practice.status == "published" else None
    )

    @factory.post_generation
    def themes(practice, create, extracted, **kwargs):
        if create:
            practice.themes.set(("oceans-coasts",) if extracted is None else extracted)

    @factory.post_generation
    def countries(practice, create, extracted, **kwargs):
        if create:
            practice.countries.set(("SN",) if extracted is None else extracted)

    @factory.post_generation
    def indexed(practice, create, extracted, **kwargs):
        if create and practice.status == "published":
            search.index_practice(practice.pk)
            search.compute_vectors(practice.pk)
