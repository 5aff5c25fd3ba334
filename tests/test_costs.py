"""Cost values from SBC tables: checked against the printed pages, always quoted verbatim."""

from __future__ import annotations

import json
import re

import pytest
from conftest import needs_corpus

from ketcover.costs import extract_costs
from ketcover.model import CostValue
from ketcover.model import Document

# What each SBC prints, read by eye from the rendered pages (pdftoppm -r 60/100), not from
# ketcover's output. Keys are (item, network); values are the cell text as printed, with line
# breaks as spaces.
EXPECTED = {
    # Aetna Justworks A7 (POS). Page 1, "Important Questions": "For each Calendar Year, In-Network:
    # Individual $3,000 / Family $6,000. Out-of-Network: Individual $9,000 / Family $22,500." and
    # out-of-pocket "In-Network: Individual $6,850 / Family $13,700. Out-of-Network: Individual
    # $14,000 / Family $42,000." Page 3, mental health row: outpatient in-network "Office: $40
    # copay/visit, deductible doesn't apply; other outpatient services: no charge", out-of-network
    # "Office & other outpatient services: 30% coinsurance"; inpatient 30% / 50% coinsurance.
    "sbc_aetna_justworks_a7_2024-2025.pdf": {
        ("outpatient_mental_health", "in_network"): (3, "Office: $40 copay/visit, deductible doesn't apply; other outpatient services: no charge"),
        ("outpatient_mental_health", "out_of_network"): (3, "Office & other outpatient services: 30% coinsurance"),
        ("inpatient_mental_health", "in_network"): (3, "30% coinsurance"),
        ("inpatient_mental_health", "out_of_network"): (3, "50% coinsurance"),
        ("deductible", "in_network"): (1, "Individual $3,000 / Family $6,000"),
        ("deductible", "out_of_network"): (1, "Individual $9,000 / Family $22,500"),
        ("out_of_pocket_limit", "in_network"): (1, "Individual $6,850 / Family $13,700"),
        ("out_of_pocket_limit", "out_of_network"): (1, "Individual $14,000 / Family $42,000"),
    },
    # Aetna Justworks B3 (EPO): page 1 states in-network amounts only (deductible $1,000 / $2,000,
    # out-of-pocket $5,500 / $11,000); page 3: out-of-network column "Not covered" on both rows,
    # inpatient in-network 20% coinsurance.
    "sbc_aetna_justworks_b3_2024-2025.pdf": {
        ("outpatient_mental_health", "in_network"): (3, "Office: $20 copay/visit, deductible doesn't apply; other outpatient services: no charge"),
        ("outpatient_mental_health", "out_of_network"): (3, "Not covered"),
        ("inpatient_mental_health", "in_network"): (3, "20% coinsurance"),
        ("inpatient_mental_health", "out_of_network"): (3, "Not covered"),
        ("deductible", "in_network"): (1, "Individual $1,000 / Family $2,000"),
        ("out_of_pocket_limit", "in_network"): (1, "Individual $5,500 / Family $11,000"),
    },
    # Aetna Justworks C3 (HDHP): outpatient "Office: $30 copay/visit; other outpatient services: 0%
    # coinsurance" (no deductible note on this plan), inpatient "$750 copay/stay" / 30% coinsurance.
    "sbc_aetna_justworks_c3_2024-2025.pdf": {
        ("outpatient_mental_health", "in_network"): (3, "Office: $30 copay/visit; other outpatient services: 0% coinsurance"),
        ("outpatient_mental_health", "out_of_network"): (3, "Office & other outpatient services: 30% coinsurance"),
        ("inpatient_mental_health", "in_network"): (3, "$750 copay/stay"),
        ("inpatient_mental_health", "out_of_network"): (3, "30% coinsurance"),
        ("deductible", "in_network"): (1, "Individual $3,250 / Family $6,500"),
        ("deductible", "out_of_network"): (1, "Individual $6,000 / Family $12,000"),
        ("out_of_pocket_limit", "in_network"): (1, "Individual $6,500 / Family $13,000"),
        ("out_of_pocket_limit", "out_of_network"): (1, "Individual $14,000 / Family $28,000"),
    },
    # Aetna Justworks F1: outpatient $25 office copay; inpatient 10% / 40% coinsurance.
    "sbc_aetna_justworks_f1_2024-2025.pdf": {
        ("outpatient_mental_health", "in_network"): (3, "Office: $25 copay/visit, deductible doesn't apply; other outpatient services: no charge"),
        ("outpatient_mental_health", "out_of_network"): (3, "Office & other outpatient services: 30% coinsurance"),
        ("inpatient_mental_health", "in_network"): (3, "10% coinsurance"),
        ("inpatient_mental_health", "out_of_network"): (3, "40% coinsurance"),
        ("deductible", "in_network"): (1, "Individual $750 / Family $1,500"),
        ("deductible", "out_of_network"): (1, "Individual $2,250 / Family $4,500"),
        ("out_of_pocket_limit", "in_network"): (1, "Individual $3,000 / Family $6,000"),
        ("out_of_pocket_limit", "out_of_network"): (1, "Individual $8,000 / Family $16,000"),
    },
    # CMS completed sample (PPO): the deductible answer names no network ("$500 / individual or
    # $1,000 / family"); the out-of-pocket answer does ("For network providers $2,500 individual /
    # $5,000 family; for out-of-network providers $4,000 individual / $8,000 family"). Page 3:
    # "$35 copay/office visit and 20% coinsurance for other outpatient services" / 40% coinsurance;
    # inpatient 20% / 40% coinsurance.
    "sbc_cms_sample-completed-sbc_accessible_2025-01.pdf": {
        ("outpatient_mental_health", "in_network"): (3, "$35 copay/office visit and 20% coinsurance for other outpatient services"),
        ("outpatient_mental_health", "out_of_network"): (3, "40% coinsurance"),
        ("inpatient_mental_health", "in_network"): (3, "20% coinsurance"),
        ("inpatient_mental_health", "out_of_network"): (3, "40% coinsurance"),
        ("deductible", "any"): (1, "$500 / individual or $1,000 / family"),
        ("out_of_pocket_limit", "in_network"): (1, "$2,500 individual / $5,000 family"),
        ("out_of_pocket_limit", "out_of_network"): (1, "$4,000 individual / $8,000 family"),
    },
    # Kaiser Gold 80 HMO: "Plan Provider" / "Non-Plan Provider" columns. Page 1: deductible "$250
    # Individual / $500 Family"; out-of-pocket "$7,800 Individual / $15,600 Family. $350 Child / $700
    # Children for Child Dental." (the second sentence is the dental plan's). Page 3: outpatient
    # "$35 / individual visit, deductible does not apply. No charge for other outpatient services,
    # deductible does not apply." / "Not covered"; inpatient "$600 / day up to 5 days" / "Not covered".
    "sbc_kaiser-permanente_ca-small-group_gold-80-hmo_2025.pdf": {
        ("outpatient_mental_health", "in_network"): (3, "$35 / individual visit, deductible does not apply. No charge for other outpatient services, deductible does not apply."),
        ("outpatient_mental_health", "out_of_network"): (3, "Not covered"),
        ("inpatient_mental_health", "in_network"): (3, "$600 / day up to 5 days"),
        ("inpatient_mental_health", "out_of_network"): (3, "Not covered"),
        ("deductible", "any"): (1, "$250 Individual / $500 Family"),
        ("out_of_pocket_limit", "any"): (1, "$7,800 Individual / $15,600 Family"),
    },
    # University of Rochester PPO: three price columns, "Accountable Health Partners Provider (You
    # will pay the least)", "Network Provider (You will pay more)", "Out-of-Network Provider (You
    # will pay the most)". Page 5 inpatient: $500 copay, $500 copay, 40% coinsurance. Page 1
    # deductible: AHP "$500/Employee (EE) Only or $1,250/EE + Family (FAM)", in network "$1,250/ EE
    # Only or $3,125/ FAM", out of network "$3,000/ EE Only or $9,000/ FAM".
    # Known misses, on purpose: the outpatient row prints the same text in the AHP and Network
    # columns ("$20 copay/office visit, deductible does not apply, and $35 copay for other outpatient
    # services, deductible does not apply") but the text layer holds it once, garbled, so no
    # column can be told; the out-of-pocket limit depends on salary (two bands) and runs on to
    # page 2. Neither may produce a value.
    "sbc_university-of-rochester_ppo-option_2026.pdf": {
        ("inpatient_mental_health", "preferred"): (5, "$500 copay"),
        ("inpatient_mental_health", "in_network"): (5, "$500 copay"),
        ("inpatient_mental_health", "out_of_network"): (5, "40% coinsurance"),
        ("deductible", "preferred"): (1, "Accountable Health Partners (AHP): $500/Employee (EE) Only or $1,250/EE + Family (FAM)"),
        ("deductible", "in_network"): (1, "$1,250/ EE Only or $3,125/ FAM"),
        ("deductible", "out_of_network"): (1, "$3,000/ EE Only or $9,000/ FAM"),
    },
}
EXPECTED["sbc_bcbs-louisiana_hmo-louisiana-signature-blue-copay-60-40-5000_2025.pdf"] = {
    # BCBS Louisiana HMO (first contact, not tuned before this test was written). Page 1: "For network
    # providers $5,000 individual or $10,000 family; for out-of-network providers $15,000 individual or
    # $30,000 family."; out-of-pocket $8,000 / $16,000 and $24,000 / $48,000. Page 4 labels its sub-rows
    # "Mental/Behavioral health outpatient services": "$40 Copayment † /office visit and 40%
    # Coinsurance other outpatient services" / "60% Coinsurance"; inpatient 40% / 60% Coinsurance.
    ("outpatient_mental_health", "in_network"): (4, "$40 Copayment † /office visit and 40% Coinsurance other outpatient services"),
    ("outpatient_mental_health", "out_of_network"): (4, "60% Coinsurance"),
    ("inpatient_mental_health", "in_network"): (4, "40% Coinsurance"),
    ("inpatient_mental_health", "out_of_network"): (4, "60% Coinsurance"),
    ("deductible", "in_network"): (1, "$5,000 individual or $10,000 family"),
    ("deductible", "out_of_network"): (1, "$15,000 individual or $30,000 family"),
    ("out_of_pocket_limit", "in_network"): (1, "$8,000 individual / $16,000 family"),
    ("out_of_pocket_limit", "out_of_network"): (1, "$24,000 individual / $48,000 family"),
}
# Whether the deductible comes first, per mental-health cell, as each page says it: a note in the
# cell ("deductible doesn't apply"), or the chart's own line above the table ("All copayment and
# coinsurance costs shown in this chart are after your deductible has been met"; A7, B3, C3, F1,
# CMS, Kaiser, Rochester and BCBS Louisiana print it on p. 2). A cell that mixes a waived office copay
# with other services ("$40 Copayment † /office visit and 40% Coinsurance ...", "†Deductible does not
# apply") is neither "true" nor "false". "Not covered" has no deductible rule.
DEDUCTIBLE_RULES = {
    "sbc_aetna_justworks_a7_2024-2025.pdf": {"outpatient_mental_health": ("false", "true"), "inpatient_mental_health": ("true", "true")},
    "sbc_aetna_justworks_b3_2024-2025.pdf": {"outpatient_mental_health": ("false", "not_stated"), "inpatient_mental_health": ("true", "not_stated")},
    # C3 is the high-deductible plan: its "$30 copay/visit" comes after the $3,250 deductible.
    "sbc_aetna_justworks_c3_2024-2025.pdf": {"outpatient_mental_health": ("true", "true"), "inpatient_mental_health": ("true", "true")},
    "sbc_kaiser-permanente_ca-small-group_gold-80-hmo_2025.pdf": {"outpatient_mental_health": ("false", "not_stated"), "inpatient_mental_health": ("true", "not_stated")},
    "sbc_bcbs-louisiana_hmo-louisiana-signature-blue-copay-60-40-5000_2025.pdf": {"outpatient_mental_health": ("not_stated", "true"), "inpatient_mental_health": ("true", "true")},
}
# corpus_documents (tests/conftest.py): every corpus PDF, read once by the isolated reader.
NOT_SBCS = (
    "formulary_cvs-caremark_performance-drug-list_2026-07.pdf",
    "medical-policy_unitedhealthcare_bariatric-surgery_2025T0362PP.pdf",
    "spd_city-of-cincinnati_integrated-hra.pdf",
)



