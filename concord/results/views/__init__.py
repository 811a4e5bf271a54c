"""Pages for projects and results, by topic: `projects` (dashboards, project pages and
forms, the results framework, exports) and `updates` (reporting, review, the CSV import).
Thin views that parse input, call a service or query, render. Every form works without
JavaScript."""
