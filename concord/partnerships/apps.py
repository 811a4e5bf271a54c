from django.apps import AppConfig


class PartnershipsConfig(AppConfig):
    name = "concord.partnerships"
    label = "partnerships"
    verbose_name = "Partnerships"
