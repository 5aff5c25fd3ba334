"""Document kinds: every corpus and sample PDF gets the kind a person gives it after reading its
title and first pages, and the reason quotes the document's own words from the page it cites.

The expected kinds were decided by reading each PDF's first pages (and its entry in
../shared/corpus/README.md) before the classifier was written.
"""

from __future__ import annotations

import pytest

from conftest import CORPUS, SAMPLES, needs_corpus

EXPECTED_CORPUS = {
    # "Billing and Coding Article" (a Medicare contractor's LCD reference article): a payer policy.
    "billing-article_medicare-ngs_a57528-transcranial-magnetic-stimulation_2026.pdf": "medical_policy",
    # "Documentation and Coding: Major Depressive Disorder": a coding flyer, no coverage rules.
    # A coding tip sheet for providers is a provider bulletin (first written "other"; changed when the
    # kind was needed to tell its clinical words from a plan's coverage, 2026-12-06).
    "coding-guide_bcbs-texas_major-depressive-disorder.pdf": "provider_notice",
    # "The official U.S. government Medicare handbook": generic, not a plan's own document.
    "consumer-handbook_cms_medicare-and-you_2026.pdf": "consumer_guide",
    # A set of model notices whose core is the "Model Notice of Adverse Benefit Determination".
    "denial-notice-templates_us-dol_model-notices-group-health-plans_appendix-c.pdf": "denial_letter",
    # "Employee Assistance Program": free counseling, no plan rules.
    "eap-brochure_washington-state_employee-assistance-program.pdf": "other",
    "formulary_cvs-caremark_performance-drug-list_2026-07.pdf": "formulary",
    "formulary_healthfirst_ny-comprehensive-drug-list_2025.pdf": "formulary",
    "glossary_cms-dol_uniform-glossary-health-coverage-medical-terms.pdf": "glossary",
    "medical-policy_molina_genetic-testing-mcp-051_2025.pdf": "medical_policy",
    "medical-policy_unitedhealthcare_bariatric-surgery_2025T0362PP.pdf": "medical_policy",
    "medical-policy_unitedhealthcare_tms-physical-health-conditions_2026T0536W.pdf": "medical_policy",
    # "Prescription Drug Plans Member Guidebook"
    "member-guide_new-jersey-shbp-sehbp_prescription-drug_2026.pdf": "benefits_guide",
    # "2025 Member Handbook for HealthChoice Illinois" (Medicaid managed care)
    "member-handbook_aetna-better-health-illinois_medicaid_2025.pdf": "benefits_guide",
    # "Clinical Pharmacy Programs ... Prior Authorization/Medical Necessity"
    "pa-criteria_unitedhealthcare_spravato-esketamine-2026-p-2168-11_2026-07.pdf": "pa_criteria",
    # FEHB plan brochure ("Federal Employees Health Benefits Program", "this brochure")
    "plan-brochure_fehb_bcbs-fep-blue-standard-basic_2026.pdf": "plan_brochure",
    # "POLICY / A complete explanation of Your plan": the member's insurance contract.
    "policy_health-net-life_ca-ifp-minimum-coverage-ppo-579277_2020.pdf": "eoc",
    "provider-manual_humana_non-delegated-providers_2025.pdf": "provider_notice",
    "sbc_aetna_justworks_a7_2024-2025.pdf": "sbc",
    "sbc_aetna_justworks_b3_2024-2025.pdf": "sbc",
    "sbc_aetna_justworks_c3_2024-2025.pdf": "sbc",
    "sbc_aetna_justworks_f1_2024-2025.pdf": "sbc",
    "sbc_bcbs-louisiana_hmo-louisiana-signature-blue-copay-60-40-5000_2025.pdf": "sbc",
    "sbc_cms_sample-completed-sbc_accessible_2025-01.pdf": "sbc",
    "sbc_kaiser-permanente_ca-small-group_gold-80-hmo_2025.pdf": "sbc",
    "sbc_university-of-rochester_ppo-option_2026.pdf": "sbc",
    # "Summary of Material Modifications (SMM)": an amendment to the plan's SPD.
    "smm_teachers-health-trust_out-of-area-network_2026.pdf": "plan_amendment",
    # "it also serves as The Summary Plan Description"
    "spd_city-of-cincinnati_integrated-hra.pdf": "spd",
    "spd_evergreen-health-welfare-plan_peabody-properties_2020.pdf": "spd",
    # Titled "Your JPMC Benefits Guide", but "this Guide serves as the summary plan description".
    "spd_jpmorgan-chase_combined-benefits-program_2025.pdf": "spd",
    "spd_lakota-corporation_wrap-plan.pdf": "spd",
    "spd_princeton-university_unitedhealthcare-php_2024.pdf": "spd",
    "summary-of-benefits_aetna_medicare-advantage-ppo-esa_fcps_2026.pdf": "summary_of_benefits",
}
EXPECTED_SAMPLES = {
    "denial-letter_example-health_spravato.pdf": "denial_letter",
    "eoc_example-health_gold-hmo.pdf": "eoc",
    "medical-policy_example-health_esketamine-ketamine.pdf": "medical_policy",
    "sbc_example-health_silver-ppo.pdf": "sbc",
}


