"""Load the reference files in `data/` into the database (idempotent: upserts by code)."""

import csv
import json
from datetime import date
from pathlib import Path

from django.db import transaction

from concord.countries import models
from concord.countries.queries import forget_reference_cache

DATA_DIR = Path(__file__).resolve().parent / "data"


def read_countries_csv(path: Path = DATA_DIR / "countries.csv") -> list[dict[str, str]]:
    with path.open(newline="", encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def _models(apps):
    if apps is None:
        return models.DataSource, models.Region, models.Country, models.CountryGroup
    names = ("DataSource", "Region", "Country", "CountryGroup")
    return tuple(apps.get_model("countries", name) for name in names)


@transaction.atomic
def load_reference_data(apps=None, data_dir: Path = DATA_DIR) -> dict[str, int]:
    """Upsert sources, regions, countries and groups. `apps` is given by migrations."""
    DataSource, Region, Country, CountryGroup = _models(apps)
    sources = json.loads((data_dir / "sources.json").read_text(encoding="utf-8"))
    for key, source in sources.items():
        fields = ("title", "publisher", "url", "as_of", "licence", "notes", "obtained_from")
        DataSource.objects.update_or_create(
            key=key, defaults={field: str(source.get(field, "")) for field in fields}
        )

    rows = read_countries_csv(data_dir / "countries.csv")
    levels = (
        ("region", "region"),
        ("subregion", "subregion"),
        ("intermediate_region", "intermediate"),
    )
    for row in rows:
        for column, level in levels:
            if row[f"{column}_code"]:
                Region.objects.update_or_create(
                    code=row[f"{column}_code"], defaults={"name": row[column], "level": level}
                )
    for row in rows:
        Country.objects.update_or_create(
            code=row["alpha2"],
            defaults={
                "alpha3": row["alpha3"],
                "numeric": row["numeric"].zfill(3),
                "name": row["name"],
                "region_id": row["region_code"] or None,
                "subregion_id": row["subregion_code"] or None,
                "intermediate_region_id": row["intermediate_region_code"] or None,
                "un_member": row["un_member"] == "1",
                "un_observer": row["un_observer"] == "1",
                "population": int(row["population"]) if row["population"] else None,
                "population_year": int(row["population_year"]) if row["population_year"] else None,
                "population_source_id": row["population_source"] or None,
            },
        )

    groups = json.loads((data_dir / "groups.json").read_text(encoding="utf-8"))
    for position, group in enumerate(groups):
        obj, _ = CountryGroup.objects.update_or_create(
            slug=group["slug"],
            defaults={
                "name": group["name"],
                "short_name": group["short_name"],
                "definition": group["definition"],
                "source_id": group["source_key"],
                "as_of": date.fromisoformat(group["as_of"]),
                "position": position,
            },
        )
        obj.members.set(group["members"])

    forget_reference_cache()
    return {"countries": len(rows), "groups": len(groups), "sources": len(sources)}


@transaction.atomic
def load_population_table(
    path: Path, *, source_key: str, year: int | None, thousands: bool, source: dict[str, str]
) -> int:
    """Replace population figures from a CSV such as UN WPP's TotalPopulationBySex file.

    Recognised columns: a code (`alpha2`, `ISO2_code`, `alpha3` or `ISO3_code`), a year
    (`year` or `Time`), a figure (`population` or `PopTotal`) and, if present, `Variant`
    (only "Medium" rows are used). Returns how many countries were updated.
    """
    Country, DataSource = models.Country, models.DataSource
    DataSource.objects.update_or_create(key=source_key, defaults=source)
    by_alpha3 = dict(Country.objects.values_list("alpha3", "code"))
    latest: dict[str, tuple[int, int]] = {}
    with path.open(newline="", encoding="utf-8-sig") as handle:
        for row in csv.DictReader(handle):
            if row.get("Variant", "Medium") != "Medium":
                continue
            code = row.get("alpha2") or row.get("ISO2_code") or ""
            if not code:
                code = by_alpha3.get(row.get("alpha3") or row.get("ISO3_code") or "", "")
            raw_year = row.get("year") or row.get("Time") or ""
            raw_value = row.get("population") or row.get("PopTotal") or ""
            if not code or not raw_year or not raw_value:
                continue
            row_year = int(raw_year)
            if (year and row_year != year) or (code in latest and latest[code][0] >= row_year):
                continue
            value = float(raw_value) * (1000 if thousands else 1)
            latest[code] = (row_year, round(value))
    updated = 0
    for code, (row_year, value) in latest.items():
        updated += Country.objects.filter(code=code).update(
            population=value, population_year=row_year, population_source_id=source_key
        )
    forget_reference_cache()
    return updated
