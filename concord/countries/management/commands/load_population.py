from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from concord.countries.loader import load_population_table


class Command(BaseCommand):
    help = (
        "Load a newer population table (e.g. UN World Population Prospects "
        "TotalPopulationBySex.csv) with its provenance."
    )

    def add_arguments(self, parser):
        parser.add_argument("path", type=Path)
        parser.add_argument("--source-key", required=True, help="e.g. wpp2026")
        parser.add_argument("--title", required=True)
        parser.add_argument("--publisher", required=True)
        parser.add_argument("--url", default="")
        parser.add_argument("--as-of", required=True, help="the date or edition of the table")
        parser.add_argument("--licence", default="")
        parser.add_argument(
            "--year", type=int, help="use this year (default: the latest per country)"
        )
        parser.add_argument(
            "--thousands", action="store_true", help="figures are in thousands (WPP)"
        )

    def handle(self, *args, path, source_key, year, thousands, **options):
        if not path.exists():
            raise CommandError(f"{path} does not exist.")
        source = {
            "title": options["title"],
            "publisher": options["publisher"],
            "url": options["url"],
            "as_of": options["as_of"],
            "licence": options["licence"],
            "obtained_from": path.name,
        }
        updated = load_population_table(
            path, source_key=source_key, year=year, thousands=thousands, source=source
        )
        self.stdout.write(f"Updated the population of {updated} countries from {path.name}.")
