"""Speed of the local enrichment pieces, one process, on the real RemoteOK postings.

    python benchmarks/bench_local_ai.py [--repeat 3]

No database: reads every posting of ``../shared/data/remoteok/`` through the RemoteOK
parser, then times, best of ``--repeat`` runs (the least disturbed one):

1. the local extractor (``LocalExtractor.extract_job``: skills, seniority, summary),
   postings a second on one core;
2. the skill matcher alone (``SkillMatcher.extract``) on the postings of 4.5-5.5 kB, the
   median of each text's best time, in milliseconds;
3. fastText embedding (``FastTextEmbedder.embed``) with a small model trained here on the
   same postings (dim 32, 10 epochs, as the tests train one), postings a second.

These were timed assertions in the test suite; a loaded machine failed them, and speed is
measured here instead (docs/benchmarks.md).
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
from pathlib import Path

from _db import ROOT, machine

REMOTEOK = ROOT.parent / "shared" / "data" / "remoteok"


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()

    from jobrec.ai.local import LocalExtractor
    from jobrec.ai.local.embedder import FastTextEmbedder
    from jobrec.ai.local.fasttext_model import train_fasttext
    from jobrec.ai.taxonomy import default_matcher
    from jobs.sources.remoteok.parser import parse_remoteok

    drafts = [
        d
        for path in sorted(REMOTEOK.glob("*.json"))
        for d in parse_remoteok(path.read_bytes()).drafts
    ]
    print(f"machine: {machine()}")
    print(f"postings: {len(drafts)} from {REMOTEOK}")

    extractor = LocalExtractor()
    rates = []
    for _ in range(args.repeat):
        started = time.perf_counter()
        for d in drafts:
            extractor.extract_job(title=d.position, text=d.description_text)
        rates.append(len(drafts) / (time.perf_counter() - started))
    print(f"local extraction: best {max(rates):.0f} postings/s, runs {[round(r) for r in rates]}")

    matcher = default_matcher()
    texts = [f"{d.position}\n{d.description_text}" for d in drafts]
    five_kb = [t for t in texts if 4500 <= len(t) <= 5500]
    best_ms = []
    for text in five_kb:
        best = float("inf")
        for _ in range(max(args.repeat, 5)):
            started = time.perf_counter()
            matcher.extract(text)
            best = min(best, time.perf_counter() - started)
        best_ms.append(best * 1000)
    print(
        f"skill matcher on {len(five_kb)} texts of 4.5-5.5 kB: "
        f"median {statistics.median(best_ms):.3f} ms, max {max(best_ms):.3f} ms"
    )

    with tempfile.TemporaryDirectory() as out:
        trained = train_fasttext(iter(texts), dim=32, epochs=10, min_count=2, out_dir=Path(out))
        embedder = FastTextEmbedder(trained.path)
        rates = []
        for _ in range(args.repeat):
            started = time.perf_counter()
            embedder.embed(texts)
            rates.append(len(texts) / (time.perf_counter() - started))
    print(
        f"fastText embedding (dim 32): best {max(rates):.0f} postings/s, "
        f"runs {[round(r) for r in rates]}"
    )


if __name__ == "__main__":
    main()
