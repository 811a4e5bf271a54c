"""Every write path for projects and results, by topic: `projects` (a project and its
countries, partners and IATI identity), `framework` (results, indicators, reporting periods),
`updates` (an update's figures, its submission and review, the periods' actuals) and
`evidence` (the files attached to an update).

Each function checks permission and input, writes in one transaction, and logs an audit
event. Bad input raises ValidationError with per-field messages before anything is written
(422); a refusal of who is asking raises PermissionDenied (403); a move the update's state
does not allow raises `core.errors.Refused` (409). Values and amounts are Decimals.
"""
