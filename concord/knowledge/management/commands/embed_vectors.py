"""`concord embed_vectors`: compute the vectors that published case studies lack (after the
model was switched on or changed, or a task was lost)."""

from django.core.management.base import BaseCommand

from concord.knowledge.tasks import embed_missing_vectors


class Command(BaseCommand):
    help = "Embed published case studies that have no vector of the configured model."

    def add_arguments(self, parser):
        parser.add_argument("--batch", type=int, default=100)

    def handle(self, *args, batch: int, **options):
        total = 0
        while done := embed_missing_vectors.call(batch):
            total += done
        self.stdout.write(f"Embedded {total} language versions.")
