"""Document kinds: what a document is (an SBC, a medical policy, a denial letter...), from its own words."""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from pathlib import Path

from ketcover.model import Document, DocumentKind, Finding

KINDS_FILE = Path(__file__).with_name("kinds.yaml")
WHERE = ("title", "front", "headings")
OTHER = "other"


@dataclass(frozen=True)
class Cue:
    """Words that give a kind away, where they must appear and how much they weigh."""

    kind: str
    where: str  # title | front | headings
    weight: int
    pattern: re.Pattern


@dataclass(frozen=True)
class Statement:
    """What a document of one kind states in its own words: a concern's finding without its keywords."""

    concern: str
    rule: str
    answer: str
    pattern: re.Pattern
    examples: tuple[str, ...]
    not_examples: tuple[str, ...]


@dataclass(frozen=True)
class Reading:
    """How to read one kind: where its subject (the drug) is named, and the statements it makes."""

    subject: tuple[re.Pattern, ...]
    statements: tuple[Statement, ...]


@dataclass(frozen=True)
class KindTable:
    """The kinds of kinds.yaml: labels, cues, and the size of each place a cue is looked for."""

    labels: dict[str, str]  # kind -> label, in the file's order (a tie goes to the first)
    cues: tuple[Cue, ...]
    examples: dict[str, tuple[tuple[str, ...], tuple[str, ...]]]  # kind -> (examples, not_examples)
    min_weight: int
    title_lines: int
    front_pages: int
    heading_pages: int
    readings: dict[str, Reading]


def compile_cue(pattern: str) -> re.Pattern:
    """A cue as written in kinds.yaml: a space matches any whitespace run (titles wrap), " ?" any or none."""
    return re.compile(pattern.replace(" ?", r"\s*").replace(" ", r"\s+"), re.IGNORECASE | re.MULTILINE)


@functools.cache
def load_kinds(path: Path = KINDS_FILE) -> KindTable:
    """Read and check the kinds file; a mistake names the kind and the key, before any PDF is read."""
    from ketcover.ruleset import RulesetError, _load_yaml

    raw = _load_yaml(path, path.read_bytes())
    labels, cues, examples = {}, [], {}
    for kind, spec in raw["kinds"].items():
        if not isinstance(spec, dict) or not isinstance(spec.get("label"), str) or not spec.get("cues"):
            raise RulesetError(path.name, kind, "label", "every kind needs a label and cues")
        labels[kind] = spec["label"]
        for cue in spec["cues"]:
            if cue.get("where") not in WHERE or not isinstance(cue.get("weight"), int):
                raise RulesetError(path.name, kind, "cues", f"where must be one of {WHERE}, weight a number")
            try:
                cues.append(Cue(kind, cue["where"], cue["weight"], compile_cue(cue["pattern"])))
            except (re.error, KeyError, AttributeError) as exc:
                raise RulesetError(path.name, kind, "pattern", f"is not a valid pattern ({exc})") from None
        examples[kind] = (tuple(spec.get("examples") or ()), tuple(spec.get("not_examples") or ()))
    labels[OTHER] = raw["other"]["label"]
    readings = {}
    for kind, spec in (raw.get("reading") or {}).items():
        if kind not in labels:
            raise RulesetError(path.name, kind, "reading", "names no kind of this file")
        statements = tuple(
            Statement(st["concern"], st["rule"], st["answer"], compile_cue(st["pattern"]),
                      tuple(st.get("examples") or ()), tuple(st.get("not_examples") or ()))
            for st in spec["statements"])
        readings[kind] = Reading(tuple(compile_cue(p) for p in spec.get("subject") or ()), statements)
    return KindTable(labels, tuple(cues), examples, raw["min_weight"], raw["title_lines"],
                     raw["front_pages"], raw["heading_pages"], readings)


def _title_end(text: str, lines: int) -> int:
    """Where the document's first `lines` non-blank lines end: its title block."""
    seen, offset = 0, 0
    while offset < len(text):
        end = text.find("\n", offset)
        end = len(text) if end == -1 else end
        if text[offset:end].strip():
            seen += 1
            if seen >= lines:
                return end
        offset = end + 1
    return len(text)


