"""Report enrichment quality on RemoteOK response files (see jobs/evaluation.py)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from jobrec.ai.interfaces import Extractor
from jobrec.ai.registry import ProviderNotConfigured, extractor_build
from jobs.evaluation import LABELS_PATH, SPLITS, Evaluation, enrichment_evaluate
from jobs.sources.base import InvalidPayloadError


def _pct(value: float | None) -> str:
    return "n/a" if value is None else f"{value:.3f}"


class Command(BaseCommand):
    help = (
        "Tag recall, precision and recall against hand labels and seniority agreement "
        "for each PATH (and in total when there are several)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("paths", nargs="+", type=Path, metavar="PATH")
        parser.add_argument("--provider", choices=["local", "gemini", "openai"], default="local")
        parser.add_argument("--labels", type=Path, default=LABELS_PATH)
        parser.add_argument(
            "--split",
            choices=SPLITS,
            default="all",
            help="only the postings of this fixed half (dev for tuning, held-out to check)",
        )
        parser.add_argument(
            "--details",
            action="store_true",
            help="list the extra and missed skills of every labeled posting",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        paths: list[Path] = options["paths"]
        for path in paths:
            if not path.is_file():
                raise CommandError(f"{path}: no such file")
        try:
            extractor = extractor_build(options["provider"])
            results = [
                enrichment_evaluate(
                    path=path,
                    extractor=extractor,
                    labels_path=options["labels"],
                    split=options["split"],
                )
                for path in paths
            ]
        except (ProviderNotConfigured, InvalidPayloadError) as exc:
            raise CommandError(str(exc)) from exc
        for path, result in zip(paths, results, strict=True):
            self._report(path.name, result, extractor, details=options["details"])
        if len(results) > 1:
            total = Evaluation(path="", split=options["split"])
            for result in results:
                total = total.merge(result)
            self._report(f"all {len(results)} files", total, extractor, details=False)

    def _report(
        self, name: str, result: Evaluation, extractor: Extractor, *, details: bool
    ) -> None:
        out = self.stdout.write
        split = "" if result.split == "all" else f" ({result.split} half)"
        out(f"{name}: {result.postings} postings{split}, provider {extractor.provider}")
        counted = sum(result.tags_counted.values())
        missed = sum(result.tags_missed.values())
        supported = sum(result.tags_supported.values())
        supported_missed = sum(result.tags_supported_missed.values())
        out(
            f"tag recall: {_pct(result.tag_recall)} ({counted - missed}/{counted} skill tags "
            f"found); of the tags the text names: {_pct(result.supported_tag_recall)} "
            f"({supported - supported_missed}/{supported})"
        )
        out("  counted: " + ", ".join(f"{k} {v}" for k, v in result.tags_counted.most_common()))
        out(
            "  missed: "
            + (", ".join(f"{k} {v}" for k, v in result.tags_missed.most_common()) or "none")
        )
        out(
            f"hand labels: {result.labeled} postings; precision {_pct(result.precision)} "
            f"({result.true_positives}/{result.predicted}), recall {_pct(result.label_recall)} "
            f"({result.true_positives}/{result.labeled_skills}); per-posting means: precision "
            f"{_pct(result.macro_precision)}, recall {_pct(result.macro_recall)}"
        )
        out(
            f"  strict precision {_pct(result.strict_precision)} (also counting as wrong the "
            f"{result.implied_neutral} implied parents of labeled skills, which the labels "
            "leave out by rule)"
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
        if details:
            for posting in result.labeled_postings:
                out(
                    f"  #{posting.posting_id} {posting.title!r}: precision "
                    f"{_pct(posting.precision)}, recall {_pct(posting.recall)}"
                )
                out("    extra: " + (", ".join(sorted(posting.false_positives)) or "none"))
                out("    missed: " + (", ".join(sorted(posting.false_negatives)) or "none"))
        out(
            f"seniority agreement with the title: {_pct(result.seniority_agreement)} "
            f"({result.seniority_agreed}/{result.seniority_stated} titles that state a level)"
        )
        for title, stated, got in result.seniority_disagreements[:10]:
            out(f"  {title!r}: title says {stated}, extracted {got}")
