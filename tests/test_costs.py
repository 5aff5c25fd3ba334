"""Cost values from SBC tables: checked against the printed pages, always quoted verbatim."""

from __future__ import annotations

import pytest
from conftest import needs_corpus

from ketcover.costs import CostValue, extract_costs
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
    value = CostValue("deductible", "any", "$500 / individual", 1, "What is the overall deductible? $500 / individual")
    assert value.to_json() == {"item": "deductible", "network": "any", "value": "$500 / individual", "page": 1,
                               "quote": "What is the overall deductible? $500 / individual"}