def _check(document, expected: str) -> list[str]:
    from ketcover.kinds import detect_kind

    kind = detect_kind(document)
    problems = []
    if kind.kind != expected:
        problems.append(f"{document.path}: {kind.kind} (expected {expected}); {kind.reason}")
    if kind.page is not None and kind.quote not in document.page_text(kind.page):
        problems.append(f"{document.path}: reason quote {kind.quote!r} is not on p. {kind.page}")
    return problems


@pytest.fixture(scope="module")
def text_documents():
    """Every corpus PDF read without OCR: a kind is decided from the title and first pages, which are
    text in every corpus file, and OCR of the few image pages would only slow this test."""
    if not CORPUS.is_dir():
        pytest.skip("corpus absent")
    from ketcover.isolation import extract_isolated

    return {path.name: extract_isolated(path, use_ocr=False) for path in sorted(CORPUS.glob("*.pdf"))}


@needs_corpus
def test_every_corpus_document_gets_its_kind(text_documents):
    assert set(EXPECTED_CORPUS) == set(text_documents), "a corpus file has no expected kind"
    problems = []
    for name, expected in EXPECTED_CORPUS.items():
        problems += _check(text_documents[name], expected)
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize("name", sorted(EXPECTED_SAMPLES))
def test_every_sample_gets_its_kind(name):
    from ketcover.pdf import extract_document

    assert not _check(extract_document(SAMPLES / name), EXPECTED_SAMPLES[name])


def test_every_kind_carries_examples_and_its_cues_hold_them():
    from ketcover.kinds import load_kinds

    table = load_kinds()
    for kind, (examples, not_examples) in table.examples.items():
        cues = [cue.pattern for cue in table.cues if cue.kind == kind]
        assert examples and not_examples, f"{kind} needs examples and not_examples"
        for example in examples:
            assert any(p.search(example) for p in cues), f"{kind} misses its example {example!r}"
        for example in not_examples:
            assert not any(p.search(example) for p in cues), f"{kind} fires on its not_example {example!r}"


def test_a_document_without_kind_words_is_other():
    from ketcover.kinds import detect_kind
    from ketcover.model import Document

    text = "Help starts here\nFree, confidential counseling for employees.\n"
    kind = detect_kind(Document("x.pdf", "0" * 64, text, (0,)))
    assert kind.kind == "other" and kind.page is None and kind.label == "Other document"


def test_the_kind_is_in_the_json_and_in_words_in_every_format():
    from ketcover.analyze import analyze
    from ketcover.render import render_report as render

    [report] = analyze([SAMPLES / "medical-policy_example-health_esketamine-ketamine.pdf"])
    data = report.to_json()
    assert data["kind"] == "medical_policy" and data["kind_label"] == "Payer medical policy"
    assert "p. 1" in data["kind_reason"]
    for fmt in ("text", "markdown", "html"):
        assert "Payer medical policy" in render([report], fmt), fmt


