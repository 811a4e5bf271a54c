from django.apps import AppConfig


class OrganisationsConfig(AppConfig):
    name = "concord.organisations"
    label = "organisations"
    verbose_name = "Organisations"

    def ready(self):
        # The resolver reads models, which can be imported only once the registry is ready.
        from concord.core import files
        from concord.organisations.files import resolve

        files.register("logos/", resolve)
