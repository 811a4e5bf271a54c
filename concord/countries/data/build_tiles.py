"""Build tiles.csv: one hexagon per UN member or observer State, placed like a world map.

Run by hand, not at runtime; `concord.countries.maps` only reads the CSV it writes.

To rerun (standard library plus one package; see sources.json key "tiles"):
    python3 -m venv /tmp/tiles
    /tmp/tiles/bin/pip install hdx-python-country==4.2.5
    /tmp/tiles/bin/python build_tiles.py          # rewrites tiles.csv next to this file

Method:
  1. Centroids (Latitude/Longitude) of the OCHA Countries & Territories Taxonomy shipped in
     hdx-python-country 4.2.5, for the 195 rows of countries.csv with un_member or
     un_observer; a few centroids that are off (overseas or outlying islands, or plain
     errors) are replaced by the main landmass's centre (CENTROID_FIXES).
  2. Projection: longitudes west of -150 are wrapped (+360) so the Pacific islands sit east
     of Australia; equirectangular with a vertical stretch (DEG_PER_COL, DEG_PER_ROW) onto a
     pointy-top hex grid in "odd-r" offset coordinates (odd rows shifted half a tile right).
  3. Relaxation: points closer than one tile push each other apart while a spring pulls each
     back to its projected position, so dense areas (Europe, the Caribbean, West Africa)
     spread out and sparse ones stay put.
  4. Assignment: greedily, the country nearest to a free cell takes it, until all are placed
     (deterministic: ties broken by code).
  5. Nudges (NUDGES): a handful of hand moves for readability, applied last and checked;
     then empty margins are trimmed.
The script fails if a State is missing or two share a cell.
"""

import argparse
import csv
import importlib.util
import math
from pathlib import Path

HERE = Path(__file__).resolve().parent

COLUMNS = 36
ROWS = 20
LON_WEST = -125.0  # longitude at column 0
LAT_NORTH = 72.0  # latitude at row 0
DEG_PER_COL = 9.2
DEG_PER_ROW = 6.0
ROW_HEIGHT = math.sqrt(3) / 2  # pointy-top hexagons, in tile widths
# Dense areas given more room before relaxation: ((lat, lon), radius in tiles, factor).
MAGNIFY = [((48.0, 15.0), 4.0, 1.8)]

# The taxonomy's centroid is off for these (outlying islands pull it, or it is wrong);
# use the main landmass's approximate centre instead (lat, lon).
CENTROID_FIXES = {
    "US": (39.8, -98.6),  # contiguous states (Alaska and Hawaii pull it north-west)
    "NZ": (-41.5, 172.5),  # taxonomy: -56.5 (sub-Antarctic/Ross Dependency)
    "PT": (39.6, -8.0),  # mainland (Azores pull it to -30)
    "MY": (4.2, 109.5),  # taxonomy: 140.5 E, in the Pacific
    "PH": (12.9, 122.0),  # taxonomy: -0.7 N
    "VU": (-15.4, 166.9),  # taxonomy: -21.0 N
    "FJ": (-17.7, 178.1),  # taxonomy: 195.3 E
    "CL": (-33.0, -71.0),  # spread the Southern Cone a little
    "NO": (61.0, 9.0),  # southern Norway, where people live
    "SE": (60.0, 16.0),
    "FI": (62.0, 26.0),
    "RU": (58.0, 60.0),  # pulled west so it borders Europe, not only Mongolia
    "CA": (55.0, -98.0),
    "KI": (-1.0, -170.0),
}

# Hand moves after assignment, for readability: {alpha2: (col, row)}.
NUDGES: dict[str, tuple[int, int]] = {
    # North America as one column above Central America
    "CA": (2, 6),
    "US": (2, 7),
    "MX": (2, 8),
    # South America, closed up
    "PE": (5, 14),
    "BR": (6, 14),
    "BO": (5, 15),
    "CL": (5, 16),
    "PY": (6, 16),
    "AR": (5, 17),
    "UY": (6, 17),
    # Northern Europe: Nordics on top, Baltic States north to south, Germany under Denmark
    "NO": (14, 0),
    "SE": (15, 0),
    "FI": (16, 0),
    "IS": (10, 1),
    "DK": (14, 1),
    "EE": (16, 1),
    "RU": (18, 1),
    "DE": (14, 2),
    "PL": (15, 2),
    "LV": (16, 2),
    "BY": (17, 2),
    "CZ": (14, 3),
    "SK": (15, 3),
    "LT": (16, 3),
    "UA": (17, 3),
    # Egypt next to Libya; Australia and New Zealand closer to their neighbours
    "EG": (17, 10),
    "AU": (29, 16),
    "NZ": (32, 17),
}


def pkg_dir(name):
    return Path(importlib.util.find_spec(name).submodule_search_locations[0])


