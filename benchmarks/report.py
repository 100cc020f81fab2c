"""Where the numbers go: the machine they came from, targets, a table and a JSON file."""

from __future__ import annotations

import json
import os
import platform
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

DATABASES = ("sqlcipher", "plain", "plain_sqlcipher_lib")
LABELS = {
    "search_prefix": "search, surname prefix (run_search)",
    "search_cf": "search, codice fiscale (run_search)",
    "service_search": "search via records.patients.search",
    "chart_open": "heavy chart, records.chart.open",
    "chart_open_ui": "heavy chart, GUI request to GUI result",
    "chart_queries": "heavy chart, SELECTs via SQLAlchemy",
    "chart_raw_sql": "heavy chart, SELECTs via bare cursor",
}
SEARCH_P95_MS = 10.0
CHART_P95_MS = 100.0
MAX_RATIO = 1.5


@dataclass(frozen=True)
class Check:
    """One target: what is compared, the limit, and the measured value (at most the
    limit; at least, for a rate, with ``at_least``)."""

    name: str
    measured: float
    limit: float
    at_least: bool = False

    @property
    def met(self) -> bool:
        return self.measured >= self.limit if self.at_least else self.measured <= self.limit

    def as_json(self) -> dict[str, Any]:
        return {"name": self.name, "measured": round(self.measured, 4), "limit": self.limit,
                "at_least": self.at_least, "met": self.met}


def machine() -> dict[str, Any]:
    """Platform, CPU model, cores and RAM of this computer."""
    cpu = ""
    ram_gib = 0.0
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal"):
                ram_gib = int(line.split()[1]) / 1024**2
                break
    except OSError:
        pass  # not Linux: the platform string still says what it is
    return {
        "platform": platform.platform(),
        "cpu": cpu or platform.processor(),
        "cores": os.cpu_count(),
        "ram_gib": round(ram_gib, 1),
        "python": sys.version.split()[0],
    }


def ratios(series: dict[str, dict[str, dict[str, float]]]) -> dict[str, dict[str, float]]:
    """SQLCipher over each plain baseline, for p50 and p95 of every compared series."""
    out: dict[str, dict[str, float]] = {}
    for name, by_db in series.items():
        if "sqlcipher" not in by_db:
            continue
        for base in ("plain", "plain_sqlcipher_lib"):
            if base not in by_db:
                continue
            for stat in ("p50", "p95"):
                value = by_db["sqlcipher"][f"{stat}_ms"] / by_db[base][f"{stat}_ms"]
                out.setdefault(name, {})[f"{stat}_vs_{base}"] = round(value, 3)
    return out


def checks(series: dict[str, dict[str, dict[str, float]]],
           ratio: dict[str, dict[str, float]]) -> list[Check]:
    """The issue's targets: search p95 <= 10 ms, chart p95 <= 100 ms, ratio <= 1.5."""
    found = [
        Check(f"{name} p95 (SQLCipher) <= {SEARCH_P95_MS:g} ms",
              series[name]["sqlcipher"]["p95_ms"], SEARCH_P95_MS)
        for name in ("search_prefix", "search_cf", "service_search")
    ]
    for name in ("chart_open", "chart_open_ui"):
        found.append(Check(f"{name} p95 (SQLCipher) <= {CHART_P95_MS:g} ms",
                           series[name]["sqlcipher"]["p95_ms"], CHART_P95_MS))
    for name in ("search_prefix", "search_cf", "chart_open"):
        for stat in ("p50", "p95"):
            found.append(Check(f"{name} {stat} SQLCipher/plain <= {MAX_RATIO:g}",
                               ratio[name][f"{stat}_vs_plain"], MAX_RATIO))
    return found


def table(result: dict[str, Any]) -> str:
    """The human summary printed at the end of a run."""
    gen = result["generation"]
    m = result["machine"]
    lines = [
        "",
        f"Medirete benchmark  {result['date_utc']}  N = {result['patients']:,} patients",
        f"{m['cpu']}, {m['cores']} cores, {m['ram_gib']} GiB, {m['platform']}",
        f"Python {m['python']}, SQLCipher {result['sqlcipher']['cipher_version']} "
        f"(SQLite {result['sqlcipher']['sqlite_version']}), plain SQLite "
        f"{result['plain']['sqlite_version']}",
        "",
        f"generation: {gen['rows']:,} rows (+{gen['change_log_entries']:,} change log) "
        f"in {gen['seconds']:.1f} s = {gen['rows_per_s']:,.0f} rows/s; "
        f"vacuum {gen['vacuum_seconds']:.1f} s, export {gen['export_seconds']:.1f} s",
        f"files: SQLCipher {gen['sqlcipher_mib']:,.1f} MiB, plain {gen['plain_mib']:,.1f} MiB",
        "heavy chart (current entries): " + ", ".join(
            f"{k} {v:,}" for k, v in result["heavy_chart"]["entries"].items()),
        "admin: verify {verify_s:.1f} s, backup (written and verified) {backup_s:.1f} s, "
        "{backup_mib:,.1f} MiB".format(**result["admin_ops"]) if "admin_ops" in result else "",
        "",
        f"{'series':<38} {'database':<20} {'n':>5} {'p50 ms':>9} {'p95 ms':>9} {'p99 ms':>9}"
        f" {'rows':>7}",
    ]
    for name, by_db in result["series"].items():
        for db in DATABASES:
            if db in by_db:
                s = by_db[db]
                lines.append(f"{LABELS[name]:<38} {db:<20} {s['n']:>5} {s['p50_ms']:>9.3f} "
                             f"{s['p95_ms']:>9.3f} {s['p99_ms']:>9.3f} {s['mean_rows']:>7.0f}")
    lines += ["", "SQLCipher / plain (p50, p95):"]
    for name, r in result["ratios"].items():
        lines.append(f"  {name:<16} vs plain {r['p50_vs_plain']:.2f}, {r['p95_vs_plain']:.2f}"
                     f"   vs unkeyed sqlcipher lib {r['p50_vs_plain_sqlcipher_lib']:.2f}, "
                     f"{r['p95_vs_plain_sqlcipher_lib']:.2f}")
    if "ui_over_service" in result:
        over = result["ui_over_service"]
        lines.append(f"  chart via the UI's lanes / direct service call: p50 {over['p50']:.2f},"
                     f" p95 {over['p95']:.2f}")
    lines += ["", "targets:"]
    for check in result["targets"]:
        verdict = "met" if check["met"] else "MISSED"
        lines.append(f"  {verdict:<7} {check['name']:<48} measured {check['measured']:.3f}")
    missed = sum(not c["met"] for c in result["targets"])
    lines.append(f"\n{'ALL TARGETS MET' if not missed else f'{missed} TARGET(S) MISSED'}")
    return "\n".join(lines)


def write_json(result: dict[str, Any], out: Path) -> None:
    """The full result as JSON (created with its folder if needed)."""
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(result, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