def _regions(document: Document, table: KindTable) -> dict[str, list[tuple[int, int]]]:
    """(start, end) spans of the document text where each kind of cue is looked for."""
    if not document.page_count:
        return {where: [] for where in WHERE}
    front_end = document.page_span(min(table.front_pages, document.page_count))[1]
    headings_end = document.page_span(min(table.heading_pages, document.page_count))[1]
    heading_lines = []
    for heading in document.headings:
        if heading.offset >= headings_end:
            break
        line_end = document.text.find("\n", heading.offset)
        heading_lines.append((heading.offset, len(document.text) if line_end == -1 else line_end))
    return {"title": [(0, _title_end(document.text, table.title_lines))], "front": [(0, front_end)],
            "headings": heading_lines}


def detect_kind(document: Document) -> DocumentKind:
    """The kind a person would give the document, and the words (with their page) that decided it.

    Every kind's cues are looked for in their place; the kind whose best cue weighs most wins,
    ties going to the kind listed first in kinds.yaml. Below min_weight the document is `other`.
    """
    table = load_kinds()
    regions = _regions(document, table)
    order = list(table.labels)
    best: tuple[int, int, int, str] | None = None  # (weight, -kind order, -offset, kind) of the best cue
    found: dict[str, tuple[int, int, str]] = {}
    for cue in table.cues:
        for start, end in regions[cue.where]:
            match = cue.pattern.search(document.text, start, end)
            if match and match.group(0).strip():
                key = (cue.weight, -order.index(cue.kind), -match.start(), cue.kind)
                if best is None or key > best:
                    best = key
                    found[cue.kind] = (match.start(), match.end(), cue.where)
                break
    if best is None or best[0] < table.min_weight:
        return DocumentKind(OTHER, table.labels[OTHER], "no words of a known document kind in its title or first pages")
    kind = best[3]
    start, end, where = found[kind]
    quote = document.text[start:end].strip()
    page = document.page_of(start + (len(document.text[start:end]) - len(document.text[start:end].lstrip())))
    return DocumentKind(kind, table.labels[kind], f"{where}: \u201c{' '.join(quote.split())}\u201d (p. {page})",
                        quote=quote, page=page)


def document_subject(document: Document, reading: Reading) -> str | None:
    """The drug (or other subject) a criteria document is about, named in its title block."""
    title = document.text[:_title_end(document.text, load_kinds().title_lines)]
    for pattern in reading.subject:
        match = pattern.search(title)
        if match:
            return " ".join(match.group(1).split())
    return None


def read_by_kind(document: Document, kind: str, findings: list[Finding], passages) -> list[Finding]:
    """The findings plus what the kind's reading finds in the passages, each naming the document's
    subject; a passage already cited for the same concern is not cited twice."""
    reading = load_kinds().readings.get(kind)
    if reading is None:
        return findings
    subject = document_subject(document, reading)
    concerns = {statement.concern for statement in reading.statements}
    cited = {(f.concern, f.start) for f in findings}
    added = []
    for passage in passages:
        text = document.text[passage.start:passage.end]
        for statement in reading.statements:
            if (statement.concern, passage.start) in cited or not statement.pattern.search(text):
                continue
            cited.add((statement.concern, passage.start))
            page = document.page_of(passage.start)
            ocr = document.page_methods and document.page_methods[page - 1] == "ocr"
            added.append(Finding(statement.concern, statement.rule, page, text, subject, "affirms", 1.0,
                                 "kind+ocr" if ocr else "kind", answer=statement.answer, start=passage.start))
    if subject:
        # Every criteria finding belongs to the drug the document is about.
        findings = [f if f.concern not in concerns or (f.section or "").startswith(subject)
                    else _with_section(f, f"{subject}: {f.section}" if f.section else subject) for f in findings]
    return sorted([*findings, *added], key=lambda f: f.sort_key)


def _with_section(finding: Finding, section: str) -> Finding:
    from dataclasses import replace

    return replace(finding, section=section)
