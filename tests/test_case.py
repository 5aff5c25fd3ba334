"""The patient's case (issue 13): treatments, denial, deadlines, checklist, flags, letter; every quote verbatim."""

from __future__ import annotations

import json
import re
from datetime import date

import pytest

from ketcover.case import cited_items

from conftest import CORPUS, CORPUS_REASON, ROOT, SAMPLES, needs_corpus

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
    # On 1 March 2026 the peer-to-peer window (2 March) comes first.
    assert sample_case["deadlines"]["next"]["what"] == "Prescriber asks for a peer-to-peer review"
    assert sample_case["deadlines"]["next"]["due"] == "2026-03-02"


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


def test_checklist_holds_criteria_against_the_profile(sample_case):
    checklist = sample_case["checklist"]
    assert checklist["treatment"] == "esketamine_nasal" and checklist["indication"] == "trd"
    statuses = {item["check"]: item["status"] for item in checklist["items"]}
    assert statuses == {
        "age": "met", "diagnosis_mdd": "met",
        # sertraline counts; bupropion lacks dose, weeks and episode: not guessed either way.
        "antidepressant_trials": "unknown",
        "concurrent_oral_antidepressant": "met", "rems_site": "met",
        "contraindications": "unknown",  # the profile does not say
    }
    trials = next(i for i in checklist["items"] if i["check"] == "antidepressant_trials")
    assert "bupropion (missing: dose, weeks" in trials["reason"]
    assert trials["denial_says_not_met"] is True


def test_checklist_without_profile_is_all_unknown(sample_sources):
    from ketcover.case import case_from_sources

    case = case_from_sources(sample_sources, None, today=TODAY)
    assert case["checklist"]["items"] and {i["status"] for i in case["checklist"]["items"]} == {"unknown"}


@pytest.mark.parametrize("trials, expected", [
    ([{"drug": "sertraline", "dose": "150 mg", "weeks": 8, "outcome": "no_response", "current_episode": True},
      {"drug": "bupropion", "dose": "300 mg", "weeks": 7, "outcome": "partial_response", "current_episode": True}], "met"),
    # Two drugs of one class when the policy asks for two classes.
    ([{"drug": "sertraline", "dose": "150 mg", "weeks": 8, "outcome": "no_response", "current_episode": True},
      {"drug": "fluoxetine", "dose": "40 mg", "weeks": 8, "outcome": "no_response", "current_episode": True}], "not_met"),
    # Too short, unless stopped for side effects (the policy counts those).
    ([{"drug": "sertraline", "dose": "150 mg", "weeks": 8, "outcome": "no_response", "current_episode": True},
      {"drug": "venlafaxine", "dose": "75 mg", "weeks": 2, "outcome": "no_response", "current_episode": True}], "not_met"),
    ([{"drug": "sertraline", "dose": "150 mg", "weeks": 8, "outcome": "no_response", "current_episode": True},
      {"drug": "venlafaxine", "dose": "75 mg", "weeks": 2, "outcome": "side_effects", "current_episode": True}], "met"),
])
def test_antidepressant_trials_rule(trials, expected):
    from ketcover.case.checklist import evaluate

    criterion = ("The member has had an inadequate response to at least two antidepressants of adequate dose and duration "
                 "in the current episode, from at least two different classes. An adequate trial is at least 6 weeks at or "
                 "above the minimum effective dose in the labeling. A trial stopped early because of intolerable side effects "
                 "counts toward this requirement; and")
    assert evaluate("antidepressant_trials", criterion, {"antidepressant_trials": trials})[0] == expected


def test_flags(sample_case):
    codes = [f["code"] for f in sample_case["flags"]]
    assert "stricter_than_label" in codes
    stricter = next(f for f in sample_case["flags"] if f["code"] == "stricter_than_label")
    assert stricter["file"] == POLICY.name and stricter["page"] == 1 and "oral antidepressant" in stricter["quote"]
    assert "monotherapy" in stricter["message"] and "2025" in stricter["label_source"]
    outdated = [f for f in sample_case["flags"] if f["code"] == "outdated_code"]
    assert {f["file"] for f in outdated} == {POLICY.name, DENIAL.name}
    assert all("S0013" in f["quote"] and f["document_date"]["date"] >= "2026-01-01" for f in outdated)


def test_conflicting_documents_flag():
    from ketcover.case.flags import conflicting_documents

    treatments = [{"treatment": "ketamine_iv", "label": "IV ketamine", "status": "conflicting",
                   "status_by_document": {"a.pdf": "covered", "b.pdf": "excluded_experimental"},
                   "evidence": [{"status": "covered", "file": "a.pdf", "page": 3, "quote": "Ketamine infusions are covered."},
                                {"status": "excluded_experimental", "file": "b.pdf", "page": 9, "quote": "Ketamine is investigational."}]}]
    flag = conflicting_documents(treatments)[0]
    assert flag["code"] == "conflicting_documents" and [s["file"] for s in flag["sides"]] == ["a.pdf", "b.pdf"]
    assert flag["file"] == "a.pdf" and flag["page"] == 3


