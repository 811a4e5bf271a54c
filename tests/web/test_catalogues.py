"""Every non-English catalogue of every app: present, complete, not fuzzy, placeholders and
plural forms intact, up to date with the code. Languages come from settings.LANGUAGES, so a
language added there fails here until its catalogues exist."""

import gettext
import os
import re
import shutil
import subprocess
import sys
from collections import Counter
from pathlib import Path

import pytest
from babel.messages.catalog import Catalog
from babel.messages.pofile import read_po
from django.conf import settings
from django.utils.translation import to_locale

import concord

PACKAGE = Path(concord.__file__).resolve().parent
# Django's codes ("zh-hans"); the folders are named by locale ("zh_Hans").
LANGUAGES = [code for code, _name in settings.LANGUAGES if code != settings.LANGUAGE_CODE]
# concord/locale and each app's own concord/<app>/locale, relative to the package.
LOCALE_DIRS = sorted(
    str(path.relative_to(PACKAGE)) for path in PACKAGE.glob("**/locale") if path.is_dir()
)
CATALOGUES = [(locale, language) for locale in LOCALE_DIRS for language in LANGUAGES]
# The plural rule of each language, as gettext (and Django's own catalogues) write it. A
# catalogue's header may spell it differently but must choose the same form for every n.
PLURAL_FORMS = {
    "fr": "nplurals=2; plural=(n > 1);",
    "ar": "nplurals=6; plural=n==0 ? 0 : n==1 ? 1 : n==2 ? 2 : n%100>=3 && n%100<=10 ? 3 : "
    "n%100>=11 && n%100<=99 ? 4 : 5;",
    "es": "nplurals=2; plural=(n != 1);",
    "pt": "nplurals=2; plural=(n != 1);",
    "ru": "nplurals=3; plural=(n%10==1 && n%100!=11 ? 0 : n%10>=2 && n%10<=4 && "
    "(n%100<10 || n%100>=20) ? 1 : 2);",
    "zh-hans": "nplurals=1; plural=0;",
    "az": "nplurals=2; plural=(n != 1);",
    "sw": "nplurals=2; plural=(n != 1);",
}
# Arabic forms 0, 1 and 2 are for exactly zero, one and two: they may spell the number out.
SPELLED_OUT_FORMS = {"ar": {0, 1, 2}}
# What `make messages` runs (the Makefile says the same).
MAKEMESSAGES = [
    "makemessages",
    *[arg for language in LANGUAGES for arg in ("-l", to_locale(language))],
    "--no-obsolete",
    "--no-location",
]
# %(name)s and %s style (python-format), and {name} style (str.format) placeholders.
NAMED = re.compile(r"%\(([^)]+)\)[-#0 +]*\d*(?:\.\d+)?[diouxXeEfFgGcrsa]")
POSITIONAL = re.compile(r"%[-#0 +]*\d*(?:\.\d+)?[diouxXeEfFgGcrsa]")
BRACES = re.compile(r"\{([A-Za-z_][A-Za-z0-9_]*)\}")


def catalogue_path(locale_dir: Path, language: str) -> Path:
    return locale_dir / to_locale(language) / "LC_MESSAGES" / "django.po"


def open_catalogue(locale: str, language: str) -> Catalog:
    path = catalogue_path(PACKAGE / locale, language)
    assert path.exists(), f"no {language} catalogue in concord/{locale}: create {path.name}"
    return read_catalogue(path)


def read_catalogue(path: Path) -> Catalog:
    with path.open("rb") as file:
        return read_po(file)


def raw_headers(path: Path) -> dict[str, str]:
    """The header entry as written in the file (Babel normalises some of it when reading)."""
    text = path.read_text(encoding="utf-8")
    block = text.split('msgid ""\nmsgstr ""\n', 1)[1].split("\n\n", 1)[0]
    value = "".join(line[1:-1] for line in block.splitlines() if line.startswith('"'))
    fields = value.replace('\\"', '"').split("\\n")
    return dict(field.split(": ", 1) for field in fields if ": " in field)


def entries(catalogue: Catalog):
    return [message for message in catalogue if message.id]  # the header has an empty id


def problems(catalogue: Catalog) -> list[str]:
    """Each entry that is fuzzy, untranslated, or lacks one of the language's plural forms."""
    found = []
    for message in entries(catalogue):
        forms = message.string if isinstance(message.string, tuple | list) else (message.string,)
        msgid = message.id[0] if isinstance(message.id, tuple | list) else message.id
        if message.fuzzy:
            found.append(f"fuzzy: {msgid!r}")
        if message.pluralizable and len(forms) != catalogue.num_plurals:
            found.append(f"{len(forms)} of {catalogue.num_plurals} plural forms: {msgid!r}")
        if not forms or not all(forms):
            found.append(f"untranslated: {msgid!r}")
    return found


