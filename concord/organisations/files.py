"""Who may see an organisation's logo (served by `core/files.py`): a member's logo is public,
an application's only to its applicants and the secretariat."""

from concord.core.files import WEBP, Served
from concord.organisations import permissions
from concord.organisations.models import Organisation


def resolve(name: str) -> Served | None:
    organisation = Organisation.objects.filter(logo=name).first()
    if organisation is None:
        return None
    return Served(
        content_type=WEBP,
        filename="logo.webp",
        public=organisation.is_member,
        may_see=lambda user: permissions.can_view(user, organisation),
    )