def test_a_denial_letter_is_titled_with_the_plan_never_the_member():
    from ketcover.analyze import analyze

    [report] = analyze([SAMPLES / "denial-letter_example-health_spravato.pdf"])
    # The letter names the member ("Member: Jordan A. Sample", "Dear Jordan A. Sample:") and the
    # plan after the member ID ("Member ID: EHP004417729, Gold HMO 1000").
    assert report.plan_name == "Gold HMO 1000"
    assert report.findings
    assert not [f.section for f in report.findings if f.section and ("Dear" in f.section or "Jordan" in f.section)]
    # The salutation is a line of its own: no quote starts inside it ("Sample: Example Health Plan has ...").
    assert not [f.quote for f in report.findings if "Jordan" in f.quote or f.quote.startswith("Sample")]


def test_a_person_is_never_the_plan_name():
    from ketcover.model import Document
    from ketcover.structure import find_headings, guess_plan_name

    text = ("March 2, 2026\nAlex B. Rivera\n42 Oak Street\nDear Alex B. Rivera:\n"
            "We reviewed your claim for outpatient therapy.\n")
    document = Document("x.pdf", "0" * 64, text, (0,))
    assert guess_plan_name(document) is None
    assert not [h for h in find_headings(text) if h.title.startswith("Dear")]


def test_every_kind_reading_statement_holds_its_examples():
    from ketcover.reading import load_readings

    readings = load_readings()
    assert {"pa_criteria", "medical_policy", "formulary"} <= set(readings)
    for kind, reading in readings.items():
        for name, entry in [(st.rule, st) for st in reading.statements] + [(d.name, d) for d in reading.determinations]:
            assert entry.examples and entry.not_examples, name
            for example in entry.examples:
                assert entry.pattern.search(example), (name, example)
            for example in entry.not_examples:
                assert not entry.pattern.search(example), (name, example)
        for marker in reading.markers:
            # A marker is read only where a legend explains it, and only as a row prints it.
            assert marker.legend_examples and marker.examples and marker.not_examples, marker.code
            for example in marker.legend_examples:
                assert marker.legend.search(example), (marker.code, example)
            for example in marker.examples:
                assert marker.row.search(example.strip()), (marker.code, example)
            for example in marker.not_examples:
                assert not marker.row.search(example.strip()), (marker.code, example)


PA_CRITERIA = "pa-criteria_unitedhealthcare_spravato-esketamine-2026-p-2168-11_2026-07.pdf"


@needs_corpus
def test_a_criteria_document_is_read_as_criteria_for_its_drug(compiled_rules, text_documents):
    from ketcover.analyze import report_for_document

    report = report_for_document(text_documents[PA_CRITERIA], compiled_rules, PA_CRITERIA)
    # Labeled by reading: "Authorization will be issued for 12 months" (pp. 2, 3) is prior
    # authorization; "History of failure of a trial of at least two different antidepressant
    # medications" (p. 2) is step therapy, though neither page says so in those words.
    pages = {c: {f.page for f in report.findings if f.concern == c} for c in ("prior_authorization", "step_therapy")}
    assert {1, 2, 3} <= pages["prior_authorization"], pages
    assert {2} <= pages["step_therapy"], pages
    for finding in report.findings:
        if finding.concern in ("prior_authorization", "step_therapy"):
            assert finding.section and finding.section.startswith("Spravato® (esketamine)"), finding
            assert finding.quote in text_documents[PA_CRITERIA].page_text(finding.page)


@needs_corpus
def test_a_criteria_document_states_its_psychiatric_indication_and_every_trial_rule(compiled_rules, text_documents):
    from ketcover.analyze import report_for_document

    report = report_for_document(text_documents[PA_CRITERIA], compiled_rules, PA_CRITERIA)
    pages = {c: {f.page for f in report.findings if f.concern == c}
             for c in ("mental_health_coverage", "step_therapy")}
    # Labeled by reading (tests/gold): Spravato approved for treatment-resistant depression and for
    # MDD with suicidal ideation is mental-health coverage on pp. 1, 2, 3, 5 (not p. 4, references);
    # the footnote "only a 30-day trial will be required" (p. 3) is step therapy.
    assert pages["mental_health_coverage"] == {1, 2, 3, 5}, pages
    assert {1, 2, 3, 5} <= pages["step_therapy"], pages
    for finding in report.findings:
        if finding.method.startswith("kind"):
            assert finding.section and finding.section.startswith("Spravato® (esketamine)"), finding
            assert finding.quote in text_documents[PA_CRITERIA].page_text(finding.page)


