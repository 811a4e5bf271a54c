from django.apps import AppConfig


class WebConfig(AppConfig):
    name = "concord.web"
    label = "web"
    verbose_name = "Web"
