"""The optimiser stays pure: no module in optimizer/ imports the web application or its database layer."""

import ast
from pathlib import Path

import optimizer

FORBIDDEN = {"flask", "sqlalchemy", "app"}
PACKAGE = Path(optimizer.__file__).parent


def imported_roots(source: str) -> set[str]:
    roots = set()
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            roots.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            roots.add(node.module.split(".")[0])
    return roots


def test_the_scan_sees_every_form_of_import():
    source = "import flask\nimport sqlalchemy.orm as orm\nfrom app.models import X\nfrom . import schema\n"
    assert imported_roots(source) == FORBIDDEN


def test_no_optimizer_module_imports_flask_sqlalchemy_or_app():
    modules = sorted(PACKAGE.rglob("*.py"))
    assert modules, "no optimizer modules found"
    offenders = {
        str(path.relative_to(PACKAGE)): sorted(imported_roots(path.read_text()) & FORBIDDEN)
        for path in modules
        if imported_roots(path.read_text()) & FORBIDDEN
    }
    assert offenders == {}
