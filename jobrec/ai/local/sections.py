"""Which parts of a posting ask something of the candidate, and which do not.

A posting names many skills it does not ask for: the company describing itself ("Xpand IT
is a global company, specialized in Big Data, Business Intelligence ..."), its other teams'
stacks under "About us", perks, the application process, and the colleagues the hire works
with ("collaborate with product managers, designers, QA"). Skills are extracted from the
rest only (see :class:`jobrec.ai.local.extractor.LocalExtractor`). The rules follow the
labeling rules of the hand-labeled sample (``tests/data/README.md``):

* **Sections** are found from their headings (a short line that is bold, a markdown
  heading, underlined, in capitals, ends with a colon, or is a well-known heading such as
  "Benefits"). "About us", "Who we are", "Our values", "Benefits", "Perks", "What we
  offer", "How to apply", "Equal opportunity" ... are dropped; "About you", "Requirements",
  "Nice to have", "Tech stack", "Technical environment" ... are kept (a company's stack is
  kept: an engineer works hands-on in it). A heading that says neither continues the
  section it is in, so the sub-headings of "Our core values" stay dropped.
* **Company sentences** anywhere: the company or its product as the subject ("Acme is a
  fast-growing startup in the project management space", "We are a ...", "Our mission
  ...", "Founded in ...").
* **Colleague clauses**: what follows "work (closely) with", "collaborate with", "partner
  with" ... up to the last people noun ("teams", "designers", "engineers" ...) names who
  the hire works with, not what they must know.
* **Workplace tools** (chat, video calls, task boards) that only occur where the company
  says it uses them ("We use Jira, Trello, Slack ... in our day-to-day") are not asked of
  the candidate; see :func:`company_usage_sentences`.
* **Also not asked** (local-v3): what the company built or is doing ("We have built and
  maintain a suite of native apps that clinicians use"), its funding and awards, hiring
  boilerplate ("your recruiter can share ..."), fields of study after "degree in", a
  department after "work with" or the manager after "reporting to", and the company's own
  strategy ("part of our overall marketing strategy").

Everything here is plain string work on at most ``MAX_TEXT_CHARS`` of text, linear, no
Django.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Final, Literal

__all__ = [
    "WORKPLACE_TOOLS",
    "Kind",
    "Section",
    "company_usage_sentences",
    "heading_kind",
    "requirement_text",
    "sections",
]

Kind = Literal["job", "company", "benefits", "apply"]

# A heading is short: "Culture and benefits at The New York Times Company and The
# Wirecutter:" has 12 words and is still one.
_HEADING_MAX_WORDS: Final = 12
_HEADING_MAX_CHARS: Final = 90
_BULLET: Final = re.compile(r"^\s*(?:[-*•●·▪◦–○]|\d{1,2}[.)])\s+")
_MARKUP: Final = re.compile(r"\*\*|__|^#+\s*|[*_`]")
_UNDERLINE: Final = re.compile(r"^\s*(?:-{3,}|={3,})\s*$")
_QUESTION_MAX_WORDS: Final = 8
_LIST_INTRO_MAX_WORDS: Final = 6

# Heading vocabularies, tried in this order on the lower-cased heading text (markup and a
# trailing colon removed). "About <anything but you/the role/...>" is the company.
_APPLY: Final = re.compile(
    r"\bhow to apply\b|^to apply\b|^apply\b|\bapplication (?:process|noticed)|"
    r"\binterview(?:ing)? process|\bhiring process|\brecruit\w* process|^next steps\b|"
    r"\bapply (?:for|now|here|today)\b|\bapplication noticed\b"
)
_BENEFITS: Final = re.compile(
    r"\bbenefits?\b|\bperks?\b|\bwe offer\b|\boffer you\b|\bin it for you\b|"
    r"^(?:our |the |total )?(?:compensation|comp|salary|pay|rewards?)\b|"
    r"\b(?:compensation|salary|pay) (?:and|&|range|package|details)\b|"
    r"\bwhat you(?:'|’)?ll get\b|\bwhat you get\b|\bexpect from us\b|\bexpect a lot from us\b|"
    r"\bwe provide\b"
)
_COMPANY: Final = re.compile(
    r"^about (?!you\b|your\b|the (?:role|job|position|team|opportunity|project|work)\b|"
    r"this (?:role|job|position|opportunity)\b|the candidate\b|the ideal\b)|"
    r"^who we are\b|^what we do\b|^what is\b|^what we(?:'|’)?re building\b|"
    r"^what we value|^our (?:story|mission|values|core values|culture|vision|company|"
    r"history|purpose|principles|investors|customers|clients|commitment)\b|"
    r"\bcompany (?:overview|description|profile|info)|\bculture\b|\blife at\b|"
    r"^why (?:work|join|us\b|you(?:'|’)?ll love)|\bwork(?:ing)? (?:with|for|at) us\b|"
    r"^why\b.*\b(?:join|work (?:with|for|at))\b.*\bus\b|"
    r"^working at\b|^why .* work (?:with|for|at)\b|\bwork(?:ing)? environment\b|"
    r"^how we work\b|^more about us\b|^meet the team\b|\bequal (?:opportunit|employment)|"
    r"\beeo\b|\bdiversity\b|\binclusion\b|\bdisclaimer\b|\bprivacy\b|\bvision statement\b"
)
_JOB: Final = re.compile(
    r"\byou\b|\byour\b|\byou(?:'|’)(?:ll|re|d)\b|\brole\b|\bposition\b|\bjob\b|"
    r"responsibilit|requirement|qualification|\bskills?\b|\bexperience\b|\btasks?\b|"
    r"\bduties\b|looking for|\bideal\b|nice to have|\bbonus\b|\bplus(?:es)?\b|"
    r"\bpreferred\b|\bdesired\b|\brequired\b|\bmust\b|\bneed\b|\bstack\b|\btech\b|"
    r"technolog|\btools?\b|technical environment|\bprofile\b|\bcandidate\b|"
    r"competenc|\bknowledge\b|\bbackground\b|\bthe team\b|\bthe opportunity\b|"
    r"\bimpact\b|\bday\b|\bwhat we(?:'|’)?re seeking\b|\bwe seek\b|\bextra\b|"
    r"\boverview\b|\bsummary\b|\bdescription\b|\bthe work\b|\bprojects?\b|\bfit\b|"
    r"\bright person\b|\bmakes? a (?:great|good)\b|\bbecome\b|\bqualif"
)
# A plain line (no markup, no colon) counts as a heading only when it is one of these
# words on its own: "Benefits", "Requirements", "About us", "Technical environment".
_PLAIN_HEADING: Final = re.compile(
    r"^(?:about (?:us|you|the role|the job|the company|the team|this role)|"
    r"(?:key |main |your |role |job )?responsibilities|requirements|qualifications|"
    r"(?:minimum |preferred |basic |required )qualifications|benefits|perks|"
    r"(?:benefits|perks) (?:&|and) (?:perks|benefits)|what we offer|what you(?:'|’)ll do|"
    r"what we(?:'|’)re looking for|what we value|what we(?:'|’)re building|who we are|"
    r"who you are|nice to have|nice to haves|preferred|bonus|tasks|duties|skills|"
    r"tech stack|technical stack|our stack|technical environment|work environment|how to apply|"
    r"compensation|the role|the job|overview|our values|our mission|culture)$"
)


def _heading_text(line: str, following: str, *, list_intro: bool = False) -> str | None:
    """The heading's words (lower-cased, markup removed) if ``line`` is a heading.

    ``following`` is the next line (an underline makes a heading); ``list_intro`` says that
    the line stands alone and the next non-empty line is a list item, which makes a short
    plain line ("Technical Stack", "Your perks") a heading too.
    """
    stripped = line.strip()
    if not stripped or len(stripped) > _HEADING_MAX_CHARS or stripped[-1] in ".,;!":
        return None
    bullet = _BULLET.match(stripped)
    body = stripped[bullet.end() :] if bullet else stripped
    if "*" in body or "_" in body or "`" in body or body[0] == "#":
        body_text = _MARKUP.sub(" ", body)
    else:
        body_text = body
    text = " ".join(body_text.split()).rstrip(":").strip()
    if not text or len(text.split()) > _HEADING_MAX_WORDS:
        return None
    lowered = text.lower()
    if text.endswith((".", "!", ",", ";")) or ". " in text:
        return None  # a sentence
    if body.endswith(":"):
        return lowered
    if bullet:
        # A bullet is a heading only with a colon ("- 1. Financial Reporting:").
        return None
    if stripped.startswith("#") or (
        stripped.startswith(("**", "__")) and stripped.endswith(("**", "__", "**:", "__:"))
    ):
        return lowered
    if _UNDERLINE.match(following):
        return lowered
    letters = [c for c in text if c.isalpha()]
    if len(letters) >= 3 and all(c.isupper() for c in letters):
        return lowered
    if text.endswith("?") and len(text.split()) <= _QUESTION_MAX_WORDS:
        return lowered.rstrip("?")  # "What is 10xFactory?", "Why join us?"
    if list_intro and len(text.split()) <= _LIST_INTRO_MAX_WORDS and not _BULLET.match(line):
        return lowered
    return lowered if _PLAIN_HEADING.match(lowered) else None


def heading_kind(heading: str) -> Kind | None:
    """What a section under this heading is; None when the heading does not say."""
    heading = heading.replace("’", "'").strip(" ?")
    if _APPLY.search(heading):
        return "apply"
    if _BENEFITS.search(heading):
        return "benefits"
    if _COMPANY.search(heading):
        return "company"
    if _JOB.search(heading):
        return "job"
    return None


@dataclass(frozen=True)
class Section:
    """A heading (empty for the text before the first one), its kind and its lines (the
    heading's own line first)."""

    heading: str
    kind: Kind
    text: str


# A paragraph that talks about the job ends a company section even without a heading of
# its own ("About Acme:" ... "We are looking for a Python developer with ...").
_ROLE_PARAGRAPH: Final = re.compile(
    r"\b(?:looking|seeking|searching) for\b|\b(?:is|are|we(?:'|’)re) hiring\b|"
    r"\b(?:this|the) (?:role|position)\b|"
    r"\bresponsibilit|\brequirements\b|\bqualifications\b|\byears of (?:\w+ )?experience\b|"
    r"\bexperience (?:with|in)\b|\bproficien|\byou (?:have|bring|should have|must)\b|"
    r"\bmust have\b|\bnice to have\b"
)


def sections(text: str) -> list[Section]:
    """``text`` cut at its headings; the text before the first heading is a job section."""
    lines = text.split("\n")
    # For each line, whether the next non-empty line is a list item.
    before_list = [False] * len(lines)
    next_is_bullet = False
    for index in range(len(lines) - 1, -1, -1):
        before_list[index] = next_is_bullet
        if lines[index].strip():
            next_is_bullet = _BULLET.match(lines[index]) is not None
    found: list[Section] = []
    heading = ""
    kind: Kind = "job"
    current: list[str] = []
    for index, line in enumerate(lines):
        if _UNDERLINE.match(line) and index and _heading_text(lines[index - 1], line):
            continue  # the underline of the heading just read
        following = lines[index + 1] if index + 1 < len(lines) else ""
        alone = index == 0 or not lines[index - 1].strip()
        title = _heading_text(line, following, list_intro=alone and before_list[index])
        if title is None:
            if (
                kind == "company"
                and (index == 0 or not lines[index - 1].strip())
                and not _BULLET.match(line)
                and _ROLE_PARAGRAPH.search(line.lower())
            ):
                found.append(Section(heading, kind, "\n".join(current)))
                heading, kind, current = "", "job", []
            current.append(line)
            continue
        if current or heading:
            found.append(Section(heading, kind, "\n".join(current)))
        # The heading line stays in its section: in a job section a short line before a
        # list ("Java, Spring and Kafka") may name skills itself.
        heading, current = title, [line]
        # A heading that says nothing ("Additional information", "CUSTOMER HAPPINESS why
        # we exist") continues the section it is in.
        kind = heading_kind(title) or kind
    found.append(Section(heading, kind, "\n".join(current)))
    return found


# Patterns without capitals are applied to lower-cased text: Python's re is several times
# slower with IGNORECASE on alternations like these, and this runs on every posting.
#
# Sentences. A sentence ends at . ! ? followed by a space and a capital, quote or digit.
_SENTENCE_END: Final = re.compile(r"(?<=[.!?])\s+(?=[\"“'(\[]?[A-Z0-9])")
_COMPANY_NOUNS: Final = (
    r"(?:company|startup|start-up|agency|firm|business|organi[sz]ation|non-?profit|"
    r"provider|platform|marketplace|app|leader|manufacturer|partner|venture|brand|"
    r"consultancy|studio|group|network|community|service|solution|software|product|"
    r"employer|subsidiary|corporation|enterprise|institution|foundation|publisher|"
    r"retailer|distributor|maker|pioneer|operator|developer of|unicorn|scale-?up)s?"
)
# "We are a fully remote team of 40": a team is the company only when "we" say it.
_WE_NOUNS: Final = rf"(?:{_COMPANY_NOUNS}|teams?|bunch|crew)"
# "<Name> is/are/was a ... company", "<Name>, a ... company, is ...": a capitalised name
# of at most five words (with "&", "." or a parenthesised URL) at the start of a sentence.
# Not a name: pronouns and the words a sentence about the job starts with ("This is an
# inbound sales role", "The role is ...").
_NOT_NAME: Final = (
    r"(?!(?:This|That|It|There|Here|These|Those|What|Which|Who|Each|Every|Our|Your|You|"
    r"They|He|She|Experience|Knowledge|Familiarity|Proficiency|Candidates?|Applicants?|"
    r"The\s+(?:role|position|job|ideal|candidate|work|team|opportunity|successful|hire))\b)"
)
_NAME: Final = (
    _NOT_NAME + r"(?:The\s+)?[A-Z0-9][\w&.'’-]*(?:\s+(?:[A-Z0-9&][\w&.'’-]*|\([^)]{0,60}\))){0,4}"
)
_COMPANY_SENTENCE: Final = re.compile(
    rf"^{_NAME}(?:\s+(?:is|are|was|has been)\s+(?:(?:today|now|currently|already)\s+)?"
    rf"(?:an?|the|one of the)\b[^.!?]{{0,120}}?"
    rf"\b{_COMPANY_NOUNS}\b|,\s+(?:an?|the)\s[^,]{{0,80}},|\s+(?:is|are)\s+(?:transforming|"
    r"revolutioni[sz]ing|changing|disrupting|reinventing|on a mission|building the|"
    r"the (?:world|leading|largest|first|fastest))|\s+(?:helps|provides|powers|sells|"
    r"offers|specializes|specialises|enables|makes it)\b|\s+(?:was|were)\s+(?:founded|established|"
    r"started|created|born)\b)"
    r"|^(?:We are|We're|We’re)\s+(?:an?|the|one of the)\s(?![^.!?]*\b(?:looking|seeking|"
    rf"hiring|searching)\b)[^.!?]{{0,120}}?\b{_WE_NOUNS}\b"
    r"|^We\s+(?:help|serve|sell|make it|provide|power|believe|exist|put|generated|raised|"
    r"launched|were founded|started|strive|aim to|aspire|pride ourselves|take pride)\b"
    # What the company has built or is doing: "We have built and maintain a suite of
    # native iOS and Android apps that clinicians use", "We have a feature-rich
    # application", "We are creating web services that leverage graph algorithms",
    # "We're growing crazy fast". Not "We are building a team of ..." (the hire's team).
    r"|^We(?:'ve|’ve| have)\s+(?:\w+\s+){0,2}?(?:built|created|launched|grown|raised|won|"
    r"served|helped|become|awarded|recognized|recognised|named|featured)\b"
    # "We have a continuous delivery workflow that leverages Terraform" is the stack.
    r"|^We have (?:an?|the)\s(?![^.!?]*\b(?:looking|seeking|hiring|opening|role|position|"
    r"stack|workflow|pipeline|infrastructure|codebase|architecture|using|leverag\w*|built "
    rf"(?:on|with))\b)[^.!?]{{0,40}}?\b(?:{_COMPANY_NOUNS}|applications?|suite)\b"
    r"|^(?:We are|We're|We’re)\s+(?:\w+\s+)?(?:creating|building|growing|transforming|"
    r"revolutioni[sz]ing|changing|disrupting|reinventing|redefining)\b"
    r"(?![^.!?]*\b(?:team|looking|seeking|hiring|searching)\b)"
    r"|^Our\s+(?:mission|vision|purpose|promise|values|customers|clients|investors|"
    r"founders|story|company|goal is to|success|growth|users)\b"
    r"|^(?:Founded|Headquartered|Since (?:our|its) (?:founding|inception|launch))\b"
    r"|^Our (?:\w+ ){0,2}?(?:provides|offers|helps|serves|sells|powers|enables|gives|allows|"
    r"lets|is used by|are used by)\b"
)
# Legal and accommodation boilerplate ("... as part of the recruitment and selection
# process, please reach out to hr@...").
_LEGAL_WORDS: Final = (
    "equal ", "accommodat", "discriminat", "protected ", "affirmative", "e-verify",
    "unsolicited", "recruit",
)  # fmt: skip
_LEGAL_SENTENCE: Final = re.compile(
    r"\bequal (?:opportunity|employment)|\baccommodations?\b|\bdiscriminat|"
    r"\bprotected (?:veteran|class|characteristic)|\baffirmative action\b|\be-verify\b|"
    r"\bunsolicited\b|"
    # Hiring boilerplate names recruiting without asking for it: "your recruiter can share
    # more", "our recruitment process", "if you're a recruiter, do not contact us", "we are
    # currently recruiting for the position of ...", "recruitment and placement activities".
    r"\byour recruiter\b|\b(?:our|the|this) (?:recruitment|recruiting|hiring|selection) "
    r"process|\brecruitment (?:and|&) (?:selection|placement|hiring)\b|"
    r"\b(?:you(?:'|’)re|you are|are you) a recruiter\b|\bno recruiters\b|\bfrom recruiters\b|"
    r"\brecruit(?:ers?|ment agenc\w*|ing agenc\w*)\b[^.!?]{0,40}\b(?:do not|don(?:'|’)t|not to)\b|"
    r"\b(?:currently|actively|now) recruiting\b|\brecruiting (?:for|the (?:absolute )?best)\b"
)
# The hire's colleagues: "work closely with our product and data engineering teams",
# "collaborate with a team of product managers, designers, QA, and other developers".
_PEOPLE: Final = (
    r"(?:teams?|departments?|designers?|developers?|engineers?|specialists?|managers?|"
    r"colleagues|strategists?|scientists?|analysts?|leaders?|leadership|stakeholders|"
    r"experts?|marketers|recruiters|squads?|members|partners|folks|people|staff|owners?|"
    r"testers|qa|functions|orgs?|organi[sz]ations|directors?|vps?|ceo|cto|cfo|coo|cmo|"
    # A department named on its own ("work with HR on performance reviews", "liaise with
    # Accounting/Finance to ...", "in collaboration with Sales"): only at the end of the
    # words, so "work with marketing automation tools" still names a skill. Not "design",
    # "product" or "support": "experience working with APIs and server side design".
    r"(?:hr|finance|accounting|sales|marketing|legal|operations)"
    r"(?=\s*(?:[,.;:!?/&)\n]|and\b|or\b|to\b|on\b|in\b|for\b|$)))"
)
# The colleagues are blanked from "with"/"alongside" (right after a verb of working
# together) to the last people noun before the next part of the sentence ("... teams to
# automate tasks", "... colleagues on software design"): only who the hire works with,
# never what they do. Matched on lower-cased text from each "with": one big
# case-insensitive pattern tried at every position cost 0.1 ms per posting.
_WITH: Final = re.compile(r"\b(?:with|alongside|(?:report|reports|reporting) (?:directly )?to)\s+")
# Verbs of working together, as word beginnings; at most two adverbs may follow ("work
# super closely with", "collaborate directly with").
_TOGETHER: Final = (
    "work", "collaborat", "partner", "liais", "coordinat", "interact", "cooperat",
    "relationship", "together",
)  # fmt: skip
_ADVERBS: Final = frozenset({"super", "very", "really", "hand", "in"})
_SPAN_STOP: Final = r"(?!\b(?:to|for|on|in|that|who|which|by|when|while|so|through)\b)"
_COLLEAGUES: Final = re.compile(
    rf"(?:{_SPAN_STOP}[^.;:!?\n])*\b{_PEOPLE.lower()}\b"
    r"(?:\s*\([^)\n]{0,80}\)|,?\s+(?:including|such as|like|across)\s+[^.;:!?\n()]*)?"
)
_LOOK_BACK: Final = 40


def _after_together(lowered: str, start: int) -> bool:
    """Whether the words right before ``start`` are a verb of working together."""
    words = lowered[max(0, start - _LOOK_BACK) : start].split()[-5:]
    while words and (words[-1].endswith("ly") or words[-1] in _ADVERBS):
        words.pop()
    return bool(words) and words[-1].startswith(_TOGETHER)


def _without_colleagues(text: str) -> str:
    lowered = text.lower()
    pieces: list[str] = []
    done = 0
    for found in _WITH.finditer(lowered):
        if found.start() < done:
            continue
        # "Reporting to the Senior Marketing Director": the manager, not a skill.
        if not found.group().startswith("report") and not _after_together(lowered, found.start()):
            continue
        who = _COLLEAGUES.match(lowered, found.end())
        if who is not None:
            pieces.append(text[done : found.end()])
            done = who.end()
    if not pieces:
        return text
    pieces.append(text[done:])
    return "".join(pieces)


_SPOKEN_TO: Final = re.compile(r"\b(?:you|your|candidates?)\b")

#: Chat, video-call and task-board tools: asked of a candidate only when the text says
#: so, not when the company lists what it uses ("We use Jira, Trello, Slack ...").
WORKPLACE_TOOLS: Final = frozenset(
    {
        "Slack", "Zoom", "Microsoft Teams", "Trello", "Asana", "Notion", "Monday.com",
        "Miro", "Airtable", "Jira", "Confluence", "Google Workspace",
    }
)  # fmt: skip
_COMPANY_USAGE: Final = re.compile(
    r"\bwe(?:'|’)?(?:\s+(?:all|also|mostly|primarily|currently|heavily|mainly))?\s+"
    r"(?:use|communicate|collaborate|chat|meet|rely|do a lot|work|hang out|coordinate)\b|"
    r"\bour (?:tools|toolset|toolkit|communication)\b|\bday-to-day business\b|"
    r"\bwe will give you\b|\bwe(?:'|’)ll give you\b"
)
_ASKED: Final = re.compile(
    r"\b(?:experience|experienced|proficien\w*|familiar\w*|knowledge|skilled|skills?|"
    r"comfortable|expert\w*|fluent|fluency|ability|able to|must|required|requirement|"
    r"plus|bonus|preferred|mastery|understanding|background)\b"
)


_MAY_SPLIT: Final = re.compile(r"[.!?]\s")


def _sentences(line: str) -> list[str]:
    return _SENTENCE_END.split(line)


# The company's funding and investors: "In October 2021, we raised $100M in our Series C
# with a $550M valuation", "backed by the same group who funded Slack and Carta".
_FUNDING_WORDS: Final = ("raised", "raising", "funded", "backed by", "valuation", "investors")
_FUNDING_SENTENCE: Final = re.compile(
    r"\b(?:raised|raising|secured|closed)\s+(?:\w+\s+){0,3}?(?:us\s?)?[$€£]\s?\d|"
    r"\bbacked by\b|\b(?:who|that|which|also|has|have) funded\b|\bfunded by\b|\bvaluation\b|"
    r"\binvestors? (?:include|such as|like)\b"
)
# "A well-funded startup looking for a React developer" is about the job.
_ABOUT_THE_JOB: Final = re.compile(r"\b(?:looking|seeking|searching|hiring)\b")


def _is_company_sentence(sentence: str, *, legal: bool, funding: bool = False) -> bool:
    core = _BULLET.sub("", sentence).lstrip("*_ ")
    lowered = core.lower()
    if legal and any(w in lowered for w in _LEGAL_WORDS) and _LEGAL_SENTENCE.search(lowered):
        return True
    if (
        funding
        and any(w in lowered for w in _FUNDING_WORDS)
        and _FUNDING_SENTENCE.search(lowered)
        and not _SPOKEN_TO.search(lowered)
        and not _ABOUT_THE_JOB.search(lowered)
    ):
        return True
    return (
        _COMPANY_SENTENCE.match(core) is not None
        and not _SPOKEN_TO.search(lowered)
        and not _ASKED.search(lowered)  # "Python is a must for our data team"
    )


# Fields of study: "Bachelor's degree in Mathematics, Statistics, Economics or a related
# field" asks for a degree, which the labeling rules leave out, not for statistics as a
# skill. The field list runs to the end of the clause or to "or equivalent/related".
_DEGREE_WORDS: Final = (
    "degree", "bachelor", "master", "diploma", "major", "bs ", "b.s", "ms ", "m.s", "phd",
    "ph.d", "mba", "bsc", "msc", "b.a", "ba ",
)  # fmt: skip
_DEGREE: Final = re.compile(
    r"\b(?:(?:degrees?|bachelor(?:'|’)?s?|masters?(?:'|’)?s?|diploma|b\.?s\.?c?|m\.?s\.?c?|"
    r"b\.?a\.?|ph\.?d\.?|mba)"
    r"(?:[ \t/,'’-]+(?!experience|knowledge|skills|proficien|expertise|background|working)"
    r"[a-z'’.]+){0,4}?|major(?:ed)?) in "
)
_FIELD_END: Final = re.compile(
    r"[.;:!?\n(]|\bor (?:an? |other |another )?(?:equivalent|related|similar|comparable)\b|"
    r"\b(?:with|and/or equivalent|plus|preferred|required|is|are)\b"
)


# The company's own strategy: "great content is an important part of our overall marketing
# strategy" says what the company does, not what the hire must know.
_OUR_STRATEGY: Final = re.compile(r"\bpart of our (?=(?:[a-z-]+ ){0,3}?strateg(?:y|ies)\b)")
_STRATEGY_END: Final = re.compile(r"\bstrateg(?:y|ies)\b")


def _blank_after(text: str, lowered: str, start: re.Pattern[str], end: re.Pattern[str]) -> str:
    """``text`` with what follows each ``start`` match blanked up to the next ``end``
    (same length, so offsets and line structure are kept)."""
    pieces: list[str] = []
    done = 0
    for found in start.finditer(lowered):
        if found.start() < done:
            continue
        stop_at = end.search(lowered, found.end())
        stop = stop_at.start() if stop_at else len(lowered)
        pieces.append(text[done : found.end()])
        pieces.append(" " * (stop - found.end()))
        done = stop
    if not pieces:
        return text
    pieces.append(text[done:])
    return "".join(pieces)


def _job_lines(section_text: str) -> list[str]:
    # Whole-section passes where a pattern cannot cross a sentence anyway; the per-line
    # and per-sentence work below is only what needs sentence starts.
    if "with" in section_text or "alongside" in section_text or "eport" in section_text:
        section_text = _without_colleagues(section_text)
    lowered = section_text.lower()
    if any(word in lowered for word in _DEGREE_WORDS):
        section_text = _blank_after(section_text, lowered, _DEGREE, _FIELD_END)
    if "part of our" in lowered:
        section_text = _blank_after(section_text, lowered, _OUR_STRATEGY, _STRATEGY_END)
    legal = any(word in lowered for word in _LEGAL_WORDS)
    funding = any(word in lowered for word in _FUNDING_WORDS)
    lines = section_text.split("\n")
    for index, line in enumerate(lines):
        if not line.strip():
            continue
        sentences = _sentences(line) if _MAY_SPLIT.search(line) else [line]
        kept = [s for s in sentences if not _is_company_sentence(s, legal=legal, funding=funding)]
        if len(kept) != len(sentences):
            lines[index] = " ".join(kept)
    return lines


def requirement_text(text: str) -> str:
    """``text`` without company, benefits and application sections, company sentences
    and colleague clauses. Line structure is kept (headings become empty lines), so list
    items stay list items for the matcher's context rules."""
    kept: list[str] = []
    for section in sections(text):
        if section.kind != "job":
            kept.append("")
            continue
        kept.append("")  # nothing runs across a section boundary
        kept.extend(_job_lines(section.text))
    return "\n".join(kept).strip("\n")


def company_usage_sentences(text: str) -> tuple[str, str]:
    """``text`` split into (the rest, sentences where the company says what it uses).

    Only sentences that do not also ask something of the candidate ("experience with
    Jira is a plus") count as company usage.
    """
    rest: list[str] = []
    usage: list[str] = []
    if not _COMPANY_USAGE.search(text.lower()):
        return text, ""  # most postings: one search over the text, not one per line
    for line in text.split("\n"):
        if not _COMPANY_USAGE.search(line.lower()):
            rest.append(line)
            continue
        keep: list[str] = []
        for sentence in _sentences(line):
            lowered = sentence.lower()
            if _COMPANY_USAGE.search(lowered) and not _ASKED.search(lowered):
                usage.append(sentence)
            else:
                keep.append(sentence)
        rest.append(" ".join(keep))
    return "\n".join(rest), "\n".join(usage)
