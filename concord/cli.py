"""The `concord` console script: Django's management commands plus serve, worker and demo."""

import os
import sys


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "concord.settings")
    # The search's matrix product is memory-bound and an app server runs many requests at
    # once: one BLAS thread per request was faster than several (docs/knowledge.md).
    os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")
    # Imported once the environment above is set: Django reads its settings module, and
    # numpy its thread count, when first imported.
    from django.core.management import execute_from_command_line

    execute_from_command_line(["concord", *sys.argv[1:]])


if __name__ == "__main__":
    main()
