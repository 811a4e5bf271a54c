"""On SQLite, every write queues for the write lock in the kernel (a lock file beside the
database), not in SQLite's busy handler: transactions and lone write statements alike."""

import fcntl
import threading
import time

import pytest
from django.db import connection, transaction
from django.utils import timezone

from concord.core.models import ScheduledRun

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.sqlite_only,
]


def lock_file_taken() -> bool:
    """Whether someone holds the write lock, asked through a file of our own (an flock
    belongs to the open file, so this one competes like another process would)."""
    with open(str(connection.settings_dict["NAME"]) + "-write.lock", "a") as other:
        try:
            fcntl.flock(other, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            return True
        fcntl.flock(other, fcntl.LOCK_UN)
        return False


def test_a_transaction_holds_the_lock_until_it_commits_or_rolls_back():
    ScheduledRun.objects.exists()  # connected
    assert not lock_file_taken()
    with transaction.atomic():
        assert lock_file_taken()
        with transaction.atomic():  # a savepoint: the same hold
            ScheduledRun.objects.create(name="a", last_run_at=timezone.now())
        assert lock_file_taken()
    assert not lock_file_taken()
    with pytest.raises(ZeroDivisionError), transaction.atomic():
        ScheduledRun.objects.create(name="b", last_run_at=timezone.now())
        1 / 0  # noqa: B018
    assert not lock_file_taken()
    assert list(ScheduledRun.objects.values_list("name", flat=True)) == ["a"]


def test_a_lone_write_statement_waits_for_the_lock_held_elsewhere():
    ScheduledRun.objects.exists()
    events: list[str] = []
    held = threading.Event()

    def other_process() -> None:
        with open(str(connection.settings_dict["NAME"]) + "-write.lock", "a") as other:
            fcntl.flock(other, fcntl.LOCK_EX)
            held.set()
            time.sleep(0.3)
            events.append("released")
            fcntl.flock(other, fcntl.LOCK_UN)

    rival = threading.Thread(target=other_process)
    rival.start()
    held.wait(5)
    ScheduledRun.objects.create(name="after", last_run_at=timezone.now())  # autocommit
    events.append("written")
    rival.join()
    assert events == ["released", "written"]
    assert not lock_file_taken()


def test_concurrent_writers_queue_instead_of_finding_the_database_locked():
    failures: list[Exception] = []
    start = threading.Barrier(8)

    def writer(n: int) -> None:
        with connection.cursor() as cursor:
            cursor.execute("PRAGMA busy_timeout=0")  # SQLite alone would fail at once
        start.wait()
        try:
            for i in range(15):
                with transaction.atomic():
                    ScheduledRun.objects.create(name=f"{n}-{i}", last_run_at=timezone.now())
                ScheduledRun.objects.filter(name=f"{n}-{i}").update(last_run_at=timezone.now())
        except Exception as exc:
            failures.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=writer, args=(n,)) for n in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert failures == []
    assert ScheduledRun.objects.count() == 8 * 15
