"""Offline signatures: a CSV of signatures collected on paper, checked then imported.

The page and the API both start with `start_import`, which decides who may import and when
(403, 409) and records the job: the page's job runs in the background (`run_import`), the
API's at once, so the API answers with the report.

A dry run reports every bad row (line, field, reason) and every duplicate. An import adds
the good rows as confirmed and "collected offline by <who>", all in one transaction: either
every good row is stored and counted, or none is. Rows are checked by the same rule set as
the web form and the API (services.signing.check_signature_input).
"""

from collections.abc import Callable

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django_tasks import task

from concord.accounts.models import User
from concord.core.audit import log_event
from concord.core.checks import has_nul, nul_message
from concord.core.csv import read_rows
from concord.core.errors import Refused
from concord.core.imports import ImportRefused, ImportResult, RowError
from concord.declarations import counting, permissions
from concord.declarations.log import entries as log
from concord.declarations.models import Declaration, ImportJob, Signature
from concord.declarations.services.review import check_signatures_can_change
from concord.declarations.services.signing import SignatureInput, check_signature_input

HEADER = ["name", "email", "country", "kind", "organisation", "role", "show_name"]
YES = {"yes", "y", "true", "1", "oui", "sí", "si", "sim", "نعم"}
NO = {"no", "n", "false", "0", "non", "não", "nao", "لا", ""}
PROGRESS_EVERY = 1000


def _parse(text: str) -> tuple[list[tuple[int, dict[str, str]]], list[RowError]]:
    _header, lines = read_rows(text, limit=settings.MAX_IMPORT_ROWS, exact=HEADER)
    rows: list[tuple[int, dict[str, str]]] = []
    errors: list[RowError] = []
    for line, values in lines:
        if len(values) != len(HEADER):
            errors.append(
                RowError(
                    line,
                    "",
                    ngettext(
                        "expected %(expected)s column, found %(found)s",
                        "expected %(expected)s columns, found %(found)s",
                        len(HEADER),
                    )
                    % {"expected": len(HEADER), "found": len(values)},
                )
            )
            continue
        rows.append((line, dict(zip(HEADER, values, strict=True))))
    return rows, errors


def check_rows(
    declaration: Declaration, text: str, progress: Callable[[int, int], None] | None = None
) -> tuple[list[tuple[int, SignatureInput]], ImportResult]:
    rows, errors = _parse(text)
    result = ImportResult(rows=len(rows) + len(errors), errors=errors)
    existing = set(declaration.signatures.values_list("email", flat=True))
    first_line: dict[str, int] = {}
    good: list[tuple[int, SignatureInput]] = []
    for index, (line, row) in enumerate(rows, start=1):
        nul = [name for name, value in row.items() if has_nul(value)]
        if nul:
            # A NUL cannot be stored (PostgreSQL text refuses it): report, never crash.
            result.errors.extend(RowError(line, name, nul_message()) for name in nul)
            continue
        show = row["show_name"].strip().lower()
        if show not in YES | NO:
            result.errors.append(RowError(line, "show_name", _("use yes or no")))
            continue
        try:
            data = check_signature_input(
                SignatureInput(
                    name=row["name"],
                    email=row["email"],
                    country=row["country"],
                    kind=row["kind"].strip().lower(),
                    organisation=row["organisation"],
                    role=row["role"],
                    show_name=show in YES,
                    language=declaration.original_language,
                )
            )
        except ValidationError as error:
            for name, messages in error.message_dict.items():
                result.errors.append(RowError(line, name, " ".join(messages)))
            continue
        if data.email in existing:
            result.errors.append(RowError(line, "email", _("this address has already signed")))
        elif data.email in first_line:
            result.errors.append(
                RowError(
                    line,
                    "email",
                    _("duplicate of line %(line)s in this file") % {"line": first_line[data.email]},
                )
            )
        else:
            first_line[data.email] = line
            good.append((line, data))
        if progress and index % PROGRESS_EVERY == 0:
            progress(index, len(rows))
    result.valid = len(good)
    result.errors.sort(key=lambda error: error.line)
    return good, result


def check_may_import(user, declaration: Declaration) -> None:
    """Who may import (403) and when (409: not once the list is final)."""
    if not permissions.can_manage(user, declaration):
        raise PermissionDenied(
            _("Only the secretariat or the drafting committee imports signatures.")
        )
    check_signatures_can_change(declaration)


