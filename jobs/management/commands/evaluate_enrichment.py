"""Report enrichment quality on a RemoteOK response file (see jobs/evaluation.py)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from jobrec.ai.registry import ProviderNotConfigured, extractor_build
from jobs.evaluation import LABELS_PATH, enrichment_evaluate
from jobs.sources.base import InvalidPayloadError


def _pct(value: float | None) -> str:
    return "n/a" if value is None else f"{value:.3f}"


class Command(BaseCommand):
    help = "Tag recall, precision against hand labels and seniority agreement for PATH."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("path", type=Path)
        parser.add_argument("--provider", choices=["local", "gemini", "openai"], default="local")
        parser.add_argument("--labels", type=Path, default=LABELS_PATH)

    def handle(self, *args: Any, **options: Any) -> None:
        path: Path = options["path"]
        if not path.is_file():
            raise CommandError(f"{path}: no such file")
        try:
            extractor = extractor_build(options["provider"])
            result = enrichment_evaluate(
                path=path, extractor=extractor, labels_path=options["labels"]
            )
        except (ProviderNotConfigured, InvalidPayloadError) as exc:
            raise CommandError(str(exc)) from exc
        out = self.stdout.write
        out(f"{path.name}: {result.postings} postings, provider {extractor.provider}")
        counted = sum(result.tags_counted.values())
        missed = sum(result.tags_missed.values())
        out(
            f"tag recall: {_pct(result.tag_recall)} ({counted - missed}/{counted} skill tags found)"
        )
        out("  counted: " + ", ".join(f"{k} {v}" for k, v in result.tags_counted.most_common()))
        out(
            "  missed: "
            + (", ".join(f"{k} {v}" for k, v in result.tags_missed.most_common()) or "none")
        )
        out(
            f"hand labels: {result.labeled} postings; precision {_pct(result.precision)} "
            f"({result.true_positives}/{result.predicted}), recall {_pct(result.label_recall)} "
            f"({result.true_positives}/{result.labeled_skills})"
        )
        if result.false_positives:
            out(
                "  extracted but not labeled: "
                + ", ".join(f"{k} {v}" for k, v in result.false_positives.most_common(15))
            )
        if result.false_negatives:
            out(
                "  labeled but not extracted: "
                + ", ".join(f"{k} {v}" for k, v in result.false_negatives.most_common(15))
            )
        out(
            f"seniority agreement with the title: {_pct(result.seniority_agreement)} "
            f"({result.seniority_agreed}/{result.seniority_stated} titles that state a level)"
        )
        for title, stated, got in result.seniority_disagreements[:10]:
            out(f"  {title!r}: title says {stated}, extracted {got}")
