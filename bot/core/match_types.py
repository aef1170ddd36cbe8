"""The values the matching pipeline passes between its stages and returns: settings, scores, the decision."""

from __future__ import annotations

from dataclasses import dataclass
from typing import NamedTuple

from bot.core.normalize import Normalized
from bot.core.understanding import Question


@dataclass(frozen=True, slots=True)
class MatchSettings:
    """Decision thresholds (0-100) and the required lead of the best entry over the second."""

    answer_threshold: float = 58.0
    margin: float = 2.0
    lead_threshold: float = 42.0  # a lower score still answers when no other entry comes close
    lead_margin: float = 6.0
    unanchored_threshold: float = 60.0  # a question without any domain word needs a stronger match
    suggest_threshold: float = 45.0
    close_match_floor: float = 35.0
    max_suggestions: int = 3
    confirm_with_profiles: bool = True  # answer a weaker lead when the n-gram profiles pick the same entry
    confirmed_threshold: float = 45.0  # the lowest score the profiles' agreement can turn into an answer


class Scored(NamedTuple):
    """An entry and its score. A named tuple, not a frozen dataclass: a ranking makes ~60 per question, and a
    tuple is made in C where a frozen dataclass sets each field through object.__setattr__."""

    entry_id: str
    score: float


@dataclass(frozen=True, slots=True)
class MatchResult:
    """The decision for one question and the ranked entries behind it."""

    status: str
    query: Normalized
    ranked: tuple[Scored, ...]
    suggestions: tuple[Scored, ...] = ()
    smalltalk_id: str | None = None
    question: Question | None = None  # how the message was read (None for small talk)
    reason: str | None = None  # UNCOVERED when an award the knowledge lacks was asked about

    @property
    def top(self) -> Scored | None:
        return self.ranked[0] if self.ranked else None


# Why a result is a fallback although entries matched: the question asks about an award the knowledge lacks.
UNCOVERED = "uncovered-award"
