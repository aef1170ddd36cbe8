"""Framing in the asking part: the text or rule the asker reads by, which is context, not what is asked.

"Quỹ thi đua khen thưởng được thành lập từ những nguồn nào theo hướng dẫn mới nhất tại Nghị định 98/2023/NĐ-CP?"
asks where the fund comes from; "theo hướng dẫn mới nhất tại Nghị định 98/2023/NĐ-CP" says by which rules. Ranked
with it, the asked point is diluted and the entry on NĐ 98 competes. This finds such spans in a clause's words: a
full citation (with its name, article and opener: "theo Điều 24 Luật Thi đua, khen thưởng số 06/2022/QH15"), a
standard ("theo quy định hiện hành", "hướng dẫn mới nhất 2024", "hiện nay"), another body's name ("ngành Tư
pháp", "của Bộ Văn hóa, Thể thao và Du lịch") — unless the question asks about the
document itself ("NĐ 98 còn hiệu lực không", "văn bản nào quy định …") or says little beyond it.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from bot.core.cited_documents import document_spans
from bot.core.phrases import Phrases, spans

_YEAR = re.compile(r"(19|20)\d\d")
# "Điều 24", "khoản 2", "điểm c": an article reference before a citation belongs to it.
_ARTICLE_WORDS = frozenset({"dieu", "khoan", "diem", "muc", "chuong"})
_ARTICLE_TAIL = re.compile(r"\d{1,3}[a-z]?|[a-zđ]")
# What may stand between a framing span and the asked point ("Theo quy định hiện hành thì …", "…, năm 2024").
_CONNECTORS = frozenset({"thi", "so", "nam"})
_NUMBER = re.compile(r"\d{1,5}")
# Issuer codes after a number ("QĐ-TLĐ", "TT-BGDĐT") are no Vietnamese syllables; "năm" or a word of the question is.
_SYLLABLE = re.compile(r"(ngh|ng|nh|ch|gh|gi|kh|ph|qu|th|tr|[bcdghklmnprstvx])?[aeiouy]{1,3}(ch|ng|nh|[cmnpt])?")
MAX_ISSUER_LENGTH = 8
LAW_NAME_WORDS = 3  # "luật thi đua" and longer: a law's name, framing after "theo" even without its number
# A remainder with fewer content words than this says too little on its own: the framing may be the point
# ("mẫu báo cáo theo Nghị định 152/2025/NĐ-CP").
MIN_REMAINDER = 4


class Framing:
    """Finds the framing spans of a clause's folded content words with the lexicon of understanding.yaml."""

    def __init__(
        self,
        openers: Phrases[str],
        standards: Phrases[str],
        names: Phrases[str],
        document_questions: Phrases[str],
        times: Phrases[str],
        document_asks: Phrases[str] | None = None,
        bodies: Phrases[str] | None = None,
    ) -> None:
        self._openers = openers  # theo, tại, căn cứ, quy định tại …: attach to the framing that follows
        self._standards = standards  # quy định hiện hành, hướng dẫn mới nhất, hiện nay …: framing on their own
        self._names = names  # luật thi đua khen thưởng, nghị định …: framing after an opener or before a citation
        self._document_questions = document_questions  # hiệu lực, thay thế, văn bản nào …: the document is the point
        # mới nhất, hiện nay …: framing only after an opener or opening the part ("Hiện nay, …"); elsewhere they
        # may be the point ("mức tiền thưởng mới nhất năm 2024 là bao nhiêu").
        self._times = times
        # văn bản nào quy định …: with a circumstance named, the circumstance's entry answers it (its basis line is
        # the text asked for), so the phrase is framing there and the document question is not the point.
        self._document_asks = document_asks or Phrases()
        # ngành Tư pháp, Bộ Văn hóa, Thể thao và Du lịch …: another body's name says whose rules the asker means
        # (the answer gives the general rule and says that body's own regulation applies), not what is asked.
        self._bodies = bodies or Phrases()

    def body_spans(self, words: Sequence[str]) -> list[tuple[int, int]]:
        """(start, end) of each other body's name in `words` ("bộ giáo dục và đào tạo", "ngành tư pháp")."""
        return [(a, b) for a, b, _ in spans(words, self._bodies)]

    def spans(self, words: Sequence[str], case_named: bool = False) -> list[tuple[int, int]]:
        """(start, end) of each framing span in `words`; [] when the words ask about the document itself or
        would say too little without it. `case_named`: the words name a circumstance (bị kỷ luật, thai sản …)."""
        if not words:
            return []
        asks = [(a, b) for a, b, _ in spans(words, self._document_asks)] if case_named else []
        in_asks = {i for a, b in asks for i in range(a, b)}
        if any(not in_asks.intersection(range(a, b)) for a, b, _ in spans(words, self._document_questions)):
            return []
        cores = [(a, b) for a, b in document_spans(words)] + asks
        taken = {i for a, b in cores for i in range(a, b)}
        cores += [(a, b) for a, b, _ in spans(words, self._standards) if not taken.intersection(range(a, b))]
        taken = {i for a, b in cores for i in range(a, b)}
        cores += [(a, b) for a, b, _ in spans(words, self._bodies) if not taken.intersection(range(a, b))]
        names = [(a, b) for a, b, _ in spans(words, self._names)]
        taken = {i for a, b in cores for i in range(a, b)}
        for a, b, _ in spans(words, self._times):
            if not taken.intersection(range(a, b)) and (a == 0 or self._back_over_opener(words, a) < a):
                cores.append((a, b))
        found = []
        for start, end in sorted(cores):
            start = self._back_over_names(words, start, names)
            found.append((self._back_over_opener(words, start), self._forward(words, end)))
        for start, end in names:
            # A kind and a number without the year next to it: "Quyết định 1689/QĐ-TLĐ năm 2019".
            numbered = self._numbered(words, end, names)
            if numbered > end:
                start = self._back_over_names(words, start, names)
                found.append((self._back_over_opener(words, start), self._forward(words, numbered)))
                continue
            # A law's full name after an opener is framing too ("theo Luật Thi đua, khen thưởng, …"); a bare
            # "theo quyết định" may be the decision asked about.
            opened = self._back_over_opener(words, start)
            if opened < start and end - start >= LAW_NAME_WORDS:
                found.append((opened, self._forward(words, end)))
        merged = _merge(found)
        covered = sum(b - a for a, b in merged)
        return merged if len(words) - covered >= MIN_REMAINDER else []

    def _back_over_names(self, words: Sequence[str], start: int, names: list[tuple[int, int]]) -> int:
        """A citation's name and article before it: "Điều 24 Luật Thi đua, khen thưởng số 06/2022/QH15"."""
        moved = True
        while moved:
            moved = False
            if start > 0 and words[start - 1] == "so":
                start, moved = start - 1, True
            name = next((a for a, b in names if b == start), None)
            if name is not None:
                start, moved = name, True
            if start > 1 and words[start - 2] in _ARTICLE_WORDS and _ARTICLE_TAIL.fullmatch(words[start - 1]):
                start, moved = start - 2, True
        return start

    def _back_over_opener(self, words: Sequence[str], start: int) -> int:
        for a, b, _ in spans(words[max(0, start - self._openers.longest) : start], self._openers):
            offset = max(0, start - self._openers.longest)
            if offset + b == start:
                return offset + a
        return start

    def _numbered(self, words: Sequence[str], end: int, names: list[tuple[int, int]]) -> int:
        """After a document's kind, its number and issuer ("1689/QĐ-TLĐ", the QĐ spelt out as "quyết định"): the
        end of them, or `end`."""
        at = end + 1 if end < len(words) and words[end] == "so" else end
        if at >= len(words) or not _NUMBER.fullmatch(words[at]):
            return end
        at += 1
        number_end = at
        while at < len(words):
            name = next((b for a, b in names if a == at), None)
            if name is not None:
                at = name
            elif len(words[at]) <= MAX_ISSUER_LENGTH and not _SYLLABLE.fullmatch(words[at]):
                at += 1
            else:
                break
        # A short reference ("Nghị định 152", "TT 25") is usually the point: only a full one is framing.
        dated = at + 1 < len(words) and words[at] == "nam" and bool(_YEAR.fullmatch(words[at + 1]))
        return at if at > number_end or dated else end

    @staticmethod
    def _forward(words: Sequence[str], end: int) -> int:
        """Over a year and a connector after the span: "hướng dẫn mới nhất (năm) 2024", "… hiện hành thì"."""
        while end < len(words) and (words[end] in _CONNECTORS or _YEAR.fullmatch(words[end])):
            if words[end] == "nam" and not (end + 1 < len(words) and _YEAR.fullmatch(words[end + 1])):
                break
            end += 1
        return end


def _merge(found: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Overlapping or touching spans as one."""
    out: list[tuple[int, int]] = []
    for start, end in sorted(found):
        if out and start <= out[-1][1]:
            out[-1] = (out[-1][0], max(out[-1][1], end))
        else:
            out.append((start, end))
    return out
