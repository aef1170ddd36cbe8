"""YAML text parsed with libyaml's safe loader when PyYAML was built with it (about 10 × faster), else pure Python.

Even with libyaml, building the Python objects is PyYAML's Python code: the knowledge's 1.3 MB took ~100 ms of every
start. Inside `remembered_in(folder)` (bot.assembly wires the compiled index cache's folder) a parsed text is kept
as JSON beside the compiled index, keyed by the text's hash, and read back with the json module's C decoder: the
same values (dates tagged, nothing else that JSON cannot hold exactly is kept), never code.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import hashlib
import json
import math
import os
import tempfile
from collections.abc import Iterator
from contextvars import ContextVar
from pathlib import Path
from typing import Any

import yaml

SAFE_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

FORMAT = 1
_DATE = "$date"  # the tag of a date (YAML's timestamps without a time); a text whose data uses it is not kept
_FOLDER: ContextVar[Path | None] = ContextVar("yaml_text_folder", default=None)


def parse(text: str) -> Any:
    """yaml.safe_load(text), through the C parser when available; raises yaml.YAMLError as it does."""
    folder = _FOLDER.get()
    if folder is None:
        return yaml.load(text, Loader=SAFE_LOADER)
    return _remembered(text, folder)


@contextlib.contextmanager
def remembered_in(folder: Path | None) -> Iterator[None]:
    """Within the block, parsed texts are kept in (and read back from) `folder`; None: parsed every time."""
    token = _FOLDER.set(folder)
    try:
        yield
    finally:
        _FOLDER.reset(token)


def _key(text: str) -> str:
    material = f"{FORMAT}|{yaml.__version__}|{SAFE_LOADER.__name__}|{text}"
    return hashlib.sha256(material.encode("utf-8", "surrogatepass")).hexdigest()[:32]


def _remembered(text: str, folder: Path) -> Any:
    key = _key(text)
    path = folder / f"{key}.yaml.json"
    try:
        saved = json.loads(path.read_bytes(), object_hook=_decode)
        if isinstance(saved, dict) and saved.get("format") == FORMAT and saved.get("key") == key and "data" in saved:
            return saved["data"]
    except (OSError, ValueError, TypeError):  # missing, truncated or foreign: parsed again and written anew
        pass
    data = yaml.load(text, Loader=SAFE_LOADER)
    encoded = _encode(data)
    if encoded is not _UNKEPT:
        with contextlib.suppress(OSError, ValueError):
            _write(folder, path, json.dumps({"format": FORMAT, "key": key, "data": encoded}, ensure_ascii=False))
    return data


_UNKEPT = object()  # data JSON cannot give back exactly


def _encode(value: Any) -> Any:
    """`value` as JSON-ready data that _decode turns back into equal values of the same types, or _UNKEPT."""
    if value is None or isinstance(value, (str, bool, int)):
        return value
    if isinstance(value, float):
        return value if math.isfinite(value) else _UNKEPT
    if isinstance(value, dt.date) and not isinstance(value, dt.datetime):
        return {_DATE: value.isoformat()}
    if isinstance(value, list):
        items = [_encode(item) for item in value]
        return _UNKEPT if any(item is _UNKEPT for item in items) else items
    if isinstance(value, dict):
        if _DATE in value or not all(isinstance(k, str) for k in value):
            return _UNKEPT
        out = {k: _encode(v) for k, v in value.items()}
        return _UNKEPT if any(v is _UNKEPT for v in out.values()) else out
    return _UNKEPT  # datetimes, sets, binary …


def _decode(obj: dict[str, Any]) -> Any:
    if len(obj) == 1 and _DATE in obj:
        return dt.date.fromisoformat(obj[_DATE])
    return obj


def _write(folder: Path, path: Path, text: str) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    fd, temp = tempfile.mkstemp(dir=folder, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(text)
        os.replace(temp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(temp)
        raise
