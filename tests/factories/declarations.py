"""Declarations and signatures, made through the declarations services."""

import factory

from concord.declarations.models import Declaration, Signature
from concord.declarations.services import lifecycle, signing
from tests.factories.accounts import UserFactory


class DeclarationFactory(factory.django.DjangoModelFactory):
    """A draft declaration in English, created through the service by `created_by` (staff);
    `opened=True` opens it for signature. Other arguments of `create_declaration` may be
    given."""

    class Meta:
        model = Declaration

    created_by = factory.SubFactory(UserFactory, staff=True)
    slug = factory.Sequence(lambda n: f"declaration-{n}")
    title = "The Baku Call for Climate Justice"
    text = "We, the undersigned organisations, call for fair climate finance."
    language = "en"
    opened = False

    @classmethod
    def _create(cls, model_class, created_by, opened, **fields):
        declaration = lifecycle.create_declaration(created_by, **fields)
        return lifecycle.open_declaration(created_by, declaration) if opened else declaration


class SignatureFactory(factory.django.DjangoModelFactory):
    """A signature from Senegal sent through the service from one address; pending until
    confirmed, or confirmed by its emailed link with `confirmed=True`. Other fields of
    `SignatureInput` may be given."""

    class Meta:
        model = Signature

    declaration = factory.SubFactory(DeclarationFactory, opened=True)
    name = "Fatou Sow"
    email = factory.Sequence(lambda n: f"signer{n}@example.org")
    country = "SN"
    ip = "198.51.100.7"
    confirmed = False

    @classmethod
    def _create(cls, model_class, declaration, ip, confirmed, **fields):
        signature = signing.sign(
            declaration, signing.SignatureInput(**fields), signing.Context(ip=ip)
        )
        if not confirmed:
            return signature
        # The emailed token is random and only its hash is stored: store the hash of a known
        # token, then confirm with that token as the link would.
        token = "token-" + fields["email"]
        Signature.objects.filter(pk=signature.pk).update(token_hash=signing.hash_token(token))
        return signing.confirm_signature(declaration, token)
