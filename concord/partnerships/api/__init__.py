"""The partnerships API, by topic: `requests` (requests and offers, their explained matches,
expressions of interest, funding calls and an organisation's funding matches),
`partnerships` (partnerships, their deliverables and the named organisations' answers);
`common` holds what both share and `routes` assembles the one router the site's API mounts.

Thin: every write calls the same service as the pages, so rules live in the services. Bad
input answers 422 with a message per field, a move from the wrong state (an interest answered
twice) 409, and nothing is stored.
"""
