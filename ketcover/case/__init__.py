"""A patient's case: one answer per treatment from all of their documents, the denial, deadlines and next steps."""

from __future__ import annotations

from datetime import date
from pathlib import Path

SCHEMA = "ketcover.case/1"


def build_case(paths, profile: dict | None = None, *, options=None, rules=None, today: date | None = None,
               mask: bool = True) -> dict:
    """Read the documents and build the case (a JSON-ready dict, schema ketcover.case/1).

    Every statement drawn from a document carries file (a name, never a path), page and a verbatim
    quote of that page. Member IDs and claim numbers are masked unless mask=False.
    """
    from ketcover.case.sources import read_sources

    return case_from_sources(read_sources([Path(p) for p in paths], options, rules), profile, today=today, mask=mask)


def case_from_sources(sources, profile: dict | None = None, *, today: date | None = None, mask: bool = True) -> dict:
    from ketcover import __version__
    from ketcover.case import vocab
    from ketcover.case.deadlines import build_deadlines
    from ketcover.case.denial import read_denial
    from ketcover.case.checklist import build_checklist
    from ketcover.case.flags import flags_for
    from ketcover.case.nextsteps import documents_to_gather, questions_for
    from ketcover.case.letter import appeal_letter
    from ketcover.privacy import mask_case
    from ketcover.case.treatments import assess_treatments

    today = today or date.today()
    treatments = assess_treatments(sources)
    denials = [d for d in (read_denial(s) for s in sources) if d]
    denial = denials[0] if denials else None
    deadlines = build_deadlines(sources, denial, profile, today)
    checklist = build_checklist(sources, treatments, profile, denial)
    flags = flags_for(sources, treatments, today)
    case = {
        "schema": SCHEMA,
        "ketcover_version": __version__,
        "as_of": today.isoformat(),
        "documents": [{**s.report.to_json(), "kind": s.kind} for s in sources],
        "profile_used": bool(profile),
        "treatments": treatments,
        "denial": denial,
        "deadlines": deadlines,
        "checklist": checklist,
        "flags": flags,
        "questions": questions_for(treatments, flags, denial),
        "documents_to_gather": documents_to_gather(sources, denial),
        "assistance": vocab.load("assistance"),
    }
    case["appeal_letter"] = appeal_letter(case, profile) if denial else None
    case["assistance"] = {"as_of": str(case["assistance"]["as_of"]), "routes": case["assistance"]["routes"]}
    if not mask:
        return case
    identifiers = {denial[key]["value"] for key in ("reference", "member_id") if denial and denial.get(key)}
    if profile and profile.get("member_id"):
        identifiers.add(str(profile["member_id"]))
    return mask_case(case, identifiers)


def cited_items(node, path: str = "case"):
    """Every dict of a case (or of any part of it) that cites a document: (where, dict), where
    `where` names its place ("case.treatments[0].evidence[1]"); each has `file`, `page`, `quote`."""
    if isinstance(node, dict):
        if node.get("quote") is not None and node.get("file"):
            yield path, node
        for key, value in node.items():
            yield from cited_items(value, f"{path}.{key}")
    elif isinstance(node, list):
        for index, value in enumerate(node):
            yield from cited_items(value, f"{path}[{index}]")


__all__ = ["SCHEMA", "build_case", "case_from_sources", "cited_items"]