def test_a_policy_determination_is_carried_to_the_criteria_under_it():
    from ketcover.analyze import analyze

    [report] = analyze([SAMPLES / "medical-policy_example-health_esketamine-ketamine.pdf"])
    # "Esketamine (Spravato) nasal spray is medically necessary for the treatment of treatment-resistant
    # depression (TRD) in adults when ALL of the following criteria are met:" and its six criteria.
    carried = [f for f in report.findings if f.rule == "mental_health_coverage.policy_medically_necessary"
               and f.section == "treatment-resistant depression: medically necessary"]
    assert len(carried) >= 7 and {f.page for f in carried} == {1}, [f.quote for f in carried]
    assert any(f.quote.startswith("The member is 18 years of age or older") for f in carried)
    # A criterion a rule found (step therapy) names the indication it is a criterion of.
    assert any(f.concern == "step_therapy" and f.section == "treatment-resistant depression: medically necessary"
               for f in report.findings)
    # The second indication is named from its own statement.
    assert any(f.concern == "mental_health_coverage" and f.section.startswith("depressive symptoms in adults with MDD")
               for f in report.findings)
    # "Intravenous ketamine is considered experimental and investigational for the treatment of depression":
    # the exclusion names its indication.
    assert any(f.concern == "experimental_exclusion" and f.section == "depression: experimental / investigational"
               and f.quote.startswith("Intravenous ketamine") for f in report.findings)
    pages = {}
    for finding in report.findings:
        assert finding.quote in pages.setdefault(finding.page, report_page_text(finding.page))


def report_page_text(page: int) -> str:
    from ketcover.pdf import extract_document

    return extract_document(SAMPLES / "medical-policy_example-health_esketamine-ketamine.pdf").page_text(page)


def test_a_determination_names_no_indication_from_its_hedges_or_lists():
    from ketcover.model import Document
    from ketcover.reading import read_by_kind
    from ketcover.structure import find_headings, split_passages

    text = ("Coverage Rationale\n"
            "It expresses the plan's determination as to whether certain services for depression are medically "
            "necessary for purposes of payment.\n\n"
            "Genetic testing is medically necessary when the following risk factors are present:\n"
            "(1) Major congenital anomalies\n(2) Autism\n\n"
            "The following are unproven and not medically necessary due to insufficient evidence of efficacy:\n"
            "• Theta-burst stimulation\n• Navigated stimulation for treatment planning\n\n"
            "References\nVagus nerve stimulation is considered investigational for depression.\n")
    headings = find_headings(text)
    document = Document("x.pdf", "0" * 64, text, (0,), headings=headings)
    findings = read_by_kind(document, "medical_policy", [], split_passages(text, {h.offset for h in headings}))
    got = [(f.concern, f.section, f.quote) for f in findings]
    # A list of risk factors ("Autism") under a genetic test's criteria is no mental-health coverage,
    # and the hedge ("whether ... are medically necessary") is no determination.
    assert not [g for g in got if g[0] == "mental_health_coverage"], got
    # Each item listed under "The following are unproven" is excluded, named by the item itself.
    assert ("experimental_exclusion", "Theta-burst stimulation: experimental / investigational",
            "• Theta-burst stimulation") in got, got
    assert ("experimental_exclusion", "Navigated stimulation for treatment planning: experimental / investigational",
            "• Navigated stimulation for treatment planning") in got, got
    # References are not read.
    assert not [g for g in got if "Vagus" in g[2]], got


