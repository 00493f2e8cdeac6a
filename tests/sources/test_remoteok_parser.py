"""parse_remoteok against the real RemoteOK snapshots in shared/data, plus edge cases.

Counts below were established by reading each file: every element is a job except
the leading legal notice (absent in 2017). The only job rejected is 2024's id
1057180, a spam-filter placeholder with an empty position and company.
"""

from __future__ import annotations

import dataclasses
import json
import re
from datetime import UTC, datetime
from functools import cache
from pathlib import Path
from typing import Any

import pytest

from jobs.sources.base import (
    REMOTE,
    JobDraft,
    ParseResult,
    PayloadNotJSONError,
    PayloadShapeError,
    normalize_salary_range,
)
from jobs.sources.remoteok.parser import parse_remoteok
from jobs.sources.text import fix_mojibake, html_to_text, sanitize_html

DATA_DIR = Path(__file__).resolve().parents[2].parent / "shared" / "data" / "remoteok"

FILE_2024 = "remoteok-2024-12-04.json"
FILE_2021_01 = "remoteok-2021-01.json"
FILE_2021_03 = "remoteok-2021-03-sample-string-epoch.json"
FILE_2017 = "remoteok-2017-05-legacy-format.json"

# Named, because ruff (RUF001) rightly flags look-alike characters in string literals.
EN_DASH = "\N{EN DASH}"
RSQUO = "\N{RIGHT SINGLE QUOTATION MARK}"


@cache
def parsed(name: str) -> ParseResult:
    path = DATA_DIR / name
    assert path.is_file(), f"shared data missing: {path}"
    return parse_remoteok(path.read_bytes())


def by_id(result: ParseResult, external_id: str) -> JobDraft:
    matches = [d for d in result.drafts if d.external_id == external_id]
    assert len(matches) == 1, external_id
    return matches[0]


def job(**fields: Any) -> dict[str, Any]:
    """A minimal valid modern RemoteOK job, overridable per test."""
    base: dict[str, Any] = {
        "slug": "remote-dev-acme-1",
        "id": "1",
        "epoch": 1733260504,
        "date": "2024-12-03T21:15:04+00:00",
        "company": "Acme",
        "company_logo": "https://remoteok.com/assets/acme.png",
        "position": "Backend Developer",
        "tags": ["python"],
        "description": "<p>Hello</p>",
        "location": "Worldwide",
        "salary_min": 0,
        "salary_max": 0,
        "apply_url": "https://remoteok.com/l/1",
        "url": "https://remoteok.com/remote-jobs/1",
    }
    base.update(fields)
    return base


def parse_jobs(*jobs: object, legal: bool = True) -> ParseResult:
    items: list[object] = [{"last_updated": 1733346004, "legal": "Terms"}] if legal else []
    items.extend(jobs)
    return parse_remoteok(json.dumps(items).encode())


# --------------------------------------------------------------------------- real files


@pytest.mark.parametrize(
    ("name", "drafts", "rejected", "has_notice"),
    [
        (FILE_2024, 97, 1, True),
        (FILE_2021_01, 276, 0, True),
        (FILE_2021_03, 3, 0, True),
        (FILE_2017, 289, 0, False),
    ],
)
def test_exact_counts_per_shared_file(
    name: str, drafts: int, rejected: int, has_notice: bool
) -> None:
    result = parsed(name)
    assert len(result.drafts) == drafts
    assert len(result.rejected) == rejected
    assert (result.notice is not None) is has_notice
    raw = json.loads((DATA_DIR / name).read_bytes())
    # Every element is accounted for: notice + drafts + rejected.
    assert len(raw) == drafts + rejected + int(has_notice)