@needs_corpus
@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_sbc_costs_match_the_printed_page(corpus_documents, name):
    costs = extract_costs(corpus_documents[name])
    got = {(c.item, c.network): (c.page, c.value) for c in costs}
    assert got == EXPECTED[name]


@needs_corpus
@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_every_cost_quote_is_verbatim_on_its_page(corpus_documents, name):
    document = corpus_documents[name]
    for cost in extract_costs(document):
        assert cost.quote in document.page_text(cost.page)
        # the value itself is on the page too, once line breaks are read as spaces
        assert cost.value.split(": ")[-1] in " ".join(document.page_text(cost.page).split())


@needs_corpus
@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_an_sbc_price_is_the_members_share_said_by_its_column_header(corpus_documents, name):
    for cost in extract_costs(corpus_documents[name]):
        if cost.item in ("outpatient_mental_health", "inpatient_mental_health"):
            assert cost.share == "member" and cost.share_quote[0] == cost.page
            assert re.fullmatch(r"What\s+You\s+Will\s+Pay", cost.share_quote[1], re.I)
            assert cost.share_quote[1] in corpus_documents[name].page_text(cost.page)
        else:
            assert (cost.share, cost.share_quote) == ("not_stated", ())  # an amount, not a share


@needs_corpus
@pytest.mark.parametrize("name", sorted(DEDUCTIBLE_RULES))
def test_the_deductible_rule_of_each_mental_health_cell(corpus_documents, name):
    costs = extract_costs(corpus_documents[name])
    got = {}
    for cost in costs:
        if cost.item in DEDUCTIBLE_RULES[name]:
            got.setdefault(cost.item, []).append(cost.deductible_applies)
            for page, quote in cost.evidence:  # the chart note is cited verbatim too
                assert quote in corpus_documents[name].page_text(page)
    assert {item: tuple(rules) for item, rules in got.items()} == DEDUCTIBLE_RULES[name]


