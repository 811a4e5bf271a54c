"""Demo declarations: one published, one open and collecting signatures, one draft.

Signatories are the demo's member organisations (signing through their representatives) and
generated individuals; no name belongs to a real person. Texts are written for the demo.
"""

import random
from datetime import UTC, datetime, timedelta

from concord.declarations import counting
from concord.declarations.models import Declaration, Signature
from concord.declarations.services import lifecycle
from concord.organisations.demo import NAMES
from concord.organisations.models import Organisation, Representative

TEXTS = {
    "baku-call": {
        "en": (
            "The Baku Call of Global South Civil Society on Climate Finance",
            "We, civil-society organisations from the Global South, meeting around the UN "
            "climate conference in Baku, call on governments and financial institutions to:\n\n"
            "1. Deliver climate finance that reaches communities on the front line, in grants "
            "rather than loans, and in amounts that match the need.\n"
            "2. Make the fund for responding to loss and damage accessible to local "
            "organisations, with simple procedures in their languages.\n"
            "3. Recognise the role of NGOs in South-South cooperation, and support the "
            "partnerships through which communities share what works.\n"
            "4. Report finance openly, so that every promise can be checked.",
        ),
        "fr": (
            "L'Appel de Bakou de la société civile du Sud global sur la finance climatique",
            "Nous, organisations de la société civile du Sud global, réunies autour de la "
            "conférence des Nations Unies sur le climat à Bakou, appelons les gouvernements et "
            "les institutions financières à :\n\n"
            "1. Fournir une finance climatique qui atteigne les communautés en première ligne, "
            "sous forme de dons plutôt que de prêts, et à la hauteur des besoins.\n"
            "2. Rendre le fonds pour les pertes et préjudices accessible aux organisations "
            "locales, avec des procédures simples dans leurs langues.\n"
            "3. Reconnaître le rôle des ONG dans la coopération Sud-Sud et soutenir les "
            "partenariats par lesquels les communautés partagent ce qui fonctionne.\n"
            "4. Rendre compte ouvertement des financements, afin que chaque promesse puisse "
            "être vérifiée.",
        ),
        "ar": (
            "نداء باكو من المجتمع المدني في بلدان الجنوب بشأن تمويل المناخ",
            "نحن منظمات المجتمع المدني من بلدان الجنوب، المجتمعة حول مؤتمر الأمم المتحدة "
            "للمناخ في باكو، ندعو الحكومات والمؤسسات المالية إلى ما يلي:\n\n"
            "1. تقديم تمويل للمناخ يصل إلى المجتمعات في الخطوط الأمامية، في شكل منح لا قروض، "
            "وبمقادير تتناسب مع الاحتياجات.\n"
            "2. إتاحة صندوق الاستجابة للخسائر والأضرار للمنظمات المحلية، بإجراءات بسيطة "
            "وبلغاتها.\n"
            "3. الاعتراف بدور المنظمات غير الحكومية في التعاون بين بلدان الجنوب، ودعم "
            "الشراكات التي تتبادل من خلالها المجتمعات ما ينجح.\n"
            "4. الإبلاغ عن التمويل بشفافية، حتى يمكن التحقق من كل وعد.",
        ),
    },
    "water-and-cities": {
        "en": (
            "Declaration on Water Security in Growing Cities",
            "Cities of the Global South are growing faster than their water systems. We, "
            "member organisations of the platform, commit to share our practices on rainwater "
            "harvesting, flood protection and fair access to water in informal settlements, "
            "and we call on local and national authorities to involve residents in every "
            "decision on water.",
        ),
        "fr": (
            "Déclaration sur la sécurité de l'eau dans les villes en croissance",
            "Les villes du Sud global grandissent plus vite que leurs réseaux d'eau. Nous, "
            "organisations membres de la plateforme, nous engageons à partager nos pratiques "
            "de collecte des eaux de pluie, de protection contre les inondations et d'accès "
            "équitable à l'eau dans les quartiers informels, et appelons les autorités locales "
            "et nationales à associer les habitants à chaque décision sur l'eau.",
        ),
    },
    "youth-forum-2027": {
        "en": (
            "Outcome Declaration of the South-South Youth Climate Forum (draft)",
            "Draft for the drafting committee: young people from the Global South ...",
        ),
    },
}
DEMO_DAY = datetime(2024, 11, 15, 8, 0, tzinfo=UTC)


