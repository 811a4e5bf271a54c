"""Who may see a post's images and PDFs (served by `core/files.py`): those who may read the
post. A public group's are public; a members-only group's only its members and the
secretariat; a hidden post's only its group's moderators (who may need to look again)."""

from concord.core.files import Served
from concord.groups import permissions
from concord.groups.models import Attachment


def resolve_attachment(name: str) -> Served | None:
    found = Attachment.objects.filter(file=name).select_related("post__thread__group").first()
    if found is None:
        return None
    post = found.post
    group = post.thread.group

    def may_see(user) -> bool:
        if post.is_hidden:
            return permissions.can_moderate(user, group)
        return permissions.can_see_group(user, group)

    return Served(
        content_type=found.content_type,
        filename=found.name,
        public=not group.is_members_only and not post.is_hidden,
        may_see=may_see,
    )