@needs_corpus
@pytest.mark.parametrize("name", NOT_SBCS)
def test_documents_without_an_sbc_table_give_no_costs(corpus_documents, name):
    assert extract_costs(corpus_documents[name]) == ()


# ---- synthetic pages: what the grammar must refuse

HEADER = (
    "Common\nMedical Event Services You May Need\nWhat You Will Pay\nLimitations, Exceptions, & Other Important\n"
    "In-Network Provider (You will pay the least)\nOut-of-Network\nProvider (You will pay\nthe most)\n"
)
MH = "If you need mental health,\nbehavioral health, or\nsubstance abuse services\n"


def document(*pages: str) -> Document:
    starts, offset = [], 0
    for page in pages:
        starts.append(offset)
        offset += len(page) + 1
    return Document(path="synthetic.pdf", sha256="0" * 64, text="\n".join(pages), page_starts=tuple(starts))


def costs_of(*pages: str) -> dict[tuple[str, str], str]:
    return {(c.item, c.network): c.value for c in extract_costs(document(*pages))}


def test_a_plain_row_is_read_by_column():
    page = HEADER + MH + "Outpatient services $30 copay/visit 50% coinsurance None\nInpatient services 20% coinsurance Not covered None\n"
    assert costs_of("cover page", page) == {
        ("outpatient_mental_health", "in_network"): "$30 copay/visit",
        ("outpatient_mental_health", "out_of_network"): "50% coinsurance",
        ("inpatient_mental_health", "in_network"): "20% coinsurance",
        ("inpatient_mental_health", "out_of_network"): "Not covered",
    }
    for cost in extract_costs(document("cover page", page)):
        assert cost.page == 2 and cost.quote in page and cost.quote.startswith("If you need mental health")


def test_one_price_too_many_for_the_columns_is_refused():
    page = HEADER + MH + "Outpatient services $30 copay/visit 50% coinsurance 40% coinsurance\nInpatient services 20% coinsurance 50% coinsurance\n"
    assert ("outpatient_mental_health", "in_network") not in costs_of(page)
    assert costs_of(page)[("inpatient_mental_health", "out_of_network")] == "50% coinsurance"


def test_a_garbled_cell_is_refused_rather_than_guessed():
    # Rochester's text layer: two identical cells collapsed into one, "deductible" lost.
    page = HEADER + MH + ("Outpatient services\n$20 copay/office visit,\ndeductible does not\napply, and $35 copay\n"
                          "for other outpatient\nservices,\ndoes not apply\n40% coinsurance None\n")
    assert costs_of(page) == {}


def test_a_continuation_cannot_start_a_column():
    # "No charge for other outpatient services" wrapped after a full stop still belongs to the
    # in-network cell; reading it as the out-of-network price would be wrong.
    page = HEADER + MH + ("Outpatient services\n$35 / individual visit, deductible does not apply.\n"
                          "No charge for other outpatient services.\nNot covered None\n")
    assert costs_of(page) == {}


def test_without_the_column_header_nothing_is_read():
    page = MH + "Outpatient services $30 copay/visit 50% coinsurance None\n"
    assert costs_of(page) == {}


def test_a_three_tier_header_names_the_preferred_tier():
    header = HEADER.replace("Out-of-Network\n", "Network Provider (You will pay more)\nOut-of-Network\n")
    page = header + MH + "Outpatient services $10 copay $25 copay 40% coinsurance\n"
    assert costs_of(page) == {
        ("outpatient_mental_health", "preferred"): "$10 copay",
        ("outpatient_mental_health", "in_network"): "$25 copay",
        ("outpatient_mental_health", "out_of_network"): "40% coinsurance",
    }


def test_plan_limits_by_network_and_refusals():
    page = ("What is the overall\ndeductible?\n$3,000 individual / $6,000 family for network\nproviders; $6,000 individual / "
            "$12,000 family for\nout-of-network providers.\nGenerally, you must pay all of the costs from providers\n"
            "What is the out-of-pocket limit for this plan?\n*Salary < $72,400: $2,000/EE; in network providers: $3,000\n"
            "*Salary ≥ $72,400: in network providers: $4,250\nThe out-of-pocket limit is the most you could pay\n")
    assert costs_of(page) == {
        ("deductible", "in_network"): "$3,000 individual / $6,000 family",
        ("deductible", "out_of_network"): "$6,000 individual / $12,000 family",
    }