@pytest.mark.parametrize("name", [FILE_2024, FILE_2021_01, FILE_2021_03, FILE_2017])
def test_invariants_hold_for_every_real_draft(name: str) -> None:
    mojibake = re.compile("[\u00c2\u00c3\u00e2\u00f0][\u0080-\u00bf]")
    for draft in parsed(name).drafts:
        assert draft.source == "remoteok"
        assert draft.remote_policy == REMOTE
        assert draft.posted_at.tzinfo is UTC
        assert draft.url.startswith("https://")
        assert draft.apply_url.startswith("https://")
        assert draft.company_logo == "" or draft.company_logo.startswith(("http://", "https://"))
        assert list(draft.tags) == sorted(set(draft.tags), key=draft.tags.index)
        assert all(tag == tag.lower() and tag.strip() == tag and tag for tag in draft.tags)
        lowered = draft.description_html.lower()
        for forbidden in ("<script", "<iframe", "<style", "<img", "<svg", "<form"):
            assert forbidden not in lowered
        assert not re.search(r"<[^>]*\s(?:src|style)=", lowered)
        assert not re.search(r"<[^>]*\son\w+\s*=", lowered)  # no on* handler attribute
        for href in re.findall(r'href="([^"]*)"', lowered):
            assert href.startswith(("http://", "https://", "mailto:")), href
        assert lowered.count("<a ") == lowered.count('rel="noopener nofollow ugc"')
        for text in (draft.position, draft.company, draft.location, draft.description_text):
            assert not mojibake.search(text), text[:80]
            assert "\x00" not in text
        assert len(draft.content_hash()) == 64


def test_2024_salaries_epoch_notice_and_rejected_row() -> None:
    result = parsed(FILE_2024)
    assert result.notice is not None
    assert result.notice.startswith("API Terms of Service: Please link back")

    (rejected,) = result.rejected
    assert rejected.index == 56  # raw array index, counting the notice at 0
    assert rejected.external_id == "1057180"
    assert rejected.reason == "missing position"

    first = by_id(result, "1059249")
    assert first.position == "Senior Backend Golang Engineer Mailgun Send"
    assert first.company == "Mailgun"
    assert first.posted_at == datetime(2024, 12, 3, 21, 15, 4, tzinfo=UTC)
    assert (first.salary_min, first.salary_max, first.salary_currency) == (70000, 110000, "USD")
    assert first.tags == ("golang", "senior", "engineer", "backend")  # "golang" twice in feed
    assert first.location == ""

    with_salary = [d for d in result.drafts if d.salary_min is not None]
    assert len(with_salary) == 83
    assert all(d.salary_currency == "USD" for d in with_salary)
    without = [d for d in result.drafts if d.salary_min is None]
    assert all(d.salary_max is None and d.salary_currency == "" for d in without)
    for draft in with_salary:
        assert draft.salary_min is not None
        assert draft.salary_max is not None
        assert 0 < draft.salary_min <= draft.salary_max


def test_2024_entities_and_mojibake_in_plain_fields() -> None:
    result = parsed(FILE_2024)
    companies = {d.company for d in result.drafts}
    assert "CI&T" in companies  # feed has "CI&amp;T"
    assert "1840 & Company" in companies
    assert any(d.location == "Florianópolis, Santa Catarina, Brazil" for d in result.drafts)
    assert any(d.position == "Director of Regulatory & Compliance" for d in result.drafts)


def test_2021_01_string_epoch_empty_company_and_mojibake_emoji_flags() -> None:
    result = parsed(FILE_2021_01)
    assert result.notice is not None
    assert result.notice.startswith("By using Remote OK's API feed")
    first = by_id(result, "101587")
    assert first.posted_at == datetime(2021, 1, 22, 23, 5, 46, tzinfo=UTC)
    assert first.company == ""  # 45 jobs in this snapshot have no company: kept
    assert sum(1 for d in result.drafts if not d.company) == 45
    assert first.apply_url == "https://remoteok.io/l/101587"
    restricted = [d for d in result.drafts if d.location.startswith("Worldwide but restricted")]
    assert len(restricted) == 1
    assert "🇺🇸 United States" in restricted[0].location


def test_2021_01_newline_text_descriptions_keep_paragraphs() -> None:
    draft = next(
        d
        for d in parsed(FILE_2021_01).drafts
        if d.description_text.startswith("The Tidepool Platform")
    )
    assert draft.description_html.startswith("<p>The Tidepool Platform is the foundation")
    assert "\n\nIn addition to your responsibilities" in draft.description_text
    assert "\n\nResponsibilities include:\n\n" in draft.description_text


