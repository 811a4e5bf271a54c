"""The French and Arabic catalogues: complete, not fuzzy, placeholders intact, up to date."""

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from babel.messages.catalog import Catalog
from babel.messages.pofile import read_po

import concord

PACKAGE = Path(concord.__file__).resolve().parent
LANGUAGES = ["fr", "ar"]
# concord/locale and each app's own concord/<app>/locale, relative to the package.
LOCALE_DIRS = sorted(
    str(path.relative_to(PACKAGE)) for path in PACKAGE.glob("**/locale") if path.is_dir()
)
CATALOGUES = [(locale, language) for locale in LOCALE_DIRS for language in LANGUAGES]
# The rule Django's own Arabic catalogue uses (and gettext's msgfmt checks against).
PLURAL_FORMS = {
    "fr": "nplurals=2; plural=(n > 1);",
    "ar": "nplurals=6; plural=n==0 ? 0 : n==1 ? 1 : n==2 ? 2 : n%100>=3 && n%100<=10 ? 3 : "
    "n%100>=11 && n%100<=99 ? 4 : 5;",
}
# Arabic forms 0, 1 and 2 are for exactly zero, one and two: they may spell the number out.
SPELLED_OUT_FORMS = {"ar": {0, 1, 2}}
# What `make messages` runs.
MAKEMESSAGES = ["makemessages", "-l", "fr", "-l", "ar", "--no-obsolete", "--no-location"]
PLACEHOLDER = re.compile(r"%\(([^)]+)\)")


def catalogue_path(locale_dir: Path, language: str) -> Path:
    return locale_dir / language / "LC_MESSAGES" / "django.po"


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


def placeholders(text: str) -> set[str]:
    return set(PLACEHOLDER.findall(text.replace("%%", "")))


@pytest.mark.parametrize(("locale", "language"), CATALOGUES)
def test_catalogue_headers(locale, language):
    path = catalogue_path(PACKAGE / locale, language)
    headers = raw_headers(path)
    assert headers["Language"] == language
    assert headers["Content-Type"] == "text/plain; charset=UTF-8"
    assert " ".join(headers["Plural-Forms"].split()) == PLURAL_FORMS[language]
    assert not read_catalogue(path).fuzzy, "the header entry is still marked fuzzy"


@pytest.mark.parametrize(("locale", "language"), CATALOGUES)
def test_catalogues_have_no_untranslated_or_fuzzy_entries(locale, language):
    catalogue = read_catalogue(catalogue_path(PACKAGE / locale, language))
    assert entries(catalogue), "the catalogue is empty"
    found = problems(catalogue)
    assert not found, f"{language}: {len(found)} entries to translate:\n" + "\n".join(found)


@pytest.mark.parametrize(("locale", "language"), CATALOGUES)
def test_placeholders_survive_translation(locale, language):
    catalogue = read_catalogue(catalogue_path(PACKAGE / locale, language))
    wrong = []
    for message in entries(catalogue):
        if message.pluralizable:
            singular, plural = (placeholders(text) for text in message.id)
            allowed = [singular, plural]
            for index, form in enumerate(message.string):
                ok = allowed
                if index in SPELLED_OUT_FORMS.get(language, set()):
                    ok = allowed + [names - {"counter"} for names in allowed]
                if form and placeholders(form) not in ok:
                    wrong.append(f"{message.id[0]!r} form {index}: {form!r}")
        elif message.string and placeholders(message.string) != placeholders(message.id):
            wrong.append(f"{message.id!r}: {message.string!r}")
    assert not wrong, f"{language}: placeholders changed in translation:\n" + "\n".join(wrong)


@pytest.mark.parametrize("language", LANGUAGES)
def test_vocabulary_names_are_translated(language):
    """Theme and SDG names are stored in English and translated when shown (core.models)."""
    from concord.core.vocabularies import SDGS, THEMES

    catalogue = read_catalogue(catalogue_path(PACKAGE / "locale", language))
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
    for locale, language in CATALOGUES:
        path = catalogue_path(copy / locale, language)
        assert path.read_bytes() != b"", f"makemessages wrote no {locale} {language} catalogue"
        found = problems(read_catalogue(path))
        assert not found, (
            f"{locale} {language}: strings in the code that the catalogue does not translate "
            f"(run `make messages` and translate them):\n" + "\n".join(found)
        )
