"""The skills a job (or later a resume) is described by: canonical, de-duplicated, no traits."""

from __future__ import annotations

from collections.abc import Iterable

from jobrec.ai.taxonomy import default_matcher

# Generic traits ("Communication Skills", "Teamwork", "Attention to Detail") are asked for by
# nearly every posting and claimed by nearly every resume: as skills they are noise in search
# and matching, and the hand-labeled sample leaves them out. Spoken languages stay: they do
# narrow a job down.
_SPOKEN_LANGUAGES = frozenset(
    {"English", "Spanish", "French", "German", "Portuguese", "Mandarin", "Japanese"}
)
# Industries and business models: where a company sells, not what a person can do ("SaaS
# experience preferred" names the market). The taxonomy keeps them so that tags and typed
# terms still canonicalise; the skills of a job or resume leave them out, as the labeling
# rules of the hand-labeled sample do. Skills within them stay ("SaaS Sales").
_DOMAINS = frozenset({"SaaS", "PaaS", "E-commerce"})


def skills_canonical(names: Iterable[str]) -> list[str]:
    """Canonical taxonomy names for ``names``, in order, without duplicates, traits or
    industries.

    Names the taxonomy does not know are dropped: skills are search filters and matching
    features, so they must come from one vocabulary.
    """
    matcher = default_matcher()
    seen: dict[str, None] = {}
    for name in names:
        canonical = matcher.canonicalize(name)
        if canonical is None:
            continue
        if matcher.category(canonical) == "soft" and canonical not in _SPOKEN_LANGUAGES:
            continue
        if canonical in _DOMAINS:
            continue
        seen.setdefault(canonical, None)
    return list(seen)
