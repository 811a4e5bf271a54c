"""Which RUNNING tasks count as lost with their worker, and what requeueing them releases
(in-process checks; a real killed worker is in test_worker_kill.py). Not marked `faults`."""

from datetime import timedelta

import pytest
from django.utils import timezone
from django_tasks_db.models import DBTaskResult, get_date_max

from concord.core import emails, heartbeat
from concord.core import tasks as core_tasks
from concord.core.models import OutgoingEmail, WorkerHeartbeat

pytestmark = pytest.mark.django_db

NOW = timezone.now()


def running(
    worker_ids, started_ago=60, task_path="concord.core.tasks.prune_finished_tasks", args=()
):
    return DBTaskResult.objects.create(
        status="RUNNING",
        started_at=NOW - timedelta(seconds=started_ago),
        worker_ids=list(worker_ids),
        args_kwargs={"args": list(args), "kwargs": {}},
        task_path=task_path,
        backend_name="default",
        run_after=get_date_max(),
    )


def seen(worker_id, ago):
    WorkerHeartbeat.objects.create(worker_id=worker_id, last_seen=NOW - timedelta(seconds=ago))


def requeue():
    return core_tasks.requeue_lost_tasks.call()


def test_a_task_of_a_worker_not_seen_lately_is_queued_again(monkeypatch):
    monkeypatch.setattr(timezone, "now", lambda: NOW)
    seen("dead", ago=30)
    seen("alive", ago=2)
    lost = running(["dead"])
    kept = running(["alive"])
    assert requeue() == [str(lost.pk)]
    lost.refresh_from_db()
    kept.refresh_from_db()
    assert (lost.status, lost.started_at, lost.worker_ids) == ("READY", None, ["dead"])
    assert kept.status == "RUNNING"
    # It is ready to be claimed again by the next worker.
    assert DBTaskResult.objects.ready().filter(pk=lost.pk).exists()
    assert requeue() == []


def test_the_last_worker_decides_and_a_task_just_started_is_left_alone(monkeypatch):
    monkeypatch.setattr(timezone, "now", lambda: NOW)
    seen("dead", ago=300)
    seen("alive", ago=1)
    moved_on = running(["dead", "alive"])
    just_started = running(["never-seen"], started_ago=5)
    unknown = running(["never-seen"], started_ago=60)
    assert requeue() == [str(unknown.pk)]
    assert DBTaskResult.objects.get(pk=moved_on.pk).status == "RUNNING"
    assert DBTaskResult.objects.get(pk=just_started.pk).status == "RUNNING"


def test_a_task_that_keeps_killing_its_workers_is_failed(monkeypatch):
    monkeypatch.setattr(timezone, "now", lambda: NOW)
    poison = running([f"w{n}" for n in range(heartbeat.MAX_ATTEMPTS)])
    assert requeue() == []
    poison.refresh_from_db()
    assert poison.status == "FAILED"
    assert poison.exception_class_path == "concord.core.heartbeat.WorkerLost"
    assert poison.finished_at == NOW


def _message(claimed_until):
    return OutgoingEmail.objects.create(
        key=f"k{OutgoingEmail.objects.count()}",
        to="a@example.org",
        subject="s",
        body_text="b",
        claimed_until=claimed_until,
        attempts=1,
    )


def test_the_dead_workers_claim_on_an_email_is_released(monkeypatch):
    monkeypatch.setattr(timezone, "now", lambda: NOW)
    started = NOW - timedelta(seconds=60)
    mine = _message(claimed_until=started + emails.CLAIM + timedelta(seconds=1))
    task = running(["dead"], task_path=emails.deliver_email.module_path, args=[mine.pk])
    assert requeue() == [str(task.pk)]
    mine.refresh_from_db()
    assert mine.claimed_until is None and mine.sent_at is None


def test_someone_elses_claim_is_kept(monkeypatch):
    monkeypatch.setattr(timezone, "now", lambda: NOW)
    started = NOW - timedelta(seconds=60)
    # Claimed again after the dead attempt's claim would have expired: not ours to release.
    later = started + 2 * emails.CLAIM + timedelta(seconds=5)
    theirs = _message(claimed_until=later)
    running(["dead"], task_path=emails.deliver_email.module_path, args=[theirs.pk])
    assert len(requeue()) == 1
    theirs.refresh_from_db()
    assert theirs.claimed_until == later


def test_the_dead_workers_claim_in_a_batch_of_emails_is_released(monkeypatch):
    monkeypatch.setattr(timezone, "now", lambda: NOW)
    started = NOW - timedelta(seconds=60)
    # The batch had sent its first message and was 40 s into the second when it died.
    sent = _message(claimed_until=None)
    OutgoingEmail.objects.filter(pk=sent.pk).update(sent_at=started)
    mine = _message(claimed_until=started + emails.CLAIM + timedelta(seconds=40))
    waiting = _message(claimed_until=None)
    ids = [sent.pk, mine.pk, waiting.pk]
    running(["dead"], task_path=emails.deliver_emails.module_path, args=[ids])
    assert len(requeue()) == 1
    mine.refresh_from_db()
    assert mine.claimed_until is None and mine.sent_at is None
    assert OutgoingEmail.objects.get(pk=sent.pk).sent_at == started


def test_heartbeats_are_written_and_old_ones_pruned():
    worker_id = heartbeat.new_worker_id()
    assert len(worker_id) <= 64
    heartbeat.beat(worker_id, now=NOW - timedelta(days=8))
    heartbeat.beat("recent", now=NOW)
    assert core_tasks.prune_finished_tasks.call() == 1
    assert list(WorkerHeartbeat.objects.values_list("worker_id", flat=True)) == ["recent"]
