"""The report cache: keyed by file and rule-set hash, JSON only, damaged entries ignored, opt-out."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys

from ketcover import cache
from ketcover.analyze import analyze
from ketcover.ruleset import RulesetError, load_ruleset, ruleset_digest

from conftest import ROOT, SAMPLES

SBC = SAMPLES / "sbc_example-health_silver-ppo.pdf"


def test_second_analysis_comes_from_the_cache_and_equals_the_first(tmp_path, monkeypatch):
    monkeypatch.setenv("KETCOVER_CACHE_DIR", str(tmp_path / "cache"))
    first = analyze([SBC], use_cache=True)[0]
    entries = list((tmp_path / "cache" / "reports").glob("*.json"))
    assert len(entries) == 1
    json.loads(entries[0].read_text())  # JSON, never pickle
    import ketcover.analyze as module

    def must_not_read(*args, **kwargs):
        raise AssertionError("a cached file was read again")

    monkeypatch.setattr(module, "_read", must_not_read)
    second = analyze([SBC], use_cache=True)[0]
    assert second == first


def test_key_changes_with_the_file_and_the_rules(tmp_path):
    rules = tmp_path / "rules"
    shutil.copytree(ROOT / "rules", rules)
    digest = load_ruleset().digest
    key = cache.cache_key("a" * 64, digest, "pdfium", True)
    assert key != cache.cache_key("b" * 64, digest, "pdfium", True)
    assert key != cache.cache_key("a" * 64, digest, "pdfium", False)
    text = (rules / "ketamine.yaml").read_text()
    (rules / "ketamine.yaml").write_text(text.replace("arketamine,", "arketamine, ketamine-hcl,"))
    assert load_ruleset(rules).digest != digest
    # A cached run hashes the rule files without parsing them: the same key either way.
    assert ruleset_digest(rules) == load_ruleset(rules).digest
    assert ruleset_digest() == digest


def test_key_changes_with_ketcover_own_code(monkeypatch):
    """Reports made by other code (an upgrade, a local edit) are not served, even under one version."""
    key = cache.cache_key("a" * 64, "digest", "pdfium", True)
    monkeypatch.setattr(cache, "code_digest", lambda: "other code")
    assert cache.cache_key("a" * 64, "digest", "pdfium", True) != key


def test_a_fully_cached_run_still_refuses_a_broken_rule_set(tmp_path, monkeypatch):
    """The cache never hides broken rules: their bytes changed, so every file is a miss again."""
    monkeypatch.setenv("KETCOVER_CACHE_DIR", str(tmp_path / "cache"))
    rules = tmp_path / "rules"
    shutil.copytree(ROOT / "rules", rules)
    analyze([SBC], rules, use_cache=True)
    (rules / "appeals.yaml").write_text("concern: appeals\nrules: [\n")
    try:
        analyze([SBC], rules, use_cache=True)
    except RulesetError as error:
        assert error.file == "appeals.yaml"
    else:
        raise AssertionError("a broken rule file was not reported")


def test_damaged_entry_is_a_miss_not_an_error(tmp_path, monkeypatch):
    monkeypatch.setenv("KETCOVER_CACHE_DIR", str(tmp_path))
    analyze([SBC], use_cache=True)
    for entry in (tmp_path / "reports").glob("*.json"):
        entry.write_text("{ half a report")
    report = analyze([SBC], use_cache=True)[0]
    assert report.status == "ok" and report.findings


def test_no_cache_writes_nothing(tmp_path):
    env = {"KETCOVER_CACHE_DIR": str(tmp_path / "cache"), "PATH": "/usr/bin:/bin"}
    import os

    env = dict(os.environ, **env)
    result = subprocess.run([sys.executable, "-m", "ketcover", "analyze", "--no-cache", str(SBC)],
                            capture_output=True, text=True, cwd=ROOT, env=env)
    assert result.returncode == 0, result.stderr
    assert not (tmp_path / "cache").exists()


def test_concurrent_runs_share_the_cache_safely(tmp_path):
    """Three compares at once on an empty cache: all succeed, agree, and leave only whole JSON entries."""
    import os

    env = dict(os.environ, KETCOVER_CACHE_DIR=str(tmp_path / "cache"))
    files = [str(p) for p in sorted(SAMPLES.glob("*.pdf"))]
    command = [sys.executable, "-m", "ketcover", "compare", "--jobs", "1", "--format", "json", *files]
    runs = [subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, cwd=ROOT, env=env)
            for _ in range(3)]
    outputs = [run.communicate(timeout=300) for run in runs]
    assert all(run.returncode == 0 for run in runs), [err for _out, err in outputs]
    assert outputs[0][0] == outputs[1][0] == outputs[2][0]
    entries = sorted((tmp_path / "cache" / "reports").iterdir())
    assert len(entries) == len(files)  # one entry per file: no temporary files left behind
    for entry in entries:
        assert json.loads(entry.read_text())["status"] in ("ok", "ok_with_warnings")
    cached = subprocess.run(command, capture_output=True, text=True, cwd=ROOT, env=env)
    assert cached.stdout == outputs[0][0]
