"""Who may download a declaration's files (served by `core/files.py`): a PDF of a draft only
its managers, of an open, closed or published declaration anyone; a response's document
anyone once the response is published (on a declaration that is no draft), else only those
who manage the declaration."""

from concord.core.files import PDF, Served
from concord.declarations import permissions
from concord.declarations.models import Declaration, Export, Response


def resolve(name: str) -> Served | None:
    export = Export.objects.filter(file=name).select_related("declaration").first()
    if export is None:
        return None
    declaration = export.declaration
    return Served(
        content_type=PDF,
        filename=f"{declaration.slug}-{export.language}.pdf",
        public=declaration.status != Declaration.Status.DRAFT,
        may_see=lambda user: permissions.can_manage(user, declaration),
    )


def resolve_response(name: str) -> Served | None:
    response = (
        Response.objects.filter(document=name).select_related("addressee__declaration").first()
    )
    if response is None:
        return None
    declaration = response.addressee.declaration
    return Served(
        content_type=response.document_type or PDF,
        filename=response.document_name or "response.pdf",
        public=response.is_published and declaration.status != Declaration.Status.DRAFT,
        may_see=lambda user: permissions.can_manage_addressees(user, declaration),
    )
