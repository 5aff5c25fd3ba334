"""Reading a denial letter: what was denied, when, why, which criteria were not met, what is missing."""

from __future__ import annotations

import re

from ketcover.case import vocab
from ketcover.case.lists import find_lists
from ketcover.case.text import Piece, cite, document_date, parse_date, sentences
from ketcover.privacy import identifier_labels, labeled_identifiers


def _labeled_line(pages: list[str], labels: list[str], need_digit: bool = False) -> tuple[Piece, str] | None:
    """The first line starting with one of the labels: the line (verbatim) and the value after the label."""
    for label in labels:
        for number, text in enumerate(pages, start=1):
            for match in re.finditer(rf"^[ \t]*{label}[ \t]*(?P<value>[^\n]*)", text, re.I | re.M):
                value = match.group("value").strip()
                if value and (not need_digit or re.search(r"\d", value)):
                    start = match.start() + (len(match.group(0)) - len(match.group(0).lstrip()))
                    return Piece(number, start, match.end(), text[start:match.end()]), value
    return None


def _identifier(pages: list[str], labels: list[str]) -> dict | None:
    """The first ID after one of its labels (privacy.yaml): value and citation."""
    found = labeled_identifiers(pages, labels)
    return {**found[0], "file": None} if found else None


def _continued(pages: list[str], piece: Piece) -> str:
    """A label's value that wraps onto following indented lines (a table cell): the whole value."""
    text = pages[piece.page - 1]
    value = [piece.text]
    for line in text[piece.end + 1:].split("\n")[:3]:
        # A wrapped cell line starts lower-case or with a code; a new label starts with a capital word and a colon.
        if not line.strip() or re.match(r"^\s*[A-Z][^:\n]{0,60}:", line) or re.match(r"^\s*[A-Z][a-z]+ [A-Z]", line):
            break
        value.append(line.strip())
    return " ".join(value)


def read_denial(source) -> dict | None:
    """The `denial` section for a denial letter, every item cited; None for any other document."""
    if source.kind != "denial_letter":
        return None
    spec = vocab.load("denial")["denial"]
    pages = source.pages()
    name = source.name
    result: dict = {"file": name}

    service = _labeled_line(pages, spec["service_labels"])
    result["service"] = ({"text": _continued(pages, service[0]).split(":", 1)[-1].strip(), **cite(name, service[0])}
                         if service else None)
    dated = _labeled_line(pages, spec["date_labels"])
    found_date = None
    if dated:
        found_date = parse_date(dated[1])
        if found_date:
            result["date"] = {"date": found_date.isoformat(), **cite(name, dated[0])}
    if not found_date:
        header = document_date(pages, [])
        result["date"] = {"date": header[0].isoformat(), "file": name, "page": header[1], "quote": header[2]} if header else None
    labels = identifier_labels()
    for key in ("reference", "member_id"):
        found = _identifier(pages, labels[key])
        result[key] = {**found, "file": name} if found else None

    reasons, criteria, missing, addresses = [], [], [], []
    for number, text in enumerate(pages, start=1):
        for piece in sentences(number, text):
            if vocab.matches(spec["reason"], piece.text):
                reasons.append(cite(name, piece))
            if vocab.matches(spec["criteria"], piece.text) and vocab.matches([r"\bpolicy\b", r"\bcriteri", r"\brequire"], piece.text):
                criteria.append(cite(name, piece))
            if vocab.matches(spec["missing"], piece.text):
                missing.append(cite(name, piece))
            if vocab.matches(spec["address"], piece.text):
                addresses.append(cite(name, piece))
    for found in find_lists(pages):
        if found.kind == "documentation" and vocab.matches(spec["include_headings"], found.lead.text):
            missing += [{"requested": True, **cite(name, item.piece)} for item in found.items]
    result["reason"] = reasons
    result["criteria_not_met"] = [c for c in criteria if c not in reasons] or criteria
    result["missing_documents"] = missing
    result["send_appeal_to"] = addresses
    return result
