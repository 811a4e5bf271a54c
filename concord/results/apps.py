from django.apps import AppConfig


class ResultsConfig(AppConfig):
    name = "concord.results"
    label = "results"
    verbose_name = "Results"

    def ready(self):
        # The resolvers read models, which can be imported only once the registry is ready.
        from concord.core import files
        from concord.results.files import resolve_evidence, resolve_report

        files.register("results/evidence/", resolve_evidence)
        files.register("results/reports/", resolve_report)
