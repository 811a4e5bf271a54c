from django.apps import AppConfig


class DeclarationsConfig(AppConfig):
    name = "concord.declarations"
    label = "declarations"
    verbose_name = "Declarations"
