"""The compiled-regex cache (ketcover/regex_cache.py): same Patterns, never a stale or damaged entry served."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from ketcover import regex_cache

ROOT = Path(__file__).resolve().parents[1]
SAMPLE = ROOT / "sample_policies" / "eoc_example-health_gold-hmo.pdf"
OTHER = ROOT / "sample_policies" / "denial-letter_example-health_spravato.pdf"


@pytest.fixture
def cache(tmp_path, monkeypatch):
    monkeypatch.setenv("KETCOVER_COMPILED_DIR", str(tmp_path))
    monkeypatch.delenv("KETCOVER_REGEX_CACHE", raising=False)
    monkeypatch.setattr(sys, "dont_write_bytecode", False)
    regex_cache.uninstall()
    yield tmp_path
    regex_cache.uninstall()


def _fresh(pattern, flags=0):
    """Compiled without re's own memo (it would hand back the Pattern made before)."""
    return re._compiler.compile(pattern, int(flags))  # as re._compile hands it over: a plain int


def _run(patterns):
    assert regex_cache.install()
    try:
        with regex_cache.recording():
            return [_fresh(p, f) for p, f in patterns], dict(regex_cache._state)
    finally:
        regex_cache.save()
        regex_cache.uninstall()


PATTERNS = [(r"(?P<word>mental\s+health)\b", re.IGNORECASE), (r"\$\s?\d+(?:\.\d\d)?", 0), (rb"%PDF-(\d)\.(\d)", 0),
            (r"[\u00c0-\u024f]+", re.IGNORECASE | re.UNICODE), (r"(?m)^\s*(?:[ivx]+\.)\s", 0)]


def test_a_second_run_is_served_the_same_patterns(cache):
    first, state = _run(PATTERNS)
    assert set(state["new"]) >= {(p, int(f)) for p, f in PATTERNS}
    assert regex_cache.cache_path().is_file()
    second, state = _run(PATTERNS)
    assert not state["new"], "every pattern came from the file"
    for a, b, (pattern, flags) in zip(first, second, PATTERNS):
        assert a == b == re.compile(pattern, flags)  # same pattern, flags and code
        assert a.groupindex == b.groupindex and a.groups == b.groups
    assert second[0].search("Mental  Health benefits").group("word") == "Mental  Health"


def test_a_changed_pattern_is_compiled_anew_not_served_the_old_code(cache):
    _run([(r"prior\s+authorization", 0)])
    (changed,), state = _run([(r"prior\s+authori[sz]ation", 0)])
    assert changed.search("prior authorisation"), "the kept code of the old pattern would not match this"
    assert (r"prior\s+authori[sz]ation", 0) in state["new"]


def test_a_damaged_file_or_another_interpreters_is_ignored(cache, monkeypatch):
    _run(PATTERNS)
    path = regex_cache.cache_path()
    blob = bytearray(path.read_bytes())
    blob[-5] ^= 0xFF
    path.write_bytes(bytes(blob))
    compiled, state = _run(PATTERNS)
    assert set(state["new"]) >= {(p, int(f)) for p, f in PATTERNS}, "the damaged file was not read"
    assert compiled == [re.compile(p, f) for p, f in PATTERNS]
    path.write_bytes(b"not a cache at all")
    assert _run(PATTERNS)[0] == [re.compile(p, f) for p, f in PATTERNS]
    monkeypatch.setattr(sys, "version", sys.version + " (another build)")
    assert regex_cache.cache_path() != path
    _compiled, state = _run(PATTERNS)
    assert set(state["new"]) >= {(p, int(f)) for p, f in PATTERNS}


def test_wrong_code_in_the_file_is_refused_by_sre_and_compiled_as_usual(cache):
    _run(PATTERNS)
    path = regex_cache.cache_path()
    import marshal
    import hashlib

    entries = regex_cache._read(path)
    key = (PATTERNS[1][0], PATTERNS[1][1])
    pattern, flags, code, groups, groupindex, indexgroup = entries[key]
    entries[key] = (pattern, flags, b"\xff\xff\x0f\x00" + code[4:], groups, groupindex, indexgroup)
    payload = marshal.dumps(entries)
    path.write_bytes(hashlib.sha256(payload).digest() + payload)
    compiled, _state = _run([PATTERNS[1]])
    assert compiled[0] == re.compile(*PATTERNS[1])


def test_only_patterns_compiled_while_recording_are_kept(cache):
    """A pattern made from a document's text after the start-up (a quote's) never reaches the disk."""
    assert regex_cache.install()
    try:
        with regex_cache.recording():
            _fresh(r"start-up\s+pattern")
        _fresh(r"Member\s+ID\s+W123456789")
    finally:
        regex_cache.save()
        regex_cache.uninstall()
    kept = regex_cache._read(regex_cache.cache_path())
    assert (r"start-up\s+pattern", 0) in kept and not any("W123456789" in str(p) for p, _f in kept)


def test_a_bad_pattern_still_raises(cache):
    assert regex_cache.install()
    try:
        with pytest.raises(re.error):
            _fresh(r"(unclosed")
    finally:
        regex_cache.uninstall()


def test_not_written_where_bytecode_is_not(cache, monkeypatch):
    monkeypatch.setattr(sys, "dont_write_bytecode", True)
    _run(PATTERNS)
    assert not list(cache.glob("ketcover-regex.*"))


def test_turned_off(cache, monkeypatch):
    monkeypatch.setenv("KETCOVER_REGEX_CACHE", "0")
    assert not regex_cache.install()
    assert not regex_cache._state


def test_the_cli_run_keeps_a_file_whose_every_entry_is_what_re_compiles(tmp_path):
    """An analysis run twice (the file written, then read) and once without the cache: the same report;
    and every kept entry is the Pattern this interpreter compiles from its pattern (code included)."""
    env = dict(os.environ, KETCOVER_COMPILED_DIR=str(tmp_path / "cache"), KETCOVER_CACHE_DIR=str(tmp_path / "reports"))
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    outputs = []
    for name, extra in (("first", {}), ("second", {}), ("off", {"KETCOVER_REGEX_CACHE": "0"})):
        out = tmp_path / f"{name}.json"
        subprocess.run([sys.executable, "-m", "ketcover", "analyze", "--no-cache", "--format", "json", "--output",
                        str(out), str(SAMPLE)], check=True, env={**env, **extra}, capture_output=True, cwd=tmp_path)
        outputs.append(json.loads(out.read_text()))
    assert outputs[0] == outputs[1] == outputs[2]
    files = list((tmp_path / "cache").glob("ketcover-regex.*.marshal"))
    assert len(files) == 1
    entries = regex_cache._read(files[0])
    assert len(entries) > 300  # the rule set's, spaCy's and the tokenizer's
    # Nothing made from the document's text (the candidates' matched words are searched as patterns after
    # the start-up): another document leaves exactly the same patterns.
    other_env = dict(env, KETCOVER_COMPILED_DIR=str(tmp_path / "other"))
    subprocess.run([sys.executable, "-m", "ketcover", "analyze", "--no-cache", "--format", "json", "--output",
                    str(tmp_path / "other.json"), str(OTHER)], check=True, env=other_env, capture_output=True, cwd=tmp_path)
    (other,) = (tmp_path / "other").glob("ketcover-regex.*.marshal")
    assert set(regex_cache._read(other)) == set(entries), "a document's text was kept"
    import _sre

    for (pattern, flags), arguments in entries.items():
        assert _sre.compile(*regex_cache._sre_arguments(arguments)) == _fresh(pattern, flags), pattern
