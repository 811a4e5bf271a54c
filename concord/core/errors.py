"""The refusals every app raises, and the HTTP status each one means.

One rule for the whole platform, so a page and the API answer the same way:
- a bad field is a `django.core.exceptions.ValidationError` (422, per-field messages);
- a missing right is a `django.core.exceptions.PermissionDenied` (403);
- an action the object's current state does not allow is a `Refused` (409 unless a
  refusal says otherwise, e.g. 400 for a bad link, 403 for "not eligible", 410 for gone).
"""


class Refused(Exception):
    """A request that cannot be done now; `status` is the HTTP status the API answers and
    `code` a machine-readable reason."""

    def __init__(self, message: str, status: int = 409, code: str = "refused"):
        super().__init__(message)
        self.message, self.status, self.code = message, status, code

    def __str__(self) -> str:
        return self.message


def wrong_state(message: str, code: str = "wrong_state") -> Refused:
    """A move from a state that does not allow it: always 409."""
    return Refused(message, status=409, code=code)
