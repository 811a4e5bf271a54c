"""Every write path for events, one module per topic: `programme` (events, sessions,
questions), `registration` (registering, the waiting list, approval, cancelling), `checkin`
(badge codes and check-in at the door) and `messages` (emails to participants, reminders).

Errors: ValidationError for bad input (per field, HTTP 422), PermissionDenied (403), and
`Refused` (core.errors, answered with its status by the API's error handler, 409 unless said)
for a request that is well-formed but cannot be done now: full or closed registration, a badge
from another event, a forged code. Nothing is written when any of them is raised.
"""
