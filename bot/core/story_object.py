"""The story's object: what an asking part that names nothing of its own asks about.

"Vừa qua, bố tôi được nhận Huân chương Chiến công hạng Nhất … Bố tôi có được nhận tiền thưởng không?" asks about
money, for the order the story names. Ranked alone, "có được nhận tiền thưởng không" is every award's bonus, and the
story's circumstances added to it (nghỉ hưu) win. An asking part that names no award, no award noun (huân chương,
bằng khen, huy hiệu …) and no circumstance of its own refers back to the story for its object, as a reader takes it:
the last award the story names, with the name that follows its noun ("Huân chương Chiến công hạng Nhất", "huy hiệu
Bà mẹ Việt Nam anh hùng"), is added to the ranked part like the story's circumstances are. When it is an award the
catalogue does not cover, the question is read as asking about it (Question.uncovered_award), as if the asking part
had named it: an entry naming it answers, or the reply says the catalogue lacks it, never another award's entry.

The name runs on after its noun up to a punctuation mark, a joining word that starts another part of the sentence
("vì", "nhưng", "do", "năm" …) or MAX_NAME_WORDS words: "Huân chương Chiến công hạng Nhất vì đã có thành tích …"
gives "Huân chương Chiến công hạng Nhất".
"""

from __future__ import annotations

import re

from bot.core.normalize import fold_word
from bot.core.phrases import Phrases, spans

_TOKEN = re.compile(r"\w+|[^\w\s]")
# Words that end a name: they join another part of the sentence to it (as typed; folded in a text typed without
# marks, where "Nam" of "Việt Nam" is no "năm" in a text that has them).
_NAME_ENDS = frozenset(
    {"vì", "nhưng", "do", "và", "năm", "từ", "cho", "khi", "đã", "được", "thì", "mà", "nên", "là", "tại", "với", "để"}
    | {"nay", "bị", "rồi", "hay", "hoặc", "song", "tuy", "như"}
)
_NAME_ENDS_FOLDED = frozenset(fold_word(word) for word in _NAME_ENDS)
MAX_NAME_WORDS = 8  # words of a name kept after its noun


class StoryObject:
    """Finds the last award noun of a text with its name; `nouns` are folded word tuples (understanding.yaml)."""

    def __init__(self, nouns: Phrases[str]) -> None:
        self._nouns = nouns

    def names_one(self, folded: list[str]) -> bool:
        """Whether folded words name an award noun (huân chương, bằng khen …)."""
        return bool(spans(folded, self._nouns))

    def last(self, text: str) -> str | None:
        """The last award noun the text names, with the name after it, as written; None when it names none."""
        tokens = _TOKEN.findall(text)
        words = [(i, t) for i, t in enumerate(tokens) if t[0].isalnum()]
        found = spans([fold_word(t.lower()) for _, t in words], self._nouns)
        if not found:
            return None
        start, end, _ = found[-1]
        picked = [t for _, t in words[start:end]]
        ends = _NAME_ENDS if not text.isascii() else _NAME_ENDS_FOLDED  # typed without marks: "nhung", "vi"
        for token in tokens[words[end - 1][0] + 1 :]:
            if not token[0].isalnum() or token.lower() in ends or len(picked) - (end - start) >= MAX_NAME_WORDS:
                break
            picked.append(token)
        return " ".join(picked)

