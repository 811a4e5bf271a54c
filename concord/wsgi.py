import gc
import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "concord.settings")
django_application = get_wsgi_application()

from concord.core import shared_answers  # noqa: E402  (needs the settings loaded above)

# The names a server sets for each request (PEP 3333 and CGI): never taken away below.
REQUEST_NAMES = frozenset(
    [
        "REQUEST_METHOD",
        "SCRIPT_NAME",
        "PATH_INFO",
        "QUERY_STRING",
        "CONTENT_TYPE",
        "CONTENT_LENGTH",
        "SERVER_NAME",
        "SERVER_PORT",
        "SERVER_PROTOCOL",
        "SERVER_SOFTWARE",
        "GATEWAY_INTERFACE",
        "REMOTE_ADDR",
        "REMOTE_HOST",
        "REMOTE_PORT",
        "REMOTE_USER",
    ]
)
_process_environment: tuple[tuple[str, str], ...] | None = None


def application(environ, start_response):
    """The site, with granian's copy of the process environment taken out of each request,
    and answers shared by every visitor without a cookie sent from core/shared_answers.py.

    granian starts every request's environ from os.environ (SECRET_KEY, DATABASE_URL...), so
    they would sit in request.META, where error reports show what the filter does not hide,
    and a variable named HTTP_* would pass for a header the client never sent. gunicorn
    passes only the request; both servers then give Django the same META.
    """
    global _process_environment
    if environ.get("SERVER_SOFTWARE") == "Granian":
        if _process_environment is None:
            # Read at the first request, after granian took its copy when the worker started.
            _process_environment = tuple(
                (key, value) for key, value in os.environ.items() if key not in REQUEST_NAMES
            )
        for key, value in _process_environment:
            # A header the client did send under that name has its own value: it stays.
            if environ.get(key) == value:
                del environ[key]
    # What a crowd watching a declaration asks for is answered before Django runs.
    return shared_answers.serve(environ, start_response, django_application)


# Objects made while loading the app live as long as the process: keep them out of the
# garbage collector's passes, and run its youngest pass less often. Under a surge of
# requests this shortened the slowest answers (bench/NOTES.md). Both servers import this
# module in each worker process after it has forked, so each worker freezes its own heap.
gc.collect()
gc.freeze()
gc.set_threshold(20_000, 50, 100)
