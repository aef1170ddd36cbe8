"""Conditional follow-ups: "… có được cấp đổi không? Nếu được thì cần đến cơ quan nào?" asks one thing, then what
follows from a yes.

A real question often asks whether something is allowed and then, "nếu được thì …", "nếu có thì …", "if so …",
what to do next. The follow-up depends on the question before it: its answer is part of the entry that answers the
first one (the entry on replacing a damaged order says where to send the request), and its words are the words of
every procedure ("cơ quan nào", "hồ sơ", "thủ tục", "cấp lại"). Ranked with the same weight, they pull the message
towards a generic entry on documents, or name a second circumstance that makes the agreement stage refuse ("cấp
đổi … ? Nếu được thì … được cấp lại?"). So the asking part is read on its main clauses: a follow-up clause, one
that opens with a follow-up marker after a clause of the asking part that asks, is left to the whole message
(weight 1 - FOCUS_WEIGHT in the blend), and the circumstances it alone names are not the point of the question.

A follow-up marker with nothing asked before it is a condition, not a follow-up: "Nếu có sáng kiến thì có được
CSTĐ không?" is read whole.
"""

from __future__ import annotations

from collections.abc import Sequence

from bot.core.phrases import Phrases, spans


class FollowUps:
    """The knowledge's follow-up markers (`follow_up_markers` in understanding.yaml), matched on folded words."""

    def __init__(self, markers: Phrases[str]) -> None:
        self._markers = markers

    def cuts(self, folded: Sequence[str]) -> list[int]:
        """Word positions inside a sentence where a follow-up starts ("… không, nếu có thì …"), never at 0."""
        return [start for start, _, _ in spans(list(folded), self._markers) if start > 0]

    def opens(self, folded: Sequence[str]) -> bool:
        """Whether a clause opens with a follow-up marker."""
        return any(start == 0 for start, _, _ in spans(list(folded), self._markers))

    @staticmethod
    def of(asks: Sequence[bool], opens: Sequence[bool], start: int, end: int) -> frozenset[int]:
        """The follow-up clauses of the asking part [start, end): those opening with a marker after a clause of
        the part that asks and is no follow-up itself. `asks[i]`, `opens[i]`: clause i asks, opens with a marker."""
        found: set[int] = set()
        asked_before = False
        for i in range(start, end):
            if opens[i] and asked_before:
                found.add(i)
            elif asks[i]:
                asked_before = True
        return frozenset(found)
