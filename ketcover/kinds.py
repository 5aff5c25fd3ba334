"""Document kinds: what a document is (an SBC, a medical policy, a denial letter...), from its own words."""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from pathlib import Path

from ketcover.model import Document, DocumentKind

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
class KindTable:
    """The kinds of kinds.yaml: labels, cues, and the size of each place a cue is looked for."""

    labels: dict[str, str]  # kind -> label, in the file's order (a tie goes to the first)
    cues: tuple[Cue, ...]
    examples: dict[str, tuple[tuple[str, ...], tuple[str, ...]]]  # kind -> (examples, not_examples)
    min_weight: int
    title_lines: int
    front_pages: int
    heading_pages: int


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
    return KindTable(labels, tuple(cues), examples, raw["min_weight"], raw["title_lines"],
                     raw["front_pages"], raw["heading_pages"])


def title_end(text: str, lines: int) -> int:
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
    return {"title": [(0, title_end(document.text, table.title_lines))], "front": [(0, front_end)],
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
