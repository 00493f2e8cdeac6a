"""Find canonical skills in free text (job descriptions, resumes) and map tags to skills.

Pure Python and dependency-free on purpose: the matcher runs inside Django views,
Celery workers and offline benchmarks alike, so it must not import Django.

How it works, and why:

* The taxonomy is data (``skills.toml``).  This module knows the *kinds* of rules,
  never individual skills, so adding a skill never means touching code.
* Text is tokenised once with a single ``re.split`` (C speed).  A token is a run of
  letters/digits, optionally with a trailing ``++``, ``#`` or ``+`` (``C++``, ``C#``)
  or a leading dot when it starts a word (``.NET``).  Everything between two tokens
  is a *gap*.  A gap is either a *joiner* (a space, ``.``, ``-``, ``/``, ``&`` or an
  apostrophe, so ``Node.js``, ``CI/CD``, ``A/B testing`` and ``R&D`` stay one phrase)
  or a *break* (comma, bracket, sentence punctuation...) that no phrase crosses.
* Every name and alias is normalised the same way into a key such as ``"node.js"``
  or ``"a/b testing"``.  Matching is a dict lookup of n-grams that start at tokens
  known to begin some key (one set-membership test per token), leftmost-longest,
  so ``React Native`` wins over ``React`` and ``JavaScript`` is never ``Java``.
  There is no per-skill regex loop; cost is linear in the text.
* Ambiguous forms ("Go", "R", "C", "React", "Excel", "Sales"...) are *guarded*:
  the TOML says which spellings are accepted (case rules), which surrounding
  phrases disqualify them (``stop_phrases``: "go to market", "R&D") and what counts
  as context (a cue word right before/after, another skill of a given category
  within a few tokens, or repeated mentions).  See ``skills.toml`` for the field
  reference.
"""

from __future__ import annotations

import functools
import re
import tomllib
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from itertools import compress
from pathlib import Path
from typing import Final

__all__ = [
    "CATEGORIES",
    "Skill",
    "SkillMatch",
    "SkillMatcher",
    "TaxonomyError",
    "default_matcher",
]

CATEGORIES: Final[tuple[str, ...]] = (
    "engineering",
    "data",
    "design",
    "product",
    "marketing",
    "sales",
    "support",
    "finance",
    "operations",
    "healthcare",
    "education",
    "soft",
)

# A guarded mention is confirmed by another skill at most this many tokens away
# ("R, Python" -> 0 tokens between; "SAS, Stata or R" -> 1; "Python, SQL, and R" -> 2).
CONTEXT_WINDOW: Final = 3

DEFAULT_TOML: Final = Path(__file__).with_name("skills.toml")

# One capturing group, so re.split() returns [gap, token, gap, token, ..., gap]
# and the pieces tile the text exactly (offsets are cumulative lengths).
# - ``[^\W_]+``: letters and digits of any script, no underscore.
# - an optional leading dot: ".NET" is one token, and "node.js" becomes "node" +
#   ".js" with an empty gap, so its key is still "node.js" (names and aliases are
#   tokenised the same way, so keys always agree).
# - a trailing "++" or "#": "C++", "C#", "F#" (but "PHP+Mongo" stays two tokens).
# Deliberately simple: this is the hottest line, and lookarounds made it ~40% slower.
_TOKEN_RE: Final = re.compile(r"(\.?[^\W_]+(?:\+\+|#)?)")

