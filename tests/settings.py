"""Test settings: the real settings with fast hashing, tasks run at once, files in a temp dir."""

import tempfile
from pathlib import Path

from concord.settings import *  # noqa: F403
from concord.settings import DATABASES

SECRET_KEY = "tests-only-not-secret"
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
MEDIA_ROOT = tempfile.mkdtemp(prefix="concord-test-media-")
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
ACCOUNT_RATE_LIMITS = False
SITE_URL = "http://testserver"
ALLOWED_HOSTS = ["*"]

# A file (not memory) for the SQLite test database, so threads in concurrency tests see
# WAL mode and the busy timeout exactly as production does.
if DATABASES["default"]["ENGINE"].endswith("sqlite3"):
    DATABASES["default"]["TEST"] = {
        "NAME": str(Path(tempfile.mkdtemp(prefix="concord-test-db-")) / "test.sqlite3")
    }
STATS_CACHE_SECONDS = 0
