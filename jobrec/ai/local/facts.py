"""Rule-based facts from a posting's plain text: years of experience, employment type,
remote policy and salary.

The rules were written against the real RemoteOK snapshots and are deliberately
conservative: a missing fact (``None`` / ``"unknown"``) is cheap, a wrong one ends up
in filters and ranking.

Speed (this runs on every imported posting): every function lower-cases the text once
and scans it with a regex that starts with a literal (so the regex engine can jump
between candidate characters instead of trying a big alternation at every position,
which measured 5-10x slower), then judges the few hits with small anchored regexes on
short windows around them. Case-insensitive flags and leading ``\\b`` are avoided on
whole-text scans for the same reason. All four together cost ~0.15 ms per posting.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Final

from jobrec.ai.interfaces import EmploymentType, RemotePolicy

__all__ = [
    "Salary",
    "TextFacts",
    "extract_employment_type",
    "extract_remote_policy",
    "extract_salary",
    "extract_text_facts",
    "extract_years_experience",
]


def _starts_word(text: str, start: int) -> bool:
    return start == 0 or not text[start - 1].isalnum()


# --------------------------------------------------------------------------- years

_NUMBER_WORDS: Final[dict[str, int]] = {
    "zero": 0, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6,
    "seven": 7, "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12,
    "fifteen": 15, "twenty": 20,
}  # fmt: skip
_NUM: Final = r"(?:\d{1,2}(?:\.\d)?|" + "|".join(_NUMBER_WORDS) + r")"
# Found first: every "year(s)"/"yr(s)" (a literal scan, ~2 us per posting) ...
_YEAR_ANCHOR: Final = re.compile(r"y(?:ears?|rs?)\b")
# ... then the number phrase that must end right before it: "5+ ", "3-5 ", "3 to 5 ",
# "five (5) ", "10 or more ", "4-5+ ".
_YEARS_NUMBER: Final = re.compile(
    rf"(?<![\w.])(?P<a>{_NUM})(?:\s*\(\d{{1,2}}\))?\s*(?P<plus>\+|plus\s)?\s*"
    rf"(?:(?:-|–|—|to)\s*(?P<b>{_NUM})\s*(?P<plus3>\+)?\s*)?"
    r"(?P<more>or more\s+)?$"
)
_YEARS_WINDOW: Final = 30
# What makes "N years" a *requirement* and not "founded 10 years ago": the words
# right after it talk about experience ...
_YEARS_AFTER_OK: Final = re.compile(
    r"^[^.!?\n]{0,60}?\b(?:experience|exp\b|background|track record|expertise|"
    r"hands[- ]on|professional(?:ly)?|commercial|industry)"
)
_YEARS_BEFORE_OK: Final = re.compile(r"\bexperience\b[^.!?\n]{0,40}$")
# ... or the mention is phrased as a minimum ("at least", "minimum", "5+") ...
_YEARS_BEFORE_MIN: Final = re.compile(
    r"(?:at least|minimum(?: of)?|min\.?(?: of)?|no less than)\s*$"
)
# ... or it opens a requirement list item: "- 3-5 years in a full-stack role".
_YEARS_BULLET: Final = re.compile(
    r"\n[ \t]*(?:[-*•●·][ \t]*)?(?:an?\s+)?(?:minimum(?: of)?\s*|at least\s*)?$"
)
# The company or someone else talking about itself: "team with over 8 years of
# remote-first experience", "we've learned from nearly 10 years", "been hacking for
# 20 years", "after 5 years" (a sabbatical), "in 5 years", "for the past 3 years".
_YEARS_BEFORE_BAD: Final = re.compile(
    r"\b(?:for|in|after|within|past|last|next|first|every|each)\s+(?:the\s+)?"
    r"(?:past\s+|last\s+|nearly\s+|over\s+|almost\s+|about\s+|around\s+|more than\s+)?$|"
    r"\b(?:we've|we’ve|we have|company|team with|has been|have been|been)\b[^.!?\n]{0,20}$"
)
# "Bachelor's degree or 8+ years of equivalent experience" (an alternative to a
# degree), "founders with 20+ years combined experience", "21 years of age".
_YEARS_AFTER_BAD: Final = re.compile(
    r"^[^.!?\n]{0,40}\b(?:equivalent|combined|old\b|ago\b|of age\b)"
)
# Above this it is a company history ("with 30 years of experience, 6,000 workers"),
# founders' bios or a typo: every mention above 15 in the real snapshots was one.
_MAX_YEARS: Final = 15


def _number(token: str) -> float:
    word = _NUMBER_WORDS.get(token)
    return float(word) if word is not None else float(token)


def extract_years_experience(text: str) -> int | None:
    """Minimum years of experience asked for, or None.

    Several mentions ("2+ years of Linux", "1+ years of NGINX") are combined with
    ``max``: the role needs the largest of its minimums. A range counts for its
    lower bound ("3-5 years" -> 3). Fractions round down ("1.5 years" -> 1).
    """
    return _years(text.lower())


def _years(lower: str) -> int | None:
    best: int | None = None
    for anchor in _YEAR_ANCHOR.finditer(lower):
        if not _starts_word(lower, anchor.start()):
            continue
        window_start = max(0, anchor.start() - _YEARS_WINDOW)
        match = _YEARS_NUMBER.search(lower, window_start, anchor.start())
        if match is None:
            continue
        start, end = match.start(), anchor.end()
        # A leading "\n" when the slice reaches the start of the text, so that "start
        # of a line" is always spelled "\n" (a slice start is not a line start).
        before = ("\n" if start <= 40 else "") + lower[max(0, start - 40) : start]
        after = lower[end : end + 80]
        strong = bool(
            match.group("plus")
            or match.group("plus3")
            or match.group("more")
            or after.lstrip().startswith("+")
            or _YEARS_BEFORE_MIN.search(before)
            or _YEARS_BULLET.search(before)
        )
        if not (strong or _YEARS_AFTER_OK.search(after) or _YEARS_BEFORE_OK.search(before)):
            continue
        if _YEARS_BEFORE_BAD.search(before) and not _YEARS_BEFORE_MIN.search(before):
            continue
        if _YEARS_AFTER_BAD.search(after):
            continue
        value = int(_number(match.group("a")))
        if value <= _MAX_YEARS and (best is None or value > best):
            best = value
    return best


# --------------------------------------------------------------------------- employment type

# One scan per cue, each starting with a distinctive literal (the regex engine then
# searches for that literal like str.find; one alternation whose branches start with
# common letters "t", "c", "p", "i", "f" measured 4x slower). Generic words only count
# next to a job noun, so "smart contracts" and "temporary/long term solutions" do not.
_EMPLOYMENT_CUES: Final[tuple[tuple[EmploymentType, re.Pattern[str]], ...]] = (
    ("internship", re.compile(r"intern(?:ship)?s?\b")),
    ("internship", re.compile(r"trainee")),
    ("internship", re.compile(r"werkstudent|working student")),
    ("part_time", re.compile(r"part[- ]?time\b")),
    ("full_time", re.compile(r"full[- ]?time\b")),
    ("full_time", re.compile(r"permanent (?:position|role|contract)")),
    (
        "contract",
        re.compile(
            r"contract(?:ors?\b|[- ]to[- ]hire|\s*[-/]?\s*(?:position|role|basis|job|"
            r"opportunit|work|engineer|developer|gig|assignment|software))"
        ),
    ),
    ("contract", re.compile(r"\(contract\b")),
    ("contract", re.compile(r"freelanc")),
    (
        "temporary",
        re.compile(
            r"(?:temporary|temp|fixed[- ]term|seasonal) (?:position|role|job|assignment|"
            r"contract|employment|work)"
        ),
    ),
)
# "This is not a freelance gig." A negated cue is dropped.
_NEGATION: Final = re.compile(r"\b(?:not|no|isn't|isn’t)\s+(?:an?\s+)?$")
# When counts tie, the more specific arrangement wins: "full-time remote contract
# opportunity" is a contract; "work full-time as a contractor" too.
_EMPLOYMENT_PRIORITY: Final[tuple[EmploymentType, ...]] = (
    "internship",
    "contract",
    "temporary",
    "part_time",
    "full_time",
)


def _cue_counts(lower: str) -> dict[EmploymentType, int]:
    counts: dict[EmploymentType, int] = {}
    for kind, pattern in _EMPLOYMENT_CUES:
        for match in pattern.finditer(lower):
            start = match.start()
            if lower[start] != "(" and not _starts_word(lower, start):
                continue
            if _NEGATION.search(lower, max(0, start - 12), start):
                continue
            counts[kind] = counts.get(kind, 0) + 1
    return counts


def extract_employment_type(title: str, text: str) -> EmploymentType:
    """The arrangement: a cue in the title wins, else the text's most frequent cue.

    An internship needs the title or two mentions in the text (an intern posting
    often also says "full-time" for its hours; a single "interns" in the text is
    usually about someone else). Ties go to the more specific arrangement.
    """
    return _employment(title.lower(), text.lower())


def _employment(lower_title: str, lower_text: str) -> EmploymentType:
    for source, is_title in ((lower_title, True), (lower_text, False)):
        counts = _cue_counts(source)
        if not counts:
            continue
        if counts.get("internship", 0) >= (1 if is_title else 2):
            return "internship"
        counts.pop("internship", None)
        if not counts:
            continue
        top = max(counts.values())
        for kind in _EMPLOYMENT_PRIORITY:
            if counts.get(kind) == top:
                return kind
    return "unknown"


# --------------------------------------------------------------------------- remote policy

# As for employment types: one literal-first scan per cue.
_HYBRID_RE: Final = re.compile(r"hybrid\b")
_PART_REMOTE_RE: Final = re.compile(r"part(?:ially)?[- ]remote\b")
_REMOTE_CUES: Final[tuple[re.Pattern[str], ...]] = (
    re.compile(r"remote"),
    re.compile(r"work(?:ing)? from (?:home|anywhere)\b"),
    re.compile(r"wfh\b"),
    re.compile(r"telecommut"),
    re.compile(r"distributed team"),
    re.compile(r"home[- ]based\b"),
    re.compile(r"anywhere in the world"),
)
# "This is not a remote position", "no remote work", "remote is not possible" -- but
# not "a remote team but not remote from each other".
_NOT_REMOTE_RE: Final = re.compile(
    r"(?:not|no|non)[- ](?:an? |open to |a fully |fully )?remote(?:[- ](?:position|role|job|"
    r"opportunit\w*|work|candidates|option\w*|possible)\b|\s*[.,;)]|$)|"
    r"remote (?:work )?(?:is not|isn't|isn’t) (?:possible|available|an option)"
)
_ONSITE_RE: Final = re.compile(r"on[- ]?site\b")
_OFFICE_RE: Final = re.compile(r"office\b")
_HYBRID_AFTER: Final = re.compile(
    r"[- ](?:remote|work(?:ing)?|model|role|position|schedule|arrangement|set[- ]?up|"
    r"environment|policy|job|opportunity|office)\b"
)
_HYBRID_BEFORE: Final = re.compile(r"\b(?:is|a|this|be|fully|partly|or)\s+$")
_NOT_HYBRID_WORK: Final = re.compile(
    r"[- /](?:cloud|apps?|mobile|html|applications?|saas|native|infrastructure|"
    r"environments?)\b"
)
# "an on-site role", "on-site in our Austin office", "this job is on-site." -- but not
# "on-site lunches", "an on-site interview".
_ONSITE_AFTER: Final = re.compile(r"[ ,]+(?:role|position|job|work|only|in|at|from|based)\b")
_ONSITE_BEFORE: Final = re.compile(r"\b(?:is|be|fully|100%|full[- ]time,?)\s+$")
_CLAUSE_END: Final = re.compile(r"\s*(?:[.,;:!)]|$)")
_OFFICE_BEFORE: Final = re.compile(
    r"\b(?:must|required to|need to|expected to)\s+(?:be\s+)?(?:work\s+)?(?:from|in|at)\s+"
    r"(?:our|the)\s+(?:\w+\s+){0,2}$|"
    r"\bwork(?:ing)? from (?:our|the) (?:\w+\s+){0,2}$|"
    r"\bin[- ]$"
)
_DAYS_IN_OFFICE: Final = re.compile(
    r"\b(?:\d|one|two|three|four) days? (?:a|per|each) week (?:in|at|from) (?:the|our) $"
)


def _is_hybrid(lower: str) -> bool:
    if _PART_REMOTE_RE.search(lower):
        return True
    for match in _HYBRID_RE.finditer(lower):
        start, end = match.start(), match.end()
        if not _starts_word(lower, start) or _NOT_HYBRID_WORK.match(lower, end):
            continue  # "hybrid cloud", "hybrid apps"
        if _HYBRID_AFTER.match(lower, end) or _HYBRID_BEFORE.search(
            lower, max(0, start - 12), start
        ):
            return True
    return any(
        _DAYS_IN_OFFICE.search(lower, max(0, m.start() - 40), m.start())
        for m in _OFFICE_RE.finditer(lower)
    )


def _is_onsite(lower: str) -> bool:
    for match in _ONSITE_RE.finditer(lower):
        start, end = match.start(), match.end()
        if _starts_word(lower, start) and (
            _ONSITE_AFTER.match(lower, end)
            or (
                _ONSITE_BEFORE.search(lower, max(0, start - 16), start)
                and _CLAUSE_END.match(lower, end)
            )
        ):
            return True
    for match in _OFFICE_RE.finditer(lower):
        start = match.start()
        if _OFFICE_BEFORE.search(lower, max(0, start - 60), start) and _re_role_after(
            lower, match.end()
        ):
            return True
    return False


def _re_role_after(lower: str, end: int) -> bool:
    # "in-office role", "must work from our Berlin office" (end of clause), but not
    # "in office hours" or "in office supplies".
    follow = lower[end : end + 12]
    return not follow.startswith((" hours", " supplies", " space", " equipment", " manager"))


def extract_remote_policy(title: str, text: str) -> RemotePolicy:
    """``hybrid`` on an explicit hybrid-work cue, else ``remote`` on a remote cue (unless
    negated), else ``onsite`` on an office-only cue, else ``unknown``.

    Remote beats on-site when both appear ("can be 100% remote or onsite in our office"):
    a posting that allows remote work is open to remote candidates. "Not remote" (and
    the like) makes it on-site.
    """
    return _remote(f"{title}\n{text}".lower())


def _remote(lower: str) -> RemotePolicy:
    if _is_hybrid(lower):
        return "hybrid"
    if _NOT_REMOTE_RE.search(lower):
        return "onsite"
    for pattern in _REMOTE_CUES:
        for match in pattern.finditer(lower):
            if _starts_word(lower, match.start()):
                return "remote"
    if _is_onsite(lower):
        return "onsite"
    return "unknown"


# --------------------------------------------------------------------------- salary


@dataclass(frozen=True, slots=True)
class Salary:
    """A yearly salary (full-time equivalent) in whole currency units."""

    minimum: int | None
    maximum: int | None
    currency: str | None  # None: the text states no currency ("Salary: 100k-120k")


_SYMBOLS: Final[dict[str, str]] = {
    "us$": "USD", "usd$": "USD", "$": "USD", "a$": "AUD", "au$": "AUD", "c$": "CAD",
    "ca$": "CAD", "nz$": "NZD", "s$": "SGD", "r$": "BRL", "€": "EUR", "£": "GBP",
    "₹": "INR", "¥": "JPY",
}  # fmt: skip
# (minimum, maximum) plausible *yearly* amounts per currency; anything outside is a
# typo, a budget, a revenue figure or a rate we misread, and is dropped. The upper
# bounds also keep every value inside JobFacts' 10,000,000 limit.
_YEARLY_BOUNDS: Final[dict[str, tuple[int, int]]] = {
    "USD": (10_000, 1_000_000), "EUR": (10_000, 1_000_000), "GBP": (10_000, 1_000_000),
    "CAD": (10_000, 1_000_000), "AUD": (10_000, 1_000_000), "NZD": (10_000, 1_000_000),
    "CHF": (10_000, 1_000_000), "SGD": (10_000, 1_000_000), "BRL": (18_000, 5_000_000),
    "PLN": (18_000, 5_000_000), "SEK": (100_000, 10_000_000), "NOK": (100_000, 10_000_000),
    "DKK": (100_000, 10_000_000), "INR": (100_000, 10_000_000), "JPY": (1_000_000, 10_000_000),
}  # fmt: skip
_CODES: Final = "|".join(code.lower() for code in _YEARLY_BOUNDS)
_SYMBOL_RE: Final = r"(?:us\$|usd\$|au\$|a\$|ca\$|c\$|nz\$|s\$|r\$|[$€£₹¥])"
# Cheap gate: most postings state no pay at all and are done after these substring
# tests (~5 us; a regex over the same marks measured ~50 us, since the text is often
# non-ASCII). Only the three most common ISO codes are tested, in capitals ("eur" is
# in "Europe"); a salary in another currency is stated with a pay word anyway.
_SALARY_GATE: Final[tuple[str, ...]] = (
    "$", "€", "£", "₹", "¥", "USD", "EUR", "GBP", "alary", "alaries", "ompensation",
)  # fmt: skip
# 120,000 / 60.000 / 90,000.00 / 100'000 / 120 / 120.5 (a "k" may follow).
_AMOUNT: Final = r"\d{1,3}(?:[,.'\u00a0\u202f]\d{3})+(?:[.,]\d{1,2})?|\d+(?:[.,]\d+)?"
_NUMBER_START: Final = re.compile(r"\d[\d,.'\u00a0\u202f]*")
# A currency written right before an amount ("$", "USD ", "us$").
_CURRENCY_BEFORE: Final = re.compile(rf"(?:{_SYMBOL_RE}|\b(?:{_CODES}))\s?$")
# One side of a range: a currency before and/or after the number.
_SIDE: Final = (
    rf"(?P<{{p}}cur1>{_SYMBOL_RE}|\b(?:{_CODES})\s?)?"
    rf"(?P<{{p}}num>{_AMOUNT})\s?(?P<{{p}}k>k\b|thousand\b)?"
    rf"(?P<{{p}}mult>\s?(?:mm?\b|bn\b|b\b|million|billion|trillion))?"
    rf"(?:\s?(?P<{{p}}cur2>\b(?:{_CODES})\b|€))?"
)
_SALARY_RE: Final = re.compile(
    _SIDE.replace("{p}", "a") + r"(?:\s*(?:-|–|—|to|and)\s*" + _SIDE.replace("{p}", "b") + ")?",
)
_PERIODS: Final[tuple[tuple[int, re.Pattern[str]], ...]] = (
    (2080, re.compile(r"(?:/|per|an|a|p)\s*(?:hour|hr|h)\b|hourly\b")),
    (260, re.compile(r"(?:/|per|a|p)\s*day\b|daily\b")),
    (52, re.compile(r"(?:/|per|a|p)\s*(?:week|wk)\b|weekly\b")),
    (12, re.compile(r"(?:/|per|a|p)\s*(?:month|mo|mth)\b|monthly\b|pcm\b")),
    (
        1,
        re.compile(
            r"(?:/|per|a|p)\s*(?:year|yr|annum)\b|yearly\b|annually\b|annual\b|p\.?a\.?(?!\w)"
        ),
    ),
)
_AFTER_SKIP: Final = re.compile(
    r"\s*(?:\([^)]{0,40}\)\s*)?(?:(?:gross|net|brutto|base|salary|before tax|usd|eur|gbp)\s*)*"
)
_RATE_BEFORE: Final = re.compile(r"\b(?:hourly|per hour)\b[^.\n]{0,25}$")
_MONTH_BEFORE: Final = re.compile(r"\bmonthly\b[^.\n]{0,25}$")
_DAY_BEFORE: Final = re.compile(r"\b(?:day rate|daily rate)\b[^.\n]{0,25}$")
# A single amount needs one of these right before it (a range needs none) ...
_SALARY_WORDS: Final = re.compile(
    r"\b(?:salary|salaries|compensation|pay|paid|pays|earn|earning|wage|rate|base|ote|"
    r"package|starting|range|income|remuneration|comp|up to|from)\b[^.\n]{0,30}$"
)
# ... and an amount without any currency needs one of these ("Salary: 100k-120k";
# not "customer base from 25 Thousand").
_STRONG_PAY_WORDS: Final = re.compile(
    r"\b(?:salary|salaries|compensation|pay|wage|remuneration|ote)\b[^.\n]{0,30}$"
)
# Money that is not pay: "budget of $1,000", "$2,500 signing bonus", "raised $3.7M",
# "a $20B market", "life insurance policy, $100K", "$50/month internet allowance".
_NOT_PAY: Final = re.compile(
    r"\b(?:budget|bonus|allowance|reimburse\w*|stipend|revenue|raised|funding|valuation|"
    r"market|industry|insurance|donations?|equipment|worth|signing|credit|debt|grant|"
    r"prize|invest\w*|gift|fees?|cost|spend|savings?|401k|referral|sales|"
    r"run rate|arr|mrr|policy|per account|users|customers|members|funds?|products)\b"
)
_UP_TO: Final = re.compile(r"\bup to\s*$")
_FROM: Final = re.compile(r"\b(?:from|starting at|at least|minimum(?: of)?)\s*:?\s*$")
_THOUSANDS: Final = re.compile(r"\d{1,3}(?:[,.]\d{3})+(?:[.,]\d{1,2})?")


def _parse_amount(number: str, thousands: bool) -> float | None:
    digits = number.replace("\u00a0", "").replace("\u202f", "").replace("'", "")
    if _THOUSANDS.fullmatch(digits):
        # Thousand separators ("120,000", "60.000"), maybe with cents ("90,000.00").
        groups = re.split(r"[,.]", digits)
        if len(groups[-1]) != 3:
            groups = groups[:-1]  # drop the cents
        value = float("".join(groups))
    else:
        try:
            value = float(digits.replace(",", "."))
        except ValueError:
            return None
    return value * 1000 if thousands else value


def _currency(*parts: str | None) -> str | None:
    for part in parts:
        if not part:
            continue
        key = part.strip()
        code = _SYMBOLS.get(key)
        if code:
            return code
        if key.upper() in _YEARLY_BOUNDS:
            return key.upper()
    return None


def _period_factor(lower: str, start: int, end: int) -> int | None:
    """Multiplier to a yearly amount from the words around an amount; None if unstated."""
    after = lower[end : end + 60]
    skipped = _AFTER_SKIP.match(after)
    if skipped is not None:
        after = after[skipped.end() :]
    for factor, pattern in _PERIODS:
        if pattern.match(after):
            return factor
    before = lower[max(0, start - 40) : start]
    if _RATE_BEFORE.search(before):
        return 2080
    if _DAY_BEFORE.search(before):
        return 260
    if _MONTH_BEFORE.search(before):
        return 12
    return None


def _words_after(lower: str, end: int) -> str:
    """The words right after an amount, up to "+", "plus" or a comma: "$2,500 signing
    bonus" is a bonus, "$120k + bonus" is a salary."""
    after = lower[end : end + 30]
    for stop in ("+", " plus ", ",", ";", "("):
        cut = after.find(stop)
        if cut >= 0:
            after = after[:cut]
    return after


