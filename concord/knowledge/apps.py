from django.apps import AppConfig


class KnowledgeConfig(AppConfig):
    name = "concord.knowledge"
    label = "knowledge"
    verbose_name = "Knowledge"

    def ready(self):
        # The resolvers read models, which can be imported only once the registry is ready.
        from concord.core import files
        from concord.knowledge.files import resolve_document, resolve_photo

        files.register("practices/photos/", resolve_photo)
        files.register("practices/documents/", resolve_document)