def test_two_different_values_for_one_item_drop_the_item():
    first = "What is the overall deductible?\n$500 / individual\nGenerally, you must pay all of the costs\n"
    second = "What is the overall deductible?\n$1,000 / individual\nGenerally, you must pay all of the costs\n"
    assert costs_of(first, second) == {}
    assert costs_of(first, first) == {("deductible", "any"): "$500 / individual"}


def test_cost_value_json_shape():
    # deductible_applies, visit_limit, plan_option and evidence were added for benefit schedules and
    # brochures; the five original keys keep their meaning.
    value = CostValue("deductible", "any", "$500 / individual", 1, "What is the overall deductible? $500 / individual")
    assert value.to_json() == {"item": "deductible", "network": "any", "value": "$500 / individual", "page": 1,
                               "quote": "What is the overall deductible? $500 / individual",
                               "deductible_applies": "not_stated", "visit_limit": "", "plan_option": "",
                               "evidence": (), "share": "not_stated", "share_quote": ()}
    with_evidence = CostValue("esketamine_drug", "in_network", "Specialty tier: 20%", 18, "q", evidence=((28, "e"),),
                              share="member", share_quote=(17, "You pay (Participating Providers)"))
    assert CostValue.from_json(json.loads(json.dumps(with_evidence.to_json()))) == with_evidence
    # a report cached before `share` existed still reads
    old = {k: v for k, v in json.loads(json.dumps(value.to_json())).items() if not k.startswith("share")}
    assert CostValue.from_json(old) == value


# ---- long plan documents: schedules, brochures, Medicare summaries, the drug's tier

def _read(path):
    from ketcover.isolation import extract_isolated

    return extract_isolated(path)


def _by_key(costs):
    return {(c.plan_option, c.item, c.network): (c.page, c.value, c.deductible_applies) for c in costs}


def _assert_cited(document, costs):
    for cost in costs:
        assert cost.quote in document.page_text(cost.page)
        quote = " ".join(cost.quote.split())
        # A value joined from several lines or sentences ("$6,000 Self Only / $12,000 Self Plus One
        # or Self and Family") is not one run of the quote: each of its amounts is.
        amounts = re.findall(r"\$[\d,]+", cost.value)
        joined = " / " in cost.value and amounts and all(amount in quote for amount in amounts)
        assert cost.value in quote or cost.value.split(": ")[-1] in quote or joined
        for page, quote in cost.evidence:
            assert quote in document.page_text(page)
        if cost.share_quote:
            assert cost.share != "not_stated" and cost.share_quote[1] in document.page_text(cost.share_quote[0])


def test_sample_eoc_schedule_of_benefits_and_spravato_tier():
    # sample_policies/eoc_example-health_gold-hmo.pdf, read from the rendered pages: section 4.1 (p. 17)
    # "The Deductible is $500 for one Member and $1,000 for a family", 4.3 "The Out-of-Pocket Maximum
    # is $4,000 for one Member and $8,000 for a family"; the Schedule of Benefits (p. 17-18, "You pay
    # (Participating Providers)"): "Mental health and substance use disorder office visit $20 per visit
    # Deductible does not apply", "... Inpatient or Residential Treatment $300 per admission After
    # Deductible", "Prescription drugs, Tier 4 (Specialty) 20% up to $250 per 30-day supply"; p. 28:
    # "Specialty Drugs include, for example, esketamine (Spravato) nasal spray".
    from conftest import SAMPLES

    document = _read(SAMPLES / "eoc_example-health_gold-hmo.pdf")
    costs = extract_costs(document)
    assert _by_key(costs) == {
        ("", "outpatient_mental_health", "in_network"): (18, "$20 per visit", "false"),
        ("", "inpatient_mental_health", "in_network"): (18, "$300 per admission", "true"),
        ("", "deductible", "in_network"): (17, "$500 for one Member and $1,000 for a family", "not_stated"),
        ("", "out_of_pocket_limit", "in_network"): (17, "$4,000 for one Member and $8,000 for a family", "not_stated"),
        ("", "esketamine_drug", "in_network"): (18, "Specialty tier: 20% up to $250 per 30-day supply", "not_stated"),
    }
    drug = next(c for c in costs if c.item == "esketamine_drug")
    assert [page for page, _ in drug.evidence] == [28] and "esketamine (Spravato)" in drug.evidence[0][1]
    _assert_cited(document, costs)


FEHB = "plan-brochure_fehb_bcbs-fep-blue-standard-basic_2026.pdf"
MEDICARE = "summary-of-benefits_aetna_medicare-advantage-ppo-esa_fcps_2026.pdf"


