"""Corroboration: three independent signs that a story's low-scored best entry is what it asks.

A long story dilutes every score: "Bà tôi có huy hiệu … nhưng bị gãy hỏng. Bà tôi có thể cấp đổi hay không?" puts
the entry on replacing a damaged item first at 33, below the agreement stage's floor (close_match_floor), and the
labelled out-of-scope questions score 15–50 too, so no lower threshold tells them apart. What does: the asking part
names the entry's own circumstance (a special case's keyword, "cấp đổi", "nghỉ thai sản", not negated), the ranking
of the asking part and the ranking of the whole message put the same entry first, and the agreement stage finds
nothing that disagrees (no other circumstance named, a runner-up clearly other). On the labelled sets no
out-of-scope question has all three below the floor; a close match that has them answers from CORROBORATED_FLOOR
with the agreement stage's lead (bot.core.decision).

A message read whole (one question) has one ranking only, so it is never corroborated this way.
"""

from __future__ import annotations

from collections.abc import Sequence

from bot.core.match_types import Scored
from bot.core.understanding import Question

CORROBORATED_FLOOR = 30.0  # the lowest score a corroborated close match answers from


def corroborated(question: Question, ranked: Sequence[Scored], rankings_agree: bool) -> bool:
    """Whether the best entry is a circumstance the asking part names and both rankings of the story put it first
    (`rankings_agree`: the asking part's and the whole message's best entries are the same)."""
    return rankings_agree and bool(ranked) and ranked[0].entry_id in question.asked_circumstances
