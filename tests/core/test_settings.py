"""Settings read from the environment: EMAIL_URL and secrets from *_FILE.

Settings are computed when the module is imported, so each case imports it afresh in a
subprocess with its own environment.
"""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
EMAIL_NAMES = [
    "EMAIL_BACKEND",
    "EMAIL_HOST",
    "EMAIL_PORT",
    "EMAIL_HOST_USER",
    "EMAIL_HOST_PASSWORD",
    "EMAIL_USE_TLS",
    "EMAIL_USE_SSL",
]
SMTP = "django.core.mail.backends.smtp.EmailBackend"
CONSOLE = "django.core.mail.backends.console.EmailBackend"


def settings_with(tmp_path, names, **environ) -> subprocess.CompletedProcess:
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("EMAIL_", "SECRET_KEY", "DJANGO_", "CONCORD_", "DATABASE_"))
    }
    env.update(CONCORD_VAR_DIR=str(tmp_path / "var"), PYTHONPATH=str(ROOT), **environ)
    script = (
        "import json, concord.settings as s; "
        f"print(json.dumps({{n: getattr(s, n, None) for n in {names!r}}}))"
    )
    return subprocess.run(
        [sys.executable, "-c", script],
        env=env,
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=60,
    )


def read_settings(tmp_path, names=EMAIL_NAMES, **environ) -> dict:
    result = settings_with(tmp_path, names, **environ)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_email_is_printed_to_the_console_by_default(tmp_path):
    assert read_settings(tmp_path)["EMAIL_BACKEND"] == CONSOLE


def test_console_url_selects_the_console_backend(tmp_path):
    values = read_settings(tmp_path, EMAIL_URL="console:")
    assert values["EMAIL_BACKEND"] == CONSOLE


def test_smtp_url_gives_host_port_user_and_password(tmp_path):
    values = read_settings(tmp_path, EMAIL_URL="smtp://user:pass@mail.example.org:2525")
    assert values == {
        "EMAIL_BACKEND": SMTP,
        "EMAIL_HOST": "mail.example.org",
        "EMAIL_PORT": 2525,
        "EMAIL_HOST_USER": "user",
        "EMAIL_HOST_PASSWORD": "pass",
        "EMAIL_USE_TLS": False,
        "EMAIL_USE_SSL": False,
    }


def test_smtp_tls_url_turns_on_starttls(tmp_path):
    values = read_settings(tmp_path, EMAIL_URL="smtp+tls://user:pass@mail.example.org:587")
    assert values == {
        "EMAIL_BACKEND": SMTP,
        "EMAIL_HOST": "mail.example.org",
        "EMAIL_PORT": 587,
        "EMAIL_HOST_USER": "user",
        "EMAIL_HOST_PASSWORD": "pass",
        "EMAIL_USE_TLS": True,
        "EMAIL_USE_SSL": False,
    }


def test_smtp_tls_url_defaults_to_the_submission_port(tmp_path):
    values = read_settings(tmp_path, EMAIL_URL="smtp+tls://mail.example.org")
    assert values["EMAIL_PORT"] == 587
    assert values["EMAIL_USE_TLS"] is True


def test_smtp_url_without_port_uses_port_25(tmp_path):
    values = read_settings(tmp_path, EMAIL_URL="smtp://mail.example.org")
    assert values["EMAIL_PORT"] == 25
    assert values["EMAIL_USE_TLS"] is False


def test_percent_encoded_credentials_are_decoded(tmp_path):
    values = read_settings(
        tmp_path, EMAIL_URL="smtp+tls://noreply%40ngo.org:p%40ss%2Fw0rd@mail.example.org"
    )
    assert values["EMAIL_HOST_USER"] == "noreply@ngo.org"
    assert values["EMAIL_HOST_PASSWORD"] == "p@ss/w0rd"


def test_email_url_may_come_from_a_file(tmp_path):
    secret = tmp_path / "email_url"
    secret.write_text("smtp://robot:from-file@relay.example.org:2525\n")
    # The file wins over the variable itself.
    values = read_settings(tmp_path, EMAIL_URL="console:", EMAIL_URL_FILE=str(secret))
    assert values["EMAIL_HOST"] == "relay.example.org"
    assert values["EMAIL_HOST_PASSWORD"] == "from-file"


def test_smtp_ssl_url_turns_on_implicit_tls(tmp_path):
    values = read_settings(tmp_path, EMAIL_URL="smtp+ssl://user:pass@mail.example.org:465")
    assert values == {
        "EMAIL_BACKEND": SMTP,
        "EMAIL_HOST": "mail.example.org",
        "EMAIL_PORT": 465,
        "EMAIL_HOST_USER": "user",
        "EMAIL_HOST_PASSWORD": "pass",
        "EMAIL_USE_TLS": False,
        "EMAIL_USE_SSL": True,
    }