def test_2021_03_string_epoch_gives_right_datetimes() -> None:
    result = parsed(FILE_2021_03)
    assert [d.external_id for d in result.drafts] == ["103113", "103111", "103110"]
    assert [d.posted_at for d in result.drafts] == [
        datetime(2021, 3, 18, 9, 47, 24, tzinfo=UTC),  # epoch "1616060844"
        datetime(2021, 3, 18, 9, 26, 8, tzinfo=UTC),
        datetime(2021, 3, 18, 9, 16, 12, tzinfo=UTC),
    ]
    backend = by_id(result, "103111")
    assert backend.position == "Senior Backend Developer"
    assert backend.tags == ("dev", "senior", "backend", "digital nomad")
    assert backend.salary_min is None
    assert backend.salary_currency == ""
    # <br>-separated "&bull;" lists become readable text with entities unescaped.
    assert "Responsibilities:\n\n• Designing and implementing" in backend.description_text
    assert "&bull;" not in backend.description_text


def test_2017_legacy_format_no_notice_and_mojibake_fixed() -> None:
    result = parsed(FILE_2017)
    assert result.notice is None
    first = result.drafts[0]  # element 0 is a job in this era
    assert first.external_id == "29859"
    assert first.posted_at == datetime(2017, 5, 30, 16, 36, 28, tzinfo=UTC)
    assert first.apply_url == first.url  # no apply_url in 2017
    assert first.location == ""

    positions = {d.position for d in result.drafts}
    assert f"Lead DevOps Engineer {EN_DASH} Wirecutter" in positions
    assert f"Back-end Engineer, CMS {EN_DASH} Wirecutter" in positions
    assert "Experienced Ruby on Rails Developer ⚡️" in positions
    assert "Multiple “Quick Win” Micro Projects Available Now" in positions
    solution = by_id(result, "29086")
    assert solution.position == "Solution Architect"
    assert f"pre-sales Solution Architect you aresupporting the Sales team{RSQUO}s efforts" in (
        solution.description_text
    )
    assert solution.description_text.startswith("About the Role\n\nAs a pre-sales")


def test_2017_tags_given_as_php_object_are_ordered_values() -> None:
    draft = by_id(parsed(FILE_2017), "23558")
    assert draft.tags == ("meteor js", "full time", "dev", "javascript", "ruby", "digital nomad")


def test_2017_logo_field_used_as_company_logo() -> None:
    result = parsed(FILE_2017)
    with_logo = [d for d in result.drafts if d.company_logo]
    assert len(with_logo) == 146
    assert by_id(result, "29086").company_logo == (
        "https://we-work-remotely-production.imgix.net/logos/0001/6043/logo.gif"
    )


def test_2017_embedded_iframe_is_removed_with_its_content() -> None:
    draft = by_id(parsed(FILE_2017), "23673")
    assert "youtube" not in draft.description_html
    assert "iframe" not in draft.description_html
    assert draft.description_text.endswith(
        "are skills we expect but we will also help to develop**."
    )


def test_parsing_is_deterministic_and_hash_stable() -> None:
    body = (DATA_DIR / FILE_2024).read_bytes()
    first = parse_remoteok(body)
    second = parse_remoteok(body)
    assert first == second
    assert [d.content_hash() for d in first.drafts] == [d.content_hash() for d in second.drafts]
    assert len({d.content_hash() for d in first.drafts}) == len(first.drafts)


# --------------------------------------------------------------------------- content hash


def test_content_hash_changes_with_content_not_with_key_or_derived_text() -> None:
    draft = parse_jobs(job()).drafts[0]
    assert draft.content_hash() == parse_jobs(job()).drafts[0].content_hash()
    assert draft.content_hash() == dataclasses.replace(draft, external_id="2").content_hash()
    assert draft.content_hash() == dataclasses.replace(draft, source="other").content_hash()
    assert (
        draft.content_hash()
        == dataclasses.replace(draft, description_text="derived, not hashed").content_hash()
    )
    for change in (
        {"position": "Frontend Developer"},
        {"company": "Other"},
        {"tags": ("python", "django")},
        {"salary_min": 1000, "salary_currency": "USD"},
        {"description_html": "<p>Hello!</p>"},
        {"location": "Europe"},
        {"posted_at": datetime(2024, 12, 4, tzinfo=UTC)},
        {"url": "https://remoteok.com/remote-jobs/9"},
    ):
        assert dataclasses.replace(draft, **change).content_hash() != draft.content_hash(), change


