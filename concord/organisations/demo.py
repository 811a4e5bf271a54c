"""Demo member organisations and their representatives (generated names, never real people)."""

import random
import re
from datetime import UTC, datetime, timedelta

from concord.accounts.demo import demo_password, verified_user
from concord.core.models import Sdg, Theme
from concord.countries.models import Country
from concord.organisations.models import Organisation, Representative, name_key

# The organisation admin who signs in with the demo password (the others cannot sign in).
DEMO_ORG_ADMIN_EMAIL = "amina.diallo@concord.example"

# Countries the demo coalition works in, with a few of their cities, by language of naming.
PLACES = {
    "fr": "SN:Dakar,Saint-Louis,Ziguinchor ML:Bamako,Mopti CI:Abidjan,Bouaké BF:Ouagadougou,"
    "Bobo-Dioulasso NE:Niamey,Zinder TD:N'Djamena CM:Yaoundé,Douala BJ:Cotonou,Parakou "
    "TG:Lomé GN:Conakry CD:Kinshasa,Goma CG:Brazzaville GA:Libreville MG:Antananarivo,Toamasina "
    "HT:Port-au-Prince,Les Cayes RW:Kigali BI:Bujumbura KM:Moroni DJ:Djibouti VU:Port-Vila",
    "es": "MX:Oaxaca,Mérida GT:Ciudad de Guatemala,Quetzaltenango HN:Tegucigalpa SV:San Salvador "
    "NI:León CR:San José PA:Ciudad de Panamá CO:Bogotá,Cali,Barranquilla EC:Quito,Guayaquil "
    "PE:Lima,Cusco BO:La Paz,Cochabamba CL:Valparaíso AR:Rosario PY:Asunción UY:Montevideo "
    "DO:Santo Domingo CU:Santiago de Cuba VE:Maracaibo",
    "pt": "BR:Belém,Recife,Manaus MZ:Maputo,Beira AO:Luanda,Huambo CV:Praia GW:Bissau "
    "ST:São Tomé TL:Dili",
    "en": "KE:Nairobi,Kisumu,Mombasa UG:Kampala,Gulu TZ:Dar es Salaam,Arusha ET:Addis Ababa "
    "NG:Lagos,Abuja,Enugu GH:Accra,Tamale ZA:Cape Town,Durban ZM:Lusaka ZW:Harare MW:Lilongwe "
    "BW:Gaborone NA:Windhoek SL:Freetown LR:Monrovia GM:Banjul SS:Juba LS:Maseru "
    "BD:Dhaka,Khulna,Chattogram IN:Kolkata,Chennai,Bhubaneswar PK:Karachi,Lahore NP:Kathmandu,Pokhara "
    "LK:Colombo BT:Thimphu MV:Malé AF:Kabul MM:Yangon KH:Phnom Penh LA:Vientiane "
    "VN:Hanoi,Can Tho TH:Bangkok PH:Manila,Tacloban ID:Jakarta,Makassar MY:Kuching "
    "MN:Ulaanbaatar KZ:Almaty KG:Bishkek TJ:Dushanbe UZ:Tashkent AZ:Baku,Ganja GE:Tbilisi "
    "AM:Yerevan FJ:Suva TO:Nuku'alofa WS:Apia KI:Tarawa TV:Funafuti PG:Port Moresby "
    "SB:Honiara MH:Majuro JM:Kingston TT:Port of Spain BB:Bridgetown GY:Georgetown "
    "BZ:Belmopan LC:Castries DM:Roseau GD:St. George's",
    "ar": "EG:Cairo,Alexandria MA:Rabat,Marrakesh TN:Tunis,Sfax DZ:Algiers JO:Amman "
    "LB:Beirut IQ:Baghdad,Basra YE:Aden SD:Khartoum MR:Nouakchott PS:Ramallah,Gaza "
    "OM:Muscat SO:Mogadishu",
}

NAMES = {
    "fr": (
        "Aminata Moussa Fatou Ibrahima Awa Mamadou Aïssatou Cheikh Mariam Yves Clarisse Jean-Baptiste",
        "Diallo Traoré Ndiaye Koné Ouédraogo Sow Mbemba Kaboré Rakoto Mugisha Nkurunziza Toussaint",
    ),
    "es": (
        "María José Lucía Carlos Ana Diego Gabriela Luis Valentina Jorge Camila Andrés",
        "García Quispe Hernández Mamani López Rojas Fernández Torres Flores Vargas Castillo Morales",
    ),
    "pt": (
        "Ana João Mariana Paulo Beatriz Tiago Luísa Armando Celeste Domingos",
        "Silva Santos Machava Tembe Ferreira Costa Mondlane Pereira Nhantumbo Cabral",
    ),
    "en": (
        "Grace Samuel Nasrin Rahul Wanjiru Kofi Priya Tendai Farida Joseph Mei Anil Leilani Kwame",
        "Otieno Mensah Rahman Sharma Banda Okafor Perera Nguyen Santos Tuilagi Dlamini Aliyev Karimov",
    ),
    "ar": (
        "Fatima Omar Layla Youssef Nour Karim Salma Hassan Rania Tarek",
        "Haddad Mansour El-Sayed Benali Khalil Nasser Saleh Bouazizi Hamdan Farah",
    ),
}

