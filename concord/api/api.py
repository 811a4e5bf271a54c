"""The JSON API at /api/v1: assembles each app's router; errors answer {"detail": ...}."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from ninja import NinjaAPI
from ninja.errors import AuthenticationError

from concord.core.errors import Refused
from concord.core.limits import TooMany
from concord.countries.api import router as countries_router
from concord.declarations.api import router as declarations_router
from concord.declarations.api_addressees import router as addressees_router
from concord.declarations.api_drafting import router as drafting_router
from concord.declarations.log.api import router as log_router
from concord.events.api import router as events_router
from concord.groups.api import router as groups_router
from concord.knowledge.api import router as knowledge_router
from concord.mailings.api import router as mailings_router
from concord.organisations.api import applications_router
from concord.organisations.api import router as organisations_router
from concord.partnerships.api.routes import router as partnerships_router
from concord.results.api.routes import router as results_router


class ConcordAPI(NinjaAPI):
    def get_openapi_operation_id(self, operation) -> str:
        """`concord_<app>_api_<function>`, whether an app keeps its endpoints in one module, in
        topic modules or beside the work they serve (`declarations/log/api.py`), so generated
        clients keep their names when a module moves."""
        app = operation.view_func.__module__.split(".")[1]
        return f"concord_{app}_api_{operation.view_func.__name__}"


api = ConcordAPI(
    title="Concord API",
    version="1",
    description=(
        "The coalition's data: countries and groups, member organisations, membership "
        "applications. Authenticate with `Authorization: Bearer <token>` (create a token on "
        "your account page or with `concord apitoken create EMAIL`). Lists are paginated as "
        '`count/next/previous/results`; errors answer `{"detail": ...}`, with per-field '
        "messages for invalid input. Every POST accepts an `Idempotency-Key` header (1 to 255 "
        "visible ASCII characters, e.g. a UUID): the same request sent again with it within "
        "a day runs once and gets the first answer again (marked `Idempotent-Replayed: true`); "
        "the same key with another request is refused with 422."
    ),
    urls_namespace="api",
    docs_url="/docs",
)


@api.exception_handler(ValidationError)
def on_validation_error(request, exc: ValidationError):
    if hasattr(exc, "error_dict"):
        detail = [
            {"loc": ["body", field], "msg": " ".join(messages), "type": "value_error"}
            for field, messages in exc.message_dict.items()
        ]
    else:
        detail = " ".join(exc.messages)
    return api.create_response(request, {"detail": detail}, status=422)


@api.exception_handler(Refused)
def on_refused(request, exc: Refused):
    response = api.create_response(
        request, {"detail": exc.message, "code": exc.code}, status=exc.status
    )
    if isinstance(exc, TooMany):
        response["Retry-After"] = str(exc.retry_after)
    return response


@api.exception_handler(PermissionDenied)
def on_permission_denied(request, exc: PermissionDenied):
    return api.create_response(request, {"detail": str(exc) or "You may not do this."}, status=403)


@api.exception_handler(AuthenticationError)
def on_unauthenticated(request, exc):
    return api.create_response(
        request, {"detail": "Authentication required: send a valid Bearer token."}, status=401
    )


@api.exception_handler(Http404)
def on_not_found(request, exc):
    return api.create_response(request, {"detail": "Not found."}, status=404)


api.add_router("/countries", countries_router)
api.add_router("/organisations", organisations_router)
api.add_router("/membership-applications", applications_router)
api.add_router("/declarations", declarations_router)
api.add_router("/declarations", log_router)
api.add_router("/declarations", drafting_router)
api.add_router("/declarations", addressees_router)
# Each app mounts its own paths (e.g. /practices, /events, /projects) inside its router.
api.add_router("", knowledge_router)
api.add_router("", events_router)
api.add_router("", results_router)
api.add_router("", partnerships_router)
api.add_router("", mailings_router)
api.add_router("", groups_router)
