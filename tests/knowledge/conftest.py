"""Fixtures for case studies: a writer's organisation, another member, published practices."""

import pytest

from concord.knowledge import search
from tests.factories import make_organisation, make_user


@pytest.fixture(autouse=True)
def fresh_matrix():
    """Each test starts with no cached vector matrix (ids are reused between tests)."""
    search.forget_matrix()
    yield
    search.forget_matrix()


@pytest.fixture
def other_org(db):
    adapter = make_user("adapter@example.org", name="Dina Adapter")
    return make_organisation(name="Delta Resilience", country="BD", admin=adapter)


@pytest.fixture
def adapter(other_org):
    return other_org.representatives.get().user
