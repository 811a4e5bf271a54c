"""CSV of a project's (or an organisation's) results, safe to open in a spreadsheet.

One row per reporting period, with the approved actual only (drafts, submitted and returned
updates never leave the platform).
"""

import csv
import io
from decimal import Decimal

from concord.core.csv import spreadsheet_safe
from concord.results.models import Project
from concord.results.queries import framework

COLUMNS = [
    "project_id", "project", "organisation", "result_type", "result", "indicator",
    "shared_indicator", "measure", "unit", "cumulative", "baseline_year", "baseline_value",
    "period_start", "period_end", "target", "actual",
]  # fmt: skip


def _plain(value: Decimal | None) -> str:
    return "" if value is None else format(value.normalize(), "f")


def results_rows(project: Project):
    for result in framework(project, with_unapproved=False):
        for indicator in result.indicators.all():
            for period in indicator.periods.all():
                yield [
                    str(project.pk), project.title, project.organisation.name,
                    result.get_kind_display(), result.title, indicator.title,
                    indicator.shared_id or "", indicator.get_measure_display(), indicator.unit,
                    "yes" if indicator.cumulative else "no",
                    str(indicator.baseline_year or ""), _plain(indicator.baseline_value),
                    period.start.isoformat(), period.end.isoformat(),
                    _plain(period.target), _plain(period.actual),
                ]  # fmt: skip


def results_csv(projects: list[Project]) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(COLUMNS)
    for project in projects:
        for row in results_rows(project):
            writer.writerow([spreadsheet_safe(cell) for cell in row])
    return buffer.getvalue().encode()
