"""Write bench/RESULTS.md from the JSON files the benchmarks left in bench/results/."""

from __future__ import annotations

import json
import time
from pathlib import Path

BENCH = Path(__file__).resolve().parent
RESULTS = BENCH / "results"


def load() -> dict[tuple[str, str], dict]:
    found = {}
    for path in sorted(RESULTS.glob("*.json")):
        data = json.loads(path.read_text())
        found[(data["benchmark"], data["db"])] = data
    return found


def n(value, digits: int = 0) -> str:
    if value is None:
        return "-"
    return f"{value:,.{digits}f}"


def pct(value) -> str:
    return "-" if value is None else f"{value * 100:.0f} %"


def row(*cells) -> str:
    return "| " + " | ".join(str(c) for c in cells) + " |"


def ceiling_of(data: dict) -> float:
    return (data.get("ceiling") or {}).get("rps") or 0


def main() -> None:
    results = load()
    lines = ["# Benchmark results", ""]
    if not results:
        lines.append("No results yet: run `make bench` (or `python bench/<name>.py`).")
        (BENCH / "RESULTS.md").write_text("\n".join(lines) + "\n")
        return
    any_result = next(iter(results.values()))
    machine, versions = any_result["machine"], any_result["versions"]
    quick = any(d.get("quick") for d in results.values())
    lines += [
        f"Written {time.strftime('%Y-%m-%d %H:%M')} by `bench/report.py`"
        + (" from **--quick** runs (short durations, 10k/100k only)." if quick else "."),
        "",
        "## Machine and software",
        "",
        f"- CPU: {machine['cpu']}, {machine['cores']} cores (load generator on the same cores)",
        f"- Memory: {machine['memory_gib']} GiB; {machine['os']}",
        f"- Python {versions.get('python')}, Django {versions.get('django')}, "
        f"gunicorn {versions.get('gunicorn', '?')}, {versions.get('wrk', 'wrk')}",
    ]
    dbs = sorted({db for _, db in results})
    for db in dbs:
        for (_, d), data in results.items():
            if d == db and data["versions"].get("database"):
                lines.append(f"- {db}: {data['versions']['database']}")
                break
    server = any_result.get("server", {})
    lines += [
        f"- Server: `concord serve` (gunicorn gthread), {server.get('workers')} workers x "
        f"{server.get('threads')} threads, cache {server.get('cache')}, "
        f"STATS_CACHE_SECONDS {server.get('stats_cache_seconds')} (scale: 0, so stats compute)",
        "- Load: wrk, 2 threads, 32 connections unless stated, against 127.0.0.1 only.",
        "",
        "The *ceiling* is `/healthz` (one `SELECT 1`) on the same server in the same run; "
        "*share* is a figure divided by it. The load average (1 min) after each wrk run is "
        "listed: other work on the machine makes every figure lower and noisier.",
        "",
    ]

    lines += ["## 1. Sign surge (target ≥ 1,000/s, p99 < 250 ms, no errors)", ""]
    lines.append(
        row(
            "db",
            "phase",
            "req/s",
            "p50 ms",
            "p95 ms",
            "p99 ms",
            "errors (non-2xx+socket)",
            "ceiling req/s",
            "share",
            "load avg",
        )
    )
    lines.append(row(*["---"] * 10))
    for db in dbs:
        data = results.get(("sign-surge", db))
        if not data:
            continue
        c = ceiling_of(data)
        s, k = data["sign"], data["confirm"]
        lines.append(
            row(
                db,
                f"sign ({n(s['duration_s'])} s, {s['connections']} conn)",
                n(s["rps"]),
                n(s["p50_ms"], 1),
                n(s["p95_ms"], 1),
                n(s["p99_ms"], 1),
                s["errors"],
                n(c),
                pct(data["share_of_ceiling"]["sign"]),
                s.get("load_average_1m_after"),
            )
        )
        r = data.get("recording")
        if r:
            lines.append(
                row(
                    db,
                    "record accepted (worker's code, after the surge)",
                    n(r["per_second"]),
                    "-",
                    "-",
                    "-",
                    r["kept"],
                    n(c),
                    pct(r["per_second"] / c if c else None),
                    "-",
                )
            )
        confirm_errors = sum(v for code, v in k["statuses"].items() if not code.startswith("2"))
        lines.append(
            row(
                db,
                f"confirm ({k['client']})",
                n(k["rps"]),
                n(k["p50_ms"], 1),
                n(k["p95_ms"], 1),
                n(k["p99_ms"], 1),
                confirm_errors,
                n(c),
                pct(data["share_of_ceiling"]["confirm"]),
                "-",
            )
        )
    lines += ["", "Verification after the surge:", ""]
    lines.append(
        row(
            "db",
            "202 answers (server log)",
            "rows",
            "confirm 200s",
            "confirmed rows",
            "/stats",
            "tallies = recount",
            "all checks",
        )
    )
    lines.append(row(*["---"] * 8))
    for db in dbs:
        data = results.get(("sign-surge", db))
        if data:
            v = data["verify"]
            lines.append(
                row(
                    db,
                    v["accepted_202"],
                    v["rows"],
                    v["confirm_200"],
                    v["confirmed_rows"],
                    v["stats_signatures"],
                    v["checks"]["tallies_equal_recount"],
                    "**pass**" if v["ok"] else f"**FAIL** {v['checks']}",
                )
            )

    lines += [
        "",
        "## 2. Watchers while signing continues (target ≥ 2,000 req/s, count ≤ 5 s old)",
        "",
    ]
    lines.append(
        row(
            "db",
            "endpoint",
            "req/s",
            "p50 ms",
            "p99 ms",
            "errors",
            "ceiling req/s",
            "share",
            "staleness max s",
            "staleness p95 s",
            "load avg",
        )
    )
    lines.append(row(*["---"] * 11))
    watcher_notes: list[str] = []
    for db in dbs:
        data = results.get(("watchers", db))
        if not data:
            continue
        c = ceiling_of(data)
        for name, label in (("page", "page /declarations/<slug>/"), ("stats", "/stats")):
            w, st = data[name], data["staleness"].get(name, {})
            lines.append(
                row(
                    db,
                    label,
                    n(w["rps"]),
                    n(w["p50_ms"], 1),
                    n(w["p99_ms"], 1),
                    w["errors"],
                    n(c),
                    pct(data["share_of_ceiling"][name]),
                    st.get("max_s", "-"),
                    st.get("p95_s", "-"),
                    w.get("load_average_1m_after"),
                )
            )
        p, k = data.get("parallel_signing", {}), data["confirmer"]
        watcher_notes.append(
            f"\n{db}: in parallel, wrk signed at {n(p.get('rps'))}/s (statuses "
            f"{p.get('statuses')}); the confirmer confirmed {k['confirmed']} "
            f"({k['errors']} errors) via {k['method']}.\n"
        )

    lines += watcher_notes
    lines += ["", "## 3. Scale (target: stats server time < 20 ms at 1M, flat with size)", ""]
    lines.append(
        row(
            "db",
            "signatures",
            "stats in-process median / p95 ms",
            "queries",
            "/stats HTTP median ms",
            "/stats req/s (share)",
            "API p1 ms",
            "API late page ms",
            "HTML p1 ms",
            "HTML late ms",
            "CSV export s (rows/s)",
            "load s",
            "recount s",
        )
    )
    lines.append(row(*["---"] * 13))
    for db in dbs:
        data = results.get(("scale", db))
        if not data:
            continue
        for size in data["sizes"]:
            st = size["stats_in_process"]
            lines.append(
                row(
                    db,
                    n(size["signatures"]),
                    f"{st['median_ms']} / {st['p95_ms']}",
                    st["queries"],
                    size["stats_http"]["median_ms"],
                    f"{n(size['stats_http_wrk']['rps'])} ({pct(size['stats_share_of_ceiling'])})",
                    size["api_list_page1"]["median_ms"],
                    f"{size['api_list_late']['median_ms']} (p. {size['api_list_late']['page']})",
                    size["html_list_page1"]["median_ms"],
                    f"{size['html_list_late']['median_ms']} (p. {size['html_list_late']['page']})",
                    f"{size['csv_export']['seconds']} ({n(size['csv_export']['rows_per_s'])})",
                    size["load_seconds"],
                    size["recount_seconds"],
                )
            )
        lines.append(f"\n{db}: ceiling in this run {n(ceiling_of(data))} req/s.\n")

    lines += ["", "## 4. Ceiling", ""]
    lines.append(row("db", "run", "/healthz req/s", "p50 ms", "p99 ms", "load avg"))
    lines.append(row(*["---"] * 6))
    for (name, db), data in sorted(results.items(), key=lambda item: (item[0][1], item[0][0])):
        for c in data.get("ceiling_runs") or [data.get("ceiling")]:
            if c:
                lines.append(
                    row(
                        db,
                        name,
                        n(c["rps"]),
                        n(c["p50_ms"], 1),
                        n(c["p99_ms"], 1),
                        c.get("load_average_1m_after"),
                    )
                )
    notes = BENCH / "NOTES.md"
    if notes.exists():
        lines += ["", notes.read_text().strip()]
    (BENCH / "RESULTS.md").write_text("\n".join(lines) + "\n")
    print(f"wrote {BENCH / 'RESULTS.md'}")


if __name__ == "__main__":
    main()