@needs_corpus
def test_fehb_brochure_mental_health_copays_per_option():
    # Section 5(e), PDF p. 95 (printed 93): Standard Option "Preferred: $30 copayment per visit (no
    # deductible)", "Non-participating: 35% of the Plan allowance (deductible applies), plus the
    # difference ..."; Basic Option "Preferred: $35 copayment per visit",
    # "Participating/Non-participating: You pay all charges"; the page's note "There is no calendar
    # year deductible under Basic Option." PDF p. 30: "Under Standard Option, the calendar year
    # deductible is $350 per person". (Standard's "Participating: 35% ..." tier has no column of
    # ours and is left out.)
    from conftest import CORPUS

    document = _read(CORPUS / FEHB)
    costs = extract_costs(document)
    assert _by_key(costs) == {
        ("Standard Option", "outpatient_mental_health", "in_network"): (95, "$30 copayment per visit", "false"),
        ("Standard Option", "outpatient_mental_health", "out_of_network"): (95, "35% of the Plan allowance", "true"),
        ("Standard Option", "deductible", "any"): (30, "$350 per person", "not_stated"),
        ("Basic Option", "outpatient_mental_health", "in_network"): (95, "$35 copayment per visit", "false"),
        ("Basic Option", "outpatient_mental_health", "out_of_network"): (95, "You pay all charges", "not_stated"),
        # PDF p. 96 (printed 94), "Inpatient Hospital or Other Covered Facility" in Section 5(e):
        # Standard "Preferred facilities: $350 per admission copayment for unlimited days (no
        # deductible)", "Non-member facilities: 35% of the Plan allowance for unlimited days (no
        # deductible), and any remaining balance ..."; Basic "Preferred facilities: $425 per day
        # copayment up to $2,975 per admission" (no deductible under Basic: the note on p. 95),
        # "Member/Non-member facilities: You pay all charges". "Member facilities" is a middle tier
        # with no column of ours.
        ("Standard Option", "inpatient_mental_health", "in_network"): (96, "$350 per admission copayment for unlimited days", "false"),
        ("Standard Option", "inpatient_mental_health", "out_of_network"): (96, "35% of the Plan allowance for unlimited days", "false"),
        ("Basic Option", "inpatient_mental_health", "in_network"): (96, "$425 per day copayment up to $2,975 per admission", "false"),
        ("Basic Option", "inpatient_mental_health", "out_of_network"): (96, "You pay all charges", "not_stated"),
        # PDF p. 30: "Under Basic Option, there is no calendar year deductible."
        ("Basic Option", "deductible", "any"): (30, "there is no calendar year deductible", "not_stated"),
        # PDF p. 35 (printed 33), Section 4 "Catastrophic protection out-of-pocket maximum": per option
        # and network, one sentence per kind of enrollment; Basic Option has no out-of-network maximum.
        ("Standard Option", "out_of_pocket_limit", "in_network"):
            (35, "$6,000 Self Only / $12,000 Self Plus One or Self and Family", "not_stated"),
        ("Standard Option", "out_of_pocket_limit", "out_of_network"):
            (35, "$8,000 Self Only / $16,000 Self Plus One or Self and Family", "not_stated"),
        ("Basic Option", "out_of_pocket_limit", "in_network"):
            (35, "$7,500 Self Only / $15,000 Self Plus One or Self and Family", "not_stated"),
    }
    _assert_cited(document, costs)
    basic_inpatient = next(c for c in costs if c.plan_option == "Basic Option" and c.item == "inpatient_mental_health"
                           and c.network == "in_network")
    assert basic_inpatient.evidence == ((95, "There is no calendar year deductible under Basic Option."),)
    for page, quote in basic_inpatient.evidence:
        assert quote in document.page_text(page)


@needs_corpus
def test_medicare_summary_of_benefits():
    # Aetna Medicare Advantage PPO ESA (FCPS) 2026, p. 2: "Annual Deductible $0", "Annual Maximum
    # Out-of-Pocket $200"; p. 5 under "Your costs for in and out-of-network care": "Inpatient Mental
    # Health Care $0 per stay", "Outpatient Mental Health Care $0 (individual sessions)".
    from conftest import CORPUS

    document = _read(CORPUS / MEDICARE)
    costs = extract_costs(document)
    assert _by_key(costs) == {
        ("", "outpatient_mental_health", "any"): (5, "$0 (individual sessions)", "not_stated"),
        ("", "inpatient_mental_health", "any"): (5, "$0 per stay", "not_stated"),
        ("", "deductible", "any"): (2, "$0", "not_stated"),
        ("", "out_of_pocket_limit", "any"): (2, "$200", "not_stated"),
    }
    _assert_cited(document, costs)


def test_a_schedule_line_and_its_deductible_note():
    page = ("Benefit You pay (Participating\nProviders)\nNotes\nMental health office\nvisit\n$25 per visit After Deductible\n"
            "Telehealth mental health visit $0\nPartial hospitalization for mental health $10 per day\n")
    assert {(c.item, c.network, c.value, c.deductible_applies) for c in extract_costs(document(page))} == {
        ("outpatient_mental_health", "in_network", "$25 per visit", "true")}


def test_a_sentence_is_not_a_schedule_line():
    page = "Mental health visits are covered. You may owe $25\n"
    assert costs_of(page) == {}


def test_a_drug_list_without_a_tier_gives_no_drug_cost():
    page = "ANTIDEPRESSANTS\nAUVELITY\nSPRAVATO\nTRINTELLIX\nSpecialty drugs 30% coinsurance\n"
    assert costs_of(page) == {}


# ---- benefit schedules with dot leaders, one column per network (Health Net's Schedule of Benefits
# prints them so; so do other carriers' schedules)

SCHEDULE = (
    "MENTAL HEALTH, BEHAVIORAL HEALTH OR SUBSTANCE ABUSE NEEDS\n"
    "Mental Disorders Preferred Providers Out-of-Network\n"
    "Outpatient office visits (psychological evaluation or therapeutic\n"
    "session, including individual and group therapy sessions)1 ........ $30 copay, deductible waived2 ........ 50%\n"
    "Outpatient services other than office visits (psychological testing,\n"
    "partial hospitalization)1.......................0%................................. 50%\n"
    "Inpatient facility3 ..........................................0%................................. 50%, after deductible\n"
    "Physician visit to a Hospital, behavioral health facility or\n"
    "Residential Treatment Center ..................................0%................................. 50%\n"
    "Chemical Dependency Preferred Providers Out-of-Network\n"
    "Inpatient facility3 ..........................................$100 per day.................................. 50%\n"
)


def _values(*pages):
    return {(c.item, c.network): (c.value, c.deductible_applies) for c in extract_costs(document(*pages))}


def test_a_dot_leader_schedule_is_read_by_its_network_columns():
    assert _values(SCHEDULE) == {
        ("outpatient_mental_health", "in_network"): ("$30 copay, deductible waived", "false"),
        ("outpatient_mental_health", "out_of_network"): ("50%", "not_stated"),
        # the substance-use table's "$100 per day" is another table: not read
        ("inpatient_mental_health", "in_network"): ("0%", "not_stated"),
        ("inpatient_mental_health", "out_of_network"): ("50%, after deductible", "true"),
    }
    costs = extract_costs(document(SCHEDULE))
    assert all(c.quote in SCHEDULE for c in costs)
    assert costs[0].quote.startswith("Outpatient office visits") and costs[0].quote.endswith("50%")


def test_a_deductible_tied_to_a_count_of_visits_is_not_after_deductible():
    from ketcover.cost_words import cost_text

    page = SCHEDULE.replace("$30 copay, deductible waived2", "0%, Deductible applies after 1st 3 non-preventive visits2")
    cost = next(c for c in extract_costs(document(page)) if c.item == "outpatient_mental_health" and c.network == "in_network")
    assert (cost.value, cost.deductible_applies) == ("0%, Deductible applies after 1st 3 non-preventive visits", "not_stated")
    assert cost_text(cost) == "0%, Deductible applies after 1st 3 non-preventive visits"


