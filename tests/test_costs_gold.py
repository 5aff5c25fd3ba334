"""Mental-health costs from analyze() held to the hand-read gold (tests/gold/costs/costs.yaml): none wrong, none fewer."""

from __future__ import annotations

import pytest
import yaml
from conftest import CORPUS, GOLD, needs_corpus

from ketcover.analyze import analyze

GOLD_FILE = GOLD / "costs" / "costs.yaml"
ITEMS = ("outpatient_mental_health", "inpatient_mental_health", "deductible", "out_of_pocket_limit")
# Right values per document at first contact (tests/gold/costs.md) or since: a floor that may only go up.
FLOOR_RIGHT = {
    "consumer-handbook_cms_medicare-and-you_2026.pdf": 1,
    "plan-brochure_fehb_bcbs-fep-blue-standard-basic_2026.pdf": 13,
    "member-handbook_aetna-better-health-illinois_medicaid_2025.pdf": 0,
    "policy_health-net-life_ca-ifp-minimum-coverage-ppo-579277_2020.pdf": 8,
    "sbc_aetna_justworks_a7_2024-2025.pdf": 8,
    "sbc_aetna_justworks_b3_2024-2025.pdf": 6,
    "sbc_aetna_justworks_c3_2024-2025.pdf": 8,
    "sbc_aetna_justworks_f1_2024-2025.pdf": 8,
    "sbc_bcbs-louisiana_hmo-louisiana-signature-blue-copay-60-40-5000_2025.pdf": 8,
    "sbc_cms_sample-completed-sbc_accessible_2025-01.pdf": 7,
    "sbc_kaiser-permanente_ca-small-group_gold-80-hmo_2025.pdf": 6,
    "sbc_university-of-rochester_ppo-option_2026.pdf": 6,
    "spd_city-of-cincinnati_integrated-hra.pdf": 0,
    "spd_evergreen-health-welfare-plan_peabody-properties_2020.pdf": 10,
    "spd_jpmorgan-chase_combined-benefits-program_2025.pdf": 2,
    "spd_lakota-corporation_wrap-plan.pdf": 0,
    "spd_princeton-university_unitedhealthcare-php_2024.pdf": 4,
    "summary-of-benefits_aetna_medicare-advantage-ppo-esa_fcps_2026.pdf": 4,
}


def load_cost_gold() -> dict:
    return yaml.safe_load(GOLD_FILE.read_text(encoding="utf-8"))["documents"]


def _key(entry) -> tuple[str, str, str]:
    get = entry.get if isinstance(entry, dict) else lambda name, default="": getattr(entry, name, default)
    return get("item"), get("network"), get("plan_option", "") or ""


def _same(printed: str, extracted: str) -> bool:
    # The gold was copied from page text; line breaks and runs of spaces are not part of the value.
    return " ".join(printed.split()) == " ".join(extracted.split())


def score(gold_document: dict, costs) -> dict:
    """stated / found / right / wrong for one document, and why each wrong value is wrong."""
    gold = {_key(entry): entry for entry in gold_document.get("values") or []}
    found, right, wrong = 0, 0, []
    for cost in costs:
        if cost.item not in ITEMS:
            continue
        entry = gold.get(_key(cost))
        if entry is None:
            # Not in the gold: the document does not state it (or that part was not read), so it is wrong.
            wrong.append(f"{_key(cost)} = {cost.value!r} p.{cost.page}: not in the gold")
            continue
        found += 1
        problems = []
        if entry.get("value") is None or not _same(entry["value"], cost.value):
            problems.append(f"value {cost.value!r}, gold {entry.get('value')!r}")
        if cost.page != entry["page"]:
            problems.append(f"page {cost.page}, gold {entry['page']}")
        if "deductible_applies" in entry and cost.deductible_applies != entry["deductible_applies"]:
            problems.append(f"deductible_applies {cost.deductible_applies}, gold {entry['deductible_applies']}")
        # Whose share the price is: a 100% the plan pays must never read as the member's cost.
        if "share" in entry and getattr(cost, "share", "not_stated") != entry["share"]:
            problems.append(f"share {getattr(cost, 'share', 'not_stated')}, gold {entry['share']}")
        # A visit limit is checked everywhere: none where the gold states none.
        if not _same(entry.get("visit_limit", ""), getattr(cost, "visit_limit", "")):
            problems.append(f"visit_limit {getattr(cost, 'visit_limit', '')!r}, gold {entry.get('visit_limit', '')!r}")
        if problems:
            wrong.append(f"{_key(cost)}: " + "; ".join(problems))
        else:
            right += 1
    return {"stated": len(gold), "found": found, "right": right, "wrong": wrong}