def test_questions_and_documents_to_gather_are_tied_to_findings(sample_case):
    ids = [q["id"] for q in sample_case["questions"]]
    for expected in ("benefit_unclear", "visit_codes", "pa_required", "rems_sites", "experimental", "label", "outdated_code", "claim_file"):
        assert expected in ids
    assert all(q["because"] for q in sample_case["questions"])
    assert all(q["cites"] for q in sample_case["questions"] if q["id"] != "visit_codes")
    gather = sample_case["documents_to_gather"]
    assert any(g["file"] == POLICY.name and g["page"] == 2 and "REMS certification" in g["item"] for g in gather)
    assert any(g["file"] == DENIAL.name and "letter of medical necessity" in g["item"] for g in gather)
    assert {g["who"] for g in gather} == {"you", "prescriber"}


LETTER_QUOTE = re.compile(r"“(?P<quote>[^”]+)” \((?P<file>[^,()]+\.pdf), p\. (?P<page>\d+)\)")


def test_appeal_letter_quotes_are_verbatim_on_the_pages_they_cite(sample_case, sample_sources):
    letter = sample_case["appeal_letter"]["markdown"]
    pages = {s.name: s.pages() for s in sample_sources}
    found = list(LETTER_QUOTE.finditer(letter))
    assert len(found) >= 9
    for match in found:
        # The letter prints a PDF line break as a space; otherwise the words are the page's own.
        page_text = " ".join(pages[match["file"]][int(match["page"]) - 1].split())
        assert match["quote"] in page_text, match["quote"]
    assert len(found) == len(sample_case["appeal_letter"]["quotes"])
    for needed in ("August 15, 2026", "claim file", "external review", "P.O. Box 4150", "[Your address]", "Criterion 6:"):
        assert needed in letter


def test_letter_html_is_escaped_and_printable(sample_case):
    from ketcover.render.case import render_case, render_letter_html

    hostile = json.loads(json.dumps(sample_case))
    hostile["appeal_letter"]["blocks"][0]["lines"][0] = "<script>alert(1)</script>"
    hostile["treatments"][0]["answer"] = "<img src=x onerror=alert(1)>"
    page = render_case(hostile, "html")
    letter = render_letter_html(hostile)
    for text in (page, letter):
        assert "<script>alert" not in text and "<img src=x" not in text
    assert "&lt;script&gt;" in letter and "@media print" in letter and "@media print" in page


@pytest.mark.parametrize("fmt", ["text", "markdown", "html", "json"])
def test_renders_every_format(sample_case, fmt):
    from ketcover.render.case import render_case

    out = render_case(sample_case, fmt)
    assert "Esketamine nasal spray (Spravato)" in out and "2026-08-15" in out


