"""The seam between ingestion and enrichment.

Ingestion calls :func:`enrichment_enqueue` (after its transaction commits) with the ids of
new and changed jobs. Enrichment (skills, seniority, summary, embedding) is built in the
enrichment issue (#4) and plugs in here by queueing its task; until then new jobs keep
empty ``skills``/``seniority`` and this records that they are waiting.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence

logger = logging.getLogger(__name__)


def enrichment_enqueue(*, job_ids: Sequence[int]) -> None:
    if job_ids:
        logger.info("%d new or changed jobs are waiting for enrichment", len(job_ids))