def states():
    """The 195 alpha-2 codes: UN Member States and the two observer States."""
    with open(HERE / "countries.csv", encoding="utf-8") as handle:
        return sorted(
            r["alpha2"]
            for r in csv.DictReader(handle)
            if r["un_member"] == "1" or r["un_observer"] == "1"
        )


def centroids(codes):
    path = pkg_dir("hdx.location") / "Countries & Territories Taxonomy MVP - C&T Taxonomy.csv"
    with open(path, encoding="utf-8") as handle:
        rows = {r["ISO 3166-1 Alpha 2-Codes"]: r for r in csv.DictReader(handle)}
    out = {}
    for code in codes:
        lat, lon = CENTROID_FIXES.get(code) or (
            float(rows[code]["Latitude"]),
            float(rows[code]["Longitude"]),
        )
        if lon < -150:
            lon += 360
        out[code] = (lat, lon)
    return out


def project(lat, lon):
    """Plane coordinates in tile widths, Europe magnified (see MAGNIFY)."""
    x = (lon - LON_WEST) / DEG_PER_COL
    y = (LAT_NORTH - lat) / DEG_PER_ROW * ROW_HEIGHT
    for (clat, clon), radius, factor in MAGNIFY:
        cx = (clon - LON_WEST) / DEG_PER_COL
        cy = (LAT_NORTH - clat) / DEG_PER_ROW * ROW_HEIGHT
        dist = math.hypot(x - cx, y - cy)
        if dist == 0:
            continue
        # inside `radius` everything is scaled by `factor`; outside, pushed out by the same
        # amount fading with distance, so neighbours make room without tearing
        grown = dist * factor if dist < radius else dist + radius * (factor - 1) * radius / dist
        x, y = cx + (x - cx) * grown / dist, cy + (y - cy) * grown / dist
    return x, y


def relax(points, iterations=400, spacing=1.05, spring=0.02):
    anchor = dict(points)
    pos = {code: list(xy) for code, xy in points.items()}
    codes = sorted(pos)
    for _ in range(iterations):
        moves = {code: [0.0, 0.0] for code in codes}
        for i, a in enumerate(codes):
            ax, ay = pos[a]
            for b in codes[i + 1 :]:
                dx, dy = pos[b][0] - ax, pos[b][1] - ay
                dist = math.hypot(dx, dy)
                if dist >= spacing:
                    continue
                if dist < 1e-6:  # identical points: split them along x, by code order
                    dx, dy, dist = 1.0, 0.0, 1.0
                push = (spacing - dist) / 2 / dist
                moves[a][0] -= dx * push
                moves[a][1] -= dy * push
                moves[b][0] += dx * push
                moves[b][1] += dy * push
        for code in codes:
            x, y = pos[code]
            x += moves[code][0] * 0.5 + (anchor[code][0] - x) * spring
            y += moves[code][1] * 0.5 + (anchor[code][1] - y) * spring
            pos[code] = [x, y]
    return {code: tuple(xy) for code, xy in pos.items()}


def cell_centre(col, row):
    return col + 0.5 * (row % 2), row * ROW_HEIGHT


def assign(points):
    """Globally greedy: the closest (country, free cell) pair is taken first."""
    pairs = []
    for code, (x, y) in points.items():
        for row in range(ROWS):
            for col in range(COLUMNS):
                cx, cy = cell_centre(col, row)
                pairs.append(((cx - x) ** 2 + (cy - y) ** 2, code, (col, row)))
    pairs.sort()
    placed, taken = {}, set()
    for _d, code, cell in pairs:
        if code not in placed and cell not in taken:
            placed[code] = cell
            taken.add(cell)
    return placed


def check(tiles, codes):
    assert set(tiles) == set(codes), set(codes) ^ set(tiles)
    assert len(set(tiles.values())) == len(tiles), "two states share a cell"
    for col, row in tiles.values():
        assert 0 <= col < COLUMNS and 0 <= row < ROWS


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--out", default=str(HERE / "tiles.csv"))
    args = ap.parse_args()
    codes = states()
    assert len(codes) == 195, len(codes)
    points = {code: project(*latlon) for code, latlon in centroids(codes).items()}
    tiles = assign(relax(points))
    tiles.update(NUDGES)
    check(tiles, codes)
    # drop empty margins: whole columns, and rows two at a time to keep the odd-row offset
    left = min(col for col, _row in tiles.values())
    top = min(row for _col, row in tiles.values()) // 2 * 2
    tiles = {code: (col - left, row - top) for code, (col, row) in tiles.items()}
    with open(args.out, "w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(["alpha2", "col", "row"])
        for code in sorted(tiles):
            writer.writerow([code, *tiles[code]])
    print(f"{len(tiles)} tiles written to {args.out}")


if __name__ == "__main__":
    main()
