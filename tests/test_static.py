"""Static checks: ruff's pyflakes rules (unused imports, undefined names, shadowed code) and late-bound
loop variables over the package, its tools, the benchmark and the sample generator."""

from __future__ import annotations

import subprocess
import sys

import pytest

from conftest import ROOT

# tests/ is left out: its browser and server tests share pytest fixtures by importing them from
# another test module, which pyflakes reads as a name imported and then redefined (F811).
CHECKED = ("ketcover", "tools", "bench", "sample_policies")
# F: pyflakes (an import no one uses, a name never defined, a redefinition that hides code);
# B023: a function made in a loop that reads the loop's variable when called later.
SELECTED = "F,B023"


def test_ruff_finds_nothing_in_the_package_and_its_tools():
    pytest.importorskip("ruff", reason="ruff is in the test extras: pip install -e '.[test]'")
    result = subprocess.run(
        [sys.executable, "-m", "ruff", "check", "--no-cache", "--select", SELECTED, *CHECKED],
        cwd=ROOT, capture_output=True, text=True, timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_ruff_would_catch_an_unused_import(tmp_path):
    """The check above can fail: the same command flags a module that imports what it never uses."""
    pytest.importorskip("ruff", reason="ruff is in the test extras: pip install -e '.[test]'")
    module = tmp_path / "unused.py"
    module.write_text('"""A module with an unused import."""\nimport os\n')
    result = subprocess.run(
        [sys.executable, "-m", "ruff", "check", "--no-cache", "--select", SELECTED, str(module)],
        capture_output=True, text=True, timeout=120,
    )
    assert result.returncode == 1 and "F401" in result.stdout
