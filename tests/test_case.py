"""The patient's case (issue 13): treatments, denial, deadlines, checklist, flags, letter; every quote verbatim."""

from __future__ import annotations

import json
from datetime import date

import pytest

from conftest import CORPUS, SAMPLES, needs_corpus

POLICY = SAMPLES / "medical-policy_example-health_esketamine-ketamine.pdf"
DENIAL = SAMPLES / "denial-letter_example-health_spravato.pdf"
EOC = SAMPLES / "eoc_example-health_gold-hmo.pdf"
TODAY = date(2026, 3, 1)
PROFILE = {
    "name": "Jordan A. Sample",
    "member_id": "EHP004417729",
    "age": 38,
    "diagnoses": ["F33.2 major depressive disorder, recurrent, severe without psychotic features"],
    "antidepressant_trials": [
        {"drug": "sertraline", "dose": "150 mg daily", "weeks": 11, "outcome": "no_response", "current_episode": True},
        {"drug": "bupropion", "dose": None, "weeks": None, "outcome": "partial_response", "current_episode": None},
    ],
    "current_oral_antidepressant": "sertraline 150 mg",
    "rems_certified_site": True,
    "rating_scales": [{"scale": "PHQ-9", "score": 21, "date": "2026-01-10"}],
    "prescriber_specialty": "psychiatrist",
}


def _sources(paths):
    from ketcover.case.sources import read_sources

    return read_sources(paths)


@pytest.fixture(scope="module")
def sample_sources():
    return _sources([POLICY, DENIAL, EOC])


@pytest.fixture(scope="module")
def sample_case(sample_sources):
    from ketcover.case import case_from_sources

    return case_from_sources(sample_sources, PROFILE, today=TODAY, mask=False)


def cited_items(node, path="case"):
    """Every dict in the case that cites a document: (where, dict)."""
    if isinstance(node, dict):
        if node.get("quote") is not None and node.get("file"):
            yield path, node
        for key, value in node.items():
            yield from cited_items(value, f"{path}.{key}")
    elif isinstance(node, list):
        for index, value in enumerate(node):
            yield from cited_items(value, f"{path}[{index}]")


def assert_quotes_verbatim(case, sources):
    pages = {s.name: s.pages() for s in sources}
    items = list(cited_items(case))
    assert items
    for where, item in items:
        assert "/" not in item["file"], f"{where}: a path, not a file name"
        page_text = pages[item["file"]][item["page"] - 1]
        assert item["quote"] and item["quote"] in page_text, f"{where}: not verbatim on p. {item['page']}: {item['quote']!r}"
    return len(items)


def treatment(case, name):
    return next(t for t in case["treatments"] if t["treatment"] == name)


def test_every_quote_of_the_case_is_verbatim_on_its_page(sample_case, sample_sources):
    assert assert_quotes_verbatim(sample_case, sample_sources) > 40


def test_sample_policy_spravato_is_covered_with_conditions_and_six_criteria():
    from ketcover.case import build_case

    case = build_case([POLICY], today=TODAY)
    assert case["schema"] == "ketcover.case/1"
    spravato = treatment(case, "esketamine_nasal")
    assert spravato["status"] == "covered_with_conditions"
    assert spravato["prior_authorization"] == "required"
    initial = [c for c in spravato["conditions"] if c["phase"] == "initial" and c["indication"] == "trd"]
    assert [c["number"] for c in initial] == [1, 2, 3, 4, 5, 6]
    assert all(c["page"] == 1 and c["file"] == POLICY.name for c in initial)
    assert "18 years of age or older" in initial[0]["text"]
    assert "intracerebral hemorrhage" in initial[5]["text"]
    iv = treatment(case, "ketamine_iv")
    assert iv["status"] == "excluded_experimental"
    assert any(e["page"] == 2 and e["quote"].startswith("Intravenous ketamine is considered experimental") for e in iv["evidence"])
    other = treatment(case, "ketamine_other")
    assert other["status"] == "excluded_experimental"
    assert any("compounded intranasal" in e["quote"] for e in other["evidence"])
    # Reference titles (p. 6) state no coverage position.
    assert all(e["page"] != 6 for t in case["treatments"] for e in t["evidence"])


def test_intranasal_ketamine_is_not_esketamine():
    from ketcover.case.treatments import named_treatments

    assert named_treatments("Compounded intranasal ketamine is not covered.") == {"ketamine_other"}
    assert named_treatments("Esketamine nasal spray requires prior authorization.") == {"esketamine_nasal"}
    assert named_treatments("Ketamine infusions are investigational.") == {"ketamine_iv"}
    assert named_treatments("Ketamine is investigational for depression.") == {"ketamine_iv", "ketamine_other"}
    assert named_treatments("Ketamine used as an anesthetic during surgery is covered.") == set()


