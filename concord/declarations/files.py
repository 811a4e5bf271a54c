"""Who may download a declaration's PDF (served by `core/files.py`): a draft's only its
managers, an open, closed or published declaration's anyone."""

from concord.core.files import PDF, Served
from concord.declarations import permissions
from concord.declarations.models import Declaration, Export


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
