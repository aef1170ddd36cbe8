"""Legal documents a question cites: where they sit among its words, and which of them are no longer in force.

Real questions often quote the text the asker read, and often an old one ("Theo Nghị định số 91/2017/NĐ-CP thì
không được xét chiến sĩ thi đua cơ sở nếu nghỉ 40 ngày …"). The citation sets the scene: it should not pull the
question to the entry about that decree, and the answer, which follows today's rules, should say that the text
cited has been replaced and by what.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from bot.core.documents import Document, Register

# Folded content words that name a kind of document before its number ("nghị định số 98", "thông tư 25", "nđ 98").
_KIND_WORDS: tuple[tuple[str, ...], ...] = (
    ("nghi", "dinh"),
    ("thong", "tu"),
    ("quyet", "dinh"),
    ("chi", "thi"),
    ("cong", "van"),
    ("luat",),
    ("nd",),
    ("tt",),
    ("qd",),
)
_NUMBER = re.compile(r"\d{1,5}")
_YEAR = re.compile(r"(19|20)\d\d")
# The issuer part after the number ("/NĐ-CP", "/TT-BNV", "/QH15"), as content words spell it out.
_SUFFIX_WORDS = frozenset(
    {
        "nghi", "dinh", "chinh", "phu", "thong", "tu", "tt", "nd", "cp", "qd", "ttg", "bnv", "bkhcn", "btttt",
        "bgddt", "bldtbxh", "bqp", "bca", "byt", "btc", "qh", "qh11", "qh12", "qh13", "qh14", "qh15", "qh16",
        "ubtvqh"
    }
)
# "98/2023", "91/2017/NĐ-CP", "25/2025/TT-BKHCN" as typed: the number and the year of a citation.
_CITED = re.compile(r"(?<![\d/])(\d{1,5})\s*/\s*((?:19|20)\d\d)(?![\d])")
_IN_FORCE = frozenset({"in_force", "amended"})


def document_spans(words: Sequence[str]) -> list[tuple[int, int]]:
    """(start, end) of each full citation in folded content words: a number and its year, with the kind of
    document before it ("nghị định số 91/2017") or its issuer after it ("01/2024/TT-BNV").

    A short reference ("thông tư 25", "NĐ 98") is usually what the question is about, and a date ("tháng 9/2026",
    "28/9/2026") is no citation, so neither is found.
    """
    found: list[tuple[int, int]] = []
    if not any(_YEAR.fullmatch(word) for word in words[1:]):
        return found  # every citation has a year after its number; most questions name none
    i = 0
    while i < len(words):
        kind = next((k for k in _KIND_WORDS if tuple(words[i : i + len(k)]) == k), None)
        j = i + len(kind) if kind else i
        if kind and j < len(words) and words[j] == "so":  # "Nghị định số 91/2017"
            j += 1
        year_at = j + 1
        if year_at < len(words) and _NUMBER.fullmatch(words[j]) and _YEAR.fullmatch(words[year_at]):
            end = year_at + 1
            while end < len(words) and words[end] in _SUFFIX_WORDS:
                end += 1
            if kind or end > year_at + 1:
                found.append((i, end))
                i = end
                continue
        i += 1
    return found


@dataclass(frozen=True, slots=True)
class OutOfForce:
    """A cited document that is no longer in force, and the one in force that took its place (when known)."""

    cited: Document
    current: Document | None


def cited_out_of_force(text: str, register: Register | None) -> list[OutOfForce]:
    """The register's documents that `text` cites by number and year and that are no longer in force."""
    if register is None:
        return []
    out: list[OutOfForce] = []
    seen: set[str] = set()
    for number, year in _CITED.findall(text):
        doc = _by_number(register, f"{int(number)}/{year}")
        if doc is None or doc.id in seen or doc.status in _IN_FORCE or doc.status == "unverified":
            continue
        seen.add(doc.id)
        out.append(OutOfForce(doc, _current_successor(register, doc)))
    return out


def _by_number(register: Register, number_year: str) -> Document | None:
    """The register's document numbered `number_year` ("1/2024" or "01/2024"): leading zeros are not compared, since
    the register spells numbers as the documents do ("01/2024/TT-BNV") and questions either way."""
    wanted = _unpadded(number_year)
    for doc in register:
        if doc.number:
            number = _unpadded(doc.number)
            if number == wanted or number.startswith(wanted + "/"):
                return doc
    return None


def _unpadded(number: str) -> str:
    head, sep, rest = number.partition("/")
    return (head.lstrip("0") or "0") + sep + rest if head.isdigit() else number


def _current_successor(register: Register, doc: Document) -> Document | None:
    """Follow `replaced_by` to the document in force (NĐ 91/2017 → NĐ 98/2023 → NĐ 152/2025); None if unknown."""
    seen = {doc.id}
    current = doc
    while current.replaced_by:
        number, _, _ = current.replaced_by.partition(" ")
        parts = number.split("/")
        successor = _by_number(register, "/".join(parts[:2])) if len(parts) >= 2 else None
        if successor is None or successor.id in seen:
            return None
        if successor.status in _IN_FORCE:
            return successor
        seen.add(successor.id)
        current = successor
    return None
