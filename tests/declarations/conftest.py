import pytest

from concord.declarations.services import lifecycle
from tests.factories.declarations import DeclarationFactory


@pytest.fixture
def declaration(secretariat):
    """An open declaration with an English original and a French translation."""
    draft = DeclarationFactory(
        created_by=secretariat,
        slug="baku-call",
        title="The Baku Call for Climate Justice",
        text="We, the undersigned organisations, call for fair climate finance.",
        language="en",
        goal_signatures=5,
    )
    lifecycle.set_text(
        secretariat,
        draft,
        language="fr",
        title="L'Appel de Bakou pour la justice climatique",
        text="Nous, organisations soussignées, appelons à un financement climatique juste.",
    )
    return lifecycle.open_declaration(secretariat, draft)
