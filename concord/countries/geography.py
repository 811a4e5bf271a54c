"""Where countries lie: which are landlocked and which share a land border.

Read from `data/borders.csv` (built by `data/build_borders.py`; source and as-of date under
the key "borders" of `data/sources.json`), once per process: the file ships with the code
and changes only with it, so it needs no table. A page that uses these facts shows their
source with `source()`, read from the same file, so it costs no query either.
"""

import csv
import json
from dataclasses import dataclass
from functools import cache
from pathlib import Path

DATA_DIR = Path(__file__).resolve().parent / "data"
SOURCE_KEY = "borders"


@dataclass(frozen=True)
class Source:
    key: str
    title: str
    publisher: str
    as_of: str
    url: str


@cache
def _borders() -> tuple[frozenset[str], dict[str, frozenset[str]]]:
    landlocked, neighbours = set(), {}
    with (DATA_DIR / "borders.csv").open(encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            if row["landlocked"] == "1":
                landlocked.add(row["alpha2"])
            neighbours[row["alpha2"]] = frozenset(row["neighbours"].split())
    return frozenset(landlocked), neighbours


def is_landlocked(code: str) -> bool:
    return code in _borders()[0]


def neighbours(code: str) -> frozenset[str]:
    """The countries `code` shares a land border with (none for an island State)."""
    return _borders()[1].get(code, frozenset())


@cache
def source() -> Source:
    entry = json.loads((DATA_DIR / "sources.json").read_text(encoding="utf-8"))[SOURCE_KEY]
    return Source(SOURCE_KEY, entry["title"], entry["publisher"], entry["as_of"], entry["url"])