# UTF-8 text that was decoded as Latin-1 (the 2017 RemoteOK dump is full of it:
# "\xe2\x80\x99" instead of an apostrophe).  The lead byte decodes to a *letter*
# ("\xe2"), which would glue itself to the previous word ("Go\xe2\x80\x99s"), so
# these sequences are blanked with spaces of the same length (offsets survive).
# Continuation characters are the Latin-1 range plus the cp1252 punctuation the same
# bytes become when the text was decoded as cp1252 instead ("\xe2\u20ac\u2122").
# One character class keeps this at ~20 us per 5 kB.
_MOJIBAKE_RE: Final = re.compile(
    "[\xc2-\xf4][\x80-\xbf\u0152\u0153\u0160\u0161\u0178\u017d\u017e\u0192\u02c6\u02dc"
    "\u2013\u2014\u2018-\u201e\u2020-\u2022\u2026\u2030\u2039\u203a\u20ac\u2122]+"
)
# URLs and e-mail addresses name things ("sales@...", "github.com/golang/...")
# without being skill mentions.  E-mails are found from their "@domain.tld" part and
# widened to the left by hand: a regex starting at the local part is tried at every
# character and backtracks (that alone cost 0.3 ms per 5 kB).
_URL_RE: Final = re.compile(r"(?:https?://|www\.)\S+")
_EMAIL_DOMAIN_RE: Final = re.compile(r"@[\w-]+(?:\.[\w-]+)+")
_EMAIL_LOCAL: Final = frozenset("._+-")
# A dot-word glued to a preceding word ("credential.net") is normally a domain and
# may not start a match; "Foo.js" however names a JavaScript library.
_GLUED_MATCHES: Final = frozenset({".js"})

# Gap -> joiner.  Hyphen and space are equivalent ("front-end" == "front end").
# "." and apostrophes join only without spaces (". " ends a sentence); "/" and "&"
# may be spaced ("CI / CD", "R & D").  Anything else breaks a phrase.
_JOINERS: Final[dict[str, str | None]] = {
    " ": " ",
    "": "",
    ".": ".",
    "-": " ",
    "\u2010": " ",
    "\u2011": " ",
    "/": "/",
    "&": "&",
    "'": "'",
    "\u2019": "'",
    ", ": None,
    ",": None,
    "\n": " ",
}
_JOINER_CACHE_LIMIT: Final = 4096
_NOT_CACHED: Final = "\0"

# Characters that end a sentence, a heading or start a list item: a capitalised
# "Go"/"Swift"/"Excel" right after one of these carries no case information.
_SENTENCE_END: Final = frozenset(".!?:;\u2022*\u00b7>")

_CASE_MODES: Final = ("any", "exact", "context")

# extract(skip_team_names=True): "<discipline> team/department" is a department when the
# discipline is a business function (engineering and data names stay: "our Python team";
# so do product methods: "an agile development team" works in Agile).
_TEAM_WORDS: Final = frozenset({"team", "teams", "department", "departments", "dept"})
_TEAM_ROLES: Final = frozenset(
    {
        "lead", "leader", "leaders", "leads", "manager", "managers", "member", "members",
        "captain", "coordinator", "supervisor", "head",
    }
)  # fmt: skip
_DEPARTMENT_CATEGORIES: Final = frozenset(
    {"marketing", "sales", "support", "operations", "finance", "design"}
)

# Words that users append to a skill when typing or tagging it ("golang developer",
# "node dev", "machine learning engineer"); canonicalize() retries without them.
_TRAILING_NOISE: Final = frozenset(
    {
        "dev",
        "devs",
        "developer",
        "developers",
        "development",
        "engineer",
        "engineers",
        "engineering",
        "programmer",
        "programming",
        "language",
        "framework",
        "skills",
        "skill",
        "experience",
        "expert",
        "specialist",
    }
)

_SKILL_FIELDS: Final = frozenset(
    {
        "name",
        "category",
        "aliases",
        "guarded",
        "case",
        "needs_context",
        "context_before",
        "context_after",
        "context_near",
        "context_repeat",
        "context_anywhere",
        "stop_phrases",
        "implies",
    }
)


class TaxonomyError(ValueError):
    """The taxonomy data is malformed (duplicate alias, unknown field, ...)."""


@dataclass(frozen=True)
class Skill:
    """A canonical skill.  ``aliases`` excludes the name itself."""

    name: str
    category: str
    aliases: tuple[str, ...]


@dataclass(frozen=True)
class SkillMatch:
    """A skill found in a text: how often, and the character offset of the first mention."""

    name: str
    count: int
    first_offset: int


@dataclass(frozen=True, slots=True)
class _Rule:
    """Checks for one guarded form of one skill (compiled from the TOML fields)."""

    surfaces: frozenset[str]  # accepted exact spellings when case != "any"
    case: str
    needs_context: bool
    before: frozenset[str]
    after: frozenset[str]
    near: frozenset[str]
    repeat: int
    anywhere: frozenset[str]  # categories: a confirmed skill of one anywhere is context
    # (index of the form's first token inside the stop phrase, phrase length, phrase key)
    stops: tuple[tuple[int, int, str], ...]