@pytest.mark.parametrize("change", [
    ("Mental Disorders Preferred", "Chemical Dependency Preferred"),  # not a mental-health table
    ("Preferred Providers Out-of-Network\nOutpatient", "Preferred Providers\nOutpatient"),  # one column, two prices
    ("........ 50%\nOutpatient services", "........ 50% ........ 60%\nOutpatient services"),  # a price too many
    ("$30 copay, deductible waived2", "$30 copay for the first visit, then 20%"),  # a cell the grammar does not know
])
def test_a_schedule_row_that_does_not_fit_is_not_read(change):
    page = SCHEDULE.replace(*change)
    assert page != SCHEDULE
    got = _values(page)
    assert ("outpatient_mental_health", "in_network") not in got


def test_a_sentence_that_prices_mental_health_care():
    page = ("Mental health care (outpatient)\nMedicare covers mental health care services.\n"
            "Generally, you pay 20% of the Medicare-approved amount, and the Part B\n"
            "deductible applies for mental health care services.\n"
            "Durable medical equipment\nYou pay 20% of the Medicare-approved amount.\n")
    costs = extract_costs(document(page))
    assert [(c.item, c.network, c.value, c.deductible_applies) for c in costs] == [
        ("outpatient_mental_health", "any", "20% of the Medicare-approved amount", "true")]
    assert costs[0].quote in page and costs[0].quote.startswith("Generally, you pay")


def _any_cost(words, example: str) -> bool:
    return bool(extract_costs(document(example)))


def _deductible_row(words, example: str) -> bool:
    return any(c.item == "deductible" for c in extract_costs(document(example)))


def _deductible_row_under_headers(words, example: str) -> bool:
    # A not-example must give nothing even under a table's column headers.
    return _deductible_row(words, "Plan Provision In-Network Service Out-of-Network Service\n" + example)


def _prose(words, example: str) -> bool:
    from ketcover.costs.prose import _prose_values
    return bool(_prose_values(example, words))


def _brochure_oop(words, example: str) -> bool:
    from ketcover.costs.limits import _oop_values
    return bool(_oop_values(example, words))


def _visit_limit(words, example: str) -> bool:
    return bool(words.visit_limit.search(example))


# Each block of costs.yaml with examples: (its name, how a match example is read, how a not-example is).
COSTS_YAML_EXAMPLES = [
    ("prose", _prose, _prose),
    ("limit", _deductible_row, _deductible_row_under_headers),
    ("oop", _brochure_oop, _brochure_oop),
    ("leader", _any_cost, _any_cost),
    ("option", _any_cost, _any_cost),
    ("visit_limit", _visit_limit, _visit_limit),
]


@pytest.mark.parametrize("block,reads,reads_not", COSTS_YAML_EXAMPLES, ids=[b[0] for b in COSTS_YAML_EXAMPLES])
def test_the_examples_of_costs_yaml(block, reads, reads_not):
    from ketcover.costs.wording import cost_words

    words = cost_words()
    examples, not_examples = getattr(words, f"{block}_examples"), getattr(words, f"{block}_not_examples")
    assert examples and not_examples
    for example in examples:
        assert reads(words, example), example
    for example in not_examples:
        assert not reads_not(words, example), example


def test_a_sentence_without_the_kind_of_care_gives_nothing():
    page = "Mental health services\nYou pay $30 per visit for mental health care.\n"
    assert costs_of(page) == {}


# ---- a schedule whose text layer lists a block's labels before its values (an SPD's Summary of
# Benefits), and the deductible / out-of-pocket rows of such tables

STACKED = (
    "Gold PPO Plan\nCovered Medical Expenses Benefits Limits\n"
    "Mental Health/Substance Abuse\nResidential Treatment\nInpatient Treatment\nPartial Day Program\nOutpatient Physician\n"
    "100% of the Allowable\nCharge, after Deductible\n100% of the Allowable\nCharge, after Deductible\n"
    "100% of the Allowable\nCharge, Deductible waived\n$20 copay then 100% of the\nAllowable Charge\n"
    "Newborn Care\n100% of the Allowable Charge, after Deductible\n"
)


def test_labels_listed_before_their_values_are_paired_by_rank():
    costs = extract_costs(document(STACKED))
    assert {(c.item, c.network, c.value, c.deductible_applies) for c in costs} == {
        ("inpatient_mental_health", "any", "100% of the Allowable Charge, after Deductible", "true"),
        ("outpatient_mental_health", "any", "$20 copay then 100% of the Allowable Charge", "not_stated"),
    }
    assert all(c.quote in STACKED and c.quote.startswith("Mental Health/Substance Abuse") for c in costs)


def test_the_share_cues_of_costs_yaml():
    from ketcover.costs.shares import share_of
    from ketcover.costs.wording import cost_words

    words = cost_words()
    assert set(words.share_examples) == {"member", "plan"} and words.share_not_examples
    for side, examples in words.share_examples.items():
        for example in examples:
            assert share_of(example, words) == side, example
    for example in words.share_not_examples:
        assert share_of(example, words) == "not_stated", example
    assert set(words.share_definition_examples) == {"member", "plan"} and words.share_definition_not_examples
    for side, examples in words.share_definition_examples.items():
        for example in examples:
            match = words.share_definition.search(example)
            assert match and match.group(side), example
    for example in words.share_definition_not_examples:
        assert not words.share_definition.search(example), example