def test_cli_case_json_and_bad_profile(tmp_path):
    from typer.testing import CliRunner

    from ketcover.cli import app

    runner = CliRunner()
    result = runner.invoke(app, ["case", str(POLICY), str(DENIAL), "--format", "json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["schema"] == "ketcover.case/1" and str(SAMPLES) not in result.stdout
    assert "EHP004417729" not in result.stdout
    bad = tmp_path / "profile.yaml"
    bad.write_text("age: [unclosed\n", encoding="utf-8")
    result = runner.invoke(app, ["case", str(POLICY), "--profile", str(bad)])
    assert result.exit_code == 2 and "not valid YAML" in result.output and "Traceback" not in result.output
    bad.write_text("agee: 40\n", encoding="utf-8")
    result = runner.invoke(app, ["case", str(POLICY), "--profile", str(bad)])
    assert result.exit_code == 2 and "unknown keys: agee" in result.output


def test_unreadable_file_does_not_stop_the_case(tmp_path):
    from ketcover.case import build_case

    broken = tmp_path / "broken.pdf"
    broken.write_bytes(b"not a pdf at all")
    case = build_case([broken, POLICY], today=TODAY)
    assert case["documents"][0]["status"] == "error" and case["documents"][0]["kind"] == "unreadable"
    assert treatment(case, "esketamine_nasal")["status"] == "covered_with_conditions"


REAL_POLICIES = ROOT / "tests" / "fixtures" / "real_policies" / "expected.yaml"


def render_text_pdf(text: str, path) -> None:
    """A plain one-column PDF of a public page's text (reportlab, a test extra)."""
    import textwrap

    from reportlab.lib.pagesizes import letter
    from reportlab.pdfgen import canvas

    pdf = canvas.Canvas(str(path), pagesize=letter)
    y = 750
    for paragraph in text.split("\n"):
        for line in textwrap.wrap(paragraph, 95) or [""]:
            if y < 60:
                pdf.showPage()
                y = 750
            pdf.setFont("Helvetica", 10)
            pdf.drawString(50, y, line)
            y -= 13
    pdf.save()


def _real_policy_cases() -> list:
    import os

    import yaml

    folder = os.environ.get("KETCOVER_REAL_POLICIES") or str(REAL_POLICIES.parent / "texts")
    cases = []
    for entry in yaml.safe_load(REAL_POLICIES.read_text(encoding="utf-8"))["documents"]:
        cases.append(pytest.param(entry, folder, id=entry["id"]))
    return cases


@pytest.mark.parametrize("entry, folder", _real_policy_cases())
def test_real_payer_documents_give_the_statuses_written_down_before(entry, folder, tmp_path):
    from pathlib import Path

    from ketcover.case import case_from_sources

    if entry.get("corpus"):
        if not CORPUS.is_dir():
            pytest.skip(CORPUS_REASON)
        path = CORPUS / entry["corpus"]
    else:
        if not folder:
            pytest.skip("the payers' texts are not in the repository: set KETCOVER_REAL_POLICIES to their folder")
        source = Path(folder) / f"{entry['id']}.txt"
        path = Path(folder) / f"{entry['id']}.pdf"
        if source.is_file():
            path = tmp_path / f"{entry['id']}.pdf"
            render_text_pdf(source.read_text(encoding="utf-8"), path)
        elif not path.is_file():
            pytest.skip(f"{entry['id']} is not in {folder}")
    sources = _sources([path])
    case = case_from_sources(sources, None, today=TODAY, mask=False)
    got = {t["treatment"]: t["status"] for t in case["treatments"]}
    assert got == entry["expected"]
    for name, value in (entry.get("prior_authorization") or {}).items():
        assert treatment(case, name)["prior_authorization"] == value
    if "flags" in entry:
        assert sorted({f["code"] for f in case["flags"]}) == sorted(entry["flags"])
    assert_quotes_verbatim(case, sources) if any(True for _ in cited_items(case)) else None


def test_plan_type_from_profile_and_defaults(sample_sources):
    from ketcover.case.deadlines import plan_types

    assert plan_types(sample_sources, {"plan_type": "medicaid"}) == (["medicaid"], True)
    assert plan_types([], None) == (["erisa_aca", "aca_external_review"], False)


@needs_corpus
def test_fehb_brochure_gets_fehb_law_deadlines():
    from ketcover.case.deadlines import plan_types

    sources = _sources([CORPUS / "plan-brochure_fehb_bcbs-fep-blue-standard-basic_2026.pdf"])
    types, detected = plan_types(sources, None)
    assert detected and "fehb" in types


@needs_corpus
def test_named_without_a_statement_is_not_addressed_with_its_mentions():
    from ketcover.case import build_case

    # A drug list naming SPRAVATO ("does not guarantee coverage") decides nothing, but shows where it is named.
    case = build_case([CORPUS / "formulary_cvs-caremark_performance-drug-list_2026-07.pdf"], today=TODAY)
    spravato = treatment(case, "esketamine_nasal")
    assert spravato["status"] == "not_addressed" and spravato["named"]
    assert [e["page"] for e in spravato["evidence"]] == [3, 9] and "name Spravato" in spravato["answer"]
    assert not treatment(case, "ketamine_iv")["named"]


@pytest.mark.parametrize("sentence, what, period", [
    ("You may appeal within sixty (60) calendar days of the date on our Adverse Benefit Determination letter.",
     "File an internal appeal", "60 calendar days"),
    ("If you choose, you can ask for a State Fair Hearing Appeal within one hundred-twenty (120) calendar days of the date on the Decision Notice.",
     "Ask for a State Fair Hearing", "120 calendar days"),
    ("We decide an expedited appeal within 72 hours after we receive it.", "Plan decides an expedited (urgent) appeal", "72 hours"),
    ("In the case of an appeal of a pre-service urgent care claim, within 6 months of our initial decision, you may ask us in writing to reconsider our initial decision.",
     "File an internal appeal", "6 months"),
    ("You must ask for external review in writing within 4\nmonths after you receive our final appeal decision.", "Request external review", "4 months"),
])
def test_stated_deadline_sentences(sentence, what, period):
    from ketcover.case.deadlines import stated_deadlines
    from ketcover.case.sources import Source
    from ketcover.model import Document

    document = Document(path="x.pdf", sha256="0", text=sentence, page_starts=(0,))
    source = Source("x.pdf", document, None, "other")
    [found] = stated_deadlines([source], None, TODAY)
    assert (found["what"], found["period"], found["quote"]) == (what, period, sentence)


def test_case_data_and_templates_are_package_data():
    import configparser
    import fnmatch

    config = configparser.ConfigParser()
    config.read(ROOT / "setup.cfg")
    assert "ketcover.case" in config["options"]["packages"]
    patterns = [p.strip() for p in config["options.package_data"]["ketcover.case"].split(",")]
    folder = ROOT / "ketcover" / "case"
    files = [p.relative_to(folder).as_posix() for p in folder.rglob("*") if p.is_file() and p.suffix in (".yaml", ".j2")]
    assert files and all(any(fnmatch.fnmatch(f, pattern) for pattern in patterns) for f in files)