def placeholders(text: str) -> Counter:
    """The placeholders of a text, each with how often it appears."""
    text = text.replace("%%", "")
    named = NAMED.findall(text)
    rest = NAMED.sub("", text)
    return Counter(
        [f"%({name})" for name in named]
        + ["%" + match[-1] for match in POSITIONAL.findall(rest)]
        + [f"{{{name}}}" for name in BRACES.findall(text)]
    )


def names_only(found: Counter) -> set[str]:
    return set(found)


def plural_choice(expression: str):
    """The function gettext uses to pick a form for n, from a Plural-Forms header value."""
    rule = expression.split("plural=", 1)[1].strip().rstrip(";")
    return gettext.c2py(rule)


@pytest.mark.parametrize(("locale", "language"), CATALOGUES)
def test_catalogue_headers(locale, language):
    path = catalogue_path(PACKAGE / locale, language)
    assert path.exists(), f"no {language} catalogue in concord/{locale}"
    headers = raw_headers(path)
    assert headers["Language"] == to_locale(language)
    assert headers["Content-Type"] == "text/plain; charset=UTF-8"
    written, expected = headers["Plural-Forms"], PLURAL_FORMS[language]
    assert written.split(";")[0].replace(" ", "") == expected.split(";")[0].replace(" ", "")
    chosen, wanted = plural_choice(written), plural_choice(expected)
    wrong = [n for n in range(1000) if chosen(n) != wanted(n)]
    assert not wrong, f"{language}: Plural-Forms picks the wrong form for n in {wrong[:10]}"
    assert not read_catalogue(path).fuzzy, "the header entry is still marked fuzzy"


@pytest.mark.parametrize(("locale", "language"), CATALOGUES)
def test_catalogues_have_no_untranslated_or_fuzzy_entries(locale, language):
    catalogue = open_catalogue(locale, language)
    assert entries(catalogue), "the catalogue is empty"
    found = problems(catalogue)
    assert not found, f"{language}: {len(found)} entries to translate:\n" + "\n".join(found)


@pytest.mark.parametrize(("locale", "language"), CATALOGUES)
def test_placeholders_survive_translation(locale, language):
    catalogue = open_catalogue(locale, language)
    wrong = []
    for message in entries(catalogue):
        if message.pluralizable:
            singular, plural = (placeholders(text) for text in message.id)
            for index, form in enumerate(message.string):
                found = placeholders(form)
                if not form or found in (singular, plural):
                    continue
                spelled = index in SPELLED_OUT_FORMS.get(language, set())
                allowed = [names_only(singular), names_only(plural)]
                if spelled and any(
                    names_only(found) == names - {"%(counter)"} for names in allowed
                ):
                    continue
                wrong.append(f"{message.id[0]!r} form {index}: {form!r}")
        elif message.string and placeholders(message.string) != placeholders(message.id):
            wrong.append(f"{message.id!r}: {message.string!r}")
    assert not wrong, f"{language}: placeholders changed in translation:\n" + "\n".join(wrong)


@pytest.mark.parametrize("language", LANGUAGES)
def test_vocabulary_names_are_translated(language):
    """Theme and SDG names are stored in English and translated when shown (core.models)."""
    from concord.core.vocabularies import SDGS, THEMES

    catalogue = open_catalogue("locale", language)
    missing = []
    for name in [name for _, name in THEMES] + [name for _, name in SDGS]:
        message = catalogue.get(name)
        if message is None or message.fuzzy or not message.string:
            missing.append(name)
    assert not missing, (
        f"{language}: theme/SDG names missing from the catalogue: {missing}. "
        "`makemessages` only finds them if concord/core/vocabularies.py marks them with a "
        "keyword xgettext knows (gettext_noop), not an alias such as N_."
    )


def test_catalogues_cover_every_string_in_the_code(tmp_path):
    """Extract the messages again from a copy of the code: nothing may come out untranslated."""
    if shutil.which("xgettext") is None:
        pytest.skip("GNU gettext (xgettext) is not installed: apt-get install gettext")
    copy = tmp_path / "src" / "concord"
    shutil.copytree(PACKAGE, copy, ignore=shutil.ignore_patterns("__pycache__", "*.pyc", "*.mo"))
    env = {
        **os.environ,
        "PYTHONPATH": str(copy.parent),
        "DJANGO_SETTINGS_MODULE": "concord.settings",
        "CONCORD_VAR_DIR": str(tmp_path / "var"),
    }
    result = subprocess.run(
        [sys.executable, "-m", "django", *MAKEMESSAGES],
        cwd=copy,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    untranslated = []
    for locale, language in CATALOGUES:
        path = catalogue_path(copy / locale, language)
        assert path.read_bytes() != b"", f"makemessages wrote no {locale} {language} catalogue"
        found = problems(read_catalogue(path))
        if found:
            untranslated.append(f"{locale} {language}:\n  " + "\n  ".join(found))
    assert not untranslated, (
        "strings in the code that the catalogues do not translate "
        "(run `make messages` and translate them):\n" + "\n".join(untranslated)
    )