def test_a_psychiatric_subject_and_a_diagnosis_list_hold_their_examples():
    from ketcover.reading import load_readings

    checked = 0
    for kind, reading in load_readings().items():
        subject = reading.psychiatric_subject
        if subject is not None:
            assert subject.examples and subject.not_examples, kind
            for example in subject.examples:
                assert subject.title.search(example), (kind, example)
            for example in subject.not_examples:
                assert not subject.title.search(example), (kind, example)
            checked += 1
        for spec in reading.diagnosis_lists:
            assert spec.examples and spec.not_examples and spec.covered_examples and spec.not_covered_examples, spec.name
            for example in spec.examples:
                assert spec.code.search(example), (spec.name, example)
            for example in spec.not_examples:
                assert not spec.code.search(example), (spec.name, example)
            # A lead-in is one or the other, never both: "Codes that DO NOT Support" is no covered list.
            for example in spec.covered_examples:
                assert spec.covered.search(example) and not spec.not_covered.search(example), (spec.name, example)
            for example in spec.not_covered_examples:
                assert spec.not_covered.search(example) and not spec.covered.search(example), (spec.name, example)
            checked += 1
    assert checked >= 2


def _policy(text: str):
    from ketcover.model import Document
    from ketcover.structure import find_headings, split_passages

    headings = find_headings(text)
    document = Document("x.pdf", "0" * 64, text, (0,), headings=headings)
    return document, split_passages(text, {h.offset for h in headings})


def test_a_policy_about_a_psychiatric_service_states_coverage_in_each_determination():
    from ketcover.reading import read_by_kind

    # A policy whose title names a psychiatric service and which covers a psychiatric indication:
    # every determination in it is mental-health coverage, though its sentence names no condition.
    text = ("Medical Policy\nElectroconvulsive Therapy\nPolicy Number: 123\n\nCoverage Rationale\n"
            "ECT is medically necessary for the treatment of major depressive disorder when criteria are met.\n\n"
            "Maintenance ECT is not covered.\n\n"
            "A second course may be considered for patients who met the guidelines for initial treatment and relapsed.\n\n"
            "Covered Diagnosis Codes\nF33.2 Major depressive disorder, recurrent severe without psychotic features\n"
            "F31.4 Bipolar disorder, current episode depressed, severe\n\n"
            "ICD-10 Codes that do not support medical necessity\nF43.10 Post-traumatic stress disorder, unspecified\n")
    document, passages = _policy(text)
    found = [f for f in read_by_kind(document, "medical_policy", [], passages) if f.concern == "mental_health_coverage"]
    got = {(f.polarity, f.quote) for f in found}
    # "for patients who responded" names the patients, not an indication; a code list is named by its lead-in.
    assert {f.section for f in found} == {"major depressive disorder: medically necessary", "not covered", "covered",
                                          "Covered Diagnosis Codes", "ICD-10 Codes that do not support medical necessity"}, found
    assert got == {
        ("affirms", "ECT is medically necessary for the treatment of major depressive disorder when criteria are met."),
        ("negates", "Maintenance ECT is not covered."),
        ("affirms", "A second course may be considered for patients who met the guidelines for initial treatment and relapsed."),
        ("affirms", "F33.2 Major depressive disorder, recurrent severe without psychotic features\n"
                    "F31.4 Bipolar disorder, current episode depressed, severe"),
        ("negates", "F43.10 Post-traumatic stress disorder, unspecified"),
    }, got


def test_a_policy_on_a_service_with_other_uses_states_no_mental_health_coverage_without_a_psychiatric_indication():
    from ketcover.reading import read_by_kind

    # TMS named in the title, but the policy covers physical health conditions only; the behavioral
    # policy is elsewhere. Its determinations are no mental-health coverage.
    text = ("Medical Policy\nTranscranial Magnetic Stimulation for Treating Physical Health Conditions\n\n"
            "Coverage Rationale\nTMS is covered for members with chronic migraine when criteria are met.\n\n"
            "Navigated TMS is not covered.\n\n"
            "Applicable Codes\nF33.2 Major depressive disorder, recurrent severe without psychotic features\n")
    document, passages = _policy(text)
    assert not [f for f in read_by_kind(document, "medical_policy", [], passages) if f.concern == "mental_health_coverage"]
    # A psychiatric word in a policy on another subject (a risk factor) makes no determination psychiatric.
    text = ("Medical Policy\nGenetic Testing\n\nCoverage Rationale\n"
            "Genetic testing is covered for members with autism when the following are present:\n"
            "(1) Developmental delay\n\nTesting of relatives is not covered.\n")
    document, passages = _policy(text)
    got = [f.quote for f in read_by_kind(document, "medical_policy", [], passages) if f.concern == "mental_health_coverage"]
    assert "Testing of relatives is not covered." not in got, got


