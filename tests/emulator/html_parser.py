"""Telegram's HTML subset: parse_html() turns a parse_mode=HTML text into (visible text, entities).

It rejects what Telegram rejects (unknown tags, unclosed or unmatched tags, bad attributes) and, when strict,
also bare ``>``/``&`` and unknown named entities, which Telegram would show literally. Offsets are UTF-16.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from .common import JSONDict, utf16_len

_TAG_ENTITY = {
    "b": "bold", "strong": "bold", "i": "italic", "em": "italic", "u": "underline", "ins": "underline",
    "s": "strikethrough", "strike": "strikethrough", "del": "strikethrough", "tg-spoiler": "spoiler",
    "span": "spoiler", "a": "text_link", "code": "code", "pre": "pre", "blockquote": "blockquote",
    "tg-emoji": "custom_emoji",
}
_NAMED_ENTITIES = {"lt": "<", "gt": ">", "amp": "&", "quot": '"'}
_SPECIAL = re.compile("[<>&]")


class EntityParseError(ValueError):
    """Raised when text does not parse as Telegram HTML; the message follows Telegram's wording."""


def _decode_entity(text: str, pos: int, *, strict: bool) -> tuple[str, int] | None:
    """Decode the HTML entity starting at ``text[pos] == '&'``; None when Telegram would not decode it."""
    end = pos + 1
    if text.startswith("#", end):
        end += 1
        hexadecimal = text[end:end + 1] in ("x", "X")
        end += hexadecimal
        digits_start = end
        allowed = "0123456789abcdefABCDEF" if hexadecimal else "0123456789"
        while end < len(text) and text[end] in allowed:
            end += 1
        if end == digits_start or end - digits_start > 7:
            return None
        code = int(text[digits_start:end], 16 if hexadecimal else 10)
        if code == 0 or code > 0x10FFFF or 0xD800 <= code <= 0xDFFF:
            return None
        char = chr(code)
    else:
        while end < len(text) and text[end].isascii() and text[end].isalpha():
            end += 1
        char = _NAMED_ENTITIES.get(text[pos + 1:end], "")
        if not char:
            return None
    if text.startswith(";", end):
        return char, end + 1
    return None if strict else (char, end)


def parse_html(text: str, *, strict: bool = True) -> tuple[str, list[JSONDict]]:
    """Parse Telegram HTML into (visible text, entities), raising EntityParseError like Telegram."""
    out: list[str] = []
    out16 = 0
    stack: list[JSONDict] = []
    entities: list[JSONDict] = []

    def offset(i: int) -> int:
        return len(text[:i].encode())

    def emit(chunk: str) -> None:
        nonlocal out16
        out.append(chunk)
        out16 += utf16_len(chunk)

    n = len(text)
    i = 0
    while i < n:
        char = text[i]
        if char == "&":
            decoded = _decode_entity(text, i, strict=strict)
            if decoded is None:
                if strict:
                    match = re.match(r"&#?\w*;?", text[i:])
                    raise EntityParseError(
                        f'Unsupported HTML entity "{match.group() if match else "&"}" at byte offset {offset(i)}'
                        ' (escape "&" as "&amp;"; only &lt; &gt; &amp; &quot; and numeric entities exist)'
                    )
                emit("&")
                i += 1
                continue
            emit(decoded[0])
            i = decoded[1]
            continue
        if char == ">" and strict:
            raise EntityParseError(f'Character ">" must be escaped as "&gt;" at byte offset {offset(i)}')
        if char != "<":
            special = _SPECIAL.search(text, i + 1)
            end = special.start() if special else n
            emit(text[i:end])
            i = end
            continue
        begin = i
        i += 1
        if i < n and text[i] == "/":
            i += 1
            if not stack:
                raise EntityParseError(f"Unexpected end tag at byte offset {offset(begin)}")
            name_start = i
            while i < n and not text[i].isspace() and text[i] != ">":
                i += 1
            end_name = text[name_start:i].lower()
            while i < n and text[i].isspace():
                i += 1
            if i >= n or text[i] != ">":
                raise EntityParseError(f"Unclosed end tag at byte offset {offset(begin)}")
            i += 1
            top = stack.pop()
            if end_name and end_name != top["tag"]:
                raise EntityParseError(
                    f'Unmatched end tag at byte offset {offset(begin)}, expected "</{top["tag"]}>", '
                    f'found "</{end_name}>"'
                )
            _close_entity(top, stack, entities, out16)
            continue
        name_start = i
        while i < n and not text[i].isspace() and text[i] != ">":
            i += 1
        if i >= n:
            raise EntityParseError(f"Unclosed start tag at byte offset {offset(begin)}")
        tag = text[name_start:i].lower()
        if tag not in _TAG_ENTITY:
            raise EntityParseError(f'Unsupported start tag "{tag}" at byte offset {offset(begin)}')
        attrs, i = _parse_attributes(text, i, tag, offset)
        if tag == "span" and attrs.get("class") != "tg-spoiler":
            raise EntityParseError(f'Tag "span" must have class "tg-spoiler" at byte offset {offset(begin)}')
        if tag == "tg-emoji" and not attrs.get("emoji-id"):
            raise EntityParseError(f'Tag "tg-emoji" must have attribute "emoji-id" at byte offset {offset(begin)}')
        stack.append({"tag": tag, "attrs": attrs, "start": out16})
    if stack:
        raise EntityParseError(f'Can\'t find end tag corresponding to start tag "{stack[-1]["tag"]}"')
    return _strip_visible("".join(out), entities)