# --------------------------------------------------------------------------- text helpers


def _blank(match: re.Match[str]) -> str:
    return " " * (match.end() - match.start())


def _blank_emails(text: str) -> str:
    pieces: list[str] = []
    done = 0
    for match in _EMAIL_DOMAIN_RE.finditer(text):
        start = match.start()
        while start > done and (text[start - 1].isalnum() or text[start - 1] in _EMAIL_LOCAL):
            start -= 1
        pieces.append(text[done:start])
        pieces.append(" " * (match.end() - start))
        done = match.end()
    if not pieces:
        return text
    pieces.append(text[done:])
    return "".join(pieces)


def _clean(text: str) -> str:
    """Blank out mojibake, URLs and e-mails without changing the length of the text."""
    if not text.isascii():
        text = _MOJIBAKE_RE.sub(_blank, text)
    if "://" in text or "www." in text:
        text = _URL_RE.sub(_blank, text)
    if "@" in text:
        text = _blank_emails(text)
    return text


def _lower(text: str) -> str:
    """Lower-case without changing the length (offsets map 1:1 onto the input)."""
    lowered = text.lower()
    if len(lowered) == len(text):
        return lowered
    # A handful of characters (e.g. U+0130) lower-case to two code points; keep them.
    return "".join(ch.lower() if len(ch.lower()) == 1 else ch for ch in text)


def _joiner(gap: str) -> str | None:
    """Normalise the text between two tokens; None means the phrase is broken."""
    found = _JOINERS.get(gap, _NOT_CACHED)
    if found != _NOT_CACHED:
        return found
    result: str | None
    if gap.isspace():
        result = " "
    else:
        core = gap.strip()
        result = core if core in ("/", "&") else None
    if len(_JOINERS) < _JOINER_CACHE_LIMIT:
        _JOINERS[gap] = result
    return result


def _phrase_tokens(phrase: str) -> tuple[list[str], list[str]] | None:
    """Tokens and the joiners between them, or None if a break splits the phrase.

    Leading and trailing punctuation is ignored ("C++," -> ["c++"]).
    """
    parts = _TOKEN_RE.split(_lower(phrase))
    tokens = parts[1::2]
    if not tokens:
        return None
    joiners: list[str] = []
    for gap in parts[2:-1:2]:
        joined = _joiner(gap)
        if joined is None:
            return None
        joiners.append(joined)
    return tokens, joiners


def _join(tokens: Sequence[str], joiners: Sequence[str]) -> str:
    key = tokens[0]
    for joined, token in zip(joiners, tokens[1:], strict=False):
        key = f"{key}{joined}{token}"
    return key


def _phrase_key(phrase: str) -> tuple[str, tuple[str, ...]] | None:
    split = _phrase_tokens(phrase)
    if split is None:
        return None
    tokens, joiners = split
    return _join(tokens, joiners), tuple(tokens)


def _span_key(tokens: Sequence[str], gaps: Sequence[str], start: int, length: int) -> str | None:
    """Key of ``length`` text tokens from ``start`` (gaps[k] precedes tokens[k])."""
    key = tokens[start]
    for k in range(start + 1, start + length):
        joined = _joiner(gaps[k])
        if joined is None:
            return None
        key = f"{key}{joined}{tokens[k]}"
    return key


def _at_sentence_start(gaps: Sequence[str], index: int) -> bool:
    if index == 0:
        return True
    gap = gaps[index]
    if "\n" in gap:
        return True
    gap = gap.rstrip()
    return bool(gap) and gap[-1] in _SENTENCE_END


def _starts_line(gaps: Sequence[str], index: int) -> bool:
    """Whether tokens[index] is the first word of a line (or of the text)."""
    return index == 0 or "\n" in gaps[index]


def _compact(key: str) -> str:
    return key.replace(" ", "").replace(".", "").replace("/", "")


# --------------------------------------------------------------------------- loading


def _str_list(entry: Mapping[str, object], field: str, where: str) -> list[str]:
    value = entry.get(field, [])
    if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value):
        raise TaxonomyError(f"{where}: {field!r} must be a list of non-empty strings")
    return [str(v) for v in value]