def _declaration(secretariat, slug: str, **fields) -> Declaration:
    texts = TEXTS[slug]
    title, body = texts["en"]
    declaration = lifecycle.create_declaration(
        secretariat, slug=slug, title=title, text=body, **fields
    )
    for language, (title, body) in texts.items():
        if language != "en":
            lifecycle.set_text(secretariat, declaration, language=language, title=title, text=body)
    return declaration


def _signatures(
    rng: random.Random, declaration: Declaration, size: int, start: datetime, hours: int
):
    members = list(
        Organisation.objects.filter(status=Organisation.Status.MEMBER).select_related("country")
    )
    admins = {
        rep.organisation_id: rep
        for rep in Representative.objects.filter(role="admin").select_related("user")
    }
    languages = {"fr": "fr", "ar": "ar"}
    rows, seen = [], set()
    for index in range(size):
        confirmed = start + timedelta(minutes=rng.triangular(0, hours * 60, hours * 6))
        if index < len(members) * 0.6 and rng.random() < 0.8:
            organisation = rng.choice(members)
            rep = admins.get(organisation.pk)
            if rep is None or rep.user.email in seen:
                continue
            email, name, country = rep.user.email, rep.user.name, organisation.country_id
            kind, role, org_name = "organisation", rep.title, organisation.name
            language = languages.get(rep.user.language, "en")
        else:
            language_key = rng.choice(list(NAMES))
            given, family = NAMES[language_key]
            first, last = rng.choice(given.split()), rng.choice(family.split())
            email = f"{first}.{last}.{index}@signers.example.org".lower()
            name, country = f"{first} {last}", rng.choice(members).country_id
            kind, role, org_name = "individual", "", ""
            language = languages.get(language_key, "en")
        seen.add(email)
        rows.append(
            Signature(
                declaration=declaration,
                email=email,
                name=name,
                country_id=country,
                kind=kind,
                organisation_name=org_name,
                role=role,
                show_name=rng.random() < 0.85,
                language=language if declaration.texts.filter(language=language).exists() else "en",
                status=Signature.Status.CONFIRMED,
                confirmed_at=confirmed,
                source=rng.choice(["web", "web", "web", "member", "offline"]),
                collected_by="Secretariat desk, Baku" if index % 9 == 0 else "",
            )
        )
    Signature.objects.bulk_create(rows, batch_size=2000)
    counting.recount(declaration)
    return len(rows)


def build(rng: random.Random, *, secretariat) -> dict[str, int]:
    published = _declaration(
        secretariat, "baku-call", adopted_at="NGO forum at COP29, Baku", goal_signatures=1000
    )
    published = lifecycle.open_declaration(secretariat, published)
    count = _signatures(rng, published, 1400, DEMO_DAY, hours=24 * 12)
    Declaration.objects.filter(pk=published.pk).update(goal_reached_at=DEMO_DAY + timedelta(days=6))
    published = lifecycle.close_declaration(secretariat, published)
    lifecycle.publish_declaration(secretariat, published)

    open_now = _declaration(
        secretariat, "water-and-cities", goal_countries=100, eligibility="anyone"
    )
    open_now = lifecycle.open_declaration(secretariat, open_now)
    recent = datetime.now(UTC).replace(minute=0, second=0, microsecond=0) - timedelta(days=5)
    count += _signatures(rng, open_now, 380, recent, hours=24 * 5)

    _declaration(secretariat, "youth-forum-2027", eligibility="members")
    return {"declarations": 3, "signatures": count}
