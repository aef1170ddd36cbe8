"""Necessary substrings of a regular expression: a cheap test that tells when a pattern cannot match a text.

`needles(pattern)` reads the pattern's syntax tree (the re module's own parser) and returns strings such that every
match of the pattern contains at least one of them, or None when it cannot say (a pattern that may match without
any fixed text, or flags that change what a literal matches). A text holding none of the needles has no match, so
a scan over it can be skipped: `str.__contains__` on a few strings is far cheaper than running the pattern.

Rules: in a sequence, consecutive literal characters must appear side by side in a match (zero-width items, "\\b",
"^" or a lookaround, lie between them without breaking the run); a group that must occur once at least contributes
its own needles; of the candidates the one whose shortest needle is longest is kept. An alternation needs one of
each branch's needles. Anything else (character classes, optional parts, wildcards) contributes nothing.
"""

from __future__ import annotations

import re
from typing import Any

# The parser behind re.compile (private, but present in every CPython 3 release as sre_parse or re._parser).
try:
    from re import _constants as _c  # type: ignore[attr-defined]
    from re import _parser as _p  # type: ignore[attr-defined]
except ImportError:  # pragma: no cover - Python < 3.11
    import sre_constants as _c  # type: ignore[no-redef]
    import sre_parse as _p  # type: ignore[no-redef]

_ZERO_WIDTH = (_c.AT, _c.ASSERT, _c.ASSERT_NOT)
# Flags under which a literal in the tree is not the only text it matches.
_CHANGING = re.IGNORECASE | re.VERBOSE


def needles(pattern: re.Pattern[str] | str) -> tuple[str, ...] | None:
    """Strings at least one of which every match of `pattern` contains; None when no such strings are known."""
    source = pattern.pattern if isinstance(pattern, re.Pattern) else pattern
    flags = pattern.flags if isinstance(pattern, re.Pattern) else 0
    if not isinstance(source, str) or flags & _CHANGING:
        return None
    try:
        tree = _p.parse(source, flags)
    except (re.error, TypeError, ValueError, AttributeError):
        return None
    if tree.state.flags & _CHANGING:  # inline flags such as (?i)
        return None
    found = _of_sequence(list(tree))
    return tuple(found) if found else None


def may_match(found: tuple[str, ...] | None, text: str) -> bool:
    """False only when `text` holds none of `found` (the needles of a pattern), i.e. the pattern cannot match it."""
    return found is None or any(needle in text for needle in found)


def _of_sequence(items: list[tuple[Any, Any]]) -> list[str] | None:
    candidates: list[list[str]] = []
    run: list[str] = []
    for op, arg in items:
        if op == _c.LITERAL:
            run.append(chr(arg))
            continue
        if op in _ZERO_WIDTH:
            continue
        if run:
            candidates.append(["".join(run)])
            run = []
        inner: list[str] | None = None
        if op == _c.SUBPATTERN:
            # (group, flags added, flags removed, contents): a group such as (?i:…) matches more than its literals
            inner = None if arg[1] & _CHANGING else _of_sequence(list(arg[-1]))
        elif op == _c.BRANCH:
            inner = _of_branches(arg[1])
        elif op in (_c.MAX_REPEAT, _c.MIN_REPEAT) and arg[0] >= 1:
            inner = _of_sequence(list(arg[2]))
        if inner:
            candidates.append(inner)
    if run:
        candidates.append(["".join(run)])
    if not candidates:
        return None
    return max(candidates, key=lambda found: min(map(len, found)))


def _of_branches(branches: list[Any]) -> list[str] | None:
    out: list[str] = []
    for branch in branches:
        found = _of_sequence(list(branch))
        if not found:
            return None
        out.extend(found)
    return list(dict.fromkeys(out))
