from django.apps import AppConfig


class ResultsConfig(AppConfig):
    name = "concord.results"
    label = "results"
    verbose_name = "Results"