def test_combining_documents_shows_disagreement():
    from ketcover.case.treatments import _combine

    assert _combine({"a": "covered", "b": "covered_with_conditions"}) == "covered_with_conditions"
    assert _combine({"a": "covered_with_conditions", "b": "excluded_experimental"}) == "conflicting"
    assert _combine({"a": "not_addressed"}) == "not_addressed"
    assert _combine({}) == "not_addressed"


@needs_corpus
def test_corpus_sbc_without_ketamine_wording_is_not_addressed_never_not_covered():
    from ketcover.case import build_case

    path = CORPUS / "sbc_cms_sample-completed-sbc_accessible_2025-01.pdf"
    case = build_case([path], today=TODAY)
    for item in case["treatments"]:
        assert item["status"] == "not_addressed"
        assert item["prior_authorization"] == "not_stated"
        concerns = {g["concern"] for g in item["general"]}
        # The general rules that would apply, cited (this SBC has no experimental-exclusion wording).
        assert "mental_health_coverage" in concerns
        assert all(g["file"] == path.name and g["quote"] for g in item["general"])


@needs_corpus
def test_corpus_pa_criteria_spravato():
    from ketcover.case import build_case

    path = CORPUS / "pa-criteria_unitedhealthcare_spravato-esketamine-2026-p-2168-11_2026-07.pdf"
    case = build_case([path], today=TODAY)
    spravato = treatment(case, "esketamine_nasal")
    assert spravato["status"] == "covered_with_conditions"
    assert spravato["prior_authorization"] == "required"
    initial = [c for c in spravato["conditions"] if c["phase"] == "initial" and c["indication"] == "trd"]
    assert len(initial) == 5 and "psychiatrist" in initial[4]["text"]
    # The combination criterion belongs to MDD with suicidal ideation, where the label still asks for it.
    assert not [f for f in case["flags"] if f["code"] == "stricter_than_label"]
    assert treatment(case, "ketamine_iv")["status"] == "not_addressed"


def test_denial_letter_is_read(sample_case):
    denial = sample_case["denial"]
    assert denial["file"] == DENIAL.name
    assert denial["date"]["date"] == "2026-02-16"
    assert denial["service"]["text"].startswith("Spravato (esketamine) nasal spray")
    assert any("only\none adequate trial is documented" in r["quote"] for r in denial["reason"])
    assert any("at least two antidepressants" in c["quote"] for c in denial["criteria_not_met"])
    assert any("not show the dose, the dates" in m["quote"] for m in denial["missing_documents"])
    assert any("letter of medical necessity" in m["quote"] for m in denial["missing_documents"])
    assert any("P.O. Box 4150" in a["quote"] for a in denial["send_appeal_to"])
    assert denial["reference"]["value"] == "UM-2026-0216-44817"


def test_deadlines_document_first_with_dates_then_law(sample_case):
    items = sample_case["deadlines"]["items"]
    sources = [d["source"] for d in items]
    assert sources == sorted(sources, key=lambda s: s != "document"), "document deadlines come first"
    by_what = {(d["what"], d["file"]): d for d in items if d["source"] == "document"}
    peer = by_what[("Prescriber asks for a peer-to-peer review", DENIAL.name)]
    assert peer["due"] == "2026-03-02" and peer["period"] == "14 days"
    appeal = by_what[("File an internal appeal", DENIAL.name)]
    assert appeal["due"] == "2026-08-15" and appeal["page"] == 2
    external = by_what[("Request external review", DENIAL.name)]
    assert external["due"] is None and external["period"] == "4 months"
    law = [d for d in items if d["source"] == "law"]
    assert {d["plan_type"] for d in law} == {"erisa_aca", "aca_external_review"}  # the letter names ERISA
    assert all(d["citation"] and d["checked"] for d in law)
    assert next(d for d in law if d["what"] == "File an internal appeal")["due"] == "2026-08-15"


def test_month_arithmetic():
    from ketcover.case.deadlines import add_period

    assert add_period(date(2026, 8, 31), 6, "months") == date(2027, 2, 28)
    assert add_period(date(2026, 2, 16), 180, "days") == date(2026, 8, 15)
    assert add_period(date(2026, 3, 6), 3, "business days") == date(2026, 3, 11)
    assert add_period(date(2026, 3, 6), 72, "hours") is None


def test_case_json_is_serializable_and_masks_ids_by_default(sample_sources):
    from ketcover.case import case_from_sources

    case = case_from_sources(sample_sources, PROFILE, today=TODAY)
    text = json.dumps(case, ensure_ascii=False)
    assert "EHP004417729" not in text and "UM-2026-0216-44817" not in text
    assert "4817" in text
    assert all("/" not in d["file"] for d in case["documents"])
