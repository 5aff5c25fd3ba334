"""One answer per treatment (Spravato, IV ketamine, other ketamine) from all of a person's documents, each cited."""

from __future__ import annotations

from ketcover.case import vocab
from ketcover.case.lists import FoundList, find_lists
from ketcover.case.text import Piece, cite, in_ranges, reference_ranges, sentences

TREATMENTS = ("esketamine_nasal", "ketamine_iv", "ketamine_other")
# Within one document, the strongest statement decides; across documents, disagreement is shown.
STATUS_ORDER = ("covered_with_conditions", "covered", "excluded_experimental", "not_covered")
FAVOURABLE = {"covered_with_conditions", "covered"}
UNFAVOURABLE = {"excluded_experimental", "not_covered"}


def named_treatments(text: str) -> set[str]:
    """Which treatments a sentence names. Generic "ketamine" with no route stands for IV and other ketamine."""
    data = vocab.load("treatments")
    found = set()
    if vocab.matches(data["treatments"]["esketamine_nasal"]["names"], text):
        found.add("esketamine_nasal")
    if vocab.first_match([data["ketamine_word"]], text) and not vocab.matches(data["ignore_context"], text):
        routes = {t for t in ("ketamine_iv", "ketamine_other") if vocab.matches(data["treatments"][t]["routes"], text)}
        found |= routes or {"ketamine_iv", "ketamine_other"}
    return found


def statement_status(text: str) -> str | None:
    for status, spec in vocab.load("treatments")["statuses"].items():
        if vocab.matches(spec["any"], text) and not vocab.matches(spec.get("unless"), text):
            return status
    return None


def _sentences_by_treatment(source) -> dict[str, list[Piece]]:
    grouped: dict[str, list[Piece]] = {t: [] for t in TREATMENTS}
    skip = reference_ranges(source.pages())
    for number, text in enumerate(source.pages(), start=1):
        for piece in sentences(number, text):
            if in_ranges(piece, skip):
                continue
            for treatment in named_treatments(piece.text):
                grouped[treatment].append(piece)
    return grouped


def _document_status(statements: list[tuple[str, Piece]]) -> str | None:
    data = vocab.load("treatments")
    scoped = [(s, p) for s, p in statements if s in UNFAVOURABLE and vocab.matches(data["scoped_exclusion"], p.text)]
    # An exclusion worded for other uses decides nothing when the document says more about this one.
    unscoped = [item for item in statements if item not in scoped]
    found = {status for status, _ in (unscoped or statements)}
    unscoped_against = [p for s, p in unscoped if s in UNFAVOURABLE]
    for favourable in ("covered_with_conditions", "covered"):
        if favourable in found:
            return "conflicting" if unscoped_against else favourable
    if "excluded_experimental" in found:
        return "excluded_experimental"
    if "not_covered" in found:
        return "not_covered"
    return None


def _combine(per_document: dict[str, str]) -> str:
    statuses = set(per_document.values()) - {"not_addressed"}
    if not statuses:
        return "not_addressed"
    if "conflicting" in statuses or (statuses & FAVOURABLE and statuses & UNFAVOURABLE):
        return "conflicting"
    for status in STATUS_ORDER:
        if status in statuses:
            return status
    return "not_addressed"


def _lead_treatments(source, found: FoundList) -> set[str]:
    """The treatment a criteria list is about: named in its lead-in, else the nearest name before it."""
    named = named_treatments(found.lead.text)
    if named:
        return named
    text = source.pages()[found.lead.page - 1]
    before = text[max(0, found.lead.start - 600): found.lead.start]
    best: tuple[int, set[str]] = (-1, set())
    for piece in sentences(found.lead.page, before):
        names = named_treatments(piece.text)
        if names and piece.start > best[0]:
            best = (piece.start, names)
    if best[1]:
        return best[1]
    # A one-drug criteria document (a PBM program): its first page names the drug.
    first = source.pages()[0][:1500] if source.pages() else ""
    return named_treatments(first) if source.kind == "pa_criteria" else set()


def phase_of(source, found: FoundList) -> str:
    """initial or reauthorization: a lead-in, or the 300 characters before it, about renewal."""
    text = source.pages()[found.lead.page - 1][max(0, found.lead.start - 300): found.lead.end]
    last = None
    for match in vocab.pattern(r"\b(re-?authori[sz]ation|renewal|continuation|continued therapy)\b|\binitial\b").finditer(text):
        last = match.group(0).lower()
    return "initial" if last in (None, "initial") else "reauthorization"


def indication_of(source, found: FoundList) -> str | None:
    """trd or mdd_si: the nearest indication named in the lead-in or in the text before it."""
    indications = vocab.load("checklist")["indications"]
    pages = source.pages()
    text = pages[found.lead.page - 1][: found.lead.end]
    if found.lead.page > 1:
        text = pages[found.lead.page - 2][-800:] + "\n" + text
    best, where = None, -1
    for name, patterns in indications.items():
        for pattern in patterns:
            for match in vocab.pattern(pattern).finditer(text[-1200:]):
                if match.start() > where:
                    best, where = name, match.start()
    if best is None:  # a sub-heading right after the lead-in ("Treatment Resistant Major Depressive Disorder")
        after = pages[found.lead.page - 1][found.lead.end: found.lead.end + 200]
        best = next((name for name, patterns in indications.items() if vocab.matches(patterns, after)), None)
    return best


def criteria_lists(source) -> list[tuple[FoundList, set[str], str | None, str]]:
    """The criteria lists of one document, each with its treatments, indication and phase."""
    lists = []
    initial_indication = None
    for found in find_lists(source.pages()):
        if found.kind != "criteria":
            continue
        phase = phase_of(source, found)
        indication = indication_of(source, found)
        if phase == "initial":
            initial_indication = indication
        else:  # a renewal list belongs to the indication of the initial list before it
            indication = initial_indication or indication
        lists.append((found, _lead_treatments(source, found), indication, phase))
    return lists


