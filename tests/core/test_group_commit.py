"""Concurrent requests share one write transaction; each answers for its own work.

Real threads, each with its own database connection, outside a test transaction (as the app
server's request threads are)."""

import threading
import time

import psycopg
import pytest
from django.db import IntegrityError, OperationalError, connection, connections, transaction
from django.utils import timezone, translation

from concord.core.errors import Refused
from concord.core.group_commit import GroupCommit, _Waiter
from concord.core.models import ScheduledRun

pytestmark = pytest.mark.django_db(transaction=True)


def in_threads(count: int, target) -> dict[int, object]:
    """Run target(n) in `count` threads started together; what each returned or raised."""
    outcomes: dict[int, object] = {}
    start = threading.Barrier(count)

    def request(n: int) -> None:
        start.wait()
        try:
            outcomes[n] = target(n)
        except Exception as exc:
            outcomes[n] = exc
        finally:
            connection.close()

    threads = [threading.Thread(target=request, args=(n,)) for n in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert len(outcomes) == count
    return outcomes


def slowly(work):
    """A round takes a while; meanwhile others queue behind it."""

    def unit():
        time.sleep(0.005)
        return work()

    return unit


def test_rows_are_written_together_and_each_caller_answered_after_its_commit():
    committed: set[int] = set()
    batches: list[list[int]] = []
    lock = threading.Lock()

    def write_rows(rows):
        time.sleep(0.02)
        if 13 in rows:
            raise OSError("database away")
        with lock:
            batches.append(list(rows))
            committed.update(rows)

    group = GroupCommit(write_rows)

    def request(n: int) -> str:
        group.write(n)
        return "committed" if n in committed else "answered before its commit"

    outcomes = in_threads(40, request)
    failed = {n for n, outcome in outcomes.items() if isinstance(outcome, OSError)}
    assert 13 in failed and failed.isdisjoint(committed)
    assert {n for n, o in outcomes.items() if o == "committed"} == set(range(40)) - failed
    assert len(batches) < 20  # rows shared commits
    assert sorted(n for batch in batches for n in batch) == sorted(committed)


def test_each_caller_gets_its_own_result_and_a_failing_one_spoils_no_other():
    ScheduledRun.objects.create(name="taken", last_run_at=timezone.now())
    rounds: list[int] = []
    group = GroupCommit(finish=lambda results: rounds.append(len(results)))

    def work(n: int):
        if n == 7:  # what it wrote before it was refused goes with it
            ScheduledRun.objects.create(name="job-7", last_run_at=timezone.now())
            raise Refused("no", code="seven")
        name = "taken" if n == 11 else f"job-{n}"  # 11 breaks a unique rule
        ScheduledRun.objects.create(name=name, last_run_at=timezone.now())
        return f"done {n}"

    outcomes = in_threads(30, lambda n: group.run(slowly(lambda: work(n))))
    assert isinstance(outcomes[7], Refused) and outcomes[7].code == "seven"
    assert isinstance(outcomes[11], IntegrityError)
    assert {n: o for n, o in outcomes.items() if n not in (7, 11)} == {
        n: f"done {n}" for n in range(30) if n not in (7, 11)
    }
    stored = set(ScheduledRun.objects.values_list("name", flat=True))
    assert stored == {"taken"} | {f"job-{n}" for n in range(30) if n not in (7, 11)}
    assert sum(rounds) == 28 and len(rounds) < 28  # shared transactions, only successes


def test_a_failed_commit_reaches_every_caller_of_its_round(monkeypatch):
    group = GroupCommit()

    def failing_commit(self):
        raise OperationalError("disk I/O error")

    with monkeypatch.context() as patch:
        patch.setattr(type(connections["default"]), "commit", failing_commit)
        outcomes = in_threads(
            12,
            lambda n: group.run(
                slowly(
                    lambda: ScheduledRun.objects.create(name=f"j{n}", last_run_at=timezone.now())
                )
            ),
        )
    assert all(isinstance(o, OperationalError) for o in outcomes.values()), outcomes
    assert not ScheduledRun.objects.exists()


def test_work_runs_in_its_callers_language():
    group = GroupCommit()
    languages = ["fr", "ar", "es", "en"] * 4

    def request(n: int) -> str | None:
        with translation.override(languages[n]):
            return group.run(slowly(translation.get_language))

    outcomes = in_threads(len(languages), request)
    assert outcomes == dict(enumerate(languages))


def test_a_caller_inside_its_own_transaction_keeps_the_work_in_it():
    group = GroupCommit()
    other: list[object] = []

    def another_request() -> None:
        try:
            other.append(group.run(lambda: ScheduledRun.objects.count()))
        except Exception as exc:
            other.append(exc)
        finally:
            connection.close()

    with transaction.atomic():
        ScheduledRun.objects.create(name="mine", last_run_at=timezone.now())
        rival = threading.Thread(target=another_request)
        rival.start()
        while not group._writing:  # the other request leads a round (on SQLite, it waits
            time.sleep(0.001)  # for this transaction's write lock)
        # Queued behind that round this would wait for it, and it for this transaction.
        assert group.run(lambda: ScheduledRun.objects.filter(name="mine").exists())
        transaction.set_rollback(True)
    rival.join(timeout=30)
    assert other == [0]
    assert not ScheduledRun.objects.exists()  # rolled back with the caller's transaction


def lost_race(code: type[psycopg.errors.Error]) -> OperationalError:
    """What Django raises when PostgreSQL picks this transaction as a deadlock's victim."""
    error = OperationalError("deadlock detected")
    error.__cause__ = code("deadlock detected")
    return error


@pytest.mark.parametrize(
    "code", [psycopg.errors.DeadlockDetected, psycopg.errors.SerializationFailure]
)
def test_a_round_that_lost_a_race_runs_again_once_and_its_callers_get_the_second_result(code):
    attempts: list[int] = []

    def finish(results):
        attempts.append(len(results))
        if len(attempts) == 1:
            raise lost_race(code)

    group = GroupCommit(finish=finish)
    made = group.run(lambda: ScheduledRun.objects.create(name="once", last_run_at=timezone.now()))
    assert attempts == [1, 1]
    assert list(ScheduledRun.objects.values_list("pk", flat=True)) == [made.pk]  # not twice


def test_a_unit_that_lost_a_race_runs_its_whole_round_again():
    attempts: list[str] = []

    def work() -> str:
        attempts.append("work")
        if len(attempts) == 1:
            raise lost_race(psycopg.errors.DeadlockDetected)
        return "done"

    assert GroupCommit().run(work) == "done"
    assert attempts == ["work", "work"]


def test_a_second_lost_race_reaches_the_callers_and_other_errors_are_not_retried():
    attempts: list[int] = []

    def finish(results):
        attempts.append(1)
        raise lost_race(psycopg.errors.DeadlockDetected)

    group = GroupCommit(finish=finish)
    with pytest.raises(OperationalError, match="deadlock"):
        group.run(lambda: ScheduledRun.objects.create(name="never", last_run_at=timezone.now()))
    assert len(attempts) == 2 and not ScheduledRun.objects.exists()

    def broken(results):
        attempts.append(1)
        raise OperationalError("disk I/O error")

    with pytest.raises(OperationalError, match="disk"):
        GroupCommit(finish=broken).run(lambda: None)
    assert len(attempts) == 3


def test_inside_a_callers_transaction_a_lost_race_is_not_run_again():
    attempts: list[int] = []

    def work() -> None:
        attempts.append(1)
        raise lost_race(psycopg.errors.DeadlockDetected)

    with transaction.atomic(), pytest.raises(OperationalError):
        GroupCommit().run(work)
    assert attempts == [1]


def test_a_round_runs_its_work_in_the_order_given():
    ran: list[str] = []
    group = GroupCommit()
    batch = [
        _Waiter(lambda key=key: ran.append(key), is_row=False, order=(1, key))
        for key in ["c3", "a1", "b2"]
    ]
    group._round(batch)
    assert ran == ["a1", "b2", "c3"]
