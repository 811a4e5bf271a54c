"""Background work for declarations. Tasks take primary keys and call services."""

from datetime import timedelta

from django.utils import timezone
from django_tasks import task

from concord.declarations import intake, pdf, services
from concord.declarations.imports import ImportRefused, import_signatures
from concord.declarations.models import ImportJob


@task()
def build_pdf(export_id: int) -> None:
    pdf.build(export_id)


@task()
def run_import(job_id: int) -> None:
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
    except ImportRefused as refusal:
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


@task()
def process_signature_intake() -> dict[str, int]:
    return intake.process()


@task()
def close_due_declarations() -> list[str]:
    return services.close_due_declarations()


@task()
def notify_reached_goals() -> list[str]:
    return services.notify_reached_goals()


@task()
def reconcile_tallies() -> list[str]:
    return services.reconcile_tallies()


PERIODIC_JOBS = [
    # Each acceptance enqueues a run itself; this catches what a lost task left behind.
    ("process-signature-intake", timedelta(minutes=1), process_signature_intake),
    ("close-due-declarations", timedelta(minutes=1), close_due_declarations),
    ("notify-reached-goals", timedelta(minutes=1), notify_reached_goals),
    ("reconcile-tallies", timedelta(minutes=10), reconcile_tallies),
]
