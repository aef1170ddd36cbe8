"""YAML text parsed with libyaml's safe loader when PyYAML was built with it (about 10 × faster), else pure Python."""

from __future__ import annotations

from typing import Any

import yaml

SAFE_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def parse(text: str) -> Any:
    """yaml.safe_load(text), through the C parser when available; raises yaml.YAMLError as it does."""
    return yaml.load(text, Loader=SAFE_LOADER)