def _single_tokens(words: Iterable[str], field: str, where: str) -> frozenset[str]:
    out: set[str] = set()
    for word in words:
        parsed = _phrase_key(word)
        if parsed is None or len(parsed[1]) != 1:
            raise TaxonomyError(f"{where}: {field} entry {word!r} must be a single word")
        out.add(parsed[0])
    return frozenset(out)


@dataclass(slots=True)
class _Parsed:
    skill: Skill
    forms: dict[str, tuple[str, ...]]  # key -> tokens, for name and aliases
    guarded: dict[str, set[str]]  # key -> accepted spellings
    options: Mapping[str, object]
    implies: list[str]


def _parse_entry(entry: Mapping[str, object], position: int) -> _Parsed:
    where = f"skill #{position}"
    unknown = set(entry) - _SKILL_FIELDS
    if unknown:
        raise TaxonomyError(f"{where}: unknown field(s) {sorted(unknown)}")
    name = entry.get("name")
    if not isinstance(name, str) or not name.strip():
        raise TaxonomyError(f"{where}: 'name' must be a non-empty string")
    where = f"skill {name!r}"
    category = entry.get("category")
    if category not in CATEGORIES:
        raise TaxonomyError(f"{where}: category {category!r} is not one of {CATEGORIES}")
    aliases = _str_list(entry, "aliases", where)

    forms: dict[str, tuple[str, ...]] = {}
    for form in (name, *aliases):
        parsed = _phrase_key(form)
        if parsed is None:
            raise TaxonomyError(f"{where}: {form!r} contains punctuation that breaks a phrase")
        if parsed[0] in forms:
            raise TaxonomyError(f"{where}: {form!r} duplicates another form of the same skill")
        forms[parsed[0]] = parsed[1]

    guarded: dict[str, set[str]] = {}
    for spelling in _str_list(entry, "guarded", where):
        parsed = _phrase_key(spelling)
        if parsed is None or parsed[0] not in forms:
            raise TaxonomyError(f"{where}: guarded {spelling!r} is not its name or an alias")
        guarded.setdefault(parsed[0], set()).add(spelling.strip())

    if not guarded and set(entry) - {"name", "category", "aliases", "implies"}:
        raise TaxonomyError(f"{where}: rule fields need a non-empty 'guarded' list")
    implies = _str_list(entry, "implies", where)
    skill = Skill(name=name.strip(), category=str(category), aliases=tuple(aliases))
    return _Parsed(skill=skill, forms=forms, guarded=guarded, options=entry, implies=implies)


def _compile_rules(parsed: _Parsed) -> dict[str, _Rule]:
    """One _Rule per guarded form key."""
    entry = parsed.options
    where = f"skill {parsed.skill.name!r}"
    case = entry.get("case", "any")
    if case not in _CASE_MODES:
        raise TaxonomyError(f"{where}: case must be one of {_CASE_MODES}")
    needs_context = entry.get("needs_context", False)
    repeat = entry.get("context_repeat", 0)
    if not isinstance(needs_context, bool):
        raise TaxonomyError(f"{where}: needs_context must be true or false")
    if not isinstance(repeat, int) or isinstance(repeat, bool) or repeat < 0:
        raise TaxonomyError(f"{where}: context_repeat must be a non-negative integer")
    near = _str_list(entry, "context_near", where) if "context_near" in entry else []
    if "context_near" not in entry:
        near = [parsed.skill.category]
    bad = set(near) - set(CATEGORIES)
    if bad:
        raise TaxonomyError(f"{where}: unknown context_near categories {sorted(bad)}")
    anywhere = _str_list(entry, "context_anywhere", where)
    bad = set(anywhere) - set(CATEGORIES)
    if bad:
        raise TaxonomyError(f"{where}: unknown context_anywhere categories {sorted(bad)}")
    before = _single_tokens(_str_list(entry, "context_before", where), "context_before", where)
    after = _single_tokens(_str_list(entry, "context_after", where), "context_after", where)

    stops_by_form: dict[str, list[tuple[int, int, str]]] = {key: [] for key in parsed.guarded}
    for phrase in _str_list(entry, "stop_phrases", where):
        parsed_stop = _phrase_key(phrase)
        if parsed_stop is None:
            raise TaxonomyError(f"{where}: stop phrase {phrase!r} contains a break")
        stop_key, stop_tokens = parsed_stop
        used = False
        for form_key in parsed.guarded:
            form_tokens = parsed.forms[form_key]
            width = len(form_tokens)
            for offset in range(len(stop_tokens) - width + 1):
                if stop_tokens[offset : offset + width] == form_tokens:
                    stops_by_form[form_key].append((offset, len(stop_tokens), stop_key))
                    used = True
                    break
        if not used:
            raise TaxonomyError(f"{where}: stop phrase {phrase!r} contains no guarded form")

    rules: dict[str, _Rule] = {}
    for form_key, spellings in parsed.guarded.items():
        if case != "any" and len(parsed.forms[form_key]) != 1:
            raise TaxonomyError(f"{where}: case rules need single-word guarded forms")
        rules[form_key] = _Rule(
            surfaces=frozenset(spellings),
            case=str(case),
            needs_context=needs_context,
            before=before,
            after=after,
            near=frozenset(near),
            repeat=repeat,
            anywhere=frozenset(anywhere),
            stops=tuple(stops_by_form[form_key]),
        )
    return rules


