"""The tick benchmark's markdown tables: one data set, and growth between data sets."""

from __future__ import annotations

from typing import Any

from ticks_data import MODELS, TASK_TITLES

# --------------------------------------------------------------------------- report


def dataset_table(payload: dict[str, Any]) -> str:
    """engine | seconds | ratio | notes per task, for one data set."""
    lines: list[str] = []
    for task, result in payload["tasks"].items():
        lines += [
            f"**{TASK_TITLES[task]}**, {payload['dataset']} (median of {payload['repeat']})",
            "",
            "| engine | seconds | ratio vs DuckDB | runs (s) | notes |",
            "|---|---:|---:|---|---|",
        ]
        for engine, row in result["engines"].items():
            if "failure" in row:
                lines.append(f"| {engine} | — | — | — | {row['failure']} |")
                continue
            runs = ", ".join(f"{run:.2f}" for run in row["runs_seconds"])
            lines.append(
                f"| {engine} | {row['median_seconds']:.2f} | {row['ratio_vs_duckdb']:.2f}x | {runs} "
                f"| {row['notes']} |"
            )
        lines.append("")
    return "\n".join(lines)


def growth(payloads: list[dict[str, Any]]) -> dict[str, Any]:
    """Per task and engine: seconds and ratio at the first and last size, and last / first."""
    first, last = payloads[0], payloads[-1]
    table: dict[str, Any] = {}
    for task in MODELS:
        rows: dict[str, Any] = {}
        for engine, small in first["tasks"][task]["engines"].items():
            large = last["tasks"][task]["engines"].get(engine, {})
            row = {
                "first": small.get("median_seconds"),
                "first_ratio": small.get("ratio_vs_duckdb"),
                "last": large.get("median_seconds"),
                "last_ratio": large.get("ratio_vs_duckdb"),
                "failure": large.get("failure") or small.get("failure"),
            }
            if row["first"] and row["last"]:
                row["growth"] = round(row["last"] / row["first"], 2)
            rows[engine] = row
        table[task] = rows
    return {
        "first": first["dataset"],
        "last": last["dataset"],
        "trades": [first["rows"]["clean_in"]["trades"], last["rows"]["clean_in"]["trades"]],
        "tasks": table,
    }


def growth_table(summary: dict[str, Any]) -> str:
    """engine | s first | ratio | s last | ratio | growth, per task."""
    first, last = summary["first"], summary["last"]
    lines: list[str] = []
    for task, rows in summary["tasks"].items():
        lines += [
            f"**{TASK_TITLES[task]}**",
            "",
            f"| engine | s {first} | x DuckDB | s {last} | x DuckDB | growth {last}/{first} |",
            "|---|---:|---:|---:|---:|---:|",
        ]
        for engine, row in rows.items():
            cells = [
                _cell(row["first"], "{:.2f}"),
                _cell(row["first_ratio"], "{:.1f}x"),
                _cell(row["last"], "{:.2f}"),
                _cell(row["last_ratio"], "{:.1f}x"),
                _cell(row.get("growth"), "{:.1f}x"),
            ]
            note = f" ({row['failure']})" if row["failure"] else ""
            lines.append(f"| {engine}{note} | " + " | ".join(cells) + " |")
        lines.append("")
    return "\n".join(lines)


def _cell(value: float | None, template: str) -> str:
    return "—" if value is None else template.format(value)
