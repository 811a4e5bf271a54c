from django.core.management.base import BaseCommand

from concord.countries.loader import load_reference_data


class Command(BaseCommand):
    help = "Load (or refresh) countries, regions, groups and their sources from the shipped files."

    def handle(self, *args, **options):
        counts = load_reference_data()
        self.stdout.write(
            "Loaded {countries} countries, {groups} groups, {sources} sources.".format(**counts)
        )