def test_content_hash_is_a_known_value() -> None:
    # Guards against accidental changes to the hashed fields or their encoding,
    # which would make every stored posting look changed on the next import.
    draft = parse_jobs(job()).drafts[0]
    assert draft.content_hash() == EXPECTED_MINIMAL_JOB_HASH


EXPECTED_MINIMAL_JOB_HASH = "e827730e50ccd0a22aa7b93ebf7849a3fce3be3113d8c9fe245eb516c64b8471"


# --------------------------------------------------------------------------- payload errors


@pytest.mark.parametrize(
    "body",
    [
        b"<!DOCTYPE html><html><head><title>Just a moment...</title></head></html>",
        b"  \n<html><body>502 Bad Gateway</body></html>",
        b"",
        b"   ",
        b'[{"legal": "Terms"}, {"id": "1", "position": "Dev", "url": "https://x.y/1"',
        b"\xff\xfe\x00garbage",
        b"not json at all",
    ],
    ids=["cloudflare-html", "html-error", "empty", "blank", "truncated", "bad-bytes", "text"],
)
def test_not_json_raises_payload_not_json(body: bytes) -> None:
    with pytest.raises(PayloadNotJSONError) as info:
        parse_remoteok(body)
    assert info.value.excerpt == body[:200].decode("utf-8", errors="replace")


@pytest.mark.parametrize(
    "data", [{"error": "rate limited"}, "jobs", 42, None], ids=["object", "str", "int", "null"]
)
def test_json_that_is_not_an_array_raises_shape_error(data: object) -> None:
    with pytest.raises(PayloadShapeError, match="expected a JSON array"):
        parse_remoteok(json.dumps(data).encode())


def test_empty_array_is_valid_with_zero_drafts() -> None:
    result = parse_remoteok(b"[]")
    assert result == ParseResult(drafts=(), rejected=(), notice=None)


def test_notice_only_is_valid_with_zero_drafts() -> None:
    result = parse_remoteok(b'[{"last_updated": "1733346004", "legal": "Terms apply"}]')
    assert result.drafts == ()
    assert result.rejected == ()
    assert result.notice == "Terms apply"


def test_utf8_bom_is_accepted() -> None:
    result = parse_remoteok(b"\xef\xbb\xbf" + json.dumps([job()]).encode())
    assert len(result.drafts) == 1


# --------------------------------------------------------------------------- row rules


def test_rows_without_id_or_position_are_rejected_and_others_kept() -> None:
    result = parse_jobs(
        job(id="1"),
        job(id=None),
        job(id="   "),
        {k: v for k, v in job(id="4").items() if k != "id"},
        job(id="5", position=""),
        {k: v for k, v in job(id="6").items() if k != "position"},
        job(id=7),
        "not an object",
        job(id="1", position="Duplicate"),
        job(id="10", url="javascript:alert(1)"),
        job(id="11", epoch="soon", date="not a date"),
    )
    assert [d.external_id for d in result.drafts] == ["1", "7"]
    assert [(r.index, r.external_id, r.reason) for r in result.rejected] == [
        (2, None, "missing id"),
        (3, None, "missing id"),
        (4, None, "missing id"),
        (5, "5", "missing position"),
        (6, "6", "missing position"),
        (8, None, "element is not a JSON object"),
        (9, "1", "duplicate id (first seen at index 1)"),
        (10, "10", "missing or non-http(s) url"),
        (11, "11", "missing or invalid epoch and date"),
    ]


