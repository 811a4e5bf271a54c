"""Every write path for partnerships, one module a topic: `requests` (requests, offers and
working languages), `interests` (expressions of interest and their answers), `partnerships`
(deliverables and progress reports) and `funding` (calls and tracked applications). The
digest setting is written in `partnerships.digests`.

Each function checks permission and input, writes in one transaction, logs the audit event
and queues emails that leave once the transaction commits. A bad field is a ValidationError,
a missing right PermissionDenied, a move from the wrong state `core.errors.Refused`; nothing
is stored when one is raised.
"""
