"""The code's own rules of layout that no linter checks: private names stay in their module,
modules stay small enough to read, and an import inside a function says why it is there.
(The layering between apps is import-linter's contracts in pyproject.toml.)"""

import ast
from pathlib import Path

import concord

PACKAGE = Path(concord.__file__).resolve().parent
MAX_LINES = 450


def modules():
    for path in sorted(PACKAGE.rglob("*.py")):
        relative = path.relative_to(PACKAGE.parent)
        # Migrations are written by Django; data builders are one-off scripts kept as records.
        if "migrations" in relative.parts or path.name.startswith("build_"):
            continue
        yield relative, path.read_text(encoding="utf-8")


def test_no_private_name_is_imported_from_another_module():
    found = []
    for relative, source in modules():
        for node in ast.walk(ast.parse(source)):
            if isinstance(node, ast.ImportFrom) and (node.module or "").startswith("concord"):
                private = [alias.name for alias in node.names if alias.name.startswith("_")]
                found += [f"{relative}:{node.lineno} imports {name}" for name in private]
    assert found == []


def test_no_module_is_longer_than_the_limit():
    long = [
        f"{relative}: {count} lines"
        for relative, source in modules()
        if (count := len(source.splitlines())) > MAX_LINES
    ]
    assert long == []


def explained(lines: list[str], node: ast.stmt) -> bool:
    """A comment on the import's line, or above the run of import lines it belongs to."""
    if "#" in lines[node.lineno - 1]:
        return True
    index = node.lineno - 2
    while index >= 0 and (
        not lines[index].strip() or lines[index].strip().startswith(("from ", "import "))
    ):
        index -= 1
    return index >= 0 and lines[index].strip().startswith("#")


def test_an_import_inside_a_function_says_why():
    """A late import is a choice (a heavy library loaded only where needed, an app registry
    not ready yet); a comment on the line before, or at its end, says which."""
    silent = []
    for relative, source in modules():
        lines = source.splitlines()
        for node in ast.walk(ast.parse(source)):
            if not isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
                continue
            for inner in ast.walk(node):
                if isinstance(inner, ast.Import | ast.ImportFrom) and not explained(lines, inner):
                    silent.append(f"{relative}:{inner.lineno}: {lines[inner.lineno - 1].strip()}")
    assert sorted(set(silent)) == []
