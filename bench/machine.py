"""The machine and the software a run measured, for the results file."""

from __future__ import annotations

import contextlib
import os
import platform
import re
import subprocess
from pathlib import Path


def machine() -> dict:
    cpuinfo = Path("/proc/cpuinfo").read_text()
    models = re.findall(r"^model name\s*:\s*(.*)$", cpuinfo, re.M)
    meminfo = Path("/proc/meminfo").read_text()
    mem_kb = int(re.search(r"^MemTotal:\s*(\d+)", meminfo, re.M).group(1))
    return {
        "cpu": models[0] if models else platform.processor(),
        "cores": len(models) or os.cpu_count(),
        "memory_gib": round(mem_kb / 1024 / 1024, 1),
        "os": platform.platform(),
    }


def versions(db: str) -> dict:
    import django

    found = {"python": platform.python_version(), "django": django.get_version()}
    with contextlib.suppress(Exception):
        import gunicorn

        found["gunicorn"] = gunicorn.__version__
    with contextlib.suppress(Exception):
        from importlib.metadata import version

        found["granian"] = version("granian")
    with contextlib.suppress(Exception):
        from django.db import connection

        with connection.cursor() as cursor:
            if connection.vendor == "sqlite":
                cursor.execute("select sqlite_version()")
                found["database"] = "SQLite " + cursor.fetchone()[0]
            else:
                cursor.execute("show server_version")
                found["database"] = "PostgreSQL " + cursor.fetchone()[0]
    with contextlib.suppress(Exception):
        found["wrk"] = subprocess.run(
            ["wrk", "-v"], capture_output=True, text=True, check=False
        ).stdout.split("\n")[0][:40]
    return found