NGS_TMS = "billing-article_medicare-ngs_a57528-transcranial-magnetic-stimulation_2026.pdf"
UHC_TMS = "medical-policy_unitedhealthcare_tms-physical-health-conditions_2026T0536W.pdf"


@needs_corpus
def test_a_tms_article_states_its_coverage_conditions_as_mental_health_coverage(compiled_rules, text_documents):
    from ketcover.analyze import report_for_document

    # Labeled by reading (tests/gold): a Medicare TMS billing article whose covered diagnoses are
    # depression: retreatment rules and "Maintenance therapy is not covered." (p. 7) and the ICD-10-CM
    # codes that support medical necessity (p. 9) are mental-health coverage; nothing else is.
    report = report_for_document(text_documents[NGS_TMS], compiled_rules, NGS_TMS)
    found = [f for f in report.findings if f.concern == "mental_health_coverage"]
    assert {f.page for f in found} == {7, 9}, [(f.page, f.quote) for f in found]
    assert ("negates", "Maintenance therapy is not covered.") in {(f.polarity, f.quote) for f in found}
    # "Retreatment may be considered for patients who met the guidelines for initial treatment ...": covered,
    # for no indication ("initial treatment" is none).
    assert {f.section for f in found if f.quote.startswith("Retreatment")} == {"covered"}, found
    assert any(f.page == 9 and f.polarity == "affirms" and "F33.2 Major depressive disorder" in f.quote for f in found)
    for finding in found:
        assert finding.quote in text_documents[NGS_TMS].page_text(finding.page)
    # TMS for physical health conditions (gold: no mental-health page) stays without one.
    report = report_for_document(text_documents[UHC_TMS], compiled_rules, UHC_TMS)
    assert not [f for f in report.findings if f.concern == "mental_health_coverage"]


@needs_corpus
def test_a_plan_name_is_the_plan_or_payer_the_document_names(text_documents):
    from ketcover.structure import guess_plan_name

    names = {name: guess_plan_name(document) for name, document in text_documents.items()}
    # An SBC whose header comes last in the page's text still gives its plan.
    assert names["sbc_bcbs-louisiana_hmo-louisiana-signature-blue-copay-60-40-5000_2025.pdf"].startswith(
        "HMO Louisiana, Inc.: Signature Blue Copay")
    assert names["smm_teachers-health-trust_out-of-area-network_2026.pdf"] == "TEACHERS HEALTH TRUST HEALTH PLAN"
    # "Sponsored by Aetna Medicare Plan (PPO)": the plan, not the words before it.
    assert names["summary-of-benefits_aetna_medicare-advantage-ppo-esa_fcps_2026.pdf"] == "Aetna Medicare Plan (PPO)"
    assert names["formulary_cvs-caremark_performance-drug-list_2026-07.pdf"] == "Performance Drug List - Standard Control"
    assert names["spd_city-of-cincinnati_integrated-hra.pdf"] == "INTEGRATED HRA"
    assert names["medical-policy_unitedhealthcare_tms-physical-health-conditions_2026T0536W.pdf"] == (
        "UnitedHealthcare® Commercial and Individual Exchange")
    # A document that names no plan has none: not its first line ("Appendix C", "Get in Touch",
    # "Allowed Amount", a sentence cut at a line end).
    for name in ("denial-notice-templates_us-dol_model-notices-group-health-plans_appendix-c.pdf",
                 "eap-brochure_washington-state_employee-assistance-program.pdf",
                 "glossary_cms-dol_uniform-glossary-health-coverage-medical-terms.pdf",
                 "coding-guide_bcbs-texas_major-depressive-disorder.pdf",
                 "billing-article_medicare-ngs_a57528-transcranial-magnetic-stimulation_2026.pdf"):
        assert names[name] is None, (name, names[name])