def _benefits(name: str, pieces: list[Piece]) -> list[dict]:
    data = vocab.load("treatments")
    benefits = []
    for piece in pieces:
        for benefit, patterns in data["benefits"].items():
            if vocab.matches(patterns, piece.text):
                applies = "visits" if vocab.matches(data["visit_words"], piece.text) else "drug"
                benefits.append({"benefit": benefit, "applies_to": applies, **cite(name, piece)})
    return benefits


def _prior_authorization(name: str, pieces: list[Piece]) -> list[dict]:
    spec = vocab.load("treatments")["prior_authorization"]
    items = []
    for piece in pieces:
        if vocab.matches(spec["not_required"], piece.text):
            items.append({"prior_authorization": "not_required", **cite(name, piece)})
        elif vocab.matches(spec["required"], piece.text):
            items.append({"prior_authorization": "required", **cite(name, piece)})
    return items


def _general_statements(sources) -> list[dict]:
    """What the plan says in general that would apply to a treatment it never names (the reports' findings)."""
    statements = []
    for spec in vocab.load("treatments")["general_concerns"]:
        for source in sources:
            findings = [f for f in source.report.findings if f.concern == spec["concern"] and f.polarity == spec["polarity"]]
            preferred = [f for f in findings if vocab.matches(spec.get("prefer"), f.quote)]
            for finding in (preferred or findings)[:2]:
                statements.append({"concern": spec["concern"], "why": spec["why"], "file": source.name,
                                   "page": finding.page, "quote": finding.quote})
    return statements


ANSWERS = {
    "covered_with_conditions": "{doc} say{s} the plan covers {label} when its criteria are met{pa}.",
    "covered": "{doc} say{s} the plan covers {label}{pa}.",
    "excluded_experimental": "{doc} say{s} {label} is experimental or investigational, so the plan usually does not pay for it.",
    "not_covered": "{doc} say{s} the plan does not cover {label}.",
    "conflicting": "Your documents disagree about {label}: ask the plan which one applies to you.",
    "not_addressed": "None of your documents says whether {label} is covered; the general rules below would apply.",
    "named_only": "Your documents name {label} but do not say whether the plan covers it; the general rules below would apply.",
}


def _answer(status: str, label: str, files: list[str], prior_authorization: str) -> str:
    doc = "The document" if len(files) <= 1 else "Your documents"
    pa = {"required": ", with prior authorization", "not_required": "; no prior authorization is needed"}.get(prior_authorization, "")
    return ANSWERS[status].format(doc=doc, s="s" if len(files) <= 1 else "", label=label, pa=pa)


def assess_treatments(sources) -> list[dict]:
    """The `treatments` section of a case: status, prior authorization, benefit, answer, conditions, evidence."""
    spec = vocab.load("treatments")["treatments"]
    # The policy that sets the criteria speaks first; a denial letter only repeats it.
    order = vocab.load("treatments")["kind_rank"]
    readable = sorted((s for s in sources if s.document is not None), key=lambda s: order.get(s.kind, 3))
    by_source = [(source, _sentences_by_treatment(source), criteria_lists(source)) for source in readable]
    results = []
    for treatment in TREATMENTS:
        per_document: dict[str, str] = {}
        evidence, conditions, pa_items, benefits = [], [], [], []
        for source, grouped, lists in by_source:
            statements = [(s, p) for p in grouped[treatment] if (s := statement_status(p.text))]
            for found, treatments, indication, phase in lists:
                if treatment in treatments:
                    statements.append(("covered_with_conditions", found.lead))
                    for number, item in enumerate(found.items, start=1):
                        conditions.append({"number": number, "text": item.text, "group": found.lead.flat,
                                           "indication": indication, "phase": phase, **cite(source.name, item.piece)})
            status = _document_status(statements)
            if status:
                per_document[source.name] = status
            elif grouped[treatment]:
                per_document[source.name] = "not_addressed"
            seen = set()
            for status_of, piece in statements:
                if (piece.page, piece.start) not in seen:
                    seen.add((piece.page, piece.start))
                    evidence.append({"status": status_of, **cite(source.name, piece)})
            pa_items += _prior_authorization(source.name, grouped[treatment])
            benefits += _benefits(source.name, grouped[treatment])
        status = _combine(per_document)
        named = [(source.name, piece) for source, grouped, _ in by_source for piece in grouped[treatment]]
        if status == "not_addressed":  # where the documents name it without a coverage statement
            evidence += [{"status": "named", **cite(file, piece)} for file, piece in named[:3]]
        values = {item["prior_authorization"] for item in pa_items}
        prior_authorization = "required" if "required" in values else "not_required" if values else "not_stated"
        drug_benefits = {b["benefit"] for b in benefits if b["applies_to"] == "drug"}
        benefit = drug_benefits.pop() if len(drug_benefits) == 1 else "several" if drug_benefits else "not_stated"
        label = spec[treatment]["label"]
        name = spec[treatment]["answer_name"]
        results.append({
            "treatment": treatment,
            "label": label,
            "status": status,
            "status_by_document": per_document,
            "prior_authorization": prior_authorization,
            "benefit": benefit,
            "named": bool(named),
            "answer": _answer("named_only" if status == "not_addressed" and named else status, name, [f for f, s in per_document.items() if s == status] or list(per_document), prior_authorization),
            "conditions": conditions,
            "evidence": evidence,
            "prior_authorization_evidence": pa_items,
            "benefit_evidence": benefits,
            "general": _general_statements(sources) if status == "not_addressed" else [],
        })
    return results
