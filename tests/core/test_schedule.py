"""Periodic jobs: each is enqueued once per interval, however often the scheduler looks."""

from datetime import UTC, datetime, timedelta

import pytest
from django_tasks.signals import task_enqueued

from concord.core import schedule
from concord.core import tasks as core_tasks
from concord.core.models import ScheduledRun
from concord.core.schedule import enqueue_due_jobs

pytestmark = pytest.mark.django_db

START = datetime(2025, 3, 1, 8, 0, tzinfo=UTC)


@pytest.fixture(autouse=True)
def core_jobs_only(monkeypatch):
    """The scheduler's behaviour is tested on core's two jobs; other apps add their own."""
    two = {"retry-unsent-emails", "prune-finished-tasks"}
    jobs = [job for job in core_tasks.PERIODIC_JOBS if job[0] in two]
    monkeypatch.setattr(schedule, "all_periodic_jobs", lambda: jobs)


@pytest.fixture
def enqueued(django_capture_on_commit_callbacks):
    """Run the scheduler with its on-commit hooks executed; return the tasks it enqueued."""
    names: list[str] = []

    def record(sender, task_result, **kwargs):
        names.append(task_result.task.name)

    task_enqueued.connect(record)

    def run(now):
        names.clear()
        with django_capture_on_commit_callbacks(execute=True):
            returned = enqueue_due_jobs(now=now)
        assert sorted(returned) == sorted(
            name for name, _interval, job in schedule.all_periodic_jobs() if job.name in names
        )
        return sorted(names)

    yield run
    task_enqueued.disconnect(record)


def test_jobs_are_collected_from_every_app(monkeypatch):
    monkeypatch.undo()
    intervals = {name: interval for name, interval, _job in schedule.all_periodic_jobs()}
    assert intervals == {
        "retry-unsent-emails": timedelta(minutes=5),
        "prune-finished-tasks": timedelta(days=1),
        "requeue-lost-tasks": timedelta(seconds=10),
        "clear-old-email-bodies": timedelta(hours=1),
        "forget-idempotency-keys": timedelta(hours=1),
        "process-signature-intake": timedelta(minutes=1),
        "close-due-declarations": timedelta(minutes=1),
        "notify-reached-goals": timedelta(minutes=1),
        "reconcile-tallies": timedelta(minutes=10),
        "delete-expired-signatures": timedelta(minutes=10),
        "seal-logs": timedelta(minutes=10),
        "send-event-reminders": timedelta(minutes=15),
        "embed-missing-vectors": timedelta(minutes=10),
        "partnerships-weekly-digest": timedelta(hours=6),
        "send-mailings": timedelta(seconds=10),
        "group-digests": timedelta(days=1),
    }


def test_every_job_is_enqueued_on_the_first_look(enqueued):
    assert enqueued(START) == ["prune_finished_tasks", "retry_unsent_emails"]
    assert {run.name: run.last_run_at for run in ScheduledRun.objects.all()} == {
        "retry-unsent-emails": START,
        "prune-finished-tasks": START,
    }


def test_a_second_look_at_the_same_time_enqueues_nothing(enqueued):
    enqueued(START)
    assert enqueued(START) == []
    assert enqueued(START + timedelta(minutes=4, seconds=59)) == []


def test_a_job_is_enqueued_again_once_its_interval_has_passed(enqueued):
    enqueued(START)
    assert enqueued(START + timedelta(minutes=5)) == ["retry_unsent_emails"]
    assert enqueued(START + timedelta(minutes=6)) == []
    assert enqueued(START + timedelta(minutes=10)) == ["retry_unsent_emails"]
    assert enqueued(START + timedelta(days=1)) == ["prune_finished_tasks", "retry_unsent_emails"]
    assert enqueued(START + timedelta(days=1)) == []


def test_the_interval_counts_from_the_last_run_not_the_first(enqueued):
    enqueued(START)
    enqueued(START + timedelta(minutes=7))
    assert ScheduledRun.objects.get(name="retry-unsent-emails").last_run_at == START + timedelta(
        minutes=7
    )
    assert enqueued(START + timedelta(minutes=11)) == []
    assert enqueued(START + timedelta(minutes=12)) == ["retry_unsent_emails"]


def test_jobs_are_enqueued_only_when_the_transaction_commits(
    django_capture_on_commit_callbacks,
):
    names: list[str] = []

    def record(sender, task_result, **kwargs):
        names.append(task_result.task.name)

    task_enqueued.connect(record)
    try:
        with django_capture_on_commit_callbacks(execute=False) as callbacks:
            enqueue_due_jobs(now=START)
        assert names == []
        assert len(callbacks) == 2
        for callback in callbacks:
            callback()
        assert sorted(names) == ["prune_finished_tasks", "retry_unsent_emails"]
    finally:
        task_enqueued.disconnect(record)
