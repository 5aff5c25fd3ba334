"""Member IDs and claim numbers: found after their labels, masked in every export unless asked for."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import yaml
from typer.testing import CliRunner

from ketcover.cli import app
from ketcover.privacy import find_identifiers, identifier_labels, labeled_identifiers, mask_report, mask_value

ROOT = Path(__file__).resolve().parents[1]
DENIAL = ROOT / "sample_policies" / "denial-letter_example-health_spravato.pdf"
SBC = ROOT / "sample_policies" / "sbc_example-health_silver-ppo.pdf"
MEMBER_ID = "EHP004417729"
REFERENCE = "UM-2026-0216-44817"
runner = CliRunner()


def _run(*args: str) -> str:
    result = runner.invoke(app, [*args] + (["--no-cache"] if args[0] != "diff" else []))
    assert result.exit_code == 0, result.output
    return result.stdout


def test_every_label_example_yields_its_identifier():
    data = yaml.safe_load((ROOT / "ketcover" / "privacy.yaml").read_text(encoding="utf-8"))
    for kind, spec in data["identifiers"].items():
        for example in spec["examples"]:
            found = labeled_identifiers([example], identifier_labels()[kind])
            assert found, f"{kind}: no identifier found in {example!r}"
            assert found[0]["quote"] in example


def test_a_label_without_a_number_is_not_an_identifier():
    assert find_identifiers(["Member ID card: show it at every visit.", "Reference: see page 4"]) == ()


@pytest.mark.parametrize("fmt", ["json", "markdown", "text", "html"])
def test_analyze_masks_the_member_id_and_reference_unless_asked(fmt):
    masked = _run("analyze", str(DENIAL), "--format", fmt)
    assert MEMBER_ID not in masked and REFERENCE not in masked
    shown = _run("analyze", str(DENIAL), "--format", fmt, "--show-ids")
    assert MEMBER_ID in shown


def test_a_masked_quote_says_so_and_keeps_the_last_four_characters():
    data = json.loads(_run("analyze", str(DENIAL), "--format", "json"))
    document = data["documents"][0]
    changed = [f for f in document["findings"] if mask_value(MEMBER_ID) in (f["quote"] + (f["section"] or ""))]
    assert changed, "the sample's member ID appears in its findings; masking should show its last four characters"
    assert all(f.get("masked") for f in changed if mask_value(MEMBER_ID) in f["quote"] or mask_value(REFERENCE) in f["quote"])
    untouched = [f for f in document["findings"] if "•" not in f["quote"]]
    assert untouched and not any(f.get("masked") for f in untouched)


def test_compare_and_diff_exports_mask_the_member_id():
    for fmt in ("csv", "csv-wide", "html", "json", "markdown"):
        out = _run("compare", str(DENIAL), str(SBC), "--format", fmt)
        assert MEMBER_ID not in out and REFERENCE not in out, fmt
    out = _run("diff", str(DENIAL), str(DENIAL), "--format", "json")
    assert MEMBER_ID not in out


def test_a_report_without_identifiers_is_returned_unchanged():
    from ketcover.analyze import analyze

    report = analyze([SBC])[0]
    assert report.identifiers == ()
    assert mask_report(report) is report
    denial = analyze([DENIAL])[0]
    assert set(denial.identifiers) == {MEMBER_ID, REFERENCE}
    assert "identifiers" not in denial.to_json()  # kept for masking, never written out
