"""Every write path for declarations, one module per topic; callers import the module they need.

- `lifecycle`: create a declaration, its language versions, open, close, publish, invitees;
- `signing`: the one input check, eligibility, sign, confirm, resend the link;
- `review`: whether the signatory list may still change, and invalidating signatures;
- `outcomes`: linking a declaration to the event it was adopted at;
- `pdf_exports`: asking for the PDF with its annex of signatories;
- `scheduled`: the work of the periodic jobs (close due declarations, goals, recounts).

Errors: ValidationError for bad input (per field, HTTP 422), PermissionDenied for a missing
right (403), `Refused` for a request that is well-formed but cannot be done now (not open:
409, already signed: 409, not eligible: 403, bad or expired link: 400/410). Nothing is
written when any of them is raised.
"""
