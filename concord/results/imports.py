"""Indicator updates from a CSV (many small organisations keep their figures in spreadsheets).

Columns: `period_id,value,narrative` are required; `female,male,other` (sex) and
`0-14,15-24,25-64,65+` (age group) are optional disaggregations; any other column (project,
indicator, dates, as in the template) is ignored. A dry run reports every bad row (line,
field, reason); an import adds the good rows, submitted for the admin's approval, all in one
transaction. Rows are checked by the same rules as the form and the API
(services.updates.save_update), so a row that passes the dry run imports.
"""

import csv
import io

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from concord.core.audit import log_event
from concord.core.checks import has_nul, nul_message
from concord.core.csv import decode, read_rows, safe_row
from concord.core.imports import ImportResult, RowError
from concord.results import permissions
from concord.results.models import Disaggregation, Period
from concord.results.queries import projects
from concord.results.services.updates import check_update_input, save_update

REQUIRED = ["period_id", "value", "narrative"]
MAX_ROWS = 5000


def template_csv(organisation) -> bytes:
    """One row per reporting period of the organisation's projects, ready to fill in."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow([*REQUIRED, "female", "male", "project", "indicator", "start", "end"])
    periods = Period.objects.filter(indicator__result__project__organisation=organisation)
    for period in periods.select_related("indicator__result__project").order_by("pk"):
        # Titles are typed by people: a spreadsheet must not run one as a formula.
        writer.writerow(
            safe_row([period.pk, "", "", "", "", period.indicator.result.project.title,
                      period.indicator.title, period.start, period.end])
        )  # fmt: skip
    return buffer.getvalue().encode()


def _rows(text: str) -> list[tuple[int, dict[str, str]]]:
    header, lines = read_rows(text, limit=MAX_ROWS, required=REQUIRED)
    return [(line, dict(zip(header, values, strict=False))) for line, values in lines]


def _check(user, organisation, text: str):
    rows = _rows(text)
    result = ImportResult(rows=len(rows))
    ids = {row.get("period_id", "").strip() for _, row in rows}
    periods = {
        str(period.pk): period
        for period in Period.objects.filter(
            pk__in=[int(i) for i in ids if i.isdigit() and len(i) < 12],
            indicator__result__project__in=projects(organisation),
        ).select_related("indicator__result__project__organisation")
    }
    good = []
    for line, row in rows:
        if has_nul(row):
            result.errors.append(RowError(line, "", nul_message()))
            continue
        period = periods.get(row.get("period_id", "").strip())
        if period is None:
            result.errors.append(
                RowError(line, "period_id", _("not a reporting period of this organisation"))
            )
            continue
        disaggregations: dict[str, dict[str, str]] = {}
        for dimension, categories in Disaggregation.DIMENSIONS.items():
            given = {c: row[c] for c in categories if (row.get(c) or "").strip()}
            if given:
                disaggregations[dimension] = given
        data = {
            "value": row.get("value"),
            "narrative": row.get("narrative") or "",
            "disaggregations": disaggregations,
        }
        try:
            check_update_input(period, data)
        except ValidationError as error:
            for name, messages in error.message_dict.items():
                result.errors.append(RowError(line, name, " ".join(messages)))
            continue
        good.append((line, period, data))
    result.valid = len(good)
    return good, result


def import_updates(user, organisation, content: bytes | str, *, dry_run: bool) -> ImportResult:
    """The one import path (the page, and any other caller): the uploaded bytes are decoded
    here, by core.csv, then checked row by row."""
    if not permissions.can_create_project(user, organisation):
        raise PermissionDenied(_("Only the organisation's people report its results."))
    text = decode(content) if isinstance(content, bytes) else content
    good, result = _check(user, organisation, text)
    result.dry_run = dry_run
    if dry_run or not good:
        return result
    with transaction.atomic():
        for _line, period, data in good:
            save_update(user, period, {**data, "submit": True})
        result.imported = len(good)
        log_event("updates.imported", organisation, actor=user, count=len(good))
    return result
