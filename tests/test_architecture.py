"""The layout the README promises, read from the code itself.

Each rule here is one a reviewer would otherwise have to check by hand on every change: arrows
between apps point one way, no module imports itself back through others, views only read, and
no module grows past the size a newcomer can read in one sitting.
"""

import ast
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
APPS = ("delphi_site", "panels", "rounds", "analysis", "reports", "demo", "transfer")
MAX_LINES = 400

# Who may import whom: an app may import the apps listed for it (and itself), nothing else.
# `rounds` may use `analysis.stats` only, which imports nothing of the project.
ALLOWED = {
    "delphi_site": set(),
    "panels": {"delphi_site"},
    "rounds": {"delphi_site", "panels", "analysis.stats"},
    "analysis": {"delphi_site", "panels", "rounds", "analysis.stats"},
    "reports": {"delphi_site", "panels", "rounds", "analysis", "analysis.stats"},
    "demo": {"delphi_site", "panels", "rounds", "analysis", "analysis.stats", "reports"},
    "transfer": {"delphi_site", "panels", "rounds", "analysis", "analysis.stats", "reports"},
    "analysis.stats": set(),
}

WRITE_IN_VIEW = re.compile(
    r"\.save\(|\.delete\(|objects\.(create|update|bulk_create|get_or_create|update_or_create)\b"
    r"|\.bulk_update\(|\baudit\("
)


def _module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def _source_files() -> dict[str, Path]:
    files = {}
    for app in APPS:
        for path in sorted((ROOT / app).rglob("*.py")):
            if "migrations" not in path.parts:
                files[_module_name(path)] = path
    return files


MODULES = _source_files()


def _resolve(module: str, path: Path, node: ast.ImportFrom) -> str:
    if not node.level:
        return node.module or ""
    package = module.split(".") if path.name == "__init__.py" else module.split(".")[:-1]
    base = package[: len(package) - node.level + 1]
    return ".".join(base + ([node.module] if node.module else []))


def _imports(module: str) -> set[str]:
    """Every project module `module` imports, at any depth of its code (TYPE_CHECKING too)."""
    path = MODULES[module]
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            target = _resolve(module, path, node)
            # `from rounds import results` imports the module rounds.results.
            names = [
                f"{target}.{alias.name}" if f"{target}.{alias.name}" in MODULES else target
                for alias in node.names
            ]
        else:
            continue
        for name in names:
            while name and name not in MODULES:
                name = name.rpartition(".")[0]
            if name and name != module:
                found.add(name)
    return found


GRAPH = {module: _imports(module) for module in MODULES}


def _layer(module: str) -> str:
    return "analysis.stats" if module.startswith("analysis.stats") else module.split(".")[0]


def test_every_import_between_apps_points_down_the_layers():
    wrong = sorted(
        f"{module} imports {target}"
        for module, targets in GRAPH.items()
        for target in targets
        if _layer(target) != _layer(module)
        and _layer(target) not in ALLOWED[_layer(module)]
        # Wiring the apps together is what the project's settings and root URLconf are for.
        and module not in ("delphi_site.settings", "delphi_site.urls")
    )
    assert wrong == []


def test_no_module_imports_itself_back_through_others():
    cycles = set()

    def visit(module: str, trail: list[str]) -> None:
        for target in GRAPH[module]:
            if target in trail:
                cycle = trail[trail.index(target) :]
                start = cycle.index(min(cycle))
                cycles.add(" -> ".join(cycle[start:] + cycle[:start]))
            elif target not in done:
                visit(target, [*trail, target])
        done.add(module)

    done: set[str] = set()
    for module in sorted(GRAPH):
        if module not in done:
            visit(module, [module])
    # A package importing its own submodules (its __init__ re-exports) is no cycle of code.
    cycles = {c for c in cycles if not _only_package_reexports(c)}
    assert sorted(cycles) == []


def _only_package_reexports(cycle: str) -> bool:
    modules = cycle.split(" -> ")
    return any(
        other.startswith(module + ".")
        for module in modules
        if MODULES[module].name == "__init__.py"
        for other in modules
    )


def _view_modules() -> list[str]:
    return [
        module
        for module, path in MODULES.items()
        if path.stem.startswith("views") or "views" in path.parent.parts
    ]


@pytest.mark.parametrize("module", _view_modules())
def test_views_only_read_services_write(module):
    lines = MODULES[module].read_text(encoding="utf-8").splitlines()
    writes = [
        f"{n}: {line.strip()}" for n, line in enumerate(lines, 1) if WRITE_IN_VIEW.search(line)
    ]
    assert writes == []


def test_no_module_is_longer_than_a_reader_can_follow():
    long = {
        module: count
        for module, path in MODULES.items()
        if (count := len(path.read_text(encoding="utf-8").splitlines())) > MAX_LINES
    }
    assert long == {}


def test_the_rounds_urlconf_only_gathers_the_features_url_lists():
    tree = ast.parse(MODULES["rounds.urls"].read_text(encoding="utf-8"))
    paths = [
        node
        for node in ast.walk(tree)
        if isinstance(node, ast.Call) and getattr(node.func, "id", None) == "path"
    ]
    assert paths == []


def test_the_statistics_import_nothing_but_numpy_and_the_standard_library():
    stats = [module for module in MODULES if _layer(module) == "analysis.stats"]
    outside = {m: sorted(t for t in GRAPH[m] if _layer(t) != "analysis.stats") for m in stats}
    assert {m: t for m, t in outside.items() if t} == {}
