"""Every setting and command is documented: config.example.yaml and the README keep up with the code."""

from __future__ import annotations

from pathlib import Path

import yaml
from pydantic import BaseModel

from bot.cli import build_parser
from bot.config import Config, load_config

ROOT = Path(__file__).resolve().parent.parent
README = (ROOT / "README.md").read_text(encoding="utf-8")


def _keys(model: type[BaseModel], prefix: str = "") -> set[str]:
    keys = set()
    for name, field in model.model_fields.items():
        annotation = field.annotation
        if isinstance(annotation, type) and issubclass(annotation, BaseModel):
            keys |= _keys(annotation, f"{prefix}{name}.")
        else:
            keys.add(f"{prefix}{name}")
    return keys


def _yaml_keys(data: dict, prefix: str = "") -> set[str]:
    keys = set()
    for name, value in data.items():
        if isinstance(value, dict):
            keys |= _yaml_keys(value, f"{prefix}{name}.")
        else:
            keys.add(f"{prefix}{name}")
    return keys


def test_example_config_has_every_key_and_loads() -> None:
    example = ROOT / "config.example.yaml"
    data = yaml.safe_load(example.read_text(encoding="utf-8"))
    assert _yaml_keys(data) == _keys(Config)
    load_config(example, env={})


def test_readme_names_every_config_key() -> None:
    missing = [key for key in sorted(_keys(Config)) if key.split(".")[-1] not in README]
    assert not missing, f"config keys missing from README.md: {missing}"


def test_readme_names_every_command() -> None:
    parser = build_parser()
    sub = next(a for a in parser._actions if a.dest == "command")
    missing = [name for name in sub.choices if f"python -m bot {name}" not in README]
    assert not missing, f"commands missing from README.md: {missing}"
