"""The one-line answer per concern, built from its findings, that a patient reads first."""

from __future__ import annotations

import re

from ketcover import CONCERNS
from ketcover.cost_words import cost_answer
from ketcover.model import ConcernSummary, Document, Finding
from ketcover.structure import BULLET

MAX_PAGES_LISTED = 6
MAX_CODES_LISTED = 20
MAX_EXCEPTION = 100  # characters of an exception clause shown in a one-line answer
EXCEPTION_REACH = 3  # characters between a negating clause and the exception clause after it
SENTENCE_ENDS = (".", "!", "?")  # a negating clause that ends its sentence has no exception after it
HEADING_WORDS = 5  # a quote this short, with no end mark, is a heading or a label, not a statement
CODE = re.compile(r"[A-Z]?\d{4}[0-9FTU]|[A-Z]\d{4}|[A-TV-Z]\d{2}\.[0-9A-Z]{1,4}")
MENTAL_HEALTH_WORDS = re.compile(r"mental|behavioral|behavioural|psychiatr|substance (?:use|abuse)", re.I)
COST = re.compile(
    r"(?:\$\s?\d[\d,]*(?:\.\d\d)?(?:\s*(?:copay(?:ment)?|co-pay|/\s*(?:office\s+)?visit|/\s*day|per\s+(?:visit|day|admission|stay))(?:\s*/\s*(?:office\s+)?visit)?)?"
    r"|\d{1,3}\s?%\s*(?:coinsurance|co-insurance)?"
    r"|no charge|not covered|no cost|covered in full)",
    re.I,
)


COST_SHARING = re.compile(r"\bcost[- ]shar|\bcopay|\bcoinsurance\b|\bdeductible\b|\bof (?:the|our) (?:plan )?allowance\b", re.I)
# A statement of the rule itself ("is required", "are not covered", "we cover ... when"), not a mention.
RULE_STATEMENT = re.compile(
    r"\b(?:required|requires?|must|not covered|excluded|exclusions?|we (?:do not |don't )?cover|(?:is|are) covered|"
    r"will (?:not )?(?:cover|pay)|limited to|only (?:if|when)|considers?|medically necessary|within \d+)\b", re.I)


def relevance(finding: Finding) -> int:
    """How directly a finding answers its concern's question, 0 best: the benefit row or what the
    member pays (mental health); a statement of the rule; any other mention; a heading or a
    question alone."""
    quote = finding.quote
    if finding.rule.endswith("sbc_row"):
        return 0
    if (finding.concern == "mental_health_coverage" and MENTAL_HEALTH_WORDS.search(quote)
            and (COST.search(quote) or COST_SHARING.search(quote))):
        return 0
    if quote.rstrip().endswith("?"):
        return 3  # "Do you need a referral to see a specialist?" asks; the next passage answers
    if RULE_STATEMENT.search(quote):
        return 1
    # A heading alone ("Initial Authorization", "Mental Health Services") names the subject the
    # passages under it answer: shown after them, so the first quote a reader sees states something.
    return 3 if _heading_alone(quote) else 2


def _heading_alone(quote: str) -> bool:
    words = quote.split()
    return len(words) <= HEADING_WORDS and not quote.rstrip().endswith(SENTENCE_ENDS + (":",))


def ranked(findings: list[Finding]) -> list[Finding]:
    """Findings best answer first, then in page order (stable and deterministic)."""
    return sorted(findings, key=lambda f: (f.polarity != "affirms", relevance(f), f.sort_key))


def format_pages(pages: list[int]) -> str:
    unique = sorted(set(pages))
    shown = ", ".join(str(p) for p in unique[:MAX_PAGES_LISTED])
    more = f" and {len(unique) - MAX_PAGES_LISTED} more" if len(unique) > MAX_PAGES_LISTED else ""
    return ("p. " if len(unique) == 1 else "pp. ") + shown + more


def _grouped(findings: list[Finding]) -> list[tuple[str, list[int]]]:
    """(answer, pages) in the order the answers first appear."""
    groups: dict[str, list[int]] = {}
    for finding in findings:
        groups.setdefault(finding.answer, []).append(finding.page)
    return list(groups.items())


def mental_health_costs(findings: list[Finding], costs: tuple = ()) -> tuple[str, int] | None:
    """The outpatient mental-health costs (inpatient when no outpatient one was read) per plan
    option and network tier, said as the comparison says them, with their pages; or the amounts
    printed in the benefit row, listed as printed, without guessing which column each belongs to.
    Returns the words and the first value's page."""
    for item, label in (("outpatient_mental_health", "outpatient"), ("inpatient_mental_health", "inpatient")):
        values = [c for c in costs if c.item == item]
        if values:
            # Every option and tier, each with its deductible rule and whose share it is: one
            # value alone ("$30 copay in network") hides the option it belongs to.
            return f"{label} mental health: {cost_answer(values).rstrip('.')}", values[0].page
    for finding in findings:
        if not finding.rule.endswith("sbc_row"):
            continue
        amounts = [" ".join(m.group(0).split()) for m in COST.finditer(finding.quote)]
        if amounts:
            return f"costs stated in the benefit row: {'; '.join(dict.fromkeys(amounts))} (p. {finding.page})", finding.page
    return None


DEADLINE = re.compile(
    r"\b(?:within|no later than|up to|after|at least)\s+(\d{1,3}|one|two|three|four|six|sixty|thirty)\s+"
    r"(?:calendar\s+|business\s+|working\s+)?(days?|months?|hours?|years?)\b",
    re.I,
)


