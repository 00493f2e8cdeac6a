"""Import speed and peak memory of `manage.py import_jobs` (no enrichment).

    python benchmarks/make_corpus.py --jobs 100000
    python benchmarks/bench_import.py benchmarks/out/corpus.jsonl

Imports into a fresh database `jobrec_bench` on the same server (embedded unless
DATABASE_URL is set), then imports the same file again (everything unchanged).
Target (issue #3): >= 2,000 jobs/s, peak memory < 500 MB.
"""

from __future__ import annotations

import argparse
import resource
import subprocess
import sys
import time
from pathlib import Path

from _db import ROOT, bench_env, machine, recreate


def run_import(path: Path, env: dict[str, str]) -> tuple[float, str]:
    started = time.perf_counter()
    result = subprocess.run(
        [sys.executable, "manage.py", "import_jobs", str(path), "--no-enrich"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    return time.perf_counter() - started, result.stdout.strip()


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("corpus", type=Path)
    args = parser.parse_args()
    args.corpus = args.corpus.resolve()
    records = sum(1 for _ in args.corpus.open())
    env = bench_env(recreate())
    print(f"machine: {machine()}")
    print(f"corpus: {args.corpus} ({records} postings, {args.corpus.stat().st_size / 1e6:.0f} MB)")
    for label in ("first import (all new)", "second import (all unchanged)"):
        elapsed, summary = run_import(args.corpus, env)
        print(f"{label}: {elapsed:.1f}s, {records / elapsed:,.0f} jobs/s (process start included)")
        print(f"  {summary}")
    # ru_maxrss of the largest child that has exited: the import processes (KiB on Linux).
    peak_mb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    print(f"peak memory of the import process: {peak_mb:.0f} MB")


if __name__ == "__main__":
    main()