def test_smtp_ssl_url_defaults_to_the_smtps_port(tmp_path):
    values = read_settings(tmp_path, EMAIL_URL="smtp+ssl://mail.example.org")
    assert values["EMAIL_PORT"] == 465
    assert values["EMAIL_USE_SSL"] is True


def test_smtp_ssl_url_accepts_a_timeout(tmp_path):
    values = read_settings(
        tmp_path,
        ["EMAIL_PORT", "EMAIL_USE_SSL", "EMAIL_TIMEOUT"],
        EMAIL_URL="smtp+ssl://mail.example.org:465?timeout=5",
    )
    assert values == {"EMAIL_PORT": 465, "EMAIL_USE_SSL": True, "EMAIL_TIMEOUT": 5}


@pytest.mark.parametrize(
    "url", ["smpt://mail.example.org", "smtps://mail.example.org", "mail.example.org"]
)
def test_an_unknown_email_scheme_is_refused_with_a_clear_message(tmp_path, url):
    result = settings_with(tmp_path, ["EMAIL_BACKEND"], EMAIL_URL=url)
    assert result.returncode != 0
    last_line = result.stderr.strip().splitlines()[-1]
    assert last_line.startswith("django.core.exceptions.ImproperlyConfigured: EMAIL_URL")


def test_secret_key_is_read_from_secret_key_file(tmp_path):
    key_file = tmp_path / "secret"
    key_file.write_text("from-the-file-0123456789\n")
    values = read_settings(
        tmp_path, ["SECRET_KEY"], SECRET_KEY="from-env", SECRET_KEY_FILE=str(key_file)
    )
    assert values["SECRET_KEY"] == "from-the-file-0123456789"


def test_secret_key_is_read_from_the_environment(tmp_path):
    assert read_settings(tmp_path, ["SECRET_KEY"], SECRET_KEY="from-env")["SECRET_KEY"] == (
        "from-env"
    )


def test_without_a_secret_key_one_is_generated_once_and_kept_private(tmp_path):
    first = read_settings(tmp_path, ["SECRET_KEY"])["SECRET_KEY"]
    second = read_settings(tmp_path, ["SECRET_KEY"])["SECRET_KEY"]
    key_file = tmp_path / "var" / "secret_key"
    assert len(first) >= 50
    assert first == second == key_file.read_text().strip()
    assert key_file.stat().st_mode & 0o777 == 0o600


SHARED_STATE = """
import json, django
django.setup()
from django.conf import settings
from concord.core import limits
print(json.dumps({
    "cache": settings.CACHES["default"]["BACKEND"],
    "location": settings.CACHES["default"].get("LOCATION"),
    "limits": type(limits.storage()).__name__,
    "limits_url": settings.RATE_LIMIT_STORAGE,
}))
"""


def shared_state(tmp_path, **environ) -> dict:
    """Where the cache and the rate-limit counters live, in a process with only `environ`
    (none of REDIS_URL, RATE_LIMIT_STORAGE inherited from the caller's environment)."""
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("REDIS_", "RATE_LIMIT", "CONCORD_", "DATABASE_", "DJANGO_"))
    }
    env.update(
        CONCORD_VAR_DIR=str(tmp_path / "var"),
        PYTHONPATH=str(ROOT),
        DJANGO_SETTINGS_MODULE="concord.settings",
        **environ,
    )
    result = subprocess.run(
        [sys.executable, "-c", SHARED_STATE],
        env=env,
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_with_redis_url_the_cache_and_the_rate_limits_are_shared_in_redis(tmp_path):
    # Several app servers share the soft limit's counters (cache) and every rate-limit budget.
    found = shared_state(tmp_path, REDIS_URL="redis://cache.internal:6379/3")
    assert found == {
        "cache": "django.core.cache.backends.redis.RedisCache",
        "location": "redis://cache.internal:6379/3",
        "limits": "RedisStorage",
        "limits_url": "redis://cache.internal:6379/3",
    }


def test_without_redis_each_process_counts_for_itself(tmp_path):
    found = shared_state(tmp_path)
    assert found["cache"] == "django.core.cache.backends.locmem.LocMemCache"
    assert (found["limits"], found["limits_url"]) == ("MemoryStorage", "memory://")
    # RATE_LIMIT_STORAGE still wins over REDIS_URL for the limits alone.
    found = shared_state(tmp_path, REDIS_URL="redis://a:6379/1", RATE_LIMIT_STORAGE="memory://")
    assert found["limits"] == "MemoryStorage"
