from django.apps import AppConfig
from django.db.backends.signals import connection_created

from concord.core.collation import register_sqlite_collations


class CoreConfig(AppConfig):
    name = "concord.core"
    label = "core"
    verbose_name = "Core"

    def ready(self) -> None:
        # Every SQLite connection must know the collations `Collated` names in ORDER BY.
        connection_created.connect(register_sqlite_collations, dispatch_uid="concord-collations")
        # Bounces to the per-message return paths (core/bounces.py) come in through mailin;
        # imported here because they read models, which exist only once the registry is ready.
        from concord.core import bounces, mailin

        mailin.register(bounces.PREFIX, bounces.handle_bounce)
