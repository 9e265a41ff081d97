"""environment.yml (conda) and pyproject.toml (pip) must describe the same environment."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[2]


def _name(spec: str) -> str:
    return re.split(r"[<>=!~ \[]", spec.strip(), maxsplit=1)[0].lower()


def _spec(spec: str) -> str:
    return spec.replace(" ", "").lower()


def test_environment_yml_is_valid_and_matches_pyproject() -> None:
    env = yaml.safe_load((ROOT / "environment.yml").read_text())
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    assert env["name"] == "itemsrel"
    assert env["channels"] == ["conda-forge"]
    conda = [d for d in env["dependencies"] if isinstance(d, str)]
    pip = next(d["pip"] for d in env["dependencies"] if isinstance(d, dict))
    assert any(d.startswith("python=3.11") for d in conda)
    listed = {_name(d): _spec(d) for d in conda + pip if _name(d) not in {"python", "pip", "-e"}}
    required = {_name(d): _spec(d) for d in project["dependencies"]}
    # conda writes "python=3.11"; everything else must match pyproject's pins exactly
    assert listed == required
    # the package itself, with the extras that hold the book and test tools
    assert "-e .[book,test]" in pip
    assert set(project["optional-dependencies"]) == {"book", "test"}


def test_torch_and_plotly_are_pinned() -> None:
    deps = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["dependencies"]
    assert "torch==2.13.0" in deps
    assert any(re.fullmatch(r"plotly>=7,<8", d) for d in deps)
