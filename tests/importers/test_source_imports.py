"""Source adapters stand alone: each imports the shared layers, never another source.

A rule shared by two sources belongs in ``importers/parsing`` (or ``writing``), where
both can use it; a source's own sub-modules (``sources/oruk/*``) may import each other.
"""

from __future__ import annotations

import ast
from pathlib import Path

import importers

IMPORTERS = Path(importers.__file__).parent
#: What a source may import from the importers package besides itself.
SHARED = {"parsing", "writing", "records", "pipeline", "report", "coverage", "safe_fetch"}


def imported_modules(path: Path, package: str) -> list[str]:
    """Dotted names a module imports (relative imports resolved, ``from a import b``
    counted as ``a.b`` so importing a sibling module by name is seen)."""
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):  # function-level too
        if isinstance(node, ast.Import):
            found += [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                parent = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join([*parent, base] if base else parent)
            found += [f"{base}.{alias.name}" for alias in node.names]
    return found


def forbidden_imports(root: Path) -> list[str]:
    """'sources/<file>: <module>' for every import that breaks the rule, under ``root``
    (the importers package folder)."""
    problems = []
    for path in sorted((root / "sources").rglob("*.py")):
        relative = path.relative_to(root).with_suffix("").parts  # ("sources", "oruk", "feed")
        if len(relative) < 2 or relative[1] == "__init__":
            continue
        own = relative[1]
        package = ".".join(("importers", *relative[:-1]))
        for name in imported_modules(path, package):
            parts = name.split(".")
            if parts[0] != "importers" or len(parts) < 2:
                continue
            if parts[1] in SHARED or (parts[1] == "sources" and parts[2:3] == [own]):
                continue
            problems.append(f"{path.relative_to(root)}: {name}")
    return problems


def test_sources_import_only_the_shared_layers_and_their_own_modules() -> None:
    assert forbidden_imports(IMPORTERS) == []


def test_the_check_sees_a_source_importing_another(tmp_path: Path) -> None:
    sources = tmp_path / "sources"
    (sources / "oruk").mkdir(parents=True)
    (sources / "oruk" / "parts.py").write_text(
        "from importers.sources.oruk.reference import gss_code\n"
        "from importers.parsing.values import parse_date\n"
        "from importers.sources.warm_spaces.rows import in_uk\n"
    )
    (sources / "csv_listings.py").write_text(
        "from importers.sources import oruk\nfrom . import warm_spaces\n"
    )
    assert forbidden_imports(tmp_path) == [
        "sources/csv_listings.py: importers.sources.oruk",
        "sources/csv_listings.py: importers.sources.warm_spaces",
        "sources/oruk/parts.py: importers.sources.warm_spaces.rows.in_uk",
    ]
