"""Enrichment throughput with the local provider, end to end through a real celery worker.

    python benchmarks/bench_import.py benchmarks/out/corpus.jsonl   # fills jobrec_bench
    python benchmarks/bench_enrich.py [--limit N] [--concurrency 2]

1. `train_fasttext` on the jobs in `jobrec_bench` (timed: target < 5 minutes for 100,000);
2. starts `celery worker` (prefork, --concurrency) on a broker database of its own;
3. queues `enrich_jobs_task` for every job (batches of 100, as ingestion does) and waits
   until every job is enriched, sampling the worker's memory (all its processes together).
Targets (issue #4): >= 200 jobs/s enrichment plus embedding on 2 cores; worker peak < 600 MB.
"""

from __future__ import annotations

import argparse
import os
import resource
import signal
import time
from pathlib import Path
from urllib.parse import urlsplit

import psutil
from _db import ROOT, bench_database_url, bench_env, machine, start_worker

BROKER_DB = 12


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--limit", type=int, default=0)
    parser.add_argument("--concurrency", type=int, default=2)
    parser.add_argument("--skip-training", action="store_true")
    parser.add_argument(
        "--train-only", action="store_true", help="time train_fasttext (split) and stop"
    )
    args = parser.parse_args()

    env = bench_env(bench_database_url())
    env["REDIS_URL"] = urlsplit(env["REDIS_URL"])._replace(path=f"/{BROKER_DB}").geturl()
    env["MODELS_DIR"] = str(ROOT / "benchmarks" / "out" / "models")
    os.environ.update(env)
    os.environ["DJANGO_SETTINGS_MODULE"] = "jobrec.settings"
    import django

    django.setup()
    from django.core.management import call_command

    from jobrec.celery import app
    from jobs.models import EmbeddingSpace, Enrichment, Job, JobEmbedding
    from jobs.services.enrichment import enrichment_enqueue

    print(f"machine: {machine()}")
    if not args.skip_training:
        from jobrec.ai.local import fasttext_model

        # Measurement only: the same function, timed, to split the total into reading and
        # normalising the texts (this process) and fastText's training (its child).
        child_s: list[float] = []
        train_in_child = fasttext_model._train_in_subprocess

        def timed_child(params: dict[str, object], output: Path) -> int:
            t0 = time.perf_counter()
            try:
                return train_in_child(params, output)
            finally:
                child_s.append(time.perf_counter() - t0)

        fasttext_model._train_in_subprocess = timed_child
        load = os.getloadavg()
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        started = time.perf_counter()
        call_command("train_fasttext")
        total = time.perf_counter() - started
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        # CPU seconds of the training child: with the cores to itself it would use about
        # (threads x its wall time); less says how much other processes took.
        cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
        print(
            f"train_fasttext on {Job.objects.count():,} jobs: {total:.0f}s "
            f"(fastText training in its child process {sum(child_s):.0f}s using "
            f"{cpu:.0f} CPU-seconds, {cpu / max(sum(child_s), 1e-9):.2f} cores on average; "
            f"reading and normalising the texts {total - sum(child_s):.0f}s); load average "
            f"{load[0]:.2f} at the start, {os.getloadavg()[0]:.2f} at the end"
        )
        if args.train_only:
            return
    space = EmbeddingSpace.objects.order_by("-created_at").first()
    assert space is not None
    Enrichment.objects.all().delete()
    JobEmbedding.objects.all().delete()
    ids = list(Job.objects.order_by("pk").values_list("pk", flat=True))
    if args.limit:
        ids = ids[: args.limit]

    with app.connection_for_write(env["REDIS_URL"]) as conn:
        conn.default_channel.client.flushdb()
    worker = start_worker(env, concurrency=args.concurrency)
    try:
        time.sleep(3)
        app.conf.broker_url = env["REDIS_URL"]
        started = time.perf_counter()
        enrichment_enqueue(job_ids=ids)
        peak = 0
        done = 0
        while done < len(ids):
            time.sleep(1)
            proc = psutil.Process(worker.pid)
            rss = proc.memory_info().rss + sum(
                c.memory_info().rss for c in proc.children(recursive=True)
            )
            peak = max(peak, rss)
            done = Enrichment.objects.filter(status="done").count()
            if worker.poll() is not None:
                raise SystemExit("the worker died")
        elapsed = time.perf_counter() - started
    finally:
        os.killpg(worker.pid, signal.SIGTERM)
        worker.wait(timeout=60)
    vectors = JobEmbedding.objects.filter(space=space).count()
    print(f"space {space.name}: {vectors:,} vectors")
    print(
        f"enriched {len(ids):,} jobs (facts + fastText vectors) in {elapsed:.0f}s: "
        f"{len(ids) / elapsed:,.0f} jobs/s with {args.concurrency} worker processes"
    )
    print(f"worker peak memory (all processes): {peak / 2**20:.0f} MB")


if __name__ == "__main__":
    main()
