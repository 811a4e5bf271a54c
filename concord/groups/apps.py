from django.apps import AppConfig


class GroupsConfig(AppConfig):
    name = "concord.groups"
    label = "groups"
    verbose_name = "Working groups"

    def ready(self) -> None:
        # Registered here, like files.py resolvers, so core reaches the app without importing it.
        from concord.core import files, mailin
        from concord.groups import inbound
        from concord.groups.files import resolve_attachment

        files.register("groups/attachments/", resolve_attachment)
        mailin.register("reply", inbound.handle_reply)
        mailin.register("group", inbound.handle_new_thread)