def start_import(
    user: User,
    declaration: Declaration,
    text: str,
    *,
    dry_run: bool,
    collected_by: str,
    at_once: bool = False,
) -> ImportJob:
    """Record an import job, once the user may import into this declaration now. The page's
    job runs in the background after the commit; `at_once` runs it here (the API answers
    with its report). The job is returned as it stands."""
    check_may_import(user, declaration)
    job = ImportJob.objects.create(
        declaration=declaration,
        dry_run=dry_run,
        content=text,
        collected_by=(collected_by or "").strip()[:200] or str(user),
        requested_by=user,
    )
    if at_once:
        run_job(job.pk)
        job.refresh_from_db()
    else:
        transaction.on_commit(lambda: run_import.enqueue(job.pk))
    return job


def import_signatures(
    user: User,
    declaration: Declaration,
    text: str,
    *,
    dry_run: bool,
    collected_by: str,
    progress: Callable[[int, int], None] | None = None,
    on_written: Callable[[ImportResult], None] | None = None,
) -> ImportResult:
    """`on_written(result)` runs inside the writing transaction, so a job can record its outcome
    atomically with the rows: a re-run after a crash then sees the job done, not a file of
    "already signed" rows."""
    check_may_import(user, declaration)
    collected_by = (collected_by or "").strip()[:200] or str(user)
    good, result = check_rows(declaration, text, progress)
    result.dry_run = dry_run
    if dry_run or not good:
        return result

    def written(count: int) -> None:
        result.imported = count
        result.errors.sort(key=lambda error: error.line)
        if on_written is not None:
            on_written(result)

    for attempt in range(2):
        try:
            result.imported = _write(user, declaration, good, collected_by, written)
            break
        except IntegrityError:
            # Someone signed online with one of these addresses meanwhile: check again.
            if attempt:
                raise
            existing = set(declaration.signatures.values_list("email", flat=True))
            for line, data in good:
                if data.email in existing:
                    result.errors.append(
                        RowError(line, "email", _("this address has already signed"))
                    )
            good = [(line, data) for line, data in good if data.email not in existing]
            result.valid = len(good)
            if not good:
                break
    result.errors.sort(key=lambda error: error.line)
    return result


def _write(user, declaration: Declaration, good, collected_by: str, on_written=None) -> int:
    now = timezone.now()
    signatures = [
        Signature(
            declaration=declaration,
            email=data.email,
            name=data.name,
            country_id=data.country,
            kind=data.kind,
            organisation_name=data.organisation,
            role=data.role,
            show_name=data.show_name,
            language=declaration.original_language,
            status=Signature.Status.CONFIRMED,
            confirmed_at=now,
            source=Signature.Source.OFFLINE,
            collected_by=collected_by,
        )
        for _line, data in good
    ]
    with transaction.atomic():
        Signature.objects.bulk_create(signatures, batch_size=2000)
        counting.count_signatures(signatures)
        log.record(signatures, log.Event.IMPORTED)
        if on_written is not None:
            on_written(len(signatures))
        log_event(
            "signatures.imported",
            declaration,
            actor=user,
            count=len(signatures),
            collected_by=collected_by,
        )
    return len(signatures)


@task()
def run_import(job_id: int) -> None:
    """The background task of the page's import: runs the job, recording progress and the
    report on it; safe to run again (a job done is left alone)."""
    run_job(job_id)


def run_job(job_id: int) -> None:
    job = ImportJob.objects.select_related("declaration", "requested_by").get(pk=job_id)
    if job.status == ImportJob.Status.DONE or job.requested_by is None:
        return
    ImportJob.objects.filter(pk=job_id).update(status=ImportJob.Status.RUNNING)

    def progress(done: int, total: int) -> None:
        ImportJob.objects.filter(pk=job_id).update(rows_done=done, rows_total=total)

    def finished(result) -> None:
        ImportJob.objects.filter(pk=job_id).update(
            status=ImportJob.Status.DONE,
            rows_total=result.rows,
            rows_done=result.rows,
            imported=result.imported,
            valid=result.valid,
            errors=[e.as_dict() for e in result.errors],
            finished_at=timezone.now(),
        )

    try:
        result = import_signatures(
            job.requested_by,
            job.declaration,
            job.content,
            dry_run=job.dry_run,
            collected_by=job.collected_by,
            progress=progress,
            on_written=finished,
        )
    except (ImportRefused, Refused) as refusal:
        # The file cannot be read, or the declaration closed after the job was recorded.
        ImportJob.objects.filter(pk=job_id).update(
            status=ImportJob.Status.FAILED,
            errors=[{"line": 0, "field": "", "reason": str(refusal)}],
            finished_at=timezone.now(),
        )
        return
    # A dry run, or a file with no good row, writes nothing: record the report now. After a
    # real import `finished` already ran inside the transaction that stored the rows.
    if result.dry_run or not result.imported:
        finished(result)
