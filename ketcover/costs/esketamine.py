"""Esketamine (Spravato): the drug tier a document puts it on, then that tier's price."""

from __future__ import annotations

import re

from ketcover.costs.wording import AMOUNT
from ketcover.model import CostValue, Document
from ketcover.normalize import one_line

# ---- esketamine (Spravato): its tier, then that tier's price
#
# "Specialty Drugs include, for example, esketamine (Spravato) nasal spray" (p. 28) and
# "Prescription drugs, Tier 4 (Specialty) 20% up to $250 per 30-day supply" (p. 18): two pages, both
# cited. A drug list that names the drug without a tier gives no value.

DRUG = r"(?:esketamine(?:\s*\(\s*Spravato\s*\))?|spravato(?:\s*\(\s*esketamine\s*\))?)"
DRUG_TIER = re.compile(
    rf"\b(?P<tier>Specialty|Tier\s+\d)\s+Drugs?\s+include[^.]{{0,80}}?\b{DRUG}(?!\w)"
    rf"|\b{DRUG}\b[^.\n]{{0,60}}?\b(?:is\s+(?:a|on)\s+)(?P<tier2>Specialty|Tier\s+\d)\b", re.I)
DRUG_NAMED = re.compile(r"esketamine|spravato", re.I)  # what DRUG_TIER needs on a page: a cheap test first
_DRUG_PRICE = (rf"(?:\d{{1,3}}\s?%(?:\s+co-?insurance)?(?:\s+up\s+to\s+{AMOUNT})?|{AMOUNT}(?:\s+copay(?:ment)?)?)"
               r"(?:\s+per\s+\d{1,3}[-\s]day\s+supply)?")


def _tier_price_line(tier: str) -> re.Pattern:
    # "Prescription drugs, Tier 4 (Specialty) 20% up to $250 per 30-day supply": the tier named by
    # number with its name in brackets, or by name alone.
    name = re.escape(tier).replace(r"\ ", r"\s+")
    return re.compile(
        rf"(?m)^[^\n$%]*?\b(?:Tier\s+\d\s*\(\s*{name}\s*\)|{name}(?:\s+drugs?)?)[ \t]*(?:\))?[ \t]+(?P<price>{_DRUG_PRICE})[ \t]*$", re.I)


def esketamine_costs(document: Document) -> list[CostValue]:
    for page in range(1, document.page_count + 1):
        text = document.page_text(page)
        tier_match = DRUG_TIER.search(text) if DRUG_NAMED.search(text) else None
        if tier_match is None:
            continue
        tier = one_line(tier_match.group("tier") or tier_match.group("tier2"))
        line = _tier_price_line(tier)
        for price_page in range(1, document.page_count + 1):
            price_text = document.page_text(price_page)
            price = line.search(price_text)
            if price:
                # The quote is the price line; the page that puts the drug on the tier is evidence.
                return [CostValue("esketamine_drug", "in_network", f"{tier} tier: {one_line(price.group('price'))}",
                                  price_page, price.group(0).strip(), evidence=((page, tier_match.group(0)),))]
    return []
