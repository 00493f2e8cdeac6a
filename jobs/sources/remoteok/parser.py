"""Parse RemoteOK API responses (``GET https://remoteok.com/api``) into drafts.

The feed is a JSON array. Formats seen in the wild, all handled here:

* 2024: element 0 is ``{"last_updated", "legal"}``; ``epoch`` is a number;
  ``salary_min``/``salary_max`` are numbers or strings, ``0`` meaning "not given".
* 2021: element 0 is ``{"legal", "explanation"}``; ``epoch`` a number or a string.
* 2017 (remoteok.io): no notice element, element 0 is already a job; only
  slug/id/epoch/date/company/position/tags/logo/description/url; text is UTF-8 that
  was decoded as Latin-1 ("â\\x80\\x93" for an en dash); ``tags`` once arrives as a
  PHP-style object ``{"0": "dev", "1": "ruby"}`` instead of a list.

Descriptions are HTML or newline-formatted text and always go through the shared
sanitiser. Pure function of the bytes: no network, no Django, no clock.
"""

from __future__ import annotations

import codecs
import json
from collections.abc import Iterable, Mapping
from datetime import datetime
from typing import Any, Final

from jobs.sources.base import (
    REMOTE,
    JobDraft,
    ParseResult,
    PayloadNotJSONError,
    PayloadShapeError,
    RejectedRow,
    datetime_from_epoch,
    datetime_from_iso,
    normalize_salary_range,
)
from jobs.sources.text import (
    clean_plain_text,
    normalize_tags,
    prepare_description,
    safe_http_url,
    strip_control_chars,
)

__all__ = ["SALARY_CURRENCY", "SOURCE_NAME", "parse_remoteok"]

SOURCE_NAME: Final = "remoteok"
#: RemoteOK asks employers for yearly salaries in US dollars.
SALARY_CURRENCY: Final = "USD"

_EXCERPT_CHARS: Final = 200


def parse_remoteok(body: bytes, *, source: str = SOURCE_NAME) -> ParseResult:
    """Parse one RemoteOK API response body.

    Raises :class:`PayloadNotJSONError` when the body is not JSON (an HTML error or
    bot-challenge page, an empty or truncated download) and
    :class:`PayloadShapeError` when it is JSON but not an array: in both cases the
    payload as a whole cannot be trusted, so nothing is returned.

    Inside a valid array, each element is judged alone: postings without an id, a
    position, a usable URL or a date become :class:`RejectedRow` entries and the rest
    are kept.

    An empty array (or one holding only the legal notice) is *valid* and yields zero
    drafts. The parser cannot tell "no jobs today" from an upstream glitch, so the
    importer should not expire existing jobs just because a fetch returned none.
    """
    items = _load_array(body)
    drafts: list[JobDraft] = []
    rejected: list[RejectedRow] = []
    notice: str | None = None
    first_index_of: dict[str, int] = {}

    for index, item in enumerate(items):
        if not isinstance(item, dict):
            rejected.append(RejectedRow(index, None, "element is not a JSON object"))
            continue
        if _is_notice(item):
            # The terms-of-use element. Keep its text: RemoteOK's terms require a
            # direct link back to each posting, which the UI must honour.
            if notice is None:
                notice = clean_plain_text(item.get("legal")) or None
            continue

        external_id = _external_id(item.get("id"))
        if external_id is None:
            rejected.append(RejectedRow(index, None, "missing id"))
            continue
        if external_id in first_index_of:
            rejected.append(
                RejectedRow(
                    index,
                    external_id,
                    f"duplicate id (first seen at index {first_index_of[external_id]})",
                )
            )
            continue
        first_index_of[external_id] = index

        draft_or_reason = _build_draft(item, external_id, source)
        if isinstance(draft_or_reason, str):
            rejected.append(RejectedRow(index, external_id, draft_or_reason))
        else:
            drafts.append(draft_or_reason)

    return ParseResult(drafts=tuple(drafts), rejected=tuple(rejected), notice=notice)


# --------------------------------------------------------------------------- payload


