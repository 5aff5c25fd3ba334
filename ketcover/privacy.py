"""Member IDs, claim and reference numbers: found after their labels, masked before anything is shown or saved."""

from __future__ import annotations

import re
from dataclasses import replace
from functools import lru_cache
from pathlib import Path

from ketcover.model import CostValue, DocumentReport, Finding

# An identifier has a digit and at least five characters: "EHP004417729", "UM-2026-0216-44817".
IDENTIFIER = re.compile(r"\b[A-Z]{0,6}-?\d[\dA-Z-]{4,}\b")


@lru_cache(maxsize=1)
def identifier_labels() -> dict[str, list[str]]:
    """The labels that precede a personal identifier, by kind (privacy.yaml)."""
    import yaml  # here: masking a cached report without identifiers must not load YAML (a quick start-up)

    data = yaml.safe_load((Path(__file__).with_name("privacy.yaml")).read_text(encoding="utf-8"))
    return {kind: list(spec["labels"]) for kind, spec in data["identifiers"].items()}


def labeled_identifiers(pages: list[str], labels: list[str]) -> list[dict]:
    """Each ID printed after one of the labels (on its line or within 40 characters): value, page, quote."""
    found = []
    for label in labels:
        for number, text in enumerate(pages, start=1):
            for match in re.finditer(rf"^[ \t]*{label}|(?<=\| ){label}", text, re.I | re.M):
                value = IDENTIFIER.search(text, match.end(), min(len(text), match.end() + 40))
                if value:
                    start = match.start() + (len(match.group(0)) - len(match.group(0).lstrip()))
                    found.append({"value": value.group(0), "page": number, "quote": text[start:value.end()]})
    return found


@lru_cache(maxsize=1)
def _any_label() -> re.Pattern:
    """Every label in one pattern: a document is scanned once, not once per label (0.4 s -> 0.03 s
    on a 399-page guide)."""
    labels = "|".join(f"(?:{label})" for labels in identifier_labels().values() for label in labels)
    return re.compile(rf"(?:^[ \t]*|(?<=\| ))(?:{labels})", re.I | re.M)


def find_identifiers(pages: list[str]) -> tuple[str, ...]:
    """Every member ID, claim, case or reference number a document prints after its label."""
    values = set()
    for text in pages:
        for match in _any_label().finditer(text):
            value = IDENTIFIER.search(text, match.end(), min(len(text), match.end() + 40))
            if value:
                values.add(value.group(0))
    return tuple(sorted(values))


def mask_value(value: str) -> str:
    """Keep the last four characters, so the owner can still tell which number it is."""
    return "•" * max(0, len(value) - 4) + value[-4:] if len(value) > 4 else "•" * len(value)


def mask_text(text: str, identifiers) -> str:
    for identifier in identifiers:
        text = text.replace(identifier, mask_value(identifier))
    return text


def _usable(identifiers) -> set[str]:
    return {i for i in identifiers if i and len(i) >= 5}


def mask_case(data, identifiers: set[str]):
    """A copy of the case data with every identifier masked in every string; a changed quote says so."""
    identifiers = _usable(identifiers)
    if not identifiers:
        return data

    def walk(node):
        if isinstance(node, dict):
            result = {key: walk(value) for key, value in node.items()}
            if isinstance(node.get("quote"), str) and result["quote"] != node["quote"]:
                result["masked"] = True  # the quote is the page's words with the identifier hidden
            return result
        if isinstance(node, list):
            return [walk(value) for value in node]
        if isinstance(node, str):
            return mask_text(node, identifiers)
        return node

    return walk(data)


def mask_report(report: DocumentReport) -> DocumentReport:
    """The report with its document's identifiers masked in quotes, sections, plan name and costs.

    A finding whose quote changed carries `masked`: its quote is the page's words with the number
    hidden, so a reader knows why it is not a verbatim substring of the page.
    """
    identifiers = _usable(report.identifiers)
    if not identifiers:
        return report

    def finding(f: Finding) -> Finding:
        quote = mask_text(f.quote, identifiers)
        section = mask_text(f.section, identifiers) if f.section else f.section
        if quote == f.quote and section == f.section:
            return f
        return replace(f, quote=quote, section=section, masked=f.masked or quote != f.quote)

    def cost(c: CostValue) -> CostValue:
        return replace(c, quote=mask_text(c.quote, identifiers), value=mask_text(c.value, identifiers),
                       evidence=tuple((page, mask_text(quote, identifiers)) for page, quote in c.evidence))

    return replace(
        report,
        findings=tuple(finding(f) for f in report.findings),
        costs=tuple(cost(c) for c in report.costs),
        summary=tuple(replace(s, answer=mask_text(s.answer, identifiers)) for s in report.summary),
        plan_name=mask_text(report.plan_name, identifiers) if report.plan_name else report.plan_name,
        kind_reason=mask_text(report.kind_reason, identifiers) if report.kind_reason else report.kind_reason,
        set_aside=tuple(replace(s, quote=mask_text(s.quote, identifiers)) for s in report.set_aside),
    )
