from django.apps import AppConfig


class CountriesConfig(AppConfig):
    name = "concord.countries"
    label = "countries"
    verbose_name = "Countries"
