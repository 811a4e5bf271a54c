import pytest

from concord.knowledge.embeddings import _load
from tests.factories.accounts import UserFactory
from tests.factories.organisations import OrganisationFactory, RepresentativeFactory


@pytest.fixture
def no_embedder(settings):
    """Semantic similarity off, as on a deployment without the model."""
    settings.EMBEDDING_MODEL = "none"
    _load.cache_clear()
    yield
    _load.cache_clear()


@pytest.fixture
def partner_rep(db):
    return UserFactory(email="partner@example.org", name="Paulo Partner", language="fr")


@pytest.fixture
def partner_org(partner_rep):
    """Another member organisation, in Mozambique, working on coasts; French-speaking rep."""
    organisation = OrganisationFactory(
        name="Costa Viva",
        country_id="MZ",
        admin=partner_rep,
        description="Replanting mangroves along the coast of Beira with fishing communities.",
    )
    organisation.themes.set(["oceans-coasts"])
    return organisation


@pytest.fixture
def far_org(db):
    organisation = OrganisationFactory(name="Sahel Solar", country_id="ML")
    organisation.themes.set(["energy"])
    RepresentativeFactory(
        organisation=organisation, user=UserFactory(email="sahel@example.org"), admin=True
    )
    return organisation
