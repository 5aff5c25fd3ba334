"""Mental-health cost sharing as values (copay, coinsurance, deductible, out-of-pocket limit), with pages."""

from __future__ import annotations

from dataclasses import asdict, dataclass

from ketcover.model import Document


@dataclass(frozen=True)
class CostValue:
    """One stated cost: what it is for, which network tier, the value as printed, where."""

    item: str  # outpatient_mental_health | inpatient_mental_health | deductible | out_of_pocket_limit
    network: str  # in_network | out_of_network | any
    value: str  # as printed on the page, e.g. "$30 copay/office visit", "50% coinsurance", "Not covered"
    page: int
    quote: str  # verbatim substring of that page's text

    def to_json(self) -> dict:
        return asdict(self)


def extract_costs(document: Document) -> tuple[CostValue, ...]:
    """Cost values the document states for mental health care and the plan's overall limits."""
    return ()
