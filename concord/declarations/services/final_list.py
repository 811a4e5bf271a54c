"""Amending a final list: the one change a closed declaration's signatory list still allows.

Once closed, the count is final and the list's fingerprint is published. A signer may still
take their name out of it (hiding it, or deleting their account), and their privacy wins
over an unchanged file: the final CSV is built again, its SHA-256 becomes the fingerprint,
and the audit log keeps the old and the new one with the reason, so anyone holding the old
file can see why it changed. Files that held the name (the final JSON, the PDFs) go; they
are built again on request.
"""

from django.db import transaction

from concord.core.audit import log_event
from concord.declarations import export_files
from concord.declarations.log import sealing
from concord.declarations.models import Declaration, Export, SignatoryFile


def amend_final_list(declaration: Declaration, reason: str, actor=None) -> None:
    """Call inside the transaction that took the name out of the list."""
    if not declaration.final_export_sha256:
        return  # not closed yet: the files follow the list by themselves
    before = declaration.final_export_sha256
    stale = list(SignatoryFile.objects.filter(declaration=declaration))
    declaration.final_export_sha256 = export_files.build_final(declaration).sha256
    declaration.save(update_fields=["final_export_sha256"])
    sealing.seal(declaration)  # a new final head names the amended list
    log_event(
        "declaration.final_list_amended",
        declaration,
        actor=actor,
        reason=reason,
        signatures=declaration.final_signature_count,
        previous_sha256=before,
        sha256=declaration.final_export_sha256,
    )
    exports = list(Export.objects.filter(declaration=declaration))

    def drop() -> None:
        for old in stale:
            old.file.delete(save=False)
            old.delete()
        for export in exports:
            if export.file:
                export.file.delete(save=False)
            export.delete()

    transaction.on_commit(drop)
