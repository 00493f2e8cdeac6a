"""Turn one mapped record (a JSONL object or a CSV row) into a :class:`JobDraft`.

``import_jobs --map position=Title --map company=Company`` says which column holds which job
field; unmapped fields are looked up under their own name, and RemoteOK's names (``id``,
``epoch``, ``date``) are understood too, so a file of RemoteOK job objects needs no mapping.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from datetime import datetime
from typing import Any, Final

from jobs.sources.base import (
    HYBRID,
    ONSITE,
    REMOTE,
    JobDraft,
    RemotePolicy,
    datetime_from_epoch,
    datetime_from_iso,
    normalize_salary_range,
)
from jobs.sources.text import clean_plain_text, normalize_tags, prepare_description, safe_http_url

#: Job fields a column can be mapped to, and the column names tried when it is not mapped.
FIELDS: Final[dict[str, tuple[str, ...]]] = {
    "external_id": ("external_id", "id"),
    "position": ("position", "title"),
    "company": ("company",),
    "company_logo": ("company_logo", "logo"),
    "description": ("description",),
    "url": ("url",),
    "apply_url": ("apply_url",),
    "location": ("location",),
    "remote_policy": ("remote_policy",),
    "tags": ("tags",),
    "salary_min": ("salary_min",),
    "salary_max": ("salary_max",),
    "salary_currency": ("salary_currency",),
    "posted_at": ("posted_at", "epoch", "date"),
}

_POLICIES: Final[dict[str, RemotePolicy]] = {
    "remote": REMOTE,
    "hybrid": HYBRID,
    "onsite": ONSITE,
    "on-site": ONSITE,
    "office": ONSITE,
    "in office": ONSITE,
}


class MappingError(ValueError):
    """A ``--map`` that names an unknown job field."""


def mapping_parse(pairs: list[str]) -> dict[str, str]:
    """``["position=Title", ...]`` -> ``{"position": "Title"}``, validated."""
    mapping: dict[str, str] = {}
    for pair in pairs:
        field, sep, column = pair.partition("=")
        field, column = field.strip(), column.strip()
        if not sep or not field or not column:
            raise MappingError(f"--map {pair!r}: expected FIELD=COLUMN")
        if field not in FIELDS:
            raise MappingError(
                f"--map {pair!r}: unknown job field {field!r}; known fields: {', '.join(FIELDS)}"
            )
        mapping[field] = column
    return mapping


def _value(record: Mapping[str, Any], mapping: Mapping[str, str], field: str) -> Any:
    if field in mapping:
        return record.get(mapping[field])
    for column in FIELDS[field]:
        if column in record:
            return record[column]
    return None


def _posted_at(value: Any) -> datetime | None:
    if isinstance(value, str) and value.strip().isdigit():
        return datetime_from_epoch(value.strip())
    return datetime_from_epoch(value) or datetime_from_iso(value)


def _policy(value: Any, location: str) -> RemotePolicy:
    if isinstance(value, str) and value.strip().lower() in _POLICIES:
        return _POLICIES[value.strip().lower()]
    # No policy column: a location that mentions remote work is remote; a named place
    # without it is on-site; nothing at all is remote (most boards we import are).
    if not location or "remote" in location.lower() or "anywhere" in location.lower():
        return REMOTE
    return ONSITE


def draft_from_record(
    record: Mapping[str, Any],
    *,
    mapping: Mapping[str, str],
    source: str,
    default_posted_at: datetime,
) -> JobDraft | str:
    """A draft, or the reason (str) the record is rejected."""
    position = clean_plain_text(_value(record, mapping, "position"))
    if not position:
        return "missing position"
    description_html, description_text = prepare_description(_value(record, mapping, "description"))
    company = clean_plain_text(_value(record, mapping, "company"))
    url = safe_http_url(_value(record, mapping, "url"))
    raw_id = _value(record, mapping, "external_id")
    external_id = clean_plain_text(str(raw_id)) if raw_id not in (None, "", False) else ""
    if not external_id:
        # No id column: a stable id from the content, so importing the same file twice
        # finds the same rows instead of creating new ones.
        basis = "\x1f".join((position, company, url, description_text[:2000]))
        external_id = "h" + hashlib.sha256(basis.encode()).hexdigest()[:24]
    raw_posted = _value(record, mapping, "posted_at")
    posted_at = _posted_at(raw_posted)
    if posted_at is None:
        if raw_posted not in (None, ""):
            return f"invalid posted_at {str(raw_posted)[:40]!r}"
        posted_at = default_posted_at
    salary_min, salary_max = normalize_salary_range(
        _value(record, mapping, "salary_min"), _value(record, mapping, "salary_max")
    )
    currency = clean_plain_text(_value(record, mapping, "salary_currency")).upper()[:3]
    tags_raw = _value(record, mapping, "tags")
    if isinstance(tags_raw, str):
        tags_raw = tags_raw.replace("|", ",").split(",")
    location = clean_plain_text(_value(record, mapping, "location"))
    try:
        return JobDraft(
            source=source,
            external_id=external_id[:200],
            url=url,
            apply_url=safe_http_url(_value(record, mapping, "apply_url")) or url,
            company=company,
            company_logo=safe_http_url(_value(record, mapping, "company_logo")),
            position=position[:300],
            location=location[:300],
            remote_policy=_policy(_value(record, mapping, "remote_policy"), location),
            tags=normalize_tags(tags_raw if isinstance(tags_raw, list | tuple) else ()),
            salary_min=salary_min,
            salary_max=salary_max,
            salary_currency=(currency or "USD") if (salary_min or salary_max) else "",
            description_html=description_html,
            description_text=description_text,
            posted_at=posted_at,
        )
    except (ValueError, TypeError) as exc:
        return str(exc)
