"""Factories for tests (factory-boy), one module per app: `tests.factories.accounts`,
`tests.factories.organisations` and so on. Import the factory from its app's module.

Rows that the platform makes through a service (an event, a posted request, a signature) are
made through that same service by the factory's `_create`, so a test sees the state the real
write path leaves, never a hand-made imitation of it."""