@pytest.mark.parametrize(
    ("epoch", "date", "expected"),
    [
        (1616060844, None, datetime(2021, 3, 18, 9, 47, 24, tzinfo=UTC)),
        ("1616060844", None, datetime(2021, 3, 18, 9, 47, 24, tzinfo=UTC)),
        (" 1616060844 ", None, datetime(2021, 3, 18, 9, 47, 24, tzinfo=UTC)),
        (1616060844.0, None, datetime(2021, 3, 18, 9, 47, 24, tzinfo=UTC)),
        (None, "2017-05-30T09:36:28-07:00", datetime(2017, 5, 30, 16, 36, 28, tzinfo=UTC)),
        ("", "2021-03-18T09:47:24+00:00", datetime(2021, 3, 18, 9, 47, 24, tzinfo=UTC)),
        (1616060844000, "2021-03-18T09:47:24Z", datetime(2021, 3, 18, 9, 47, 24, tzinfo=UTC)),
        (True, "2021-03-18T09:47:24", datetime(2021, 3, 18, 9, 47, 24, tzinfo=UTC)),
    ],
    ids=["int", "str", "padded", "float", "date-offset", "empty-epoch", "millis", "bool-naive"],
)
def test_posted_at_from_epoch_or_date(epoch: object, date: object, expected: datetime) -> None:
    (draft,) = parse_jobs(job(epoch=epoch, date=date)).drafts
    assert draft.posted_at == expected
    assert draft.posted_at.utcoffset() is not None
    assert draft.posted_at.utcoffset().total_seconds() == 0  # type: ignore[union-attr]


@pytest.mark.parametrize(
    ("low", "high", "expected"),
    [
        (0, 0, (None, None)),
        ("0", "0", (None, None)),
        (None, None, (None, None)),
        ("", "", (None, None)),
        ("70000", "110000", (70000, 110000)),
        (70000, 110000, (70000, 110000)),
        ("70,000", "$110000", (70000, 110000)),
        (120000, 90000, (90000, 120000)),
        (50000, 0, (50000, None)),
        (0, 90000, (None, 90000)),
        (55000.5, "60000.0", (55000, 60000)),
        (True, False, (None, None)),
        ("-5", "abc", (None, None)),
        (10**12, 80000, (None, 80000)),
    ],
)
def test_salary_rules(low: object, high: object, expected: tuple[int | None, ...]) -> None:
    assert normalize_salary_range(low, high) == expected
    (draft,) = parse_jobs(job(salary_min=low, salary_max=high)).drafts
    assert (draft.salary_min, draft.salary_max) == expected
    assert draft.salary_currency == ("USD" if any(expected) else "")


def test_missing_salary_fields_mean_no_salary() -> None:
    raw = job()
    del raw["salary_min"], raw["salary_max"]
    (draft,) = parse_jobs(raw).drafts
    assert (draft.salary_min, draft.salary_max, draft.salary_currency) == (None, None, "")


@pytest.mark.parametrize(
    ("tags", "expected"),
    [
        (["Python", "python ", "DJANGO", "  ", None, 3, "Remote  Work"],
         ("python", "django", "3", "remote work")),
        ({"1": "b", "0": "a", "10": "c", "2": "A"}, ("a", "b", "c")),
        ("php, Laravel ,php", ("php", "laravel")),
        (None, ()),
        (False, ()),
    ],
    ids=["list", "php-object", "comma-string", "null", "false"],
)  # fmt: skip
def test_tags_normalised(tags: object, expected: tuple[str, ...]) -> None:
    (draft,) = parse_jobs(job(tags=tags)).drafts
    assert draft.tags == expected


def test_missing_tags_key() -> None:
    raw = job()
    del raw["tags"]
    (draft,) = parse_jobs(raw).drafts
    assert draft.tags == ()


def test_plain_fields_cleaned() -> None:
    (draft,) = parse_jobs(
        job(
            position="  Senior\tEngineer &amp; Lead\u200b\x00 ",
            company=False,
            location=None,
            company_logo="javascript:alert(1)",
            logo="https://remoteok.com/fallback.png",
            apply_url="data:text/html,x",
        )
    ).drafts
    assert draft.position == "Senior Engineer & Lead"
    assert draft.company == ""
    assert draft.location == ""
    assert draft.company_logo == "https://remoteok.com/fallback.png"
    assert draft.apply_url == draft.url


def test_lone_surrogates_and_nul_do_not_break_the_payload() -> None:
    body = (
        b'[{"id": "1", "epoch": 1733260504, "position": "Dev \\ud83d here",'
        b' "url": "https://remoteok.com/1", "description": "<p>a\\u0000b \\ud83d c</p>",'
        b' "company": "X\\udc00"}]'
    )
    (draft,) = parse_remoteok(body).drafts
    assert draft.position == "Dev here"
    assert draft.company == "X"
    assert draft.description_html == "<p>ab  c</p>"
    assert draft.description_text == "ab c"
    draft.content_hash()
    draft.description_html.encode("utf-8")  # storable


