"""What to do next: questions for the insurer (each tied to its finding or gap) and documents to gather, each cited."""

from __future__ import annotations

from ketcover.case import vocab
from ketcover.case.lists import find_lists


def _question(key: str, because: str, cites: list[dict], treatment: dict | None = None) -> dict:
    spec = vocab.load("treatments")["treatments"]
    names = {"short": spec[treatment["treatment"]]["short"], "label": spec[treatment["treatment"]]["answer_name"]} if treatment else {}
    text = vocab.load("questions")["questions"][key].format(**names)
    return {"id": key, "question": text, "because": because,
            "cites": [{k: c[k] for k in ("file", "page", "quote")} for c in cites if c.get("file")][:2]}


def questions_for(treatments: list[dict], flags: list[dict], denial: dict | None) -> list[dict]:
    questions = []
    for t in treatments:
        named = t["status"] != "not_addressed"
        if t["status"] == "not_addressed":
            questions.append(_question("not_addressed", f"No document in the case says whether {vocab.load('treatments')['treatments'][t['treatment']]['answer_name']} is covered.", t["general"], t))
            continue
        if t["status"] == "conflicting":
            questions.append(_question("conflicting", "Your documents disagree (see the flag).", t["evidence"], t))
        if t["status"] == "excluded_experimental":
            questions.append(_question("experimental", "A document calls it experimental or investigational.",
                                       [e for e in t["evidence"] if e["status"] == "excluded_experimental"], t))
            continue
        if t["treatment"] == "esketamine_nasal" and named:
            if t["benefit"] in ("several", "not_stated"):
                why = "The documents name more than one benefit." if t["benefit"] == "several" else "No document says which benefit pays."
                questions.append(_question("benefit_unclear", why, t["benefit_evidence"], t))
            questions.append(_question("pa_required" if t["prior_authorization"] == "required" else "pa_not_stated",
                                       "Prior authorization is required." if t["prior_authorization"] == "required"
                                       else "No document says whether prior authorization is needed.",
                                       t["prior_authorization_evidence"], t))
            questions.append(_question("visit_codes", "Spravato is billed as a drug code plus an observation-visit code.",
                                       [e for e in t["evidence"]], t))
            rems = [c for c in t["conditions"] if "REMS" in c["text"]]
            questions.append(_question("rems_sites", "Spravato is given only in REMS-certified settings.", rems, t))
    for flag in flags:
        if flag["code"] == "outdated_code":
            questions.append(_question("outdated_code", flag["message"], [flag]))
        if flag["code"] == "stricter_than_label":
            esk = next(t for t in treatments if t["treatment"] == "esketamine_nasal")
            questions.append(_question("label", flag["message"], [flag], esk))
    merged: dict[str, dict] = {}
    for question in questions:  # one question per id and treatment, its citations merged
        key = question["id"] + question["question"]
        if key in merged:
            merged[key]["cites"] = (merged[key]["cites"] + question["cites"])[:3]
        else:
            merged[key] = question
    questions = list(merged.values())
    if denial:
        questions.append(_question("claim_file", "You were denied; the law lets you see what the decision rested on.",
                                   denial.get("reason") or []))
    return questions


def _who(text: str) -> str:
    for who, patterns in vocab.load("checklist")["gather_who"].items():
        if vocab.matches(patterns, text):
            return who
    return "prescriber"


def documents_to_gather(sources, denial: dict | None) -> list[dict]:
    """The policy's documentation requirements and the denial's requested items, each with who gathers it."""
    items = []
    for source in sources:
        if source.document is None:
            continue
        for found in find_lists(source.pages()):
            if found.kind != "documentation":
                continue
            for item in found.items:
                items.append({"item": item.text, "who": _who(item.text), "from": source.kind,
                              "file": source.name, "page": item.piece.page, "quote": item.piece.text})
    if denial:
        for missing in denial.get("missing_documents", []):
            if not missing.get("requested"):
                items.append({"item": " ".join(missing["quote"].split()), "who": "prescriber", "from": "denial_reason",
                              "file": missing["file"], "page": missing["page"], "quote": missing["quote"]})
    return items
