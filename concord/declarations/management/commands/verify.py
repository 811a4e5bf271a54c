"""`concord verify`: check a declaration's transparency log as any reader would.

`concord verify SLUG` builds the copy a reader downloads (heads, leaves, what the signatory
list holds for each counted leaf, the published counts) from this database and runs the
standalone verifier on it; `--copy FILE` checks a downloaded copy instead, `--receipt FILE`
(repeatable) a signer's receipt too. Exits 1 and says which check failed, in words."""

import json
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from concord.declarations import queries
from concord.declarations.log import queries as log
from concord.declarations.log import verifier


class Command(BaseCommand):
    help = "Check a declaration's transparency log (and receipts) as any reader would."

    def add_arguments(self, parser):
        parser.add_argument("slug", nargs="?", help="a declaration of this database")
        parser.add_argument("--copy", type=Path, help="a downloaded copy of the log instead")
        parser.add_argument("--receipt", type=Path, action="append", default=[])

    def handle(self, *args, slug, copy, receipt, **options):
        if bool(slug) == bool(copy):
            raise CommandError("Give a declaration's short name or --copy FILE (one of them).")
        if copy:
            content = json.loads(copy.read_text())
        else:
            declaration = queries.declaration_for_page(slug)
            if declaration is None:
                raise CommandError(f"No declaration {slug!r}.")
            content = log.copy(declaration, log.published_counts(declaration))
        problems = list(verifier.verify_copy(content))
        for path in receipt:
            problems += verifier.verify_receipt(json.loads(path.read_text()), content)
        for problem in problems:
            self.stderr.write(problem.message())
        if problems:
            raise CommandError(f"{len(problems)} check(s) failed.", returncode=1)
        heads = content["heads"]
        newest = heads[-1] if heads else None
        summary = verifier.replay([entry["leaf"] for entry in content["leaves"]])
        self.stdout.write(
            f"OK: {len(content['leaves'])} leaves, {len(heads)} heads"
            + (f", newest head {newest['size']} at {newest['time']}" if newest else "")
            + f"; {summary['signatures']} signatures from {summary['countries']} countries"
            + (f"; {len(receipt)} receipt(s) verified" if receipt else "")
        )
