import pytest

from concord.mailings.services import composing
from tests.factories.accounts import UserFactory
from tests.factories.declarations import DeclarationFactory, SignatureFactory
from tests.factories.organisations import OrganisationFactory, RepresentativeFactory


@pytest.fixture
def coalition(db, settings):
    settings.BOUNCE_DOMAIN = "bounces.concord.test"
    return build_coalition()


def build_coalition() -> dict:
    """Members in two SIDS (Fiji, Jamaica) and one elsewhere (Senegal), and a declaration
    with signers who did and did not ask to be kept informed."""
    fiji = OrganisationFactory(name="Pacific Reef Network", country_id="FJ")
    jamaica = OrganisationFactory(name="Blue Mountains Trust", country_id="JM")
    senegal = OrganisationFactory(name="Saloum Delta Keepers", country_id="SN")
    people = {
        "fiji_fr": RepresentativeFactory(
            organisation=fiji, user=UserFactory(email="mere@fiji.example", language="fr")
        ).user,
        "jamaica_en": RepresentativeFactory(
            organisation=jamaica, user=UserFactory(email="kemar@jamaica.example", language="en")
        ).user,
        "senegal": RepresentativeFactory(
            organisation=senegal, user=UserFactory(email="awa@senegal.example", language="fr")
        ).user,
    }
    declaration = DeclarationFactory(opened=True)
    SignatureFactory(
        declaration=declaration, email="informed@example.org", language="fr",
        keep_informed=True, confirmed=True,
    )  # fmt: skip
    SignatureFactory(declaration=declaration, email="quiet@example.org", confirmed=True)
    # Also a SIDS representative: mailed once, though in both audiences.
    SignatureFactory(
        declaration=declaration, email="kemar@jamaica.example", keep_informed=True,
        confirmed=True,
    )  # fmt: skip
    return {"people": people, "declaration": declaration}


@pytest.fixture
def audiences(coalition, secretariat):
    sids = composing.save_audience(
        secretariat,
        composing.AudienceInput(name="Members in SIDS", kind="representatives", groups=["sids"]),
    )
    informed = composing.save_audience(
        secretariat,
        composing.AudienceInput(
            name="Kept informed", kind="signatories", declaration=coalition["declaration"].pk
        ),
    )
    return [sids, informed]


def mailing_input(audiences, **fields):
    values = {
        "texts": [
            composing.Text("en", "Sign before COP", "Dear members,\n\n[Sign now](https://concord.test/d/)"),
            composing.Text("fr", "Signez avant la COP", "Chers membres,\n\n**Signez** maintenant."),
        ],
        "sender_name": "Coalition secretariat",
        "original_language": "en",
        "reply_to": "secretariat@example.org",
        "audiences": [audience.pk for audience in audiences],
    }  # fmt: skip
    values.update(fields)
    return composing.MailingInput(**values)
