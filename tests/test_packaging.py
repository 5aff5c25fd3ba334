"""The wheel ships the rule set (top-level rules/ is its one source) and works from any folder."""

from __future__ import annotations

import os
import subprocess
import sys
import zipfile

from conftest import ROOT


def test_wheel_contains_rules_and_runs_from_another_folder(tmp_path):
    wheel_dir = tmp_path / "wheel"
    # No build isolation: tests run offline, with setuptools from the test environment.
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "-q", "-w", str(wheel_dir), str(ROOT)],
        check=True, capture_output=True, cwd=tmp_path,
    )
    wheel = next(wheel_dir.glob("ketcover-*.whl"))
    names = set(zipfile.ZipFile(wheel).namelist())
    shipped = {n.split("/")[-1] for n in names if n.startswith("ketcover/rules/") and n.endswith(".yaml")}
    assert shipped == {p.name for p in (ROOT / "rules").glob("*.yaml")}
    assert any(n.startswith("ketcover/web/") for n in names) or not (ROOT / "ketcover" / "web").is_dir()
    assert "ketcover/kinds.yaml" in names  # document kinds are data the package reads at run time
    assert "ketcover/privacy.yaml" in names  # the labels before member IDs and claim numbers, for masking
    # every template and the one stylesheet: HTML pages are rendered from them at run time
    templates = {f"ketcover/render/templates/{p.name}" for p in (ROOT / "ketcover" / "render" / "templates").iterdir()}
    assert templates and templates <= names, sorted(templates - names)
    # Every data file the package reads at run time (YAML, templates, web assets), wherever it sits:
    # a new one missing from setup.cfg's package_data fails here, not on a user's machine.
    package = ROOT / "ketcover"
    data = {f"ketcover/{p.relative_to(package).as_posix()}" for p in package.rglob("*")
            if p.is_file() and p.suffix not in (".py", ".pyc") and "__pycache__" not in p.parts}
    assert data and data <= names, sorted(data - names)
    # Every module, in every subpackage: a new package folder missing from setup.cfg's packages fails here.
    modules = {f"ketcover/{p.relative_to(package).as_posix()}" for p in package.rglob("*.py") if "__pycache__" not in p.parts}
    assert modules <= names, sorted(modules - names)

    target = tmp_path / "site"
    subprocess.run([sys.executable, "-m", "pip", "install", "--no-deps", "-q", "--target", str(target), str(wheel)],
                   check=True, capture_output=True)
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    env = dict(os.environ, PYTHONPATH=str(target))
    probe = ("from ketcover.ruleset import default_rules_dir, load_ruleset; import sys; "
             "d = default_rules_dir(); rs = load_ruleset(); print(d); sys.exit(0 if len(rs.rules) > 9 else 1)")
    result = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, cwd=elsewhere, env=env)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip().startswith(str(target)), result.stdout
    # the installed package renders a page from its own templates, with its own stylesheet
    probe = ("import ketcover.render.pages as p; page = p.render_page('report.html.j2', documents=[]); "
             "print(p.__file__); assert p.STYLESHEET in page and 'Skip to the main content' in page")
    result = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, cwd=elsewhere, env=env)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip().startswith(str(target)), result.stdout