def test_json_numbers_as_id_and_legal_notice_recognised_anywhere() -> None:
    result = parse_remoteok(
        json.dumps([job(id=1), {"legal": "Terms", "explanation": "x"}, job(id=2)]).encode()
    )
    assert [d.external_id for d in result.drafts] == ["1", "2"]
    assert result.notice == "Terms"
    assert result.rejected == ()


# --------------------------------------------------------------------------- sanitising


XSS_CASES: list[tuple[str, str]] = [
    ("<p>Hi<script>alert(1)</script></p>", "<p>Hi</p>"),
    ("<p>Hi</p><SCRIPT SRC=//evil.example/x.js></SCRIPT>", "<p>Hi</p>"),
    ('<iframe src="https://evil.example">fallback text</iframe><p>ok</p>', "<p>ok</p>"),
    ('<img src=x onerror="alert(1)">text', "text"),
    ('<p onclick="steal()" onmouseover=alert(1)>click</p>', "<p>click</p>"),
    (
        '<a href="javascript:alert(1)">x</a>',
        '<a rel="noopener nofollow ugc">x</a>',
    ),
    (
        '<a href="JaVaScRiPt:alert(1)">x</a>',
        '<a rel="noopener nofollow ugc">x</a>',
    ),
    (
        '<a href="&#106;avascript:alert(1)">x</a>',
        '<a rel="noopener nofollow ugc">x</a>',
    ),
    (
        '<a href=" java\tscript:alert(1)">x</a>',
        '<a rel="noopener nofollow ugc">x</a>',
    ),
    (
        '<a href="data:text/html;base64,PHNjcmlwdD4=">x</a>',
        '<a rel="noopener nofollow ugc">x</a>',
    ),
    (
        '<a href="https://ok.example/?a=1&b=2" target="_blank" rel="opener">ok</a>',
        '<a href="https://ok.example/?a=1&amp;b=2" rel="noopener nofollow ugc">ok</a>',
    ),
    ('<svg onload="alert(1)"><circle/></svg><p>ok</p>', "<p>ok</p>"),
    ('<style>body{display:none}</style><p style="position:fixed">x</p>', "<p>x</p>"),
    ("<form action=//evil><input name=pw></form>done", "done"),
    ('<object data="x.swf"></object><embed src="x.swf">ok', "ok"),
    ("<!-- <script>alert(1)</script> -->safe", "safe"),
    ('<a href="/relative/path">rel</a>', '<a rel="noopener nofollow ugc">rel</a>'),
    ('<math><mi xlink:href="javascript:alert(1)">x</mi></math>ok', "ok"),
]


@pytest.mark.parametrize(("dirty", "clean"), XSS_CASES)
def test_sanitiser_neutralises_xss(dirty: str, clean: str) -> None:
    assert sanitize_html(dirty) == clean


@pytest.mark.parametrize(("dirty", "clean"), XSS_CASES)
def test_parser_sanitises_descriptions(dirty: str, clean: str) -> None:
    (draft,) = parse_jobs(job(description=dirty)).drafts
    assert draft.description_html == clean
    assert "alert" not in draft.description_text
    assert "<" not in draft.description_text


def test_description_text_keeps_structure_and_unescapes() -> None:
    html = (
        "<h2>About</h2><p>We&nbsp;build   things &amp; ship &lt;fast&gt;.</p>"
        "<ul><li>Python</li><li><p>Django</p></li></ul>"
        "<p>Line one<br>Line two</p><p><br></p><p></p><div>Last</div>"
    )
    assert html_to_text(sanitize_html(html)) == (
        "About\n\nWe build things & ship <fast>.\n\n- Python\n- Django\n\n"
        "Line one\nLine two\n\nLast"
    )


def test_plain_text_description_gets_paragraphs() -> None:
    (draft,) = parse_jobs(
        job(description="First para line 1\r\nline 2\r\n\r\n\r\nSecond <b>bold</b> & more\n")
    ).drafts
    assert draft.description_html == (
        "<p>First para line 1<br>line 2</p><p>Second <b>bold</b> &amp; more</p>"
    )
    assert draft.description_text == "First para line 1\nline 2\n\nSecond bold & more"


