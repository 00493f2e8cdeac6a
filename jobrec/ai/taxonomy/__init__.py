"""Skills taxonomy: canonical skills (``skills.toml``) and a fast text matcher.

Pure Python, no Django imports, so it can be used from workers and scripts.
"""

from jobrec.ai.taxonomy.matcher import (
    CATEGORIES,
    Skill,
    SkillMatch,
    SkillMatcher,
    TaxonomyError,
    default_matcher,
)

__all__ = [
    "CATEGORIES",
    "Skill",
    "SkillMatch",
    "SkillMatcher",
    "TaxonomyError",
    "default_matcher",
]
