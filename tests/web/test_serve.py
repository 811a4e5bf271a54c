"""`concord serve` warns when the kernel would reset the connections queued for a granian
process being replaced (the graceful-restart fault test shows what that costs)."""

import io

import pytest
from django.core.management import call_command

from concord.web.management.commands import serve


@pytest.fixture
def sysctl(tmp_path, monkeypatch):
    setting = tmp_path / "tcp_migrate_req"
    monkeypatch.setattr(serve, "MIGRATE_QUEUED", setting)
    started = []
    monkeypatch.setattr(
        serve.Command, "run_children", lambda self, command, with_worker: started.append(command)
    )
    return setting, started


def run(server: str) -> str:
    errors = io.StringIO()
    call_command("serve", "--server", server, stdout=io.StringIO(), stderr=errors)
    return errors.getvalue()


@pytest.mark.parametrize(("value", "moved"), [("0\n", False), ("1\n", True), (None, None)])
def test_the_kernel_setting_is_read(sysctl, value, moved):
    setting, _started = sysctl
    if value is not None:
        setting.write_text(value)
    assert serve.queued_connections_move() is moved


def test_granian_warns_when_queued_connections_would_be_reset(sysctl):
    setting, started = sysctl
    setting.write_text("0\n")
    assert serve.MIGRATE_WARNING in run("granian")
    assert "granian" in started[-1]
    # gunicorn shares one listening socket between its processes: nothing to warn about.
    assert run("gunicorn") == ""
    setting.write_text("1\n")
    assert run("granian") == ""
    assert len(started) == 3
