from django.apps import AppConfig
from django.db.models.signals import post_delete, post_save


class DeclarationsConfig(AppConfig):
    name = "concord.declarations"
    label = "declarations"
    verbose_name = "Declarations"

    def ready(self):
        # Models can be imported only once the app registry is ready, i.e. here.
        from concord.core import files
        from concord.declarations.files import resolve, resolve_response
        from concord.declarations.models import Declaration
        from concord.declarations.queries import forget_for_signing

        post_save.connect(forget_for_signing, sender=Declaration)
        post_delete.connect(forget_for_signing, sender=Declaration)
        files.register("exports/", resolve)
        files.register("declarations/responses/", resolve_response)
