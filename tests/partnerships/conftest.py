import pytest

from concord.knowledge.embeddings import _load
from tests.factories import add_representative, make_organisation, make_user


@pytest.fixture
def no_embedder(settings):
    """Semantic similarity off, as on a deployment without the model."""
    settings.EMBEDDING_MODEL = "none"
    _load.cache_clear()
    yield
    _load.cache_clear()


@pytest.fixture
def partner_rep(db):
    return make_user("partner@example.org", name="Paulo Partner", language="fr")


@pytest.fixture
def partner_org(partner_rep):
    """Another member organisation, in Mozambique, working on coasts; French-speaking rep."""
    organisation = make_organisation(
        name="Costa Viva",
        country="MZ",
        admin=partner_rep,
        description="Replanting mangroves along the coast of Beira with fishing communities.",
    )
    organisation.themes.set(["oceans-coasts"])
    return organisation


@pytest.fixture
def far_org(db):
    organisation = make_organisation(name="Sahel Solar", country="ML")
    organisation.themes.set(["energy"])
    add_representative(organisation, make_user("sahel@example.org"), role="admin")
    return organisation