def _load_array(body: bytes) -> list[Any]:
    excerpt = body[:_EXCERPT_CHARS].decode("utf-8", errors="replace")
    # A UTF-8 BOM is harmless but json.loads(bytes) refuses it; some proxies add one.
    if body.startswith(codecs.BOM_UTF8):
        body = body[len(codecs.BOM_UTF8) :]
    stripped = body.lstrip()
    if not stripped:
        raise PayloadNotJSONError("empty body, expected a JSON array", excerpt=excerpt)
    if stripped[:1] == b"<":
        # Cloudflare challenges, maintenance and error pages all come back as HTML,
        # sometimes with status 200.
        raise PayloadNotJSONError("got HTML instead of JSON", excerpt=excerpt)
    try:
        data = json.loads(body)
    except UnicodeDecodeError as exc:
        raise PayloadNotJSONError(f"body is not valid UTF-8: {exc}", excerpt=excerpt) from exc
    except json.JSONDecodeError as exc:
        # Most often a download cut short ("Expecting ',' delimiter" at the end).
        raise PayloadNotJSONError(
            f"invalid or truncated JSON: {exc.msg} at line {exc.lineno} column {exc.colno}",
            excerpt=excerpt,
        ) from exc
    if not isinstance(data, list):
        raise PayloadShapeError(
            f"expected a JSON array of jobs, got {type(data).__name__}", excerpt=excerpt
        )
    return data


def _is_notice(item: Mapping[str, Any]) -> bool:
    # The notice is recognised by shape, not position: the 2017 feed has none, and
    # nothing guarantees it stays first.
    return "legal" in item and "id" not in item and "position" not in item


def _external_id(value: object) -> str | None:
    if isinstance(value, bool) or value is None:
        return None
    if isinstance(value, int):
        return str(value)
    if isinstance(value, str):
        # Control characters (NUL above all) cannot be stored and are never meant.
        value = strip_control_chars(value).strip()
        return value or None
    return None


# --------------------------------------------------------------------------- one job


def _build_draft(item: Mapping[str, Any], external_id: str, source: str) -> JobDraft | str:
    """A draft, or the reason (str) this element is rejected."""
    position = clean_plain_text(item.get("position"))
    if not position:
        return "missing position"

    url = safe_http_url(item.get("url"))
    if not url:
        # The feed's terms require linking to this URL; without it we can't show it.
        return "missing or non-http(s) url"

    posted_at = datetime_from_epoch(item.get("epoch")) or datetime_from_iso(item.get("date"))
    if posted_at is None:
        return "missing or invalid epoch and date"

    try:
        return _draft(item, external_id, source, position, url, posted_at)
    except (ValueError, TypeError) as exc:  # a value the draft's invariants refuse
        return str(exc)


def _draft(
    item: Mapping[str, Any],
    external_id: str,
    source: str,
    position: str,
    url: str,
    posted_at: datetime,
) -> JobDraft:
    salary_min, salary_max = normalize_salary_range(item.get("salary_min"), item.get("salary_max"))
    description_html, description_text = prepare_description(
        _unescape_line_breaks(item.get("description"))
    )
    return JobDraft(
        source=source,
        external_id=external_id,
        url=url,
        apply_url=safe_http_url(item.get("apply_url")) or url,
        company=clean_plain_text(item.get("company")),
        # 2017 only has "logo"; later feeds have both and "company_logo" is the one
        # meant for the company.
        company_logo=safe_http_url(item.get("company_logo")) or safe_http_url(item.get("logo")),
        position=position,
        # RemoteOK lists remote jobs only; "location" is the region restriction.
        location=clean_plain_text(item.get("location")),
        remote_policy=REMOTE,
        tags=normalize_tags(_tag_values(item.get("tags"))),
        salary_min=salary_min,
        salary_max=salary_max,
        salary_currency=SALARY_CURRENCY if salary_min or salary_max else "",
        description_html=description_html,
        description_text=description_text,
        posted_at=posted_at,
    )


def _unescape_line_breaks(raw: object) -> object:
    # The 2024 feed escapes some line breaks twice: after JSON decoding the description
    # holds the two characters backslash and "n" (mostly between HTML blocks) where a
    # line break was meant, and they would otherwise show up as text.
    if isinstance(raw, str) and "\\n" in raw:
        return raw.replace("\\r\\n", "\n").replace("\\n", "\n")
    return raw


def _tag_values(raw: object) -> Iterable[object]:
    if isinstance(raw, list | tuple):
        return raw
    if isinstance(raw, dict):
        # PHP serialises an array with a gap in its keys as an object:
        # {"0": "dev", "1": "ruby", "7": "digital nomad"}. Keep the numeric order.
        return [raw[key] for key in sorted(raw, key=_numeric_key)]
    if isinstance(raw, str):
        return raw.split(",")
    return ()


def _numeric_key(key: str) -> tuple[int, int | str]:
    return (0, int(key)) if key.isdigit() else (1, key)