def _parse_attributes(text: str, i: int, tag: str, offset: Callable[[int], int]) -> tuple[dict[str, str], int]:
    """Parse a start tag's attributes from ``i`` up to and including its ``>``."""
    attrs: dict[str, str] = {}
    n = len(text)
    while True:
        while i < n and text[i].isspace():
            i += 1
        if i >= n:
            raise EntityParseError(f"Unclosed start tag at byte offset {offset(i)}")
        if text[i] == ">":
            return attrs, i + 1
        name_start = i
        while i < n and not text[i].isspace() and text[i] not in "=>":
            i += 1
        name = text[name_start:i].lower()
        if not name:
            raise EntityParseError(f'Empty attribute name in the tag "{tag}" at byte offset {offset(name_start)}')
        while i < n and text[i].isspace():
            i += 1
        if i >= n or text[i] != "=":
            if tag == "blockquote" and name == "expandable":
                attrs[name] = ""
                continue
            raise EntityParseError(
                f'Expected equal sign in declaration of an attribute of the tag "{tag}" at byte offset {offset(i)}'
            )
        i += 1
        while i < n and text[i].isspace():
            i += 1
        if i >= n:
            raise EntityParseError(f"Unclosed start tag at byte offset {offset(i)}")
        if text[i] in "'\"":
            quote = text[i]
            end = text.find(quote, i + 1)
            if end < 0:
                raise EntityParseError(f"Unclosed start tag at byte offset {offset(i)}")
            raw = text[i + 1:end]
            value = re.sub(r"&(lt|gt|amp|quot);", lambda m: _NAMED_ENTITIES[m.group(1)], raw)
            i = end + 1
        else:
            value_start = i
            while i < n and (text[i].isalnum() or text[i] in ".-_"):
                i += 1
            if i < n and not text[i].isspace() and text[i] != ">":
                raise EntityParseError(f"Unexpected end of name token at byte offset {offset(i)}")
            value = text[value_start:i].lower()
        attrs[name] = value


def _close_entity(top: JSONDict, stack: list[JSONDict], entities: list[JSONDict], end16: int) -> None:
    """Turn a closed tag into a MessageEntity dict (merging <pre><code class=language-x>)."""
    tag, attrs = top["tag"], top["attrs"]
    language = attrs.get("class", "")
    if tag == "code" and stack and stack[-1]["tag"] == "pre" and language.startswith("language-"):
        stack[-1]["language"] = language.removeprefix("language-")
        return
    length = end16 - top["start"]
    if length <= 0:
        return
    entity: JSONDict = {"type": _TAG_ENTITY[tag], "offset": top["start"], "length": length}
    if tag == "a":
        entity["url"] = attrs.get("href", "")
    elif tag == "pre" and top.get("language"):
        entity["language"] = top["language"]
    elif tag == "blockquote" and "expandable" in attrs:
        entity["type"] = "expandable_blockquote"
    elif tag == "tg-emoji":
        entity["custom_emoji_id"] = attrs["emoji-id"]
    entities.append(entity)


def _strip_visible(visible: str, entities: list[JSONDict]) -> tuple[str, list[JSONDict]]:
    """Strip surrounding whitespace like Telegram and shift/clip entities accordingly."""
    stripped = visible.strip()
    if not stripped:
        return "", []
    shift = utf16_len(visible[: len(visible) - len(visible.lstrip())])
    limit = utf16_len(stripped)
    result = []
    for entity in sorted(entities, key=lambda e: (e["offset"], -e["length"])):
        start = max(entity["offset"] - shift, 0)
        end = min(entity["offset"] + entity["length"] - shift, limit)
        if end > start:
            result.append({**entity, "offset": start, "length": end - start})
    return stripped, result