def test_whose_share_a_schedule_price_is_comes_from_its_column_header():
    # "Covered Medical Expenses Benefits Limits": the price column is what the plan pays.
    costs = {c.item: c for c in extract_costs(document(STACKED))}
    for cost in costs.values():
        assert (cost.share, cost.share_quote) == ("plan", (1, "Covered Medical Expenses Benefits Limits"))
    # a plain copay under the same header: a plan-side header never makes a copay the plan's
    copay = STACKED.replace("$20 copay then 100% of the\nAllowable Charge", "$20 copay")
    outpatient = next(c for c in extract_costs(document(copay)) if c.item == "outpatient_mental_health")
    assert (outpatient.value, outpatient.share, outpatient.share_quote) == ("$20 copay", "not_stated", ())
    # no wording on the page: not stated; a cue BELOW the block (another table's header) is not its header
    bare = STACKED.replace("Covered Medical Expenses Benefits Limits\n", "")
    assert {c.share for c in extract_costs(document(bare))} == {"not_stated"}
    below = bare + "Hospice Care\nCovered Medical Expenses Benefits Limits\n"
    assert {c.share for c in extract_costs(document(below))} == {"not_stated"}
    # a header that says the member pays
    member = STACKED.replace("Covered Medical Expenses Benefits Limits", "Services You pay")
    assert {c.share for c in extract_costs(document(member))} == {"member"}


def test_the_documents_definition_of_its_percentages_when_the_page_says_nothing():
    bare = STACKED.replace("Covered Medical Expenses Benefits Limits\n", "")
    plan = ("All facilities are treated as In-Network for purposes of determining the medical benefit\n"
            "percentages paid by the Plan and the copayment amounts paid by covered individuals.\n")
    costs = extract_costs(document(plan, bare))
    assert {(c.share, c.share_quote[0]) for c in costs} == {("plan", 1)}
    member = "Coinsurance is the percentage, shown below, of Covered Expenses (as defined) for which the Covered Person is responsible.\n"
    assert {c.share for c in extract_costs(document(member, bare))} == {"member"}
    # two definitions that disagree: nothing is said
    assert {c.share for c in extract_costs(document(plan, member, bare))} == {"not_stated"}
    # a definition of percentages says nothing about a copay
    copay = bare.replace("$20 copay then 100% of the\nAllowable Charge", "$20 copay")
    outpatient = next(c for c in extract_costs(document(plan, copay)) if c.item == "outpatient_mental_health")
    assert outpatient.share == "not_stated"


def test_a_sentence_and_a_brochure_column_say_you_pay():
    sentence = ("Mental health care (outpatient)\nGenerally, you pay 20% of the Medicare-approved amount, and the Part B "
                "deductible applies for mental health care services.\n")
    (cost,) = extract_costs(document(sentence))
    assert cost.share == "member" and cost.share_quote[1].startswith("Generally, you pay 20%")


@pytest.mark.parametrize("change", [
    # one value printed once across two rows: three values for four labels
    ("100% of the Allowable\nCharge, after Deductible\n100% of the Allowable\nCharge, after Deductible\n",
     "90% of the Allowable Charge,\nafter Deductible\n"),
    # a value more than there are labels
    ("Residential Treatment\n", ""),
    # not a mental-health block
    ("Mental Health/Substance Abuse\n", "Hospice Care\n"),
])
def test_a_stacked_block_that_does_not_pair_up_is_not_read(change):
    page = STACKED.replace(*change)
    assert page != STACKED
    assert costs_of(page) == {}


def test_stacked_schedules_of_several_options_are_told_apart_by_their_name():
    gold = STACKED
    silver = STACKED.replace("Gold PPO", "Silver PPO").replace("$20 copay", "$30 copay")
    costs = extract_costs(document(gold, gold, silver, silver))
    assert {(c.plan_option, c.item, c.page) for c in costs if c.item == "outpatient_mental_health"} == {
        ("Gold PPO Plan", "outpatient_mental_health", 1), ("Silver PPO Plan", "outpatient_mental_health", 3)}
    # one option's name alone names no option: the values keep no option
    assert {c.plan_option for c in extract_costs(document(gold, gold))} == {""}


def test_limit_rows_by_network_column_and_stacked():
    page = ("Plan Provision In-Network Service Out-of-Network Service\n"
            "Annual Deductible\nThe amount you pay each\nyear before the plan begins.\n"
            "Individual: $250\nFamily: $500\nIndividual: $1,000\nFamily: $2,000\n"
            "Coinsurance (out-of-pocket\nexpense)\nYou pay 10% coinsurance\nYou pay 40% coinsurance\n"
            "Coinsurance Limit (Out-of-pocket expense maximum)\nTotal amount you pay before plan pays 100% of\n"
            "your medical expenses.\nIndividual: $2,750\nFamily: $5,500\nSee Annual Out-of-Pocket\nMaximum on Page 6.\n"
            "Individual: $5,500\nFamily: $11,000\nSee Annual Out-of-Pocket\nMaximum on Page 6.\n")
    assert costs_of(page) == {
        ("deductible", "in_network"): "Individual: $250 Family: $500",
        ("deductible", "out_of_network"): "Individual: $1,000 Family: $2,000",
        ("out_of_pocket_limit", "in_network"): "Individual: $2,750 Family: $5,500",
        ("out_of_pocket_limit", "out_of_network"): "Individual: $5,500 Family: $11,000",
    }
    stacked = "Maximum Out-of-Pocket\nIndividual\nFamily Unit\n$3,000\n$6,000\nThe Deductible and Copayments are applied.\n"
    assert costs_of(stacked) == {("out_of_pocket_limit", "any"): "Individual $3,000 / Family Unit $6,000"}
    # two columns of amounts under labels read once: which is which network is not known
    assert costs_of(stacked.replace("$6,000\n", "$6,000\n$5,000\n$9,000\n")) == {}


def test_an_out_of_pocket_maximum_per_enrollment_and_network():
    page = ("Standard Option maximums:\nPreferred Provider maximum – For a Self Only enrollment, your out-of-pocket maximum "
            "for your\ndeductible, eligible coinsurance and copayment amounts; is $6,000 when you use Preferred providers.\n"
            "For a Self Plus One or Self and Family enrollment, your out-of-pocket maximum for these types of\n"
            "expenses is $12,000 for Preferred provider services. Only eligible expenses count.\n"
            "Non-preferred Provider maximum – For a Self Only enrollment, your out-of-pocket maximum for\n"
            "your deductible is $8,000 when you use Non-preferred providers.\n"
            "Basic Option maximum:\nPreferred Provider maximum – For a Self Only enrollment, your out-of-pocket maximum for eligible\n"
            "coinsurance and copayment amounts is $7,500 when you use Preferred providers. For a Self Plus One\n"
            "or a Self and Family enrollment, your out-of-pocket maximum for these types of expenses is $15,000\n"
            "when you use Preferred providers.\n")
    costs = extract_costs(document(page))
    assert {(c.plan_option, c.network, c.value) for c in costs} == {
        ("Standard Option", "in_network", "$6,000 Self Only / $12,000 Self Plus One or Self and Family"),
        ("Standard Option", "out_of_network", "$8,000 Self Only"),
        ("Basic Option", "in_network", "$7,500 Self Only / $15,000 Self Plus One or Self and Family"),
    }
    assert all(c.quote in page and c.item == "out_of_pocket_limit" for c in costs)


