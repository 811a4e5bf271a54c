"""File parts capped while they stream in, before any view reads them.

`CappedUploadHandler` (first in FILE_UPLOAD_HANDLERS) counts the bytes of each file part of a
multipart body; past MAX_UPLOAD_BYTES it stops the upload without reading the rest, so an
oversized file is neither kept in memory nor written to disk. `UploadLimitMiddleware` parses
multipart bodies before the CSRF check and the view, and answers 413 when a part was stopped:
the view never sees a form whose file silently went missing.
"""

import json

from django.conf import settings
from django.core.files.uploadhandler import FileUploadHandler, StopUpload
from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _

# Set on the request by the handler, read by the middleware.
REFUSED_FLAG = "concord_upload_refused"


class CappedUploadHandler(FileUploadHandler):
    def receive_data_chunk(self, raw_data: bytes, start: int) -> bytes:
        if start + len(raw_data) > settings.MAX_UPLOAD_BYTES:
            if self.request is not None:
                setattr(self.request, REFUSED_FLAG, True)
            raise StopUpload(connection_reset=True)
        return raw_data

    def file_complete(self, file_size: int) -> None:
        return None  # the next handler (memory or temporary file) makes the file


def too_large(request: HttpRequest) -> HttpResponse:
    limit = max(1, settings.MAX_UPLOAD_BYTES // (1024 * 1024))
    message = _("The file is too large: the limit is %(limit)d MB.") % {"limit": limit}
    if request.path.startswith("/api/"):
        return HttpResponse(
            json.dumps({"detail": message}), status=413, content_type="application/json"
        )
    return HttpResponse(message, status=413, content_type="text/plain; charset=utf-8")


class UploadLimitMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_view(self, request: HttpRequest, view, args, kwargs) -> HttpResponse | None:
        if request.method != "POST" or request.content_type != "multipart/form-data":
            return None
        request.FILES  # noqa: B018 - parses the body now, through the capped handler
        if getattr(request, REFUSED_FLAG, False):
            return too_large(request)
        return None
