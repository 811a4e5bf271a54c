"""Write bench/RESULTS.md from the JSON files the benchmarks left in bench/results/."""

from __future__ import annotations

import json
import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import targets

BENCH = Path(__file__).resolve().parent

RESULTS = Path(os.environ.get("BENCH_RESULTS") or BENCH / "results")


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
        f"granian {versions.get('granian', '?')}, gunicorn {versions.get('gunicorn', '?')}, {versions.get('wrk', 'wrk')}",
    ]
    dbs = sorted({db for _, db in results})
    for db in dbs:
        for (_, d), data in results.items():
            if d == db and data["versions"].get("database"):
                lines.append(f"- {db}: {data['versions']['database']}")
                break
    server = any_result.get("server", {})
    lines[2:2] = ["## Targets", "", *targets.table(results), ""]
    lines += [
        f"- Server: `{server.get('command', 'concord serve')}` ({server.get('app_server')}), "
        f"{server.get('workers')} workers x "
        f"{server.get('threads')} threads, cache {server.get('cache')}, "
        f"STATS_CACHE_SECONDS {server.get('stats_cache_seconds')} (scale: 0, so stats compute)",
        "- Load: wrk, 2 threads, 32 connections unless stated, against 127.0.0.1 only.",
        "",
        "The *ceiling* is `/healthz` (one `SELECT 1`) on the same server in the same run; "
        "*share* is a figure divided by it. The load average (1 min) after each wrk run is "
        "listed: other work on the machine makes every figure lower and noisier.",
        "",
    ]

    lines += ["## 1. Sign surge (targets at the top)", ""]
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
                    r.get("load_average_1m_after", "-"),
                )
            )
        d = data.get("delivery")
        if d:
            lines.append(
                row(
                    db,
                    f"emails to aiosmtpd ({d['sent']:,} sent; SMTP server alone "
                    f"{n(d['smtp_pace']['per_second'])}/s)",
                    n(d["per_second"]),
                    "-",
                    "-",
                    "-",
                    d["failed"],
                    n(c),
                    pct(d["per_second"] / c if c else None),
                    d.get("load_average_1m_after", "-"),
                )
            )
        confirm_errors = k.get("errors")
        if confirm_errors is None:
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
                k.get("load_average_1m_after", "-"),
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
        "## 2. Watchers while signing continues (targets at the top)",
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
    lines += extra_sections(results, dbs)
    notes = BENCH / "NOTES.md"
    if notes.exists():
        lines += ["", notes.read_text().strip()]
    (BENCH / "RESULTS.md").write_text("\n".join(lines) + "\n")
    print("\n".join(["", "Targets (share: of /healthz on the same server, same run)", ""]))
    print("\n".join(targets.table(results)))
    print(f"\nwrote {BENCH / 'RESULTS.md'}")


def extra_sections(results: dict, dbs: list[str]) -> list[str]:
    """App servers side by side, and resident memory."""
    lines = ["", "## 5. App servers (same database, one after the other)", ""]
    lines.append(row("db", "server", "ceiling req/s", "sign req/s (p99 ms)", "sign share",
                     "page req/s (p99 ms)", "page share", "202s in access log", "load avg"))  # fmt: skip
    lines.append(row(*["---"] * 9))
    for db in dbs:
        for name, f in (results.get(("servers", db)) or {}).get("servers", {}).items():
            if "error" in f:
                lines.append(row(db, name, f"not measured: {f['error'][:120]}", *["-"] * 6))
                continue
            s, p = f["sign"], f["page"]
            lines.append(row(db, name, n(ceiling_of(f)),
                             f"{n(s['rps'])} ({n(s['p99_ms'], 1)})", pct(f["share_of_ceiling"]["sign"]),
                             f"{n(p['rps'])} ({n(p['p99_ms'], 1)})", pct(f["share_of_ceiling"]["page"]),
                             f"{s['accepted_202_server_log']:,} ({'ok' if f['access_log_counts_202'] else 'MISSING'})",
                             s.get("load_average_1m_after")))  # fmt: skip
    lines += ["", "## 6. Peak resident memory (MiB)", ""]
    lines.append(row("db", "when", "process", "peak RSS polled", "VmHWM"))
    lines.append(row(*["---"] * 5))
    for db in dbs:
        surge = results.get(("sign-surge", db)) or {}
        for p in (surge.get("server_memory") or {}).get("processes", []):
            lines.append(row(db, "sign surge", p["role"], p["peak_rss_mib"], p["hwm_mib"]))
        if surge.get("server_memory"):
            total = surge["server_memory"]["peak_total_rss_mib"]
            lines.append(row(db, "sign surge", "all server processes together", total, "-"))
        recording = surge.get("recording") or {}
        if recording.get("peak_rss_mib"):
            lines.append(row(db, "recording the surge", "worker (intake.process)", "-",
                             recording["peak_rss_mib"]))  # fmt: skip
        for name, f in (results.get(("servers", db)) or {}).get("servers", {}).items():
            for p in (f.get("memory") or {}).get("processes", []):
                lines.append(
                    row(db, f"signing, {name}", p["role"], p["peak_rss_mib"], p["hwm_mib"])
                )
        for size in (results.get(("scale", db)) or {}).get("sizes", []):
            build = size.get("export_build")
            if build:
                lines.append(row(db, f"CSV export build, {size['signatures']:,} rows",
                                 f"worker ({build['seconds']:.1f} s)", "-", build["peak_rss_mib"]))  # fmt: skip
        listing = (results.get(("signatory-list", db)) or {}).get("list", {}).get("csv_build")
        if listing:
            lines.append(row(db, "CSV export build (signatory_list.py)", "worker", "-",
                             listing["peak_rss_mib"]))  # fmt: skip
    return lines


if __name__ == "__main__":
    main()
