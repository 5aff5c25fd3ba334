"""Flags a patient should know about, each cited: stricter than the FDA label, documents that disagree, outdated codes."""

from __future__ import annotations

import re
from datetime import date

from ketcover.case import vocab
from ketcover.case.checklist import check_of
from ketcover.case.text import Piece, cite, document_date, sentences


def _label_statements(sources, patterns) -> list[dict]:
    """Where a document of the case states the current label itself (cited beside the policy)."""
    found = []
    for source in sources:
        for number, text in enumerate(source.pages(), start=1):
            for piece in sentences(number, text):
                if vocab.matches(patterns, piece.text):
                    found.append(cite(source.name, piece))
    return found[:2]


def stricter_than_label(sources, treatments: list[dict]) -> list[dict]:
    flags = []
    for fact in vocab.load("checklist")["label_facts"]:
        statements = _label_statements(sources, fact["document_statement"])
        seen_files = set()
        for treatment in treatments:
            for condition in treatment["conditions"]:
                if condition["indication"] != fact["indication"] or check_of(condition["text"]) != fact["check"]:
                    continue
                if condition["file"] in seen_files:
                    continue
                seen_files.add(condition["file"])
                flags.append({
                    "code": "stricter_than_label",
                    "message": f"This policy requires an oral antidepressant with Spravato for treatment-resistant depression. {fact['fact']} "
                               "Ask the plan for an exception if you cannot take one, and cite the label.",
                    "label_source": fact["source"], "label_statements_in_documents": statements,
                    "file": condition["file"], "page": condition["page"], "quote": condition["quote"],
                })
    return flags


def conflicting_documents(treatments: list[dict]) -> list[dict]:
    flags = []
    for treatment in treatments:
        if treatment["status"] != "conflicting":
            continue
        sides = []
        for file, status in treatment["status_by_document"].items():
            item = next((e for e in treatment["evidence"] if e["file"] == file and (e["status"] == status or status == "conflicting")), None)
            if item:
                sides.append({"status": status, **{k: item[k] for k in ("file", "page", "quote")}})
        first = sides[0] if sides else {"file": None, "page": None, "quote": None}
        flags.append({
            "code": "conflicting_documents", "treatment": treatment["treatment"],
            "message": f"Your documents disagree about {treatment['label']}: "
                       + "; ".join(f"{s['file']} p. {s['page']}: {s['status'].replace('_', ' ')}" for s in sides)
                       + ". Ask the plan which document governs.",
            "sides": sides, "file": first["file"], "page": first["page"], "quote": first["quote"],
        })
    return flags


def outdated_codes(sources, today: date) -> list[dict]:
    spec = vocab.load("checklist")
    flags = []
    for code in spec["outdated_codes"]:
        since = date.fromisoformat(str(code["since"]))
        for source in sources:
            pages = source.pages()
            hit = None
            for number, text in enumerate(pages, start=1):
                match = re.search(rf"\b{code['code']}\b", text)
                if match:  # the line naming the code (a table row or a wrapped cell reads best alone)
                    start = text.rfind("\n", 0, match.start()) + 1
                    end = text.find("\n", match.end())
                    end = len(text) if end < 0 else end
                    hit = Piece(number, start, end, text[start:end])
                    break
            if not hit:
                continue
            dated = document_date(pages, spec["date_labels"])
            if dated and dated[0] < since:
                continue  # written before the change: the old code was right then
            when = f"dated {dated[0].isoformat()}" if dated else "undated (check whether it applies to 2026 or later)"
            flag = {
                "code": "outdated_code", "billing_code": code["code"], "replaced_by": code["replaced_by"],
                "message": f"{source.name} ({when}) names {code['code']}, which {code['replaced_by']} replaced on {since.isoformat()}. "
                           f"A claim billed with {code['code']} may be rejected: ask which code the plan uses.",
                "code_source": code["source"], **cite(source.name, hit),
            }
            if dated:
                flag["document_date"] = {"date": dated[0].isoformat(), "file": source.name, "page": dated[1], "quote": dated[2]}
            flags.append(flag)
    return flags


def flags_for(sources, treatments: list[dict], today: date) -> list[dict]:
    return stricter_than_label(sources, treatments) + conflicting_documents(treatments) + outdated_codes(sources, today)