def appeal_deadlines(findings: list[Finding]) -> list[tuple[str, int]]:
    """Deadlines stated in appeals clauses ("within 180 days"), first page each, in order."""
    seen: dict[str, int] = {}
    for finding in findings:
        for match in DEADLINE.finditer(" ".join(finding.quote.split())):
            key = f"{match.group(1).lower()} {match.group(2).lower()}"
            seen.setdefault(key, finding.page)
    return list(seen.items())


def _answer_for(concern: str, affirming: list[Finding], negating: list[Finding], costs: tuple = ()) -> str:
    parts: list[str] = []
    # An affirming clause that is the exception to a negating one is told with it, not twice.
    exceptions = {id(n): e for n in negating for e in [_exception(n, affirming)] if e}
    excepted = {id(e) for e in exceptions.values()}
    affirming = [f for f in affirming if id(f) not in excepted]
    if concern == "mental_health_coverage":
        stated = mental_health_costs(affirming, costs)
        if stated:
            parts.append(f"covered: {stated[0]}")
            # The cost's own page needs no second mention as plain "covered".
            affirming = [f for f in affirming if not (f.answer == "covered" and f.page == stated[1])]
        elif affirming and relevance(affirming[0]) == 0:
            # No table to read amounts from: point at the best statement of what the member pays.
            parts.append(f"cost sharing stated (p. {affirming[0].page})")
    if concern == "prior_authorization":
        scoped = [f for f in affirming if MENTAL_HEALTH_WORDS.search(f.quote) or MENTAL_HEALTH_WORDS.search(f.section or "")]
        if scoped:
            parts.append(f"required for mental health care ({format_pages([f.page for f in scoped])})")
            affirming = [f for f in affirming if f not in scoped]
    for answer, pages in _grouped(affirming):
        if concern == "experimental_exclusion" and answer == "defined":
            parts.append(f"defined on {format_pages(pages)}")
        else:
            parts.append(f"{answer} ({format_pages(pages)})")
    if concern == "billing_codes":
        codes: dict[str, int] = {}
        for finding in affirming:
            for code in finding.matches:
                if CODE.fullmatch(code):
                    codes.setdefault(code, finding.page)
        if codes:
            pages = sorted(set(codes.values()))
            shown = ", ".join(list(codes)[:MAX_CODES_LISTED])
            more = f" and {len(codes) - MAX_CODES_LISTED} more" if len(codes) > MAX_CODES_LISTED else ""
            return f"codes named: {shown}{more} ({format_pages(pages)})"
    if concern == "appeals":
        deadlines = appeal_deadlines(affirming)
        if deadlines:
            parts.append("deadlines stated: " + ", ".join(f"{d} (p. {p})" for d, p in deadlines[:6]))
    for answer, pages in _grouped(negating):
        plain = []
        for finding in (f for f in negating if f.answer == answer):
            exception = exceptions.get(id(finding))
            if exception is None:
                plain.append(finding.page)
            else:
                # "not required, except for Spravato, which requires prior authorization (p. 4)"
                parts.append(f"{answer}, {_clause(exception.quote)} (p. {finding.page})")
        if plain:
            parts.append(f"{answer} ({format_pages(plain)})")
    return "; ".join(parts)


def _exception(negating: Finding, affirming: list[Finding]) -> Finding | None:
    """The affirming clause right after a negating one in the same passage (", except for
    Spravato, which requires prior authorization."): find_findings quotes each clause apart."""
    if negating.quote.rstrip().endswith(SENTENCE_ENDS):
        return None  # the next sentence is no exception to this one, however close it starts
    end = negating.start + len(negating.quote)
    for finding in affirming:
        # The next item of a list is no exception to the item before it, however close it starts.
        if finding.page == negating.page and 0 <= finding.start - end <= EXCEPTION_REACH and not BULLET.match(finding.quote):
            return finding
    return None


def _clause(quote: str) -> str:
    clause = " ".join(quote.split()).rstrip(".;,")
    if len(clause) > MAX_EXCEPTION:
        clause = clause[:MAX_EXCEPTION].rsplit(" ", 1)[0] + " …"
    return clause


def summarize(document: Document | None, findings: list[Finding], costs: tuple = ()) -> tuple[ConcernSummary, ...]:
    """One ConcernSummary per concern, in the public concern order."""
    unreadable = [] if document is None else [i + 1 for i, m in enumerate(document.page_methods) if m == "none"]
    summaries = []
    for concern in CONCERNS:
        mine = ranked([f for f in findings if f.concern == concern])
        affirming = [f for f in mine if f.polarity == "affirms"]
        negating = [f for f in mine if f.polarity == "negates"]
        pages = tuple(sorted({f.page for f in mine}))
        if affirming:
            status = "found"
        elif negating:
            status = "negated"
        elif unreadable:
            status = "unknown"
        else:
            status = "not_found"
        if mine:
            answer = _answer_for(concern, affirming, negating, costs)
        elif unreadable:
            answer = (f"not found in the readable pages; {len(unreadable)} page(s) could not be read "
                      f"({format_pages(unreadable)}), so it may still be there")
        else:
            answer = "not found: no page of this document mentions it"
        summaries.append(ConcernSummary(concern, status, answer, pages))
    return tuple(summaries)
