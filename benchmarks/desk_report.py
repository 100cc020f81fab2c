"""The front-desk figures as lines of the run's table."""

from __future__ import annotations

from typing import Any

HEAD = f"  {'front desk':<44} {'n':>5} {'p50 ms':>9} {'p95 ms':>9} {'max ms':>9}"


def _row(label: str, stats: dict[str, Any]) -> str:
    return (f"  {label:<44} {stats['n']:>5} {stats['p50_ms']:>9.1f} {stats['p95_ms']:>9.1f}"
            f" {stats['max_ms']:>9.1f}")


def _parts(stats: dict[str, Any]) -> list[str]:
    parts = stats.get("parts_p50_ms") or {}
    if not parts:
        return []
    return ["    p50 parts: " + ", ".join(f"{name} {ms:.1f}" for name, ms in parts.items())]


def _missing(label: str, node: dict[str, Any]) -> str:
    return f"  {label:<44} not available: {node.get('reason', '?')}"


def _launch(node: dict[str, Any]) -> list[str]:
    lines = [f"  {'launch to login window, first start':<44} {1:>5} "
             f"{node['first_start_ms']:>9.1f}",
             _row("launch to login window, warm starts", node["warm"])]
    where = node["breakdown"]
    imports = where["imports"]
    lines.append(
        f"    spawn to exit: bare interpreter {where['interpreter_ms']:.0f} ms, importing Qt "
        f"(app.ui.qt) {where['qt_import_ms']:.0f} ms, and a QApplication "
        f"{where['qt_application_ms']:.0f} ms")
    lines.append(f"    -X importtime: {imports['total_ms']:.0f} ms in {imports['modules']} "
                 "modules; by package (incl. what it pulls in): " + ", ".join(
                     f"{p['package']} {p['cumulative_ms']:.0f}"
                     for p in imports["top_packages"][:8]))
    lines.append("    slowest modules (self): " + ", ".join(
        f"{m['module']} {m['self_ms']:.0f}" for m in imports["top_self"][:6]))
    return lines


def _login(node: dict[str, Any]) -> list[str]:
    lines = []
    for key, who in (("secretary", "secretary"), ("secretary_log_n_14", "secretary"),
                     ("gp_log_n_14", "GP")):
        stats = node[key]
        lines.append(_row(f"login to main window, {who} (scrypt 2^{stats['scrypt_log_n']})",
                          stats))
        lines += _parts(stats)
        if "scrypt_alone" in stats:
            lines.append(_row(f"  scrypt 2^{stats['scrypt_log_n']} alone "
                              f"({stats['scrypt_share_p50']:.0%} of the login)",
                              stats["scrypt_alone"]))
    return lines


def _keystroke(node: dict[str, Any]) -> list[str]:
    lines = [_row(f"keystroke to results, as typed ({node['debounce_ms']} ms debounce)",
                  node["typed"])]
    if node["no_debounce"].get("available", True):
        lines.append(_row("keystroke to results, debounce timer at 0", node["no_debounce"]))
    else:
        lines.append(_missing("keystroke to results, debounce timer at 0",
                              node["no_debounce"]))
    lines.append(_row("  the search operation alone (executor)", node["operation"]))
    return lines


def desk_table(desk: dict[str, Any]) -> str:
    """The desk section of the printed summary."""
    center = desk.get("center", {})
    title = "front desk"
    if center.get("available"):
        title += (f": {center['clinicians']} clinicians, {center['appointments']:,} "
                  f"appointments on {center['day']}")
    load = desk.get("load_average_1m")
    if load:
        title += f" (load average {load['before']:.1f} before, {load['after']:.1f} after)"
    lines = ["", title, HEAD]
    parts = (("launch", _launch), ("login", _login), ("keystroke", _keystroke),
             ("day_view", lambda n: [_row(f"agenda day view, {n['columns']} columns "
                                          f"({n['page']} page)", n), *_parts(n)]),
             ("move", lambda n: [_row("move an appointment (Ctrl+Down) until repainted",
                                      n),
                                 _row("  until the record's answer is painted",
                                      n["confirmed"]), *_parts(n["confirmed"])]))
    for name, lines_of in parts:
        node = desk.get(name, {"available": False, "reason": "not run"})
        if node.get("available"):
            lines += lines_of(node)
        else:
            lines.append(_missing(name.replace("_", " "), node))
    return "\n".join(lines)
