import pytest

from concord.declarations.models import Declaration
from concord.declarations.services import lifecycle, signing


@pytest.fixture
def declaration(secretariat):
    """An open declaration with an English original and a French translation."""
    draft = lifecycle.create_declaration(
        secretariat,
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


def sign(declaration: Declaration, email: str, country: str = "SN", **fields):
    ip = fields.pop("ip", "198.51.100.7")
    data = signing.SignatureInput(
        name=fields.pop("name", "Fatou Sow"), email=email, country=country, **fields
    )
    return signing.sign(declaration, data, signing.Context(ip=ip))


def sign_confirmed(declaration: Declaration, email: str, country: str = "SN", **fields):
    from concord.declarations.models import Signature
    from concord.declarations.services.signing import hash_token

    signature = sign(declaration, email, country, **fields)
    token = "token-" + email
    Signature.objects.filter(pk=signature.pk).update(token_hash=hash_token(token))
    return signing.confirm_signature(declaration, token)
