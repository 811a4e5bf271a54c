"""Public exports of a declaration: signatory CSV and JSON, statistics JSON, the PDF.

The signatory list holds every counted (confirmed) signature in a fixed order, so its row
count equals the published count and its SHA-256 (published when the declaration closes) lets
anyone check that the list they download is the list that was counted. Emails are never
exported. A signer who chose not to show their name gets a row with only the country and
the day (UTC) of confirmation: no kind, organisation, role or time of day, and it is listed
after the shown rows of that country and day, so its place in the list does not betray its
time either (the hidden rows of one country and day are identical, so their order is moot).
"""

import csv
import hashlib
import io
import json
from collections.abc import Iterator
from datetime import UTC

from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.db.models.functions import Coalesce, TruncDate
from django.urls import reverse
from django.utils import translation

from concord.core.csv import spreadsheet_safe
from concord.countries.queries import reference
from concord.declarations.models import Declaration, Signature

COLUMNS = ["country", "country_name", "kind", "name", "organisation", "role", "confirmed_at"]
CHUNK = 2000


def _rows(declaration: Declaration) -> Iterator[dict[str, str]]:
    names = {code: facts.name for code, facts in reference().countries.items()}
    moment = Coalesce("confirmed_at", "created_at")
    signatures = (
        Signature.objects.filter(declaration=declaration, status=Signature.Status.CONFIRMED)
        .select_related("organisation")
        .order_by("country_id", TruncDate(moment, tzinfo=UTC), "-show_name", moment, "pk")
    )
    for signature in signatures.iterator(chunk_size=CHUNK):
        at = (signature.confirmed_at or signature.created_at).astimezone(UTC)
        row = dict.fromkeys(COLUMNS, "")
        row["country"] = signature.country_id
        row["country_name"] = names.get(signature.country_id, signature.country_id)
        if signature.show_name:
            row["kind"] = signature.kind
            row["name"] = signature.name
            row["organisation"] = signature.organisation_label
            row["role"] = signature.role
            row["confirmed_at"] = at.strftime("%Y-%m-%dT%H:%M:%SZ")
        else:
            row["confirmed_at"] = at.strftime("%Y-%m-%d")
        yield row


def signatories_csv_chunks(declaration: Declaration) -> Iterator[bytes]:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(COLUMNS)
    for index, row in enumerate(_rows(declaration), start=1):
        writer.writerow([spreadsheet_safe(row[column]) for column in COLUMNS])
        if index % CHUNK == 0:
            yield buffer.getvalue().encode()
            buffer.seek(0)
            buffer.truncate()
    yield buffer.getvalue().encode()


def signatories_csv(declaration: Declaration) -> bytes:
    return b"".join(signatories_csv_chunks(declaration))


def signatories_sha256(declaration: Declaration) -> str:
    digest = hashlib.sha256()
    for chunk in signatories_csv_chunks(declaration):
        digest.update(chunk)
    return digest.hexdigest()


def signatories_json_chunks(declaration: Declaration) -> Iterator[bytes]:
    yield b'{"declaration": ' + json.dumps(declaration.slug).encode() + b', "signatories": ['
    for index, row in enumerate(_rows(declaration)):
        yield (b", " if index else b"") + json.dumps(row, ensure_ascii=False).encode()
    yield b"]}"


def stats_document(declaration: Declaration, stats) -> dict:
    """The statistics as the API contract names them (shares between 0 and 1)."""
    cover = stats.coverage
    return {
        "declaration": declaration.slug,
        "status": declaration.status,
        "signatures": stats.signatures,
        "organisations": stats.organisations,
        "individuals": stats.individuals,
        "countries": cover.countries,
        "un_member_states": cover.un_member_states,
        "un_member_states_total": cover.un_member_states_total,
        "un_member_states_share": cover.un_member_states_share,
        "population": cover.population,
        "world_population": cover.world_population,
        "population_share": cover.population_share,
        "population_year": cover.population_year,
        "groups": {
            group.slug: {
                "name": group.name,
                "countries": group.count,
                "size": group.size,
                "share": group.share,
            }
            for group in cover.groups
        },
        "by_region": [
            {
                "region": row.code,
                "name": row.name,
                "countries": row.countries,
                "signatures": row.signatures,
            }
            for row in stats.by_region
        ],
        "by_country": [
            {
                "country": row.country,
                "name": row.name,
                "signatures": row.signatures,
                "organisations": row.organisations,
                "individuals": row.individuals,
            }
            for row in stats.by_country
        ],
        # Member organisations whose share links brought confirmed signatures, the most first.
        "brought_by": [
            {
                "organisation": row.organisation,
                "name": row.name,
                "url": directory_url(row.organisation),
                "signatures": row.signatures,
            }
            for row in stats.brought_by
        ],
        "final_export_sha256": declaration.final_export_sha256 or None,
        "as_of": stats.as_of,
    }


def directory_url(organisation: int) -> str:
    """An organisation's page in the directory, in the site's default language: the answer
    is kept and served the same in every language."""
    with translation.override(settings.LANGUAGE_CODE):
        return reverse("organisations:detail", args=[organisation])


def stats_json(declaration: Declaration, stats) -> str:
    return json.dumps(stats_document(declaration, stats), cls=DjangoJSONEncoder, ensure_ascii=False)
