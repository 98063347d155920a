"""build.py: zero-setup bootstrap that installs once and re-runs itself in .venv."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from types import ModuleType

import pytest

from tests.support import ROOT


def load_build_script() -> ModuleType:
    spec = importlib.util.spec_from_file_location("build_script", ROOT / "build.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture
def bootstrap(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> ModuleType:
    module = load_build_script()
    (tmp_path / "pyproject.toml").write_text("[project]\nname = 'x'\n", encoding="utf-8")
    monkeypatch.setattr(module, "ROOT", tmp_path)
    monkeypatch.setattr(module, "VENV", tmp_path / ".venv")
    monkeypatch.setattr(module, "STAMP", tmp_path / ".venv" / ".catalogo-instalado")
    (tmp_path / ".venv").mkdir()
    return module


def test_build_script_uses_only_the_standard_library() -> None:
    source = (ROOT / "build.py").read_text(encoding="utf-8")
    imports = {
        line.split()[1].split(".")[0]
        for line in source.splitlines()
        if line.startswith(("import ", "from ")) and "__future__" not in line
    }
    assert imports <= set(sys.stdlib_module_names), imports - set(sys.stdlib_module_names)


def test_install_is_needed_only_when_pyproject_changes(bootstrap: ModuleType) -> None:
    assert not bootstrap.stamp_covers(False)
    bootstrap.STAMP.write_text(bootstrap.wanted_stamp(False) + "\n", encoding="utf-8")
    assert bootstrap.stamp_covers(False)
    assert not bootstrap.stamp_covers(True), "test extras need their own install"
    (bootstrap.ROOT / "pyproject.toml").write_text("[project]\nname = 'y'\n", encoding="utf-8")
    assert not bootstrap.stamp_covers(False)


def test_an_install_with_test_extras_serves_every_command(bootstrap: ModuleType) -> None:
    bootstrap.STAMP.write_text(bootstrap.wanted_stamp(True) + "\n", encoding="utf-8")
    assert bootstrap.stamp_covers(True)
    assert bootstrap.stamp_covers(False)


def test_second_run_in_the_venv_does_not_reinstall(
    bootstrap: ModuleType, monkeypatch: pytest.MonkeyPatch
) -> None:
    bootstrap.STAMP.write_text(bootstrap.wanted_stamp(True) + "\n", encoding="utf-8")
    monkeypatch.setattr(bootstrap, "running_in_project_venv", lambda: True)
    calls: list[bool] = []
    monkeypatch.setattr(bootstrap, "install", lambda with_tests: calls.append(with_tests))
    monkeypatch.setitem(sys.modules, "catalogo.cli", type(sys)("fake_cli"))
    sys.modules["catalogo.cli"].main = lambda argv, project_root: 0  # type: ignore[attr-defined]
    assert bootstrap.main(["validate"]) == 0
    assert calls == []


def test_venv_python_path_fits_the_platform(bootstrap: ModuleType) -> None:
    path = bootstrap.venv_python()
    assert path.parent.name in ("bin", "Scripts")
    assert path.is_relative_to(bootstrap.VENV)


def test_this_checkout_is_detected_as_ready() -> None:
    module = load_build_script()
    assert module.package_ready(with_tests=True)