NAME_PATTERNS = {
    "fr": [
        "Association {place} pour l'Environnement",
        "Réseau des Femmes pour le Climat de {place}",
        "Jeunes Volontaires pour la {topic_fr}",
        "Action Solidaire {place}",
        "Centre d'Études sur la {topic_fr} du {country}",
    ],
    "es": [
        "Fundación {topic_es} {place}",
        "Red de Mujeres por el Clima de {place}",
        "Asociación Comunitaria {place} Sostenible",
        "Colectivo Juvenil por la {topic_es}",
        "Centro de Estudios Ambientales de {place}",
    ],
    "pt": [
        "Associação {place} Sustentável",
        "Rede de Mulheres pelo Clima de {place}",
        "Instituto de {topic_pt} do {country}",
        "Movimento Jovem pela {topic_pt}",
    ],
    "en": [
        "{place} Climate Action Network",
        "{topic} Alliance {country}",
        "Women for {topic} {place}",
        "{place} Youth Climate Coalition",
        "Centre for {topic} Studies, {place}",
        "{country} Community Resilience Trust",
        "Friends of the {feature}, {place}",
    ],
    "ar": [
        "{place} Society for Sustainable Development",
        "Arab Youth for Climate, {country}",
        "{place} Water and Environment Association",
        "Women's Initiative for {topic}, {place}",
    ],
}
TOPICS = [
    ("Mangrove Restoration", "Restauration des Mangroves", "Restauración de Manglares", "Restauração de Mangais"),
    ("Clean Energy", "Transition Énergétique", "Energía Limpia", "Energia Limpa"),
    ("Water Security", "Sécurité de l'Eau", "Seguridad Hídrica", "Segurança Hídrica"),
    ("Climate Justice", "Justice Climatique", "Justicia Climática", "Justiça Climática"),
    ("Food Sovereignty", "Souveraineté Alimentaire", "Soberanía Alimentaria", "Soberania Alimentar"),
    ("Disaster Preparedness", "Prévention des Catastrophes", "Prevención de Desastres", "Prevenção de Desastres"),
    ("Sustainable Cities", "Ville Durable", "Ciudades Sostenibles", "Cidades Sustentáveis"),
    ("Forest Protection", "Protection des Forêts", "Protección de Bosques", "Proteção das Florestas"),
]  # fmt: skip
FEATURES = ["Coast", "Delta", "Highlands", "Lake", "River Basin", "Drylands", "Reef"]
DESCRIPTIONS = [
    "We work with {who} in and around {place} on {topic}. Our volunteers run training, "
    "monitor local results and speak for affected communities in national climate planning.",
    "Founded by local activists, we bring together {who} to build resilience to droughts, "
    "floods and heatwaves, with a focus on {topic}.",
    "A grassroots organisation supporting {who} with practical projects on {topic} and "
    "advocacy for fair access to climate finance.",
]
WHO = ["smallholder farmers", "fishing communities", "women's groups", "young people",
       "informal settlements", "indigenous communities", "schools and teachers"]  # fmt: skip
KIND_WEIGHTS = {"ngo": 60, "cbo": 18, "network": 8, "research": 6, "foundation": 4, "other": 4}
DEMO_START = datetime(2023, 1, 15, 9, 0, tzinfo=UTC)


def _places() -> list[tuple[str, str, list[str]]]:
    # Entries are "CODE:City,City" separated by a space before the next code.
    return [
        (language, entry.split(":")[0], entry.split(":")[1].split(","))
        for language, spec in PLACES.items()
        for entry in re.split(r"\s(?=[A-Z]{2}:)", spec)
    ]


def _name(rng: random.Random, language: str, city: str, country: str) -> str:
    topic = rng.choice(TOPICS)
    return rng.choice(NAME_PATTERNS[language]).format(
        place=city,
        country=country,
        topic=topic[0],
        topic_fr=topic[1],
        topic_es=topic[2],
        topic_pt=topic[3],
        feature=rng.choice(FEATURES),
    )


