"""The issue's targets, each beside the figure measured, whether it is met, the figure as a
share of the ceiling (`/healthz`) measured by the same server in the same run, and the load
average when it was measured. Printed by `report.py` (so by `make bench`) and put at the top
of RESULTS.md.
"""

from __future__ import annotations

SIGN_RATE = {"sqlite": 1500, "postgres": 1000}
CONFIRM_RATE = 1000
P99_MS = 100
RECORD_RATE = 3000
WATCH_RATE = 3000
STALE_S = 5
SMTP_SHARE = 0.8  # "at the SMTP server's pace": at least this share of a bare client's rate
EXPORT_GROWTH = 1.25  # "bounded": peak memory at the largest size vs the smallest


def _n(value, digits: int = 0) -> str:
    return "-" if value is None else f"{value:,.{digits}f}"


def _ceiling(data: dict) -> float:
    return (data.get("ceiling") or {}).get("rps") or 0


def _share(value, ceiling: float) -> str:
    return "-" if value is None or not ceiling else f"{value / ceiling * 100:.0f} %"


def _met(ok) -> str:
    return "-" if ok is None else ("met" if ok else "**missed**")


def rows(results: dict[tuple[str, str], dict]) -> list[tuple]:
    """(db, figure, value, target, met, share of ceiling, ceiling, load average) per target."""
    out: list[tuple] = []

    def add(db, figure, value, target, ok, rate=None, ceiling=0.0, load=None):
        out.append(
            (
                db,
                figure,
                value,
                target,
                _met(ok),
                _share(rate, ceiling),
                _n(ceiling) if ceiling else "-",
                load or "-",
            )
        )

    for db in ("sqlite", "postgres"):
        surge = results.get(("sign-surge", db))
        if surge:
            c, s, k = _ceiling(surge), surge["sign"], surge["confirm"]
            add(
                db,
                "signing via API, req/s",
                _n(s["rps"]),
                f"≥ {SIGN_RATE[db]:,}",
                s["rps"] >= SIGN_RATE[db],
                s["rps"],
                c,
                s.get("load_average_1m_after"),
            )
            add(db, "signing p99 ms", _n(s["p99_ms"], 1), f"< {P99_MS}", s["p99_ms"] < P99_MS)
            add(db, "signing errors (non-2xx + socket)", s["errors"], "0", s["errors"] == 0)
            checks = surge["verify"]["checks"]
            add(
                db,
                "every 202 recorded (rows = 202 answers)",
                f"{surge['verify']['rows']:,} / {surge['verify']['accepted_202']:,}",
                "equal",
                checks["rows_equal_accepted"] and checks["intake_empty"],
            )
            confirm_errors = sum(n for code, n in k["statuses"].items() if code != "200")
            confirm_errors += sum((k.get("socket_errors") or {}).values())
            add(
                db,
                "confirmations, req/s (and no errors)",
                _n(k["rps"]),
                f"≥ {CONFIRM_RATE:,}",
                k["rps"] >= CONFIRM_RATE and confirm_errors == 0,
                k["rps"],
                c,
                k.get("load_average_1m_after"),
            )
            add(db, "confirmations p99 ms", _n(k["p99_ms"], 1), f"< {P99_MS}", k["p99_ms"] < P99_MS)
            add(db, "checks after the surge (rows, confirmed, tallies, /stats)",
                "pass" if surge["verify"]["ok"] else str(checks), "all pass", surge["verify"]["ok"])  # fmt: skip
            r = surge["recording"]
            add(
                db,
                "recording: accepted → signatures + emails, /s",
                _n(r["per_second"]),
                f"≥ {RECORD_RATE:,}",
                r["per_second"] >= RECORD_RATE,
                r["per_second"],
                c,
                r.get("load_average_1m_after"),
            )
            d = surge.get("delivery")
            if d:
                pace = d["smtp_pace"]["per_second"]
                add(
                    db,
                    f"emails delivered, msg/s (SMTP server alone: {_n(pace)}/s)",
                    f"{_n(d['per_second'])} ({_n((d['share_of_smtp_pace'] or 0) * 100)} %)",
                    f"≥ {SMTP_SHARE:.0%} of the SMTP pace, all received",
                    (d["share_of_smtp_pace"] or 0) >= SMTP_SHARE and d["all_received"],
                    d["per_second"],
                    c,
                    d.get("load_average_1m_after"),
                )
            m = surge.get("server_memory")
            if m:
                add(db, "peak RSS per server worker / master / all, MiB (surge)",
                    f"{_n(m['worker_peak_rss_mib'], 1)} / {_n(m['master_peak_rss_mib'], 1)} / "
                    f"{_n(m['peak_total_rss_mib'], 1)}", "recorded", None)  # fmt: skip
                add(db, "peak RSS of the worker recording the surge, MiB",
                    _n(r.get("peak_rss_mib"), 1), "recorded", None)  # fmt: skip
        watch = results.get(("watchers", db))
        if watch:
            c = _ceiling(watch)
            for name, label in (("page", "public declaration page"), ("stats", "/stats")):
                w, stale = watch[name], watch["staleness"].get(name, {})
                ok = w["rps"] >= WATCH_RATE and w["errors"] == 0
                add(db, f"{label} while signing, req/s", _n(w["rps"]), f"≥ {WATCH_RATE:,}", ok,
                    w["rps"], c, w.get("load_average_1m_after"))  # fmt: skip
                age = stale.get("max_s")
                add(db, f"{label}: shown count's age, max s", _n(age, 2), f"≤ {STALE_S}",
                    None if age is None else age <= STALE_S)  # fmt: skip
        servers = results.get(("servers", db))
        if servers:
            for name, figures in servers["servers"].items():
                if "error" in figures:
                    add(db, f"{name}: ceiling / signing / page", "not measured", "compare", None)
                    continue
                c = _ceiling(figures)
                add(
                    db,
                    f"{name}: ceiling / signing / page req/s; worker peak RSS MiB",
                    f"{_n(c)} / {_n(figures['sign']['rps'])} / {_n(figures['page']['rps'])}; "
                    f"{_n(figures['memory']['worker_peak_rss_mib'], 1)}",
                    "compare",
                    None,
                    figures["sign"]["rps"],
                    c,
                    figures["sign"].get("load_average_1m_after"),
                )
        scale = results.get(("scale", db))
        exports = [{**size["export_build"], "rows": size["signatures"]}
                   for size in (scale or {}).get("sizes", []) if size.get("export_build")]  # fmt: skip
        if exports:
            first, last = exports[0], exports[-1]
            bounded = last["peak_rss_mib"] <= first["peak_rss_mib"] * EXPORT_GROWTH
            add(
                db,
                f"CSV export build peak RSS, MiB: {last['rows']:,} rows (vs {first['rows']:,})",
                f"{_n(last['peak_rss_mib'], 1)} (vs {_n(first['peak_rss_mib'], 1)})",
                f"bounded: ≤ {EXPORT_GROWTH}x",
                bounded,
            )
    return out


def table(results: dict[tuple[str, str], dict]) -> list[str]:
    header = ("db", "figure", "measured", "target", "met", "share of ceiling", "ceiling req/s",
              "load avg")  # fmt: skip
    lines = ["| " + " | ".join(header) + " |", "|" + " --- |" * len(header)]
    lines += ["| " + " | ".join(str(cell) for cell in row) + " |" for row in rows(results)]
    return lines
