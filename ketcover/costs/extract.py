"""Every cost reader run on one document, and the values kept: one unambiguous value per item, network and option."""

from __future__ import annotations

import re

from ketcover.costs.benefit_lines import benefit_lines
from ketcover.costs.esketamine import esketamine_costs
from ketcover.costs.limits import brochure_out_of_pocket, leader_limits, limit_rows, stated_limits
from ketcover.costs.prose import prose_costs
from ketcover.costs.sbc import QUESTIONS, mental_health_rows, plan_limit
from ketcover.costs.schedules import leader_rows, option_columns, option_table_rows, plan_options, stacked_rows
from ketcover.costs.shares import with_shares
from ketcover.costs.wording import cost_words
from ketcover.model import CostValue, Document


def _amounts(value: str) -> tuple[str, ...] | str:
    """What two statements of one cost must share to agree: its amounts, else its wording."""
    amounts = tuple(re.findall(r"\$\s?\d[\d,]*(?:\.\d\d)?|\d{1,3}(?:\.\d+)?\s?%", value))
    return tuple(a.replace(" ", "") for a in amounts) or " ".join(value.lower().split())


def _unambiguous(values: list[CostValue]) -> tuple[CostValue, ...]:
    """One value per item and network; an item stated twice with different values is dropped."""
    chosen: dict[tuple[str, str, str], CostValue] = {}
    conflicting: set[tuple[str, str, str]] = set()
    for value in sorted(values, key=lambda v: v.page):
        key = (value.plan_option, value.item, value.network)
        if key in chosen and _amounts(chosen[key].value) != _amounts(value.value):
            conflicting.add(key)
        chosen.setdefault(key, value)
    kept_items = {key[:2] for key in chosen} - {key[:2] for key in conflicting}
    return tuple(sorted((v for k, v in chosen.items() if k[:2] in kept_items), key=lambda v: v.sort_key))


def extract_costs(document: Document) -> tuple[CostValue, ...]:
    """Cost values the document states for mental health care and the plan's overall limits."""
    words = cost_words()
    named_options = plan_options(document)
    values = (mental_health_rows(document) + benefit_lines(document) + stated_limits(document) + esketamine_costs(document)
              + leader_rows(document, words) + prose_costs(document, words) + stacked_rows(document, words, named_options)
              + limit_rows(document, words, named_options) + brochure_out_of_pocket(document, words)
              + leader_limits(document, words) + option_table_rows(document, words))
    options = option_columns(document, words)
    if options:
        # A brochure of two options: a value that does not say which option it is for is not used.
        values = [v for v in values if v.plan_option] + options
    for page in range(1, document.page_count + 1):
        text = document.page_text(page)
        for item in QUESTIONS:
            values += plan_limit(item, text, page)
    return _unambiguous(with_shares(document, values, words))
