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


def run_import(path: Path, env: dict[str, str]) -> tuple[float, str, float]:
    """Seconds, the command's summary, and the peak of the summed resident memory of the
    import process and its workers (sampled every 0.2 s), in MB."""
    import psutil

    started = time.perf_counter()
    process = subprocess.Popen(
        [sys.executable, "manage.py", "import_jobs", str(path), "--no-enrich"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
    )
    peak = 0.0
    parent = psutil.Process(process.pid)
    while process.poll() is None:
        try:
            tree = [parent, *parent.children(recursive=True)]
            peak = max(peak, sum(p.memory_info().rss for p in tree) / 2**20)
        except psutil.Error:
            pass
        time.sleep(0.2)
    elapsed = time.perf_counter() - started
    assert process.stdout is not None
    out = process.stdout.read().strip()
    if process.returncode:
        raise SystemExit(f"import_jobs failed ({process.returncode}): {out}")
    return elapsed, out, peak


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
        elapsed, summary, peak = run_import(args.corpus, env)
        print(f"{label}: {elapsed:.1f}s, {records / elapsed:,.0f} jobs/s (process start included)")
        print(f"  {summary}")
        print(f"  peak memory, import process and workers together: {peak:.0f} MB")
    # ru_maxrss of the largest child that has exited: the import processes (KiB on Linux).
    peak_mb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    print(f"peak memory of the largest single import process: {peak_mb:.0f} MB")


if __name__ == "__main__":
    main()
