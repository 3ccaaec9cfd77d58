"""Odoo's own runner (``--test-enable``) only runs the test modules that the addon's
``tests/__init__.py`` imports; pytest finds every ``test_*.py`` by itself. A module missing from
``__init__.py`` would pass here and never run under Odoo: this keeps the two in step."""

import ast

from .conftest import ROOT

ADDON_TESTS = ROOT / "addons" / "trigger_point_clinic" / "tests"


def modules_not_imported(folder):
    """The ``test_*.py`` modules of ``folder`` that no ``from . import …`` of its
    ``__init__.py`` names."""
    tree = ast.parse((folder / "__init__.py").read_text())
    imported = {
        alias.name
        for node in tree.body
        if isinstance(node, ast.ImportFrom) and node.level == 1 and not node.module
        for alias in node.names
    }
    return sorted({path.stem for path in folder.glob("test_*.py")} - imported)


def test_tests_init_imports_every_test_module():
    assert list(ADDON_TESTS.glob("test_*.py")), "the addon has test modules"
    missing = modules_not_imported(ADDON_TESTS)
    assert not missing, f"import them in {ADDON_TESTS.relative_to(ROOT)}/__init__.py: {missing}"


def test_a_test_module_left_out_is_named(tmp_path):
    for name in ("test_one", "test_two", "common"):
        (tmp_path / f"{name}.py").write_text("")
    (tmp_path / "__init__.py").write_text("from . import test_one\n")
    assert modules_not_imported(tmp_path) == ["test_two"]