def _judge(lower: str, match: re.Match[str]) -> Salary | None:
    """The salary stated by one amount/range match, or None if it is not pay."""
    groups = match.groupdict()
    if groups["amult"] or groups["bmult"]:
        return None  # "$3.7M", "$20B": revenue, funding, market sizes
    start, end = match.start(), match.end()
    before = lower[max(0, start - 40) : start]
    if groups["anum"] == "401" and (groups["ak"] or lower.startswith("(k", end)):
        return None  # a 401(k) retirement plan
    currency = _currency(groups["acur1"], groups["acur2"], groups["bcur1"], groups["bcur2"])
    if currency is None and not _STRONG_PAY_WORDS.search(before):
        return None  # a bare number is pay only right after a pay word
    if _NOT_PAY.search(before[-25:]) or _NOT_PAY.search(_words_after(lower, end)):
        return None
    is_range = groups["bnum"] is not None
    low = _parse_amount(groups["anum"], bool(groups["ak"]))
    high = _parse_amount(groups["bnum"], bool(groups["bk"])) if is_range else None
    if low is None or (is_range and high is None):
        return None
    if high is not None:
        # "£60–80k" / "$120 - $140K": the k is written once for both sides.
        if groups["bk"] and not groups["ak"] and low < 1000:
            low *= 1000
        if groups["ak"] and not groups["bk"] and high < 1000:
            high *= 1000
    factor = _period_factor(lower, start, end)
    if not is_range and factor is None and not _SALARY_WORDS.search(before):
        return None
    # No period stated: a yearly figure. Small unlabelled numbers ("$25-30") then fail
    # the yearly bounds below and are dropped rather than guessed to be hourly.
    factor = factor or 1
    lo_year = round(low * factor)
    hi_year = round(high * factor) if high is not None else None
    floor, ceiling = _YEARLY_BOUNDS[currency or "USD"]
    if not all(floor <= v <= ceiling for v in (lo_year, hi_year) if v is not None):
        return None
    if hi_year is None:
        if _UP_TO.search(before):
            return Salary(minimum=None, maximum=lo_year, currency=currency)
        if _FROM.search(before):
            return Salary(minimum=lo_year, maximum=None, currency=currency)
        return Salary(minimum=lo_year, maximum=lo_year, currency=currency)
    return Salary(minimum=min(lo_year, hi_year), maximum=max(lo_year, hi_year), currency=currency)


