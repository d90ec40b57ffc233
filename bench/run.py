"""Run every benchmark (bench/p*.py) one after another and write bench/results.json.

Each benchmark runs in a fresh process; its `NAME: ratio=... target=... A=... B=...` lines are
printed as they come, and the figures it reports are collected into bench/results.json with
the versions and the machine they came from. In full mode the exit status is 1 when a target
is missed or a benchmark fails; in short mode (BENCH_SHORT=1 or --short: small data, for CI)
only a failing benchmark fails the run.

    .venv/bin/python bench/run.py [--short] [p1 p3 ...]
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import re
import sqlite3
import subprocess
import sys
import tempfile
import threading
import time
from datetime import UTC, datetime
from importlib import metadata
from pathlib import Path

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent
sys.path.insert(0, str(ROOT))

from bench import harness  # noqa: E402

RESULTS = BENCH / "results.json"
#: A benchmark that runs longer than this is stopped and counted as failed.
TIMEOUT_SECONDS = {False: 600, True: 180}
LINE = re.compile(r"^\S+: ratio=\S+ target=\S+ A=.* B=.*$")


def benchmarks(chosen: list[str]) -> list[Path]:
    """bench/p<N>_*.py in order of N, or only those whose name starts with a chosen prefix."""
    found = sorted(BENCH.glob("p[0-9]*.py"),
                   key=lambda path: (int(re.match(r"p(\d+)", path.name).group(1)), path.name))
    if chosen:
        found = [path for path in found if any(path.stem.startswith(c) for c in chosen)]
    return found


def version(package: str) -> str | None:
    try:
        return metadata.version(package)
    except metadata.PackageNotFoundError:
        return None


def postgres_version() -> str | None:
    try:
        import psycopg

        base = os.environ.get("BENCH_DATABASE_URL") or harness.DEFAULT_POSTGRES_URL
        with psycopg.connect(harness._admin_url(base), connect_timeout=3) as connection:
            return connection.execute("SHOW server_version").fetchone()[0]
    except Exception:  # noqa: BLE001 - not available: recorded as null
        return None


def cpu_model() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or platform.machine()


def memory_gb() -> float | None:
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal:"):
                return round(int(line.split()[1]) / 1024 / 1024, 1)
    except OSError:
        pass
    return None


def environment() -> dict:
    """Versions and the machine, for results.json."""
    return {
        "python": platform.python_version(),
        "flask": version("flask"),
        "sqlalchemy": version("sqlalchemy"),
        "weasyprint": version("weasyprint"),
        "gunicorn": version("gunicorn"),
        "sqlite": sqlite3.sqlite_version,
        "postgresql_server": postgres_version(),
        "cpu": cpu_model(),
        "cores": os.cpu_count(),
        "memory_gb": memory_gb(),
        "platform": platform.platform(),
        "load_average_at_start": list(os.getloadavg()) if hasattr(os, "getloadavg") else None,
    }


def run_one(path: Path, short: bool, records_file: Path) -> dict:
    """Run one benchmark; return its status, duration, and the lines it printed."""
    env = {**os.environ, "BENCH_SHORT": "1" if short else "",
           harness.RESULTS_FILE_VARIABLE: str(records_file)}
    began = time.monotonic()
    lines: list[str] = []
    process = subprocess.Popen([sys.executable, str(path)], cwd=str(ROOT), env=env,  # noqa: S603
                               stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                               bufsize=1)
    # A benchmark that hangs is stopped, even when it prints nothing.
    watchdog = threading.Timer(TIMEOUT_SECONDS[short], process.kill)
    watchdog.start()
    try:
        for line in process.stdout:
            line = line.rstrip("\n")
            lines.append(line)
            print(line if LINE.match(line) else f"    {line}", flush=True)
        code = process.wait()
    finally:
        watchdog.cancel()
    if code == -9 and time.monotonic() - began >= TIMEOUT_SECONDS[short]:
        code = "timeout"
    return {"benchmark": path.stem, "exit": code, "seconds": round(time.monotonic() - began, 1),
            "output_tail": lines[-30:] if code != 0 else []}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--short", action="store_true", help="small data, targets not enforced")
    parser.add_argument("only", nargs="*", help="run only these (p1, p3_evaluation_pdf, ...)")
    parser.add_argument("--output", type=Path, default=RESULTS)
    options = parser.parse_args(argv)
    short = options.short or harness.SHORT
    began = time.monotonic()
    env = environment()
    print(f"Benchmarks ({'short' if short else 'full'}) on {env['cpu']}, {env['cores']} cores, "
          f"Python {env['python']}", flush=True)
    runs, figures = [], []
    with tempfile.TemporaryDirectory(prefix="bench-run-") as folder:
        for path in benchmarks(options.only):
            records_file = Path(folder) / f"{path.stem}.jsonl"
            print(f"== {path.stem}", flush=True)
            runs.append(run_one(path, short, records_file))
            if records_file.exists():
                for line in records_file.read_text().splitlines():
                    figures.append({"benchmark": path.stem, **json.loads(line)})
    failed = [run["benchmark"] for run in runs if run["exit"] != 0]
    missed = [figure["name"] for figure in figures if not figure["met"]]
    result = {
        "date": datetime.now(UTC).isoformat(timespec="seconds"),
        "mode": "short" if short else "full",
        "seconds": round(time.monotonic() - began, 1),
        "environment": env,
        "figures": figures,
        "runs": runs,
        "failed": failed,
        "missed": missed,
        "all_met": not failed and not missed,
    }
    options.output.write_text(json.dumps(result, indent=2) + "\n")
    print(f"\n{len(figures)} figures from {len(runs)} benchmarks in {result['seconds']:.0f}s; "
          f"written to {options.output}.")
    if failed:
        print(f"Failed: {', '.join(failed)}")
    if missed:
        print(f"Targets missed{' (not enforced in short mode)' if short else ''}: "
              f"{', '.join(missed)}")
    if failed or (missed and not short):
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
