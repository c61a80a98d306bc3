"""Dependencies point one way: domain (geography, directory) <- search, recommender,
importers <- features (signposting, lifecycle,
onboarding) <- the project shell (cms).

Read from the code itself with ``ast``, so an import pointing back up, even one hidden
inside a function, fails here. ``cms.workflows.roles`` is a leaf (it imports nothing
from the project), so every layer may name the roles.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest
from django.conf import settings

ROOT = Path(settings.BASE_DIR)
PROJECT = {
    "cms",
    "geography",
    "directory",
    "vocabulary",
    "search",
    "recommender",
    "importers",
    "signposting",
    "lifecycle",
    "onboarding",
}
LEAVES = {"cms.workflows.roles"}

#: What each package may import from the project, besides itself and the leaves.
ALLOWED: dict[str, set[str]] = {
    "geography": set(),
    "directory": {"geography"},
    "vocabulary": {"geography", "directory"},
    "search": {"geography", "directory", "vocabulary"},
    "recommender": {"geography", "directory", "vocabulary"},
    "importers": {"geography", "directory", "vocabulary"},
    "signposting": {"geography", "directory", "vocabulary", "search", "recommender"},
    "lifecycle": {"geography", "directory", "vocabulary", "importers"},
    "onboarding": {"geography", "directory", "importers", "lifecycle"},
}


def imported_modules(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names.add(node.module)
    return names


def violations(package: str) -> list[str]:
    allowed = ALLOWED[package] | {package}
    found = []
    for path in sorted((ROOT / package).rglob("*.py")):
        if "migrations" in path.parts:
            continue
        for name in imported_modules(path):
            top = name.split(".")[0]
            if top not in PROJECT or top in allowed:
                continue
            if any(name == leaf or name.startswith(leaf + ".") for leaf in LEAVES):
                continue
            found.append(f"{path.relative_to(ROOT)} imports {name}")
    return found


@pytest.mark.parametrize("package", sorted(ALLOWED))
def test_imports_point_down_only(package: str) -> None:
    assert violations(package) == []


def test_leaves_import_nothing_from_the_project() -> None:
    for leaf in LEAVES:
        path = ROOT / (leaf.replace(".", "/") + ".py")
        assert not {n for n in imported_modules(path) if n.split(".")[0] in PROJECT}


def test_the_check_sees_an_import_hidden_in_a_function(tmp_path: Path) -> None:
    hidden = tmp_path / "hidden.py"
    hidden.write_text("def f():\n    from search.tasks import x\n", encoding="utf-8")
    assert "search.tasks" in imported_modules(hidden)
