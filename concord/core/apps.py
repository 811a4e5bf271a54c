from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "concord.core"
    label = "core"
    verbose_name = "Core"
