"""How a cost value is said in words: its title, its network, the deductible rule, whose share."""

from __future__ import annotations

import re

from ketcover.model import CostValue

COST_TITLES = {
    "outpatient_mental_health": "Outpatient mental health cost",
    "inpatient_mental_health": "Inpatient mental health cost",
    "deductible": "Overall deductible",
    "out_of_pocket_limit": "Out-of-pocket limit",
    "esketamine_drug": "Esketamine (Spravato) drug cost",
}
DEDUCTIBLE_WORDS = {"true": "after deductible", "false": "deductible does not apply"}
SAYS_DEDUCTIBLE = re.compile(r"deductible", re.I)
PERCENTS = re.compile(r"\d{1,3}(?:\.\d+)?\s?%")
NETWORK_WORDS = {"preferred": "Preferred tier", "in_network": "In network", "any": "", "out_of_network": "Out of network"}


def cost_text(value: CostValue) -> str:
    """The value as printed, with the deductible rule said in words when the page states it:
    '$30 copay/visit, after deductible' (a high-deductible plan's copay is not a $30 visit), and the
    visit limit stated with it."""
    text = value.value.rstrip(". ")
    rule = DEDUCTIBLE_WORDS.get(value.deductible_applies)
    if rule and not SAYS_DEDUCTIBLE.search(text):
        text = f"{text}, {rule}"
    if value.share == "plan":
        # "100% of the Allowable Charge, after Deductible" under a schedule's "Benefits" column: the
        # plan's share. Said in words, or a navigator reads 100% as what the member pays.
        text = f"{text}; {plan_share_words(value.value)}"
    if value.visit_limit and value.visit_limit.lower() not in text.lower():
        # "$30 copay/visit, after deductible; limited to 20 visits per year": a cheaper visit that
        # stops after 20 is not the same benefit as one without a limit.
        text = f"{text}; {value.visit_limit}"
    return text


def plan_share_words(value: str) -> str:
    """'100% is what the plan pays, not the member's cost', naming the value's percentages."""
    percents = list(dict.fromkeys(p.replace(" ", "") for p in PERCENTS.findall(value)))
    what = " and ".join(percents) if percents else "the percentage"
    return f"{what} {'are' if len(percents) > 1 else 'is'} what the plan pays, not the member's cost"


def cost_answer(values: list[CostValue], files: tuple[str, ...] = ()) -> str:
    """'In network: $40 copay/visit. Out of network: 30% coinsurance, after deductible. (p. 3)';
    with `files` (one per value, for a plan of several documents) each value names its file."""
    same_page = not files and len({v.page for v in values}) == 1
    parts = []
    for index, value in enumerate(values):
        label = ", ".join(w for w in (value.plan_option, NETWORK_WORDS[value.network]) if w)
        text = cost_text(value)
        text = f"{label}: {text}" if label else text
        where = f"{files[index]} p. {value.page}" if files else f"p. {value.page}"
        parts.append(text + ("." if same_page else f" ({where})."))
    return " ".join(parts) + (f" (p. {values[0].page})" if same_page else "")