def test_2024_escaped_line_breaks_become_line_breaks() -> None:
    # 59 of the 2024 descriptions hold the two characters backslash + "n" where a line
    # break was meant (JSON-escaped twice upstream).
    raw = json.loads((DATA_DIR / FILE_2024).read_text(encoding="utf-8"))
    escaped = {str(item["id"]) for item in raw[1:] if "\\n" in (item.get("description") or "")}
    assert len(escaped) == 59
    for draft in parsed(FILE_2024).drafts:
        assert "\\n" not in draft.description_html, draft.external_id
        assert "\\n" not in draft.description_text, draft.external_id
    # Between blocks the break is insignificant whitespace; the paragraphs stay apart.
    draft = by_id(parsed(FILE_2024), "1059247")
    assert draft.external_id in escaped
    assert "#LI-DG3\n\nOur benefits:" in draft.description_text


def test_escaped_line_breaks_in_plain_text_make_lines_and_paragraphs() -> None:
    (draft,) = parse_jobs(job(description="One\\nTwo\\r\\n\\r\\nThree")).drafts
    assert draft.description_html == "<p>One<br>Two</p><p>Three</p>"
    assert draft.description_text == "One\nTwo\n\nThree"


def test_missing_description_is_empty() -> None:
    (draft,) = parse_jobs(job(description=None)).drafts
    assert (draft.description_html, draft.description_text) == ("", "")


# --------------------------------------------------------------------------- mojibake


@pytest.mark.parametrize(
    ("broken", "fixed"),
    [
        # Latin-1 flavour (C1 controls), as in the 2017 feed.
        ("DevOps \xe2\x80\x93 Wirecutter", f"DevOps {EN_DASH} Wirecutter"),
        # cp1252 flavour: E2 80 99 shown as "a-circumflex, euro, trade mark".
        ("team\xe2\u20ac\u2122s", f"team{RSQUO}s"),
        ("Florian\xc3\xb3polis", "Florian\xf3polis"),
        # Double-encoded right quote.
        ("\xc3\xa2\xe2\u201a\xac\xe2\u201e\xa2", RSQUO),
        ("\xf0\x9f\x87\xba\xf0\x9f\x87\xb8 US", "\N{REGIONAL INDICATOR SYMBOL LETTER U}"
         "\N{REGIONAL INDICATOR SYMBOL LETTER S} US"),
        ("mixed: caf\xe9 and team\xe2\u20ac\u2122s", f"mixed: caf\xe9 and team{RSQUO}s"),
        # Genuine text, including German closing quotes after capitals, is left alone.
        ("M\xfcller caf\xe9 na\xefve \u2014 \u201cquoted\u201d \xa92024",
         "M\xfcller caf\xe9 na\xefve \u2014 \u201cquoted\u201d \xa92024"),
        ("M\xdc\u201c \xd6l\u2019", "M\xdc\u201c \xd6l\u2019"),
        # Incomplete sequences (accented letter + symbol) are untouched.
        ("\xe9\xbb \xc3", "\xe9\xbb \xc3"),
        ("plain ascii", "plain ascii"),
    ],
)  # fmt: skip
def test_fix_mojibake(broken: str, fixed: str) -> None:
    assert fix_mojibake(broken) == fixed


# --------------------------------------------------------------------------- JobDraft


def test_job_draft_rejects_invalid_values() -> None:
    draft = parse_jobs(job()).drafts[0]
    with pytest.raises(ValueError, match="aware UTC"):
        dataclasses.replace(draft, posted_at=datetime(2024, 1, 1))
    with pytest.raises(ValueError, match="remote_policy"):
        dataclasses.replace(draft, remote_policy="anywhere")  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="salary_min must not exceed"):
        dataclasses.replace(draft, salary_min=10, salary_max=5, salary_currency="USD")
    with pytest.raises(ValueError, match="positive"):
        dataclasses.replace(draft, salary_min=0)
    with pytest.raises(ValueError, match="currency without a salary"):
        dataclasses.replace(draft, salary_currency="USD")
    with pytest.raises(TypeError, match="tuple"):
        dataclasses.replace(draft, tags=["a"])  # type: ignore[arg-type]
    with pytest.raises(dataclasses.FrozenInstanceError):
        draft.position = "x"  # type: ignore[misc]
