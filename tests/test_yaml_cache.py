"""The rule files' parsed YAML kept between command-line runs (ketcover/yaml_cache.py)."""

from __future__ import annotations

import shutil

import pytest

from ketcover import yaml_cache
from ketcover.ruleset import RulesetError, default_rules_dir, load_ruleset


@pytest.fixture
def cache(tmp_path, monkeypatch):
    monkeypatch.setenv("KETCOVER_COMPILED_DIR", str(tmp_path / "cache"))
    monkeypatch.delenv("KETCOVER_REGEX_CACHE", raising=False)
    monkeypatch.setattr("sys.dont_write_bytecode", False)
    yaml_cache.disable()
    yaml_cache.enable()
    yield tmp_path / "cache"
    yaml_cache.disable()


def _kept(cache):
    return sorted(cache.glob("ketcover-rules.*.marshal"))


def test_off_unless_enabled(tmp_path, monkeypatch):
    monkeypatch.setenv("KETCOVER_COMPILED_DIR", str(tmp_path))
    yaml_cache.disable()
    load_ruleset()
    assert not list(tmp_path.glob("ketcover-rules.*"))


def test_the_same_rule_set_from_kept_data(cache):
    fresh = load_ruleset()
    kept = _kept(cache)
    assert len(kept) >= 11  # sections, nine concerns, set-aside reasons
    again = load_ruleset()
    assert again == fresh
    assert _kept(cache) == kept


def test_a_changed_rule_file_is_parsed_anew(cache, tmp_path):
    rules = tmp_path / "rules"
    shutil.copytree(default_rules_dir(), rules)
    before = load_ruleset(rules)
    path = rules / "ketamine.yaml"
    text = path.read_text()
    path.write_text(text.replace("title:", "title: Changed", 1))
    after = load_ruleset(rules)
    ketamine = next(c for c in after.concerns if c.name == "ketamine")
    assert ketamine.title.startswith("Changed"), "the kept data of the old file was served"
    assert before.digest != after.digest


def test_broken_yaml_is_still_reported_and_never_kept(cache, tmp_path):
    rules = tmp_path / "rules"
    shutil.copytree(default_rules_dir(), rules)
    load_ruleset(rules)
    count = len(_kept(cache))
    (rules / "appeals.yaml").write_text("concern: appeals\nrules: [unclosed\n")
    for _ in range(2):
        with pytest.raises(RulesetError, match="not valid YAML"):
            load_ruleset(rules)
    assert len(_kept(cache)) == count


def test_damaged_kept_data_is_parsed_as_usual(cache):
    fresh = load_ruleset()
    for path in _kept(cache):
        blob = bytearray(path.read_bytes())
        blob[-3] ^= 0xFF
        path.write_bytes(bytes(blob))
    assert load_ruleset() == fresh
    for path in _kept(cache):
        path.write_bytes(b"")
    assert load_ruleset() == fresh