def test_a_case_and_a_report_give_a_document_the_same_kind():
    from ketcover.case.sources import read_sources

    paths = sorted(SAMPLES.glob("*.pdf"))
    for source in read_sources(paths):
        assert source.kind == source.report.kind == EXPECTED_SAMPLES[source.name], source.name


def _drug_list(text: str):
    from ketcover.model import Document
    from ketcover.structure import find_headings

    pages = text.split("\f")
    starts, offset = [], 0
    for page in pages:
        starts.append(offset)
        offset += len(page) + 1
    joined = "\n".join(pages)
    return Document("list.pdf", "0" * 64, joined, tuple(starts), headings=find_headings(joined))


def test_a_formulary_row_marked_in_its_legend_is_a_finding_for_its_drug():
    from ketcover.reading import read_by_kind

    document = _drug_list(
        "Comprehensive Drug List\nPA - Prior Authorization  ST - Step Therapy  QL - Quantity Limits\n"
        "PA** - PA Applied if Step Not Met\f"
        "ANTIDEPRESSANTS\nsertraline hcl tab 25 mg 1\nSPRAVATO spray 28 mg 3 PA\nvortioxetine tab 10 mg 2 ST\n"
        "desvenlafaxine tab er 50 mg 2 PA**\ntrazodone tab 50 mg 1 QL (60 tabs every 30 days)\f"
        "ANTINEOPLASTICS\nDrug Name\nsunitinib malate cap 12.5 mg\nRequirements /Limits\n"
        "PA; High strength requires PA for members age 65 and older\n"
        # The legend again at the page's foot, as a text layer that lost its words prints it: no row.
        "PA  PA**  QL\nST ^ - Covered Under Medical Benefit – PCP copay applies\n"
        "ST \u01e6 \x87\x92\x8a^ - Covered Under Medical Benefit\n"
        "imipramine pamoate cap 125 mg 1 PA; High strength requires\n")
    findings = read_by_kind(document, "formulary", [], [])
    got = {(f.concern, f.page, f.section, f.quote) for f in findings}
    assert got == {
        ("prior_authorization", 2, "SPRAVATO spray 28 mg (PA)", "SPRAVATO spray 28 mg 3 PA"),
        ("step_therapy", 2, "vortioxetine tab 10 mg (ST)", "vortioxetine tab 10 mg 2 ST"),
        ("step_therapy", 2, "desvenlafaxine tab er 50 mg (PA**)", "desvenlafaxine tab er 50 mg 2 PA**"),
        # Column by column (an OCR'd table): the marker's cell is named by the class heading above it.
        ("prior_authorization", 3, "ANTINEOPLASTICS (PA)", "PA; High strength requires PA for members age 65 and older"),
        # A marker after the drug's tier, its requirement running on.
        ("prior_authorization", 3, "imipramine pamoate cap 125 mg (PA)", "imipramine pamoate cap 125 mg 1 PA; High strength requires"),
    }, got
    for finding in findings:
        assert finding.quote in document.page_text(finding.page)


def test_a_marker_no_legend_explains_is_not_read():
    from ketcover.reading import read_by_kind

    # "TOBRADEX ST" is a drug's name; a list without a legend for ST marks nothing.
    document = _drug_list("Performance Drug List\nOPHTHALMOLOGY\nTOBRADEX ST\nSPRAVATO\nsertraline 1 PA\n")
    assert read_by_kind(document, "formulary", [], []) == []


def test_a_policy_is_named_by_the_plans_it_applies_to():
    from ketcover.pdf import extract_document
    from ketcover.structure import guess_plan_name

    document = extract_document(SAMPLES / "medical-policy_example-health_esketamine-ketamine.pdf")
    assert guess_plan_name(document) == "Commercial HMO, PPO and EPO plans; Individual Exchange plans"
