"""Importers sit below search and the recommender: they announce what they wrote
through directory's ``listings_changed`` event and import neither."""

from __future__ import annotations

import ast
from pathlib import Path

import importers

FORBIDDEN = {"search", "recommender"}


def imported_modules(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names.add(node.module)
    return names


def test_importers_import_neither_search_nor_the_recommender() -> None:
    root = Path(importers.__file__).parent
    offending = {
        f"{path.relative_to(root)}: {name}"
        for path in root.rglob("*.py")
        for name in imported_modules(path)
        if name.split(".")[0] in FORBIDDEN
    }
    assert not offending, sorted(offending)
