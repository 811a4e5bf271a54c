"""Every write path for case studies, one module per topic; import the module you need.

- `writing`: start and edit a case study, its language versions, and the text rules;
- `review`: submit, return and publish (a move the status does not allow is `Refused`, 409);
- `media`: photos and PDF documents;
- `adaptations`: another member's adaptation, and messages to the owning organisation;
- `notices`: who is emailed about a case study, and the links the emails carry.

Each function checks permission and input, writes in one transaction, logs the audit event,
updates the full-text index in that transaction and, once it commits, asks
`search.refresh_search` to compute the vectors. Errors: ValidationError (per field, 422),
PermissionDenied (403), Refused (409).
"""
