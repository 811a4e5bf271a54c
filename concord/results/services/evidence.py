"""The files attached to an update as evidence: checked by content and size, stored under
random names whose extension is the one the checked content implies (the uploader's name is
kept for display only)."""

from django.conf import settings

from concord.core import attachments
from concord.core.checks import Errors
from concord.results.models import Evidence, Update

EVIDENCE_MAX_FILES = 5


def evidence_max_bytes() -> int:
    return getattr(settings, "RESULTS_EVIDENCE_MAX_BYTES", 5 * 1024 * 1024)


def too_many_files() -> str:
    return attachments.too_many_files(EVIDENCE_MAX_FILES)


def check_evidence(files) -> list[attachments.Checked]:
    """The files, checked by content and size (core/attachments.py): PDFs as they are,
    images re-encoded (metadata dropped). Anything else is refused."""
    errors = Errors()
    checked = attachments.check_files(
        errors, "evidence", files, max_files=EVIDENCE_MAX_FILES, max_bytes=evidence_max_bytes()
    )
    errors.raise_if_any()
    return checked


def store_evidence(update: Update, checked: list[attachments.Checked]) -> None:
    """Save files already passed by `check_evidence` on the update (inside its transaction)."""
    for item in checked:
        attachments.store(
            Evidence(update=update, name=item.name, content_type=item.content_type, size=item.size),
            item,
        )