def _acronym(name: str) -> str:
    words = [w for w in name.replace(",", " ").split() if w[:1].isupper() and len(w) > 2]
    return "".join(w[0] for w in words)[:8]


def build(rng: random.Random, *, size: int, secretariat) -> dict[str, int]:
    country_names = dict(Country.objects.values_list("code", "name"))
    places = [p for p in _places() if p[1] in country_names]
    themes = list(Theme.objects.all())
    sdgs = {sdg.number: sdg for sdg in Sdg.objects.all()}
    kinds = list(KIND_WEIGHTS)
    seen: set[tuple[str, str]] = set()
    organisations: list[Organisation] = []
    while len(organisations) < size:
        language, code, cities = (
            places[len(organisations) % len(places)]
            if len(organisations) < len(places)
            else rng.choice(places)
        )
        city = rng.choice(cities)
        name = _name(rng, language, city, country_names[code])
        if (name_key(name), code) in seen:
            continue
        seen.add((name_key(name), code))
        index = len(organisations)
        status = Organisation.Status.MEMBER
        if index >= size - 12:
            status = ["pending"] * 7 + ["more_info"] * 3 + ["rejected"] * 2
            status = Organisation.Status(status[index - (size - 12)])
        applied = DEMO_START + timedelta(hours=index * 61)
        topic = rng.choice(TOPICS)[0].lower()
        organisations.append(
            Organisation(
                name=name,
                name_key=name_key(name),
                acronym=_acronym(name) if rng.random() < 0.6 else "",
                country_id=code,
                city=city,
                kind=rng.choices(kinds, weights=list(KIND_WEIGHTS.values()))[0],
                website=f"https://{_acronym(name).lower() or 'ngo'}{index}.example.org",
                description=rng.choice(DESCRIPTIONS).format(
                    who=rng.choice(WHO), place=city, topic=topic
                ),
                unfccc_observer=rng.random() < 0.15,
                year_founded=rng.randint(1978, 2022),
                status=status,
                applied_at=applied,
                member_since=applied + timedelta(days=rng.randint(3, 40))
                if status == Organisation.Status.MEMBER
                else None,
                review_note={
                    "more_info": "Please add your registration number and a link to your last annual report.",
                    "rejected": "We could not confirm that the organisation is registered as a non-profit.",
                }.get(status, ""),
            )
        )
    Organisation.objects.bulk_create(organisations)
    # bulk_create leaves auto_now_add to "now"; keep the generated history instead.
    for organisation in organisations:
        Organisation.objects.filter(pk=organisation.pk).update(applied_at=organisation.applied_at)

    theme_links, sdg_links = [], []
    for organisation in organisations:
        for theme in rng.sample(themes, rng.randint(1, 4)):
            theme_links.append(Organisation.themes.through(organisation=organisation, theme=theme))
        numbers = {13, *rng.sample(range(1, 18), rng.randint(0, 4))}
        for number in sorted(numbers):
            sdg_links.append(Organisation.sdgs.through(organisation=organisation, sdg=sdgs[number]))
    Organisation.themes.through.objects.bulk_create(theme_links)
    Organisation.sdgs.through.objects.bulk_create(sdg_links)

    people = _representatives(rng, organisations, places)
    return {"organisations": len(organisations), "representatives": people, "secretariat": 1}


def _representatives(rng: random.Random, organisations, places) -> int:
    language_of = {code: language for language, code, _ in places}
    count = 0
    for index, organisation in enumerate(organisations):
        given, family = NAMES[language_of[organisation.country_id]]
        for seat in range(1 if index % 3 else 2):
            first, last = rng.choice(given.split()), rng.choice(family.split())
            email = f"{first}.{last}.{index}-{seat}@example.org".lower()
            if index == 0 and seat == 0:
                email, first, last = DEMO_ORG_ADMIN_EMAIL, "Amina", "Diallo"
            user = verified_user(
                email,
                f"{first} {last}",
                password=demo_password() if email == DEMO_ORG_ADMIN_EMAIL else None,
            )
            user.language = {"fr": "fr", "ar": "ar"}.get(language_of[organisation.country_id], "en")
            user.save(update_fields=["language"])
            Representative.objects.create(
                organisation=organisation,
                user=user,
                role=Representative.Role.ADMIN if seat == 0 else Representative.Role.REPRESENTATIVE,
                title=rng.choice(["Director", "Programme officer", "Coordinator", "President"]),
            )
            if seat == 0:
                # The first admin applied, so the secretariat's queue names a real person.
                Organisation.objects.filter(pk=organisation.pk).update(applied_by=user)
            count += 1
    return count