# --------------------------------------------------------------------------- matcher


class SkillMatcher:
    """Extracts canonical skills from text and canonicalises single terms.

    Build one with :meth:`from_toml` (or use :func:`default_matcher`); instances are
    immutable after construction and safe to share between threads.
    """

    __slots__ = (
        "_by_lower_name",
        "_by_name",
        "_categories",
        "_compact",
        "_expand",
        "_first",
        "_forms",
        "_phrases",
        "_seconds",
        "_skills",
    )

    def __init__(self, entries: Iterable[Mapping[str, object]]) -> None:
        parsed = [_parse_entry(entry, pos) for pos, entry in enumerate(entries, 1)]
        skills = tuple(p.skill for p in parsed)
        self._skills: tuple[Skill, ...] = skills
        self._categories: tuple[str, ...] = tuple(s.category for s in skills)
        self._by_name: dict[str, int] = {}
        self._by_lower_name: dict[str, int] = {}
        # key -> (skill index, rule or None); the hot-path dict.
        self._phrases: dict[str, tuple[int, _Rule | None]] = {}
        # key -> skill index, for canonicalize() (guards do not apply to a bare term).
        self._forms: dict[str, int] = {}
        # first token -> longest key (in tokens) starting with it.
        self._first: dict[str, int] = {}
        # first token -> second tokens of its multi-word keys: most candidate starts
        # ("a", "team", "customer") are rejected by this one set lookup.
        seconds: dict[str, set[str]] = {}

        owner: dict[str, str] = {}
        for index, item in enumerate(parsed):
            lowered = item.skill.name.lower()
            if lowered in self._by_lower_name:
                raise TaxonomyError(f"duplicate skill name {item.skill.name!r}")
            self._by_name[item.skill.name] = index
            self._by_lower_name[lowered] = index
            rules = _compile_rules(item)
            for key, tokens in item.forms.items():
                if key in owner:
                    raise TaxonomyError(
                        f"{key!r} is claimed by both {owner[key]!r} and {item.skill.name!r}"
                    )
                owner[key] = item.skill.name
                self._phrases[key] = (index, rules.get(key))
                self._forms[key] = index
                if self._first.get(tokens[0], 0) < len(tokens):
                    self._first[tokens[0]] = len(tokens)
                if len(tokens) > 1:
                    seconds.setdefault(tokens[0], set()).add(tokens[1])
        self._seconds: dict[str, frozenset[str]] = {k: frozenset(v) for k, v in seconds.items()}

        # Implied skills form an is-a hierarchy ("Spring Boot" -> Spring -> Java), so a
        # mention counts for every ancestor: expand[i] = (i, *ancestors) in
        # breadth-first order, nearest first.
        direct: list[list[int]] = []
        for item in parsed:
            parents: list[int] = []
            for name in item.implies:
                if name not in self._by_name or name == item.skill.name:
                    raise TaxonomyError(f"skill {item.skill.name!r}: cannot imply {name!r}")
                parents.append(self._by_name[name])
            direct.append(parents)
        expand: list[tuple[int, ...]] = []
        for index in range(len(parsed)):
            closure = [index]
            for current in closure:  # grows while iterating: breadth-first walk
                closure.extend(p for p in direct[current] if p not in closure)
            expand.append(tuple(closure))
        self._expand: tuple[tuple[int, ...], ...] = tuple(expand)

        # Punctuation/space-free spellings, for canonicalize() of tags like
        # "reactnative" or "meteor js".  Ambiguous or very short ones are dropped.
        compact: dict[str, int] = {}
        clashes: set[str] = set()
        for key, index in self._forms.items():
            squeezed = _compact(key)
            if len(squeezed) < 4:
                continue
            if compact.get(squeezed, index) != index:
                clashes.add(squeezed)
            compact[squeezed] = index
        self._compact: dict[str, int] = {k: v for k, v in compact.items() if k not in clashes}

    # ------------------------------------------------------------------ construction

    @classmethod
    def from_toml(cls, path: Path) -> SkillMatcher:
        """Load a taxonomy file: an array of ``[[skill]]`` tables."""
        with Path(path).open("rb") as handle:
            data = tomllib.load(handle)
        return cls.from_data(data)

    @classmethod
    def from_data(cls, data: Mapping[str, object]) -> SkillMatcher:
        """Build from an already parsed mapping ``{"skill": [{...}, ...]}``."""
        entries = data.get("skill")
        if not isinstance(entries, list) or not all(isinstance(e, dict) for e in entries):
            raise TaxonomyError("expected an array of [[skill]] tables")
        return cls(entries)

    # ------------------------------------------------------------------ lookups

    @property
    def skills(self) -> tuple[Skill, ...]:
        """All skills in file order."""
        return self._skills

    def get(self, name: str) -> Skill | None:
        """Skill by canonical name (case-insensitive); aliases are not accepted here."""
        index = self._by_name.get(name)
        if index is None:
            index = self._by_lower_name.get(name.strip().lower())
        return None if index is None else self._skills[index]

    def category(self, name: str) -> str | None:
        skill = self.get(name)
        return None if skill is None else skill.category

    def implied(self, name: str) -> tuple[str, ...]:
        """The skills a mention of ``name`` also counts for, nearest first ("Spring Boot"
        -> Spring, Java); empty for an unknown name or a skill that implies nothing."""
        index = self._by_name.get(name)
        if index is None:
            index = self._by_lower_name.get(name.strip().lower())
        if index is None:
            return ()
        return tuple(self._skills[i].name for i in self._expand[index][1:])

    def canonicalize(self, term: str) -> str | None:
        """Map one tag or user-typed skill to its canonical name, or None.

        Case-insensitive and without context rules: a term on its own is taken to
        *be* a skill, so "go", "r" and "node" are accepted here although the same
        words in running text need context.
        """
        split = _phrase_tokens(term)
        if split is None:
            return None
        tokens, joiners = split
        index = self._lookup_term(tokens, joiners)
        # "golang developer", "node dev", "machine learning engineer"
        while index is None and len(tokens) > 1 and tokens[-1] in _TRAILING_NOISE:
            tokens, joiners = tokens[:-1], joiners[:-1]
            index = self._lookup_term(tokens, joiners)
        return None if index is None else self._skills[index].name

    def _lookup_term(self, tokens: list[str], joiners: list[str]) -> int | None:
        key = _join(tokens, joiners)
        index = self._forms.get(key)
        if index is None and len(tokens[-1]) > 3 and tokens[-1].endswith("s"):
            # plural tags: "data visualizations", "microservice" <-> "microservices"
            index = self._forms.get(key[:-1])
        if index is None:
            index = self._compact.get(_compact(key))
        return index

    # ------------------------------------------------------------------ extraction

    def extract(self, text: str, *, skip_team_names: bool = False) -> list[SkillMatch]:
        """Canonical skills mentioned in ``text``, ordered by first mention.

        ``first_offset`` indexes into ``text`` as given. ``skip_team_names``: a business
        discipline right before "team" or "department" names a department ("the India-based
        Project Management team", "our Digital Marketing Team"), not a skill; true for job
        postings, where those are the hire's colleagues, false for resumes, where "led the
        Customer Support team" is the person's own work.
        """
        if not text:
            return []
        cleaned = _clean(text)
        parts = _TOKEN_RE.split(_lower(cleaned))
        tokens = parts[1::2]
        first = self._first
        starts = list(compress(range(len(tokens)), map(first.__contains__, tokens)))
        if not starts:
            return []
        gaps = parts[0::2]
        hits = self._scan(tokens, gaps, starts)
        if not hits:
            return []
        if skip_team_names:
            hits = self._without_team_names(hits, tokens, gaps)
        accepted = self._resolve(hits, cleaned, parts, tokens, gaps)
        return self._summarise(accepted, parts)

    def _scan(
        self, tokens: list[str], gaps: list[str], starts: list[int]
    ) -> list[tuple[int, int, int, _Rule | None]]:
        """Leftmost-longest dict lookup of n-grams; returns (skill, i, j, rule)."""
        phrases = self._phrases
        first = self._first
        seconds = self._seconds
        count = len(tokens)
        hits: list[tuple[int, int, int, _Rule | None]] = []
        resume = 0
        for i in starts:
            if i < resume:
                continue
            token = tokens[i]
            if (
                token[0] == "."
                and i
                and not gaps[i]
                and token not in _GLUED_MATCHES
                and tokens[i - 1][-1].isalnum()
            ):
                # ".net" glued to a word is a domain ("credential.net", "REPPA.NET");
                # "C#.NET" and " .NET" still count, and "Foo.js" is a JavaScript library.
                continue
            best = phrases.get(token)
            length = 1
            longest = min(first[token], count - i)
            if longest > 1 and tokens[i + 1] in seconds[token]:
                key = token
                for width in range(2, longest + 1):
                    joined = _joiner(gaps[i + width - 1])
                    if joined is None:
                        break
                    key = f"{key}{joined}{tokens[i + width - 1]}"
                    found = phrases.get(key)
                    if found is not None:
                        best, length = found, width
            if best is None:
                continue
            resume = i + length
            hits.append((best[0], i, resume, best[1]))
        return hits

    def _without_team_names(
        self, hits: list[tuple[int, int, int, _Rule | None]], tokens: list[str], gaps: list[str]
    ) -> list[tuple[int, int, int, _Rule | None]]:
        categories = self._categories
        count = len(tokens)
        kept: list[tuple[int, int, int, _Rule | None]] = []
        for hit in hits:
            skill, _i, j, _rule = hit
            if (
                j < count
                and tokens[j] in _TEAM_WORDS
                and categories[skill] in _DEPARTMENT_CATEGORIES
                and _joiner(gaps[j]) is not None
                # "Customer Support Team Lead", "Sales team member": a job title.
                and not (j + 1 < count and tokens[j + 1] in _TEAM_ROLES)
            ):
                continue
            kept.append(hit)
        return kept

    def _resolve(
        self,
        hits: list[tuple[int, int, int, _Rule | None]],
        cleaned: str,
        parts: list[str],
        tokens: list[str],
        gaps: list[str],
    ) -> list[tuple[int, int, int]]:
        """Apply guard rules; returns accepted (skill, i, j) in text order."""
        accepted: list[tuple[int, int, int]] = []
        pending: list[tuple[int, int, int, _Rule]] = []
        # mentions per skill that survived stop phrases and case rules ("repeat" rule)
        mentions: dict[int, int] = {}
        count = len(tokens)
        for skill, i, j, rule in hits:
            if rule is None:
                accepted.append((skill, i, j))
                continue
            if any(
                0 <= i - offset <= count - length
                and _span_key(tokens, gaps, i - offset, length) == key
                for offset, length, key in rule.stops
            ):
                continue
            need = rule.needs_context
            if rule.case != "any":
                start = sum(map(len, parts[: 2 * i + 1]))
                exact = cleaned[start : start + len(tokens[i])] in rule.surfaces
                if not exact and rule.case == "exact":
                    continue
                # Capitalisation proves nothing at the start of a sentence/list item.
                need = need or not exact or _at_sentence_start(gaps, i)
            mentions[skill] = mentions.get(skill, 0) + 1
            if need and not self._local_context(rule, tokens, gaps, i, j):
                pending.append((skill, i, j, rule))
            else:
                accepted.append((skill, i, j))

        if pending:
            still: list[tuple[int, int, int, _Rule]] = []
            # Categories of the skills confirmed so far, for context_anywhere; computed
            # only when a pending rule asks (most do not).
            around: set[str] | None = None
            for skill, i, j, rule in pending:
                if rule.repeat and mentions[skill] >= rule.repeat:
                    accepted.append((skill, i, j))
                    continue
                if rule.anywhere:
                    if around is None:
                        around = {self._categories[hit[0]] for hit in accepted}
                    if rule.anywhere & around:
                        accepted.append((skill, i, j))
                        continue
                still.append((skill, i, j, rule))
            # Neighbour rule; repeat while confirmations cascade ("C, R and Python").
            changed = True
            while still and changed:
                changed = False
                remaining: list[tuple[int, int, int, _Rule]] = []
                for skill, i, j, rule in still:
                    if self._has_neighbour(rule, i, j, accepted, gaps):
                        accepted.append((skill, i, j))
                        changed = True
                    else:
                        remaining.append((skill, i, j, rule))
                still = remaining
            accepted.sort(key=lambda hit: hit[1])
        return accepted

    @staticmethod
    def _local_context(rule: _Rule, tokens: list[str], gaps: list[str], i: int, j: int) -> bool:
        if rule.before and i > 0 and tokens[i - 1] in rule.before and _joiner(gaps[i]) is not None:
            return True
        if j < len(gaps) and gaps[j].startswith(":") and _starts_line(gaps, i):
            # A list item's label ("- Social Media: from Twitter to Facebook, ..."): the
            # posting names the skill as an area of the work, nothing else is meant.
            return True
        return bool(
            rule.after
            and j < len(tokens)
            and tokens[j] in rule.after
            and _joiner(gaps[j]) is not None
        )

    def _has_neighbour(
        self, rule: _Rule, i: int, j: int, accepted: list[tuple[int, int, int]], gaps: list[str]
    ) -> bool:
        categories = self._categories
        for skill, start, end in accepted:
            if categories[skill] not in rule.near:
                continue
            if 0 <= start - j <= CONTEXT_WINDOW:
                first_gap, last_gap = j, start
            elif 0 <= i - end <= CONTEXT_WINDOW:
                first_gap, last_gap = end, i
            else:
                continue
            # Across a line break only adjacent list items confirm each other
            # ("Python\nR\nSQL", "* UI Design\n* React (Website)"), not the last word
            # of a title and the first of the next line ("... Engineer Elixir\nR").
            if any("\n" in gaps[k] for k in range(first_gap, last_gap + 1)) and not (
                first_gap == last_gap and _starts_line(gaps, i) and _starts_line(gaps, start)
            ):
                continue
            return True
        return False

    def _summarise(
        self, accepted: list[tuple[int, int, int]], parts: list[str]
    ) -> list[SkillMatch]:
        # skill -> [count, first offset, rank]; rank orders an implied skill after
        # the one that implies it when both start at the same offset.
        stats: dict[int, list[int]] = {}
        # Character offsets from one pass over the pieces (accepted is in text order);
        # cheaper than materialising the offsets of every token.
        offset = 0
        done = 0
        for skill, i, _j in accepted:
            offset += sum(map(len, parts[done : 2 * i + 1]))
            done = 2 * i + 1
            for rank, target in enumerate(self._expand[skill]):
                entry = stats.get(target)
                if entry is None:
                    stats[target] = [1, offset, rank]
                else:
                    entry[0] += 1
                    if offset < entry[1]:
                        entry[1], entry[2] = offset, rank
        ordered = sorted(stats.items(), key=lambda item: (item[1][1], item[1][2]))
        return [
            SkillMatch(name=self._skills[index].name, count=entry[0], first_offset=entry[1])
            for index, entry in ordered
        ]


@functools.cache
def default_matcher() -> SkillMatcher:
    """The project taxonomy (``skills.toml`` next to this module), loaded once per process."""
    return SkillMatcher.from_toml(DEFAULT_TOML)