def test_the_gold_is_well_formed():
    gold = load_cost_gold()
    assert set(gold) == set(FLOOR_RIGHT)
    for name, document in gold.items():
        keys = [_key(entry) for entry in document.get("values") or []]
        assert len(keys) == len(set(keys)), name
        for entry in document.get("values") or []:
            assert entry["item"] in ITEMS and entry["network"] in ("preferred", "in_network", "any", "out_of_network")
            assert entry.get("deductible_applies", "true") in ("true", "false", "not_stated")
            assert entry.get("share", "member") in ("member", "plan", "not_stated")
        # an item is either stated (has entries) or listed as not stated, never both
        assert not set(document.get("not_stated") or ()) & {key[0] for key in keys}, name


@pytest.fixture(scope="module")
def analyzed_costs():
    names = sorted(load_cost_gold())
    reports = analyze([CORPUS / name for name in names])
    return {name: report for name, report in zip(names, reports)}


@needs_corpus
def test_every_extracted_cost_is_right_and_none_fewer(analyzed_costs):
    gold = load_cost_gold()
    totals = {"stated": 0, "found": 0, "right": 0}
    failures = []
    for name in sorted(gold):
        report = analyzed_costs[name]
        assert report.error is None, f"{name}: {report.error}"
        result = score(gold[name], report.costs)
        print(f"{name}: stated {result['stated']} found {result['found']} right {result['right']} wrong {len(result['wrong'])}")
        for key in totals:
            totals[key] += result[key]
        failures += [f"{name}: {problem}" for problem in result["wrong"]]
        if result["right"] < FLOOR_RIGHT[name]:
            failures.append(f"{name}: {result['right']} right, floor {FLOOR_RIGHT[name]}")
    print(f"TOTAL: {totals['right']} right of {totals['stated']} stated ({totals['found']} found)")
    assert not failures, "\n".join(failures)


# ---- the scorer itself, on made-up values (no corpus needed)

class _Cost:
    def __init__(self, item, network, value, page, deductible_applies="not_stated", plan_option="", visit_limit="",
                 share="member"):
        self.item, self.network, self.value, self.page = item, network, value, page
        self.deductible_applies, self.plan_option, self.visit_limit = deductible_applies, plan_option, visit_limit
        self.share = share


GOLD_EXAMPLE = {"values": [
    {"item": "outpatient_mental_health", "network": "in_network", "page": 3, "value": "$40 copay/visit", "deductible_applies": "false",
     "share": "member"},
    {"item": "deductible", "network": "any", "page": 1, "value": None},
]}


def test_scorer_counts_a_right_value():
    result = score(GOLD_EXAMPLE, [_Cost("outpatient_mental_health", "in_network", "$40  copay/visit", 3, "false")])
    assert (result["stated"], result["found"], result["right"], result["wrong"]) == (2, 1, 1, [])


@pytest.mark.parametrize("cost", [
    _Cost("outpatient_mental_health", "in_network", "$45 copay/visit", 3, "false"),  # wrong amount
    _Cost("outpatient_mental_health", "in_network", "$40 copay/visit", 4, "false"),  # wrong page
    _Cost("outpatient_mental_health", "in_network", "$40 copay/visit", 3, "true"),  # wrong deductible rule
    _Cost("outpatient_mental_health", "out_of_network", "50% coinsurance", 3),  # not stated in the gold
    _Cost("deductible", "any", "$500", 1),  # stated but with no single value
    _Cost("outpatient_mental_health", "in_network", "$40 copay/visit", 3, "false", visit_limit="20 visits per year"),  # no limit stated
    _Cost("outpatient_mental_health", "in_network", "$40 copay/visit", 3, "false", share="plan"),  # wrong share
    _Cost("outpatient_mental_health", "in_network", "$40 copay/visit", 3, "false", share="not_stated"),  # share not read
])
def test_scorer_rejects_a_wrong_value(cost):
    result = score(GOLD_EXAMPLE, [cost])
    assert result["right"] == 0 and len(result["wrong"]) == 1
