"""The results API, by topic: `projects` (projects and their results framework), `updates`
(reporting and review), `reports` (IATI XML and the platform totals); `routes` assembles
them into the one router the site's API mounts.

Thin: every write calls the same service as the pages, so rules live in the services. Values
and amounts are exact decimals; they are answered as strings ("1250.5") so none is rounded.
"""