def extract_salary(text: str) -> Salary | None:
    """The first plausible pay statement, as a yearly full-time-equivalent range.

    * A currency symbol or ISO code (either side of a range) is needed, except right
      after a pay word ("Salary range is 100k-120k"): then the currency is None.
    * Ranges are accepted anywhere; a single amount only after a pay word
      ("Salary:", "we will pay you", "up to") or with an explicit period ("/year").
    * "£60–80k", "$120 - $140K": a "k" on one side applies to a bare small number on
      the other side. "60.000" and "60,000" are both sixty thousand.
    * Hourly, daily, weekly and monthly amounts are converted to yearly full-time
      equivalents (x2080, x260, x52, x12): every consumer compares yearly figures,
      and a full-time equivalent keeps hourly contracts comparable with salaries.
    * Amounts with M/B/million suffixes, next to non-pay words (budget, bonus,
      revenue, insurance...), or outside the per-currency yearly bounds are dropped,
      so the result always passes JobFacts validation.
    * "up to X" gives only a maximum, "from X" only a minimum; any other single
      amount is both bounds.
    """
    return _salary(text, text.lower())


def _salary(text: str, lower: str) -> Salary | None:
    if not any(mark in text for mark in _SALARY_GATE):
        return None
    done = 0
    for number in _NUMBER_START.finditer(lower):
        start = number.start()
        if start < done or (start and (lower[start - 1].isalnum() or lower[start - 1] in ",.")):
            continue  # inside an amount already judged, or the middle of a token
        currency = _CURRENCY_BEFORE.search(lower, max(0, start - 6), start)
        match = _SALARY_RE.match(lower, currency.start() if currency else start)
        if match is None:
            continue
        done = match.end()
        if not (
            match.group("acur1")
            or match.group("acur2")
            or match.group("bcur1")
            or match.group("bcur2")
            or match.group("ak")
            or match.group("bk")
            or len(match.group("anum")) >= 5
        ):
            continue  # "5 years", "2-3 events": no currency, no "k", not 5+ digits
        salary = _judge(lower, match)
        if salary is not None:
            return salary
    return None


# --------------------------------------------------------------------------- all at once


@dataclass(frozen=True, slots=True)
class TextFacts:
    years_experience: int | None
    employment_type: EmploymentType
    remote_policy: RemotePolicy
    salary: Salary | None


def extract_text_facts(title: str, text: str) -> TextFacts:
    """All four facts, lower-casing title and text once (what the extractor uses)."""
    lower_title = title.lower()
    lower_text = text.lower()
    return TextFacts(
        years_experience=_years(lower_text),
        employment_type=_employment(lower_title, lower_text),
        remote_policy=_remote(f"{lower_title}\n{lower_text}"),
        salary=_salary(text, lower_text),
    )
