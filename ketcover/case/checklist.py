"""The policy's criteria as a checklist, each held against the patient's profile: met, not_met or unknown, with why."""

from __future__ import annotations

import re

from ketcover.case import vocab

NUMBERS = {"one": 1, "two": 2, "three": 3, "four": 4, "2": 2, "3": 3, "1": 1, "4": 4}


def check_of(text: str) -> str | None:
    """Which check a criterion is (data: checklist.yaml checks); None when ketcover cannot check it."""
    for check in vocab.load("checklist")["checks"]:
        if vocab.matches(check["any"], text):
            return check["id"]
    return None


def _missing(key: str) -> tuple[str, str]:
    return "unknown", f"The profile does not say ({key})."


def _age(text: str, profile: dict) -> tuple[str, str]:
    match = re.search(r"\b(\d{2}) years", text) or re.search(r"\bage (\d{2})", text)
    if profile.get("age") is None:
        return _missing("age")
    if not match:
        return "unknown", "The criterion names no age ketcover can compare."
    need = int(match.group(1))
    return ("met", f"Age {profile['age']}; the criterion asks for {need} or older.") if profile["age"] >= need \
        else ("not_met", f"Age {profile['age']}; the criterion asks for {need} or older.")


def _diagnosis(text: str, profile: dict) -> tuple[str, str]:
    diagnoses = profile.get("diagnoses")
    if diagnoses is None:
        return _missing("diagnoses")
    joined = "; ".join(str(d) for d in diagnoses)
    if re.search(r"\bF3[23]\b|\bF3[23]\.\d|major depress", joined, re.I):
        if re.search(r"without psychotic", text, re.I) and re.search(r"(?<!without )\bpsychotic|F3[23]\.3", joined, re.I):
            return "not_met", f"Diagnoses: {joined}; they include psychotic features, which the criterion excludes."
        return "met", f"Diagnoses: {joined}. The prescriber's records must show how it was established."
    return "not_met", f"Diagnoses: {joined}; none is major depressive disorder."


def _classes() -> dict[str, str]:
    return {drug: cls for cls, drugs in vocab.load("checklist")["antidepressant_classes"].items() for drug in drugs}


def _trials(text: str, profile: dict) -> tuple[str, str]:
    trials = profile.get("antidepressant_trials")
    if trials is None:
        return _missing("antidepressant_trials")
    data = vocab.load("checklist")
    count = re.search(r"\bat least (one|two|three|four|\d)\s*(?:\(\d\)\s*)?(different )?(oral )?(antidepressant|adequate|trial)", text, re.I)
    need = NUMBERS.get(count.group(1).lower(), 2) if count else 2
    weeks = re.search(r"\bat least (\d{1,2}) weeks", text, re.I)
    min_weeks = int(weeks.group(1)) if weeks else None
    classes_needed = bool(re.search(r"\bdifferent classes\b", text, re.I))
    intolerance_ok = vocab.matches(data["intolerance_counts"], text)
    classes = _classes()
    counted, incomplete, notes = [], [], []
    for trial in trials:
        drug = str(trial["drug"])
        lacking = [k for k in ("dose", "weeks", "outcome") if trial.get(k) in (None, "")]
        if trial.get("current_episode") is None:
            lacking.append("whether it was in the current episode")
        outcome = str(trial.get("outcome") or "").lower().replace(" ", "_")
        if trial.get("current_episode") is False:
            notes.append(f"{drug} was not in the current episode")
            continue
        if outcome and outcome not in data["failed_outcomes"]:
            notes.append(f"{drug} worked ({outcome})")
            continue
        intolerant = outcome in data["intolerance_outcomes"]
        if trial.get("weeks") is not None and min_weeks and trial["weeks"] < min_weeks and not (intolerant and intolerance_ok):
            notes.append(f"{drug} lasted {trial['weeks']} weeks, fewer than {min_weeks}")
            continue
        if lacking:
            incomplete.append(f"{drug} (missing: {', '.join(lacking)})")
            continue
        counted.append(drug)
    distinct = len({classes.get(d.lower(), d.lower()) for d in counted}) if classes_needed else len(counted)
    detail = f"Adequate failed trials documented: {', '.join(counted) or 'none'}"
    if notes:
        detail += f"; not counted: {'; '.join(notes)}"
    if distinct >= need:
        return "met", f"{detail}. The criterion asks for {need}{' from different classes' if classes_needed else ''}."
    if incomplete and distinct + len(incomplete) >= need:
        return "unknown", f"{detail}; incomplete: {', '.join(incomplete)}. The criterion asks for {need}: complete the records."
    return "not_met", f"{detail}. The criterion asks for {need}{' from different classes' if classes_needed else ''}."