def test_dot_leader_limits_per_network_person_and_family():
    above = "OUT-OF-POCKET LIMITS ON EXPENSES\nOut-of-Pocket Maximum:\nFor Covered Persons: After the Covered Person has paid it.\n"
    page = ("services of Out-of-Network Providers.\n"
            "For services or supplies provided by a Preferred Provider ..........$8150\n"
            "For services or supplies provided by an Out-of-Network Provider..........$25,000\n"
            "For Families: Each Covered Person is responsible only for meeting his or her individual Out-of-Pocket Maximum.\n"
            "For services or supplies provided by a Preferred Provider ..........$16,300\n"
            "For services or supplies provided by an Out-of-Network Provider..........$50,000\n"
            "CALENDAR YEAR DEDUCTIBLE\nThe following Calendar Year Deductibles apply.\n"
            "Calendar Year Deductible, for Preferred Provider services per Covered Person..........$8,150\n"
            "Calendar Year Deductible, for Out-of-Network services per Covered Person..........$16,300\n"
            "Family Calendar Year Deductible (all enrolled members of a family,\n"
            "for Preferred Provider services, during a Calendar Year)..........$16,300\n"
            "Family Calendar Year Deductible (all enrolled members of a family,\n"
            "for Out-of-Network services, during a Calendar Year)..........$32,600\n")
    costs = extract_costs(document(above, page))
    assert {(c.item, c.network): (c.page, c.value) for c in costs} == {
        ("out_of_pocket_limit", "in_network"): (2, "$8150 / $16,300 family"),
        ("out_of_pocket_limit", "out_of_network"): (2, "$25,000 / $50,000 family"),
        ("deductible", "in_network"): (2, "$8,150 per Covered Person / $16,300 family"),
        ("deductible", "out_of_network"): (2, "$16,300 per Covered Person / $32,600 family"),
    }
    assert all(c.quote in page for c in costs)
    # without the heading above, the out-of-pocket lines say nothing of what their amounts are for
    assert {c.item for c in extract_costs(document("cover", page))} == {"deductible"}


def test_an_option_table_takes_its_network_from_the_title_on_the_page_before():
    title = "Out-of-Network Medical Costs, Deductibles, and Out-of-Pocket\nMaximums\nPlan Option 1 Plan Option 2\nMedical Deductible\n"
    page = ("Plan Option 1 Plan Option 2\nTACC:\n<$100k\nCost Share\nTelehealth Not covered Not covered\n"
            "Mental Health Office Visits 50% after deductible 40% after deductible\n"
            "Inpatient Hospital Admission 50% after deductible 50% after deductible\n")
    costs = extract_costs(document(title, page))
    assert {(c.plan_option, c.item, c.network, c.page, c.value, c.deductible_applies) for c in costs} == {
        ("Plan Option 1", "outpatient_mental_health", "out_of_network", 2, "50% after deductible", "true"),
        ("Plan Option 2", "outpatient_mental_health", "out_of_network", 2, "40% after deductible", "true"),
    }
    assert all(c.quote in page for c in costs)
    # two pages before is too far: which table the header continues is not known
    assert extract_costs(document(title, "cover", page)) == ()


# ---- the visit limit stated beside a mental-health price


def test_an_sbc_row_takes_the_visit_limit_of_its_limitations_column():
    from ketcover.cost_words import cost_text

    page = (HEADER + MH + "Outpatient services $30 copay/visit 50% coinsurance Limited to 20 visits per calendar year.\n"
            "Inpatient services 20% coinsurance Not covered Preauthorization required.\nIf you are pregnant Office visits\n")
    costs = extract_costs(document(page))
    limits = {(c.item, c.network): c.visit_limit for c in costs}
    assert limits == {
        ("outpatient_mental_health", "in_network"): "Limited to 20 visits per calendar year",
        ("outpatient_mental_health", "out_of_network"): "Limited to 20 visits per calendar year",
        ("inpatient_mental_health", "in_network"): "",
        ("inpatient_mental_health", "out_of_network"): "",
    }
    outpatient = next(c for c in costs if c.item == "outpatient_mental_health" and c.network == "in_network")
    # the limit is not in the row's quote (the label and its prices): it is cited beside it
    assert outpatient.visit_limit not in outpatient.quote
    assert (1, "Limited to 20 visits per calendar year") in outpatient.evidence
    assert cost_text(outpatient) == "$30 copay/visit; Limited to 20 visits per calendar year"
    # an inpatient limit is the inpatient row's, not the outpatient's
    page = page.replace(" Limited to 20 visits per calendar year.", "").replace(
        "Preauthorization required.", "Limited to 30 days per year.")
    limits = {(c.item, c.network): c.visit_limit for c in extract_costs(document(page))}
    assert limits[("outpatient_mental_health", "in_network")] == ""
    assert limits[("inpatient_mental_health", "in_network")] == "Limited to 30 days per year"


def test_a_schedule_row_and_a_sentence_take_the_visit_limit_they_state():
    page = SCHEDULE.replace("Outpatient office visits (psychological evaluation or therapeutic\n",
                            "Outpatient office visits, limited to 20 visits per year (psychological evaluation or therapeutic\n")
    costs = extract_costs(document(page))
    assert {(c.item, c.visit_limit) for c in costs} == {
        ("outpatient_mental_health", "limited to 20 visits per year"), ("inpatient_mental_health", "")}
    sentence = ("Mental health care (outpatient)\nYou pay a $30 copay per visit for outpatient mental health care, "
                "up to 20 visits per calendar year.\n")
    assert [(c.value, c.visit_limit) for c in extract_costs(document(sentence))] == [
        ("a $30 copay per visit", "up to 20 visits per calendar year")]
