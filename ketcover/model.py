"""The immutable results ketcover passes around: pages, documents, findings, reports."""

from __future__ import annotations

import bisect
from dataclasses import asdict, dataclass
from enum import IntEnum


class ExitCode(IntEnum):
    """Process exit codes; findings are information, never failure."""

    OK = 0
    USAGE = 2
    UNREADABLE_INPUT = 3
    INVALID_RULESET = 4


@dataclass(frozen=True)
class PageWarning:
    """Something the reader should know about one page (or the whole file when page is None)."""

    code: str
    page: int | None
    message: str


@dataclass(frozen=True)
class Heading:
    """A section heading found in the text: where it starts and what it says."""

    offset: int
    title: str
    level: int = 1


@dataclass(frozen=True)
class Document:
    """Extracted text of one PDF: all pages joined, with the offset where each page starts.

    Page numbers are always derived from offsets (`page_of`), never stored beside a quote.
    """

    path: str
    sha256: str
    text: str
    page_starts: tuple[int, ...]
    page_methods: tuple[str, ...] = ()
    warnings: tuple[PageWarning, ...] = ()
    headings: tuple[Heading, ...] = ()
    page_chapters: tuple[str | None, ...] = ()  # running header/footer naming each page's chapter
    # Per page, the running header/footer lines set aside (not in `text`, so never matched or
    # quoted as content; `ketcover text` shows them).
    page_margins: tuple[tuple[str, ...], ...] = ()
    # The passages of `text` (structure.split_passages), packed by structure.pack_passages: found where
    # the document is assembled (in a worker for a long one, beside the rules' compilation) so the
    # analysis does not split the text again. Empty for a Document made otherwise: outline_of splits it.
    passage_bounds: bytes = b""

    @property
    def page_count(self) -> int:
        return len(self.page_starts)

    def page_of(self, offset: int) -> int:
        """1-based page number holding the character at `offset`."""
        return bisect.bisect_right(self.page_starts, offset)

    def page_span(self, page: int) -> tuple[int, int]:
        start = self.page_starts[page - 1]
        end = self.page_starts[page] if page < len(self.page_starts) else len(self.text)
        return start, end

    def page_text(self, page: int) -> str:
        start, end = self.page_span(page)
        return self.text[start:end]



@dataclass(frozen=True)
class DocumentKind:
    """What the document is (a kind of kinds.yaml), in words, and the words of the document that say so."""

    kind: str
    label: str
    reason: str  # the deciding words quoted, with where they were and the page
    quote: str = ""  # verbatim substring of page `page` (empty when no cue decided)
    page: int | None = None


@dataclass(frozen=True)
class Finding:
    """One cited clause: which rule fired, where, and the verbatim quote."""

    concern: str
    rule: str
    page: int
    quote: str
    section: str | None
    polarity: str  # "affirms" or "negates"
    score: float
    method: str  # phrase | pattern | fuzzy | section, plus "+ocr" when the page came from OCR
    # Not part of the JSON contract: the rule's short answer, where the quote starts in the
    # document text, and every span of this concern matched in the clause (e.g. each code).
    answer: str = ""
    start: int = 0
    matches: tuple[str, ...] = ()
    # True when a member ID or claim number in the quote was masked for output (ketcover.privacy).
    masked: bool = False

    def to_json(self) -> dict:
        # Spelled out rather than asdict(): no deep copy of plain strings (a report has hundreds).
        return {"concern": self.concern, "rule": self.rule, "page": self.page, "quote": self.quote,
                "section": self.section, "polarity": self.polarity, "score": self.score, "method": self.method,
                **({"masked": True} if self.masked else {})}

    @property
    def sort_key(self) -> tuple:
        return (self.page, self.start, self.concern, self.rule)



class FindingStarts:
    """Where each concern's findings start, sorted: whether a finding of a concern starts inside a
    span of the text (a passage a finding already quotes needs no candidate, and no carried lead-in)."""

    def __init__(self, findings: list[Finding]):
        self._starts: dict[str, list[int]] = {}
        for finding in findings:
            self._starts.setdefault(finding.concern, []).append(finding.start)
        for starts in self._starts.values():
            starts.sort()

    def within(self, concern: str, start: int, end: int) -> bool:
        starts = self._starts.get(concern, [])
        position = bisect.bisect_left(starts, start)
        return position < len(starts) and starts[position] < end

@dataclass(frozen=True)
class SetAside:
    """A keyword candidate (or a rule's finding) that is not a finding, and the named reason (rules/set_aside.yaml)."""

    concern: str
    page: int
    quote: str  # verbatim: the clause holding the keyword
    reason: str  # the reason's id, e.g. "law_name.act"
    kind: str  # the reason's kind: contents | heading | law_name | notice | ...
    start: int = 0
    rule: str = ""  # the rule whose finding this was; empty for a keyword candidate


