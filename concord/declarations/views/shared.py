"""What the declarations' public and management pages share: finding the declaration the
visitor may see (or manage), and the language version a reader gets."""

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.utils import translation

from concord.declarations import permissions, queries
from concord.declarations.forms import language_choices
from concord.declarations.models import Declaration, DeclarationText


def visible_or_404(request, slug: str) -> Declaration:
    declaration = queries.declaration_for_page(slug)
    if declaration is None or not permissions.can_view(request.user, declaration):
        raise Http404
    return declaration


def managed_or_403(request, slug: str) -> Declaration:
    declaration = visible_or_404(request, slug)
    if not permissions.can_manage(request.user, declaration):
        raise PermissionDenied
    return declaration


def texts_by_language(declaration: Declaration) -> dict[str, DeclarationText]:
    return {text.language: text for text in declaration.texts.all()}


def reader_text(declaration: Declaration, wanted: str = "") -> DeclarationText | None:
    """The version asked for, else the one in the reader's language, else the original."""
    return declaration.text_for(wanted, translation.get_language())


def language_names() -> dict[str, str]:
    return dict(language_choices())


def direction(language: str) -> str:
    return "rtl" if language.split("-")[0] in settings.LANGUAGES_BIDI else "ltr"
