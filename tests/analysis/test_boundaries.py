"""``analysis.stats`` stays independent: no Django, and only stdlib + numpy at import time."""

import ast
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
STATS = ROOT / "analysis" / "stats"
ALLOWED = {
    "collections",
    "dataclasses",
    "decimal",
    "fractions",
    "itertools",
    "math",
    "numbers",
    "numpy",
    "types",
    "typing",
}


def test_import_without_django_settings():
    env = {k: v for k, v in os.environ.items() if k != "DJANGO_SETTINGS_MODULE"}
    code = (
        "import analysis.stats, sys; "
        "assert 'django' not in sys.modules; "
        "assert 'scipy' not in sys.modules, 'scipy must be imported lazily'; "
        "assert 'pandas' not in sys.modules"
    )
    done = subprocess.run(
        [sys.executable, "-c", code],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stderr


def test_module_level_imports_are_stdlib_or_numpy():
    names = set()
    for module in sorted(STATS.glob("*.py")):
        tree = ast.parse(module.read_text(encoding="utf-8"))
        for node in tree.body:
            if isinstance(node, ast.Import):
                names.update(alias.name.split(".")[0] for alias in node.names)
            elif isinstance(node, ast.ImportFrom) and not node.level:
                # Relative imports (from .grouped import …) stay inside the package.
                names.add(node.module.split(".")[0])
    assert names <= ALLOWED, names - ALLOWED


def test_package_init_has_no_imports():
    tree = ast.parse((ROOT / "analysis" / "__init__.py").read_text(encoding="utf-8"))
    assert not [n for n in tree.body if isinstance(n, ast.Import | ast.ImportFrom)]
