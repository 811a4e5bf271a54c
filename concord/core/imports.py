"""What every CSV import shares: a refusal of the whole file, and a report of each bad row.

An app's import (declarations: offline signatures; results: indicator updates) checks each
row with the same rules as its form and API, reports every bad row in a dry run, and stores
the good rows in one transaction.
"""

from dataclasses import dataclass, field


class ImportRefused(Exception):
    """The file as a whole cannot be read (encoding, header, size): nothing is imported."""


@dataclass
class RowError:
    line: int
    field: str
    reason: str

    def as_dict(self) -> dict:
        return {"line": self.line, "field": self.field, "reason": self.reason}


@dataclass
class ImportResult:
    rows: int = 0
    valid: int = 0
    imported: int = 0
    dry_run: bool = True
    errors: list[RowError] = field(default_factory=list)
