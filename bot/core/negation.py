"""Negated mentions: "không ai bị kỷ luật", "chưa từng bị kỷ luật" tell a clean record, not a circumstance.

Stories list what did not happen as often as what did ("9 người đạt Lao động tiên tiến, không ai bị kỷ luật"). A
circumstance keyword after a negator is not the circumstance when the words between say it is about what befell
someone ("bị", "ai", "từng", "vi phạm", "no one was"): "không nhận thêm tiền" or "chứ không phải viên chức" are
claims the question is about, and stay.
"""

from __future__ import annotations

from collections.abc import Sequence

NEGATORS = frozenset({"khong", "chua", "chang", "never", "no", "not", "without"})
# Words that may stand between the negator and the keyword, folded as content words are: "không (có) ai (bị)",
# "chưa (từng/hề) (bị)", "không (vi phạm)", "no one (was)", "never (been)".
FILLERS = frozenset(
    {"ai", "co", "tung", "he", "bao", "gio", "nguoi", "nao", "bi", "vi", "pham", "mac", "lan"}
    | {"one", "was", "were", "been", "ever", "has", "have", "had", "is", "any", "anyone", "got"}
)
# Of those, the ones that make it a record of what befell someone; one of them, between or opening the keyword.
RECORD_WORDS = frozenset({"bi", "ai", "tung", "he", "pham", "mac", "one", "anyone", "been", "was", "ever"})
MAX_FILLERS = 3


def negated(tokens: Sequence[str], start: int) -> bool:
    """Whether the phrase starting at `start` is negated as a record ("không ai bị …", "chưa từng bị …")."""
    i, skipped = start - 1, []
    while i >= 0 and len(skipped) < MAX_FILLERS and tokens[i] in FILLERS:
        skipped.append(tokens[i])
        i -= 1
    if i < 0 or tokens[i] not in NEGATORS:
        return False
    opening = tokens[start : start + 2]
    return bool(RECORD_WORDS.intersection(skipped)) or bool(RECORD_WORDS.intersection(opening))
