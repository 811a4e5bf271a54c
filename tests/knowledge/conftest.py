"""Fixtures for case studies: a writer's organisation, another member, published practices."""

import pytest

from concord.knowledge import search
from tests.factories.accounts import UserFactory
from tests.factories.organisations import OrganisationFactory


@pytest.fixture(autouse=True)
def fresh_matrix():
    """Each test starts with no cached vector matrix (ids are reused between tests)."""
    search.forget_matrix()
    yield
    search.forget_matrix()


@pytest.fixture
def other_org(db):
    adapter = UserFactory(email="adapter@example.org", name="Dina Adapter")
    return OrganisationFactory(name="Delta Resilience", country_id="BD", admin=adapter)


@pytest.fixture
def adapter(other_org):
    return other_org.representatives.get().user
