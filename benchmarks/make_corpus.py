"""Build a large, realistic job corpus by recombining the real RemoteOK postings.

Reads every file in ../shared/data/remoteok/ and writes JSONL of RemoteOK-shaped job
objects: new ids, titles and companies drawn from the real ones (companies also recombined
into new names so there are thousands of them), descriptions stitched from real paragraphs,
real tag sets, real salary ranges, and dates spread over the last 60 days.

    python benchmarks/make_corpus.py --jobs 100000 --out benchmarks/out/corpus.jsonl

Deterministic for a given --seed. No Django needed.
"""

from __future__ import annotations

import argparse
import json
import random
import re
import time
from pathlib import Path

SHARED = Path(__file__).resolve().parents[2] / "shared" / "data" / "remoteok"
_PARAGRAPH_SPLIT = re.compile(r"(?:<br\s*/?>\s*){2,}|</p>\s*<p>|\n{2,}", re.IGNORECASE)
_SENIORITY = ["", "", "", "Senior ", "Junior ", "Lead ", "Staff ", "Principal "]


def load_postings() -> list[dict[str, object]]:
    postings = []
    for path in sorted(SHARED.glob("*.json")):
        for item in json.loads(path.read_text(encoding="utf-8")):
            if isinstance(item, dict) and item.get("position") and item.get("id"):
                postings.append(item)
    return postings


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--jobs", type=int, default=100_000)
    parser.add_argument("--out", type=Path, default=Path("benchmarks/out/corpus.jsonl"))
    parser.add_argument("--seed", type=int, default=42)
    args = parser.parse_args()
    rng = random.Random(args.seed)

    postings = load_postings()
    titles = [str(p["position"]).strip() for p in postings]
    companies = sorted({str(p.get("company") or "").strip() for p in postings} - {""})
    words = sorted({w for c in companies for w in c.split() if len(w) > 2})
    # Thousands of companies: the real ones plus recombinations of their words.
    companies += [f"{rng.choice(words)} {rng.choice(words)}" for _ in range(6000)]
    paragraphs = [
        chunk.strip()
        for p in postings
        for chunk in _PARAGRAPH_SPLIT.split(str(p.get("description") or ""))
        if len(chunk.strip()) > 40
    ]
    tag_sets = [
        p.get("tags") for p in postings if isinstance(p.get("tags"), list) and p.get("tags")
    ]
    salaries = [
        (p.get("salary_min"), p.get("salary_max"))
        for p in postings
        if p.get("salary_min") not in (None, 0, "0", "")
    ]
    locations = [str(p.get("location") or "") for p in postings]

    now = int(time.time())
    args.out.parent.mkdir(parents=True, exist_ok=True)
    with args.out.open("w", encoding="utf-8") as out:
        for n in range(args.jobs):
            job_id = 5_000_000 + n
            title = rng.choice(titles)
            if rng.random() < 0.3:
                title = rng.choice(_SENIORITY) + re.sub(
                    r"^(Senior|Junior|Lead|Staff)\s+", "", title
                )
            body = "".join(f"<p>{rng.choice(paragraphs)}</p>" for _ in range(rng.randint(3, 9)))
            salary = rng.choice(salaries) if rng.random() < 0.35 else (None, None)
            record = {
                "slug": f"bench-{job_id}",
                "id": str(job_id),
                "epoch": now - rng.randint(0, 60 * 86400),
                "company": rng.choice(companies),
                "position": title,
                "tags": rng.choice(tag_sets),
                "description": body,
                "location": rng.choice(locations),
                "salary_min": salary[0],
                "salary_max": salary[1],
                "url": f"https://remoteok.com/remote-jobs/bench-{job_id}",
                "apply_url": f"https://remoteok.com/l/bench-{job_id}",
            }
            out.write(json.dumps(record) + "\n")
    size_mb = args.out.stat().st_size / 1e6
    print(f"wrote {args.jobs} postings ({size_mb:.0f} MB) to {args.out}")
    print(
        f"from {len(postings)} real postings, {len(paragraphs)} paragraphs, "
        f"{len(companies)} companies"
    )


if __name__ == "__main__":
    main()
