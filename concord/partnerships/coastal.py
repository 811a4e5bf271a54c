# The word lists hold Cyrillic, Azerbaijani and typographic letters on purpose.
# ruff: noqa: RUF001
"""Whether a request is about the coast: its themes, or the words of its title and
description in any of the platform's languages.

A request on coastal work (mangroves, cyclones, sea level…) is of no use to an organisation
based in a landlocked country, so matching leaves those out (`matching.matches_for`). Members
write in their own language and often choose a broad theme (disaster risk reduction) for a
cyclone project, so the theme alone is not enough: the text is read too. The words are
stems of a coastal place, hazard or ecosystem; each was chosen because it rarely means
anything inland (no "delta": the Inner Niger Delta is in Mali; no bare "côte": "à côté";
"marine" only in phrases, as it is also a name).
"""

import re
from collections.abc import Iterable

COASTAL_THEMES = frozenset({"oceans-coasts"})

# Matched at the start of a word, case-insensitively.
_WORD_STARTS = [
    # English
    r"coast", r"shore", r"cyclon", r"hurricane", r"typhoon", r"mangrove", r"sea[- ]level",
    r"storm surge", r"coral", r"reef", r"seagrass", r"estuar", r"lagoon", r"tsunami", r"ocean",
    r"marine (protected|ecosystem|life|biodiversity|conservation)", r"blue carbon",
    # French (côte alone, but not "côté" nor "Côte d'Ivoire")
    r"côtes?\b(?!\s*d['’]ivoire)", r"côti[eè]re?s?\b", r"littoral", r"ouragan", r"typhon",
    r"niveau (de la mer|marin)", r"submersion marine", r"récif", r"corail", r"coraux",
    r"océan", r"(aires?|milieu|écosystèmes?) marin", r"estuaire", r"lagune", r"raz[- ]de[- ]marée",
    # Spanish and Portuguese
    r"coster[oa]s?\b", r"costeir[oa]s?\b", r"cicl[oó]n", r"hurac[aá]n", r"furac[aãoõ]", r"tif[oó]n",
    r"tuf[aã]o", r"tuf[õo]es", r"manglar", r"mangue", r"mangal", r"mangais",
    r"n[ií]vel (del|do|de) mar", r"arrecife", r"recifes? de coral", r"estu[aá]rio", r"marejada",
    r"(vida|zonas?|áreas?|especies|espécies|ecosistemas?|ecossistemas?) marinh?[oa]s?\b",
    # Russian
    r"побереж", r"прибрежн", r"циклон", r"ураган", r"тайфун", r"мангр", r"уровн[яеью]\w* моря",
    r"риф(ы|ов|а|ам|ах)?\b", r"корал", r"океан", r"морск", r"цунами", r"штормов\w* нагон",
    # Azerbaijani
    r"sahil", r"siklon", r"qasırğa", r"tayfun", r"manqr", r"dəniz səviyyə", r"mərcan", r"okean",
    r"sunami",
    # Swahili
    r"pwani", r"kimbunga", r"vimbunga", r"mikoko", r"bahari", r"matumbawe",
]  # fmt: skip
# Matched anywhere: Chinese has no spaces, and Arabic joins articles and prepositions.
_ANYWHERE = [
    "海岸", "沿海", "滨海", "气旋", "飓风", "台风", "红树林", "海平面", "珊瑚", "海洋", "风暴潮",
    "海啸", "潟湖",
    "ساحل", "سواحل", "إعصار", "اعصار", "أعاصير", "مانغروف", "منغروف", "سطح البحر", "مرجان",
    "المحيطات", "تسونامي", "بحري",
]  # fmt: skip

_PATTERN = re.compile(
    "|".join([rf"\b(?:{stem})" for stem in _WORD_STARTS] + [re.escape(w) for w in _ANYWHERE]),
    re.IGNORECASE,
)


def is_coastal(themes: Iterable[str], text: str) -> bool:
    """True when a coastal theme is chosen or the text names a coastal subject."""
    return bool(COASTAL_THEMES & set(themes)) or bool(_PATTERN.search(text))
