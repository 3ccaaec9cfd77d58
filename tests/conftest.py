"""Shared pytest configuration of the project-level tests (the scripts, the configuration, the
README): they load ``bin/clinic`` as a module and run it as a program."""

import importlib.machinery
import importlib.util
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="session")
def clinic_script():
    loader = importlib.machinery.SourceFileLoader("clinic_script", str(ROOT / "bin" / "clinic"))
    spec = importlib.util.spec_from_loader("clinic_script", loader)
    module = importlib.util.module_from_spec(spec)
    loader.exec_module(module)
    return module