@dataclass(frozen=True)
class ConcernSummary:
    """The one-line answer for one concern, with the pages behind it."""

    concern: str
    status: str  # found | negated | not_found | unknown
    answer: str
    pages: tuple[int, ...]

    def to_json(self) -> dict:
        return {"status": self.status, "answer": self.answer, "pages": list(self.pages)}


ITEMS = ("outpatient_mental_health", "inpatient_mental_health", "deductible", "out_of_pocket_limit", "esketamine_drug")
# "preferred" is a cheaper tier inside the network (a third "You will pay the least" column, such as
# an accountable-care network); "any" means the document states one value without naming a network.
NETWORKS = ("preferred", "in_network", "any", "out_of_network")


@dataclass(frozen=True)
class CostValue:
    """One stated cost: what it is for, which network tier, the value as printed, where."""

    item: str  # outpatient_mental_health | inpatient_mental_health | deductible | out_of_pocket_limit | esketamine_drug
    network: str  # preferred | in_network | any | out_of_network
    value: str  # as printed on the page, e.g. "$30 copay/office visit", "50% coinsurance", "Not covered"
    page: int
    quote: str  # verbatim substring of that page's text
    # Whether the deductible must be met first: "true", "false" or "not_stated" (a word, not a
    # bool, so "the page does not say" can never read as "no").
    deductible_applies: str = "not_stated"
    visit_limit: str = ""  # as printed ("limited to 20 visits per year"), or empty
    plan_option: str = ""  # one document can print several options side by side ("Standard Option")
    # Other pages the value rests on (the chart note "after your deductible has been met", the page
    # that puts the drug on its tier): (page, verbatim quote) pairs.
    evidence: tuple[tuple[int, str], ...] = ()
    # Whose share the value's percentage is: "member" (the page prints "What You Will Pay", "You
    # pay"), "plan" ("Payment Level", a "Benefits" column: "100% of the Allowable Charge" is what the
    # plan pays) or "not_stated"; share_quote is the wording that says so: (page, verbatim quote),
    # the value's own page, or the page where the document defines its percentages; () when none.
    share: str = "not_stated"
    share_quote: tuple = ()

    def to_json(self) -> dict:
        return asdict(self)

    @classmethod
    def from_json(cls, data: dict) -> "CostValue":
        return cls(**{**data, "evidence": tuple((page, quote) for page, quote in data.get("evidence", ())),
                      "share_quote": tuple(data.get("share_quote", ()))})

    @property
    def sort_key(self) -> tuple:
        return (self.plan_option, ITEMS.index(self.item), NETWORKS.index(self.network), self.page)


@dataclass(frozen=True)
class DocumentError:
    """Why a file could not be read, in words that tell the user what to do."""

    code: str
    message: str


@dataclass(frozen=True)
class DocumentReport:
    """Everything ketcover says about one input file."""

    file: str
    sha256: str | None
    pages: int
    status: str  # ok | ok_with_warnings | error
    error: DocumentError | None
    warnings: tuple[PageWarning, ...]
    summary: tuple[ConcernSummary, ...]
    findings: tuple[Finding, ...]
    plan_name: str | None = None
    costs: tuple[CostValue, ...] = ()
    # Keyword candidates not made findings, each with its reason: not part of the JSON contract
    # (`ketcover eval --set-aside` lists them).
    set_aside: tuple[SetAside, ...] = ()
    kind: str | None = None  # a kind of kinds.yaml; None when the file could not be read
    kind_label: str | None = None
    kind_reason: str | None = None
    # Member IDs and claim numbers the document prints after their labels: kept so exports can mask
    # them (ketcover.privacy), never part of the JSON contract.
    identifiers: tuple[str, ...] = ()

    def to_json(self) -> dict:
        return {
            "file": self.file,
            "plan_name": self.plan_name,
            "kind": self.kind,
            "kind_label": self.kind_label,
            "kind_reason": self.kind_reason,
            "sha256": self.sha256,
            "pages": self.pages,
            "status": self.status,
            "error": asdict(self.error) if self.error else None,
            "warnings": [asdict(w) for w in self.warnings],
            "summary": {s.concern: s.to_json() for s in self.summary},
            "findings": [f.to_json() for f in self.findings],
            "costs": [c.to_json() for c in self.costs],
        }


# What the reader process sends back: defined here, so the parent unpickles them without
# loading the PDF libraries.
@dataclass(frozen=True)
class PageResult:
    """One page as read inside the worker: cleaned text, how it was read, and any warning codes."""

    index: int
    text: str
    method: str  # text | ocr | none
    warnings: tuple[str, ...] = ()


@dataclass(frozen=True)
class OpenResult:
    """A PDF that opened in the worker: its page count and file-level warning codes."""

    page_count: int
    warnings: tuple[str, ...]