def _oral(text: str, profile: dict) -> tuple[str, str]:
    if "current_oral_antidepressant" not in profile:
        return _missing("current_oral_antidepressant")
    value = profile["current_oral_antidepressant"]
    if value in (None, False, "", "none", "None", "no"):
        return "not_met", "No current oral antidepressant (see the flag on the FDA label)."
    return "met", f"Current oral antidepressant: {value}."


def _flag(key: str, yes: str, no: str):
    def check(text: str, profile: dict) -> tuple[str, str]:
        if profile.get(key) is None:
            return _missing(key)
        return ("met", yes) if profile[key] else ("not_met", no)
    return check


def _contraindications(text: str, profile: dict) -> tuple[str, str]:
    listed = profile.get("contraindications")
    if listed is None:
        return _missing("contraindications")
    words = [w for w in ("aneurysm", "arteriovenous", "hemorrhage", "haemorrhage") if re.search(w, text, re.I)]
    hits = [str(c) for c in listed if any(re.search(w, str(c), re.I) for w in words)]
    if hits:
        return "not_met", f"Conditions listed: {', '.join(hits)}."
    return "met", "None of these conditions is listed; the prescriber must confirm it in the records."


def _scales(text: str, profile: dict) -> tuple[str, str]:
    scales = profile.get("rating_scales")
    if scales is None:
        return _missing("rating_scales")
    if not scales:
        return "not_met", "No rating-scale score is listed."
    names = ", ".join(f"{s.get('scale', '?')} {s.get('score', '?')}" if isinstance(s, dict) else str(s) for s in scales)
    return "met", f"Scores: {names}."


def _prescriber(text: str, profile: dict) -> tuple[str, str]:
    specialty = profile.get("prescriber_specialty")
    if not specialty:
        return _missing("prescriber_specialty")
    if re.search(r"psychiatr", str(specialty), re.I):
        return "met", f"Prescriber: {specialty}."
    if re.search(r"in consultation", text, re.I):
        return "unknown", f"Prescriber: {specialty}; the criterion also accepts consultation with a psychiatrist: document it."
    return "not_met", f"Prescriber: {specialty}; the criterion asks for a psychiatrist."


EVALUATORS = {
    "age": _age,
    "diagnosis_mdd": _diagnosis,
    "antidepressant_trials": _trials,
    "concurrent_oral_antidepressant": _oral,
    "rems_site": _flag("rems_certified_site", "The treatment site is REMS-certified.", "The treatment site is not REMS-certified."),
    "contraindications": _contraindications,
    "baseline_scale": _scales,
    "prescriber_specialty": _prescriber,
}


def evaluate(check: str | None, text: str, profile: dict | None) -> tuple[str, str]:
    if not profile:
        return "unknown", "No profile was given."
    if check is None:
        return "unknown", "ketcover cannot check this criterion; ask your prescriber to document it."
    return EVALUATORS[check](text, profile)


def _chosen_treatment(treatments: list[dict], profile: dict | None) -> dict | None:
    if profile and profile.get("treatment"):
        return next((t for t in treatments if t["treatment"] == profile["treatment"]), None)
    return next((t for t in treatments if t["conditions"]), None)


def build_checklist(sources, treatments: list[dict], profile: dict | None, denial: dict | None = None) -> dict:
    """The initial criteria of the treatment in question (TRD first), one item per criterion, cited and checked."""
    treatment = _chosen_treatment(treatments, profile)
    if not treatment:
        return {"treatment": None, "items": [], "summary": "No document in the case states criteria for a treatment."}
    initial = [c for c in treatment["conditions"] if c.get("phase") == "initial"] or treatment["conditions"]
    indications = [c["indication"] for c in initial]
    chosen = "trd" if "trd" in indications else (indications[0] if indications else None)
    items = []
    denied_checks = {check_of(c["quote"]) for c in (denial or {}).get("criteria_not_met", [])} - {None}
    for condition in initial:
        if condition["indication"] != chosen:
            continue
        check = check_of(condition["text"])
        status, reason = evaluate(check, condition["text"], profile)
        item = {"criterion": condition["text"], "check": check, "status": status, "reason": reason,
                "indication": condition["indication"], "file": condition["file"], "page": condition["page"],
                "quote": condition["quote"], "denial_says_not_met": check in denied_checks}
        items.append(item)
    counts = {s: sum(1 for i in items if i["status"] == s) for s in ("met", "not_met", "unknown")}
    return {"treatment": treatment["treatment"], "indication": chosen, "items": items, "counts": counts}
