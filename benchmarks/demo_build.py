"""The demo build: a whole `dbt build` on a fresh warehouse, this checkout beside an earlier one.

    .venv/bin/python benchmarks/demo_build.py [--base REF] [--scale small ...] [--selector DOMAIN ...]

This is the `dbt build` step of `make build` (issue 18 asks for at most 7 minutes at `small` on an idle
2-core machine, and at most 150 s for the data tests summed). Each build starts from an empty warehouse
and metastore in its own data folder under benchmarks/.data/demo_build, on raw files generated once per
(scale, seed) and copied in (not timed), in a fresh process (Spark start and dbt parsing included).

With `--base`, a detached git worktree of that ref builds the same data too, in ABBA order over
`--rounds` (base, this, this, base, ...), run with this venv and the worktree's src first on PYTHONPATH.
With `--java-options OPTS`, this checkout also builds with CASEBOOK_JAVA_OPTIONS=OPTS (more JVM flags
for Spark's driver and executors, e.g. `-XX:TieredStopAtLevel=1`), side by side in the same ABBA order.
With `--selector`, each named domain selector is built on its own (the growth table: run it at
`--scale tiny small medium`). Each build records:

- wall time of the `dbt build` process, and dbt's own elapsed time;
- from run_results.json: nodes, failures, the data tests', unit tests' and Python models' summed
  execution time, the slowest nodes;
- the machine's CPU seconds during the build (/proc/stat: on an idle machine, the build's) and the
  load average before and after (the idle check).

Writes benchmarks/results/demo_build-<scale>.json and prints a markdown table.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

from _common import (
    BENCH_DIR,
    REPO_ROOT,
    RESULTS_DIR,
    cpu_seconds,
    load_average,
    machine_info,
    project_env,
    worktree,
    write_json,
)

PACKAGES = ("pyspark", "delta-spark", "dbt-core", "prophet", "statsforecast", "scikit-learn", "pandas")
ROOT = BENCH_DIR / ".data" / "demo_build"
SLOWEST = 10


def raw_data(scale: str, seed: int, domains: list[str]) -> Path:
    """The raw files of (scale, seed), generated once with `casebook data generate --if-changed`."""
    data_dir = ROOT / f"raw-{scale}-{seed}"
    command = [str(Path(sys.executable).parent / "casebook"), "data", "generate", "--scale", scale]
    command += ["--seed", str(seed), "--if-changed", *(arg for d in domains for arg in ("--domain", d))]
    subprocess.run(command, cwd=REPO_ROOT, env=project_env(REPO_ROOT, data_dir), check=True)
    return data_dir / "raw"


def fresh_data_dir(name: str, raw: Path) -> Path:
    """An empty warehouse and metastore (private, like data/) with a copy of the raw files."""
    # Spark writes the warehouse of a folder named "this+jvm" under "this%2Bjvm": name it plainly.
    data_dir = ROOT / name.replace("+", "-with-")
    if data_dir.exists():
        shutil.rmtree(data_dir)
    data_dir.mkdir(mode=0o700, parents=True)
    shutil.copytree(raw, data_dir / "raw", symlinks=True)
    return data_dir


def summarize(results: list[dict[str, Any]]) -> dict[str, Any]:
    """Summed execution times by kind of node, failures and the slowest nodes of run_results.json."""

    def summed(kind: str) -> float:
        return round(sum(r["execution_time"] for r in results if r["unique_id"].startswith(kind)), 1)

    slowest = sorted(results, key=lambda r: -r["execution_time"])[:SLOWEST]
    return {
        "nodes": len(results),
        "failed": sorted(r["unique_id"] for r in results if r["status"] not in {"success", "pass", "no-op"}),
        "data_tests": sum(r["unique_id"].startswith("test.") for r in results),
        "data_tests_s": summed("test."),
        "unit_tests_s": summed("unit_test."),
        "models_s": summed("model."),
        "slowest": {r["unique_id"].split(".", 2)[-1]: round(r["execution_time"], 1) for r in slowest},
    }


def build(project: Path, data_dir: Path, selector: str | None, extra_env: dict[str, str]) -> dict[str, Any]:
    """One timed `dbt build` of checkout `project` on `data_dir`, with extra_env over the environment."""
    target = data_dir / "target"
    command = [str(Path(sys.executable).parent / "dbt"), "build", "--profiles-dir", "profiles"]
    command += ["--target-path", str(target), "--log-path", str(data_dir / "logs")]
    if selector:
        command += ["--selector", selector]
    load_before, cpu_before, start = load_average(), cpu_seconds(), time.perf_counter()
    done = subprocess.run(
        command, cwd=project, env={**project_env(project, data_dir), **extra_env}, capture_output=True
    )
    wall, cpu = time.perf_counter() - start, cpu_seconds() - cpu_before
    run_results = json.loads((target / "run_results.json").read_text())
    return {
        "wall_s": round(wall, 1),
        "dbt_elapsed_s": round(run_results["elapsed_time"], 1),
        "exit_code": done.returncode,
        "machine_cpu_s": round(cpu, 1),
        "cpu_busy_share": round(cpu / (wall * os.cpu_count()), 2),
        "load_before": load_before,
        "load_after": load_average(),
        **summarize(run_results["results"]),
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--base", help="git ref to build beside this checkout (ABBA order)")
    parser.add_argument("--scale", nargs="+", default=["small"])
    parser.add_argument("--seed", type=int, default=42)
    parser.add_argument("--selector", nargs="+", default=[None], help="domain selectors, each built alone")
    parser.add_argument("--rounds", type=int, default=1)
    parser.add_argument("--java-options", help="JVM flags: this checkout builds with and without them")
    args = parser.parse_args(argv)
    no_env: dict[str, str] = {}
    projects = {"this": (REPO_ROOT, no_env)}
    if args.base:
        projects = {"base": (worktree(args.base, ROOT / "base-src"), no_env), **projects}
    if args.java_options:
        projects["this+jvm"] = (REPO_ROOT, {"CASEBOOK_JAVA_OPTIONS": args.java_options})
    runs: list[dict[str, Any]] = []
    for scale in args.scale:
        domains = [s for s in args.selector if s]
        raw = raw_data(scale, args.seed, domains)
        for selector in args.selector:
            for round_number in range(args.rounds):
                order = list(projects) if round_number % 2 == 0 else list(reversed(projects))
                for variant in order:
                    data_dir = fresh_data_dir(variant, raw)
                    project, extra_env = projects[variant]
                    result = build(project, data_dir, selector, extra_env)
                    run = {"variant": variant, "scale": scale, "selector": selector or "all"}
                    runs.append({**run, "round": round_number + 1, **result})
                    # Each build's figures as soon as it ends: a stopped run keeps what it measured.
                    print(
                        f"{variant} {scale} {selector or 'all'}: {result['wall_s']} s wall, "
                        f"{result['nodes']} nodes, tests {result['data_tests_s']} s summed, "
                        f"exit {result['exit_code']}, load {result['load_before'][0]} -> "
                        f"{result['load_after'][0]}",
                        flush=True,
                    )
    payload = {
        "seed": args.seed,
        "base_ref": args.base,
        "java_options": args.java_options,
        "machine": machine_info(PACKAGES),
        "runs": runs,
    }
    write_json(RESULTS_DIR / f"demo_build-{'-'.join(args.scale)}.json", payload)
    print(
        "\n| build | scale | selector | round | wall s | dbt elapsed s | nodes | data tests summed s "
        "| Python+SQL models summed s | machine CPU s | load before -> after |"
    )
    print("|---|---|---|---|---:|---:|---:|---:|---:|---:|---|")
    for r in runs:
        print(
            f"| {r['variant']} | {r['scale']} | {r['selector']} | {r['round']} | {r['wall_s']} | "
            f"{r['dbt_elapsed_s']} | {r['nodes']} | {r['data_tests_s']} | {r['models_s']} | "
            f"{r['machine_cpu_s']} | {r['load_before'][0]} -> {r['load_after'][0]} |"
        )
    return 0 if all(r["exit_code"] == 0 and not r["failed"] for r in runs) else 1


if __name__ == "__main__":
    raise SystemExit(main())
