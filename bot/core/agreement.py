"""Agreement: whether the understanding of the asking clause names the best entry and not the runner-up.

Real questions use words no phrasing foresaw, so the right entry often leads with a low lexical score ("… tôi muốn
xin cấp đổi huân chương thì cần những thủ tục gì?" → the entry on replacing a damaged order, at 33). When what the
asking clause says is what the entry is about, and the runner-up is clearly something else, the decision may answer
on less lexical evidence (bot.core.decision). The asking clause names an entry when:

- a catalogue entry: its target award is the entry's award and its intent the entry's intent (not the overview,
  read from generic asking phrases such as "là gì", "quy định thế nào");
- another entry: it names one of the entry's keywords, circumstances or signature terms (not negated; signature
  terms are what the entry's own questions and phrasings keep saying and other entries do not, in Vietnamese and in
  English: bot.core.signature_terms); an entry about an award only when that award is the one asked for.

They disagree, and the lower evidence does not apply, when the message names a circumstance of another entry
(anywhere: the story's "chưa được nhận" is as much the point as the asked "cấp lại") that the entry's own
questions and keywords never speak of ("Bảng gia đình vẻ vang có được cấp lại không": its entry speaks of "cấp
lại"), when the asking clause asks for an intent the entry never speaks of, when it names the runner-up too, or when
a runner-up within RUNNER_UP_WINDOW points answers the same intent.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from bot.core.knowledge import Entry
from bot.core.match_types import Scored
from bot.core.understanding import Question

AGREED_LEAD = 3.0  # the best entry's lead over the runner-up when it answers on agreement
RUNNER_UP_WINDOW = 5.0  # a runner-up this close that answers the same intent is no "clearly other" entry
OVERVIEW = "tong-quan"  # the intent of "là gì", "quy định thế nào": generic, it names no entry by itself


@dataclass(frozen=True, slots=True)
class Agreement:
    """The agreement stage's verdict on a ranking, with the reason `--explain` prints."""

    agrees: bool
    reason: str


class AgreementRule:
    """Compares the understanding of the asking clause with the best and the second entry of a ranking."""

    def __init__(
        self,
        entries: Sequence[Entry],
        entry_awards: Sequence[frozenset[str]],
        keyword_hits: Callable[[str], set[str]],
        speaks_of: Callable[[int, str], bool],
        cases: Callable[[str], list[tuple[str, str]]] = lambda text: [],
        own_words: Callable[[int], str] = lambda index: "",
        signature_hits: Callable[[str], dict[str, str]] = lambda text: {},
    ) -> None:
        """`keyword_hits(text)`: the ids of the entries whose keywords a text names (not negated);
        `speaks_of(index, intent)`: whether an entry's texts speak of an intent anywhere; `cases(text)`: the
        circumstances a text names, as (entry id, the words naming it); `own_words(index)`: an entry's questions,
        phrasings and keywords as space-separated words, each text between " | "; `signature_hits(text)`: the ids of the
        entries whose signature terms a text names (not negated), each with the term."""
        self._entries = entries
        self._entry_awards = entry_awards
        self._index_of = {e.id: i for i, e in enumerate(entries)}
        self._keyword_hits = keyword_hits
        self._speaks_of = speaks_of
        self._cases = cases
        self._own_words = own_words
        self._signature_hits = signature_hits
        self._own: dict[int, str] = {}

    def read(self, question: Question, ranked: Sequence[Scored]) -> Agreement:
        """Whether the asking clause names the best entry, nothing disagrees, and the runner-up is clearly other."""
        if not ranked:
            return Agreement(False, "nothing ranked")
        hits = self._keyword_hits(question.asked_main)  # not its follow-ups (bot.core.follow_ups)
        terms = self._signature_hits(question.asked_main)
        top = self._index_of[ranked[0].entry_id]
        naming = self._names(question, hits, terms, top)
        if naming is None:
            return Agreement(False, f"the asking clause does not name {ranked[0].entry_id}")
        conflict = self._conflict(question, top)
        if conflict:
            return Agreement(False, conflict)
        if len(ranked) > 1:
            second = self._index_of[ranked[1].entry_id]
            also = self._names(question, hits, terms, second)
            if also is not None:
                return Agreement(False, f"the asking clause names {ranked[1].entry_id} too ({also})")
            close = ranked[0].score - ranked[1].score < RUNNER_UP_WINDOW
            if close and self._answers_intent(question.intent, second):
                return Agreement(False, f"{ranked[1].entry_id}, as close, answers the same intent")
        return Agreement(True, f"the asking clause names {ranked[0].entry_id} ({naming}), the runner-up is another")

    def _names(self, question: Question, hits: set[str], terms: dict[str, str], index: int) -> str | None:
        """How the asking clause names an entry ("its award and intent", "its keyword", "its circumstance", "its
        signature term '…'"), or None when it does not."""
        entry = self._entries[index]
        if entry.award_id:
            intent = question.intent
            named = entry.award_id == question.target_award and intent not in (None, OVERVIEW)
            return "its award and intent" if named and entry.intent_id == intent else None
        awards = self._entry_awards[index]
        if awards and question.target_award not in awards:
            return None
        if entry.id in hits:
            return "its keyword"
        if entry.id in question.asked_circumstances:
            return "its circumstance"
        if entry.id in terms:
            return f"its signature term '{terms[entry.id]}'"
        return None

    def other_circumstances(self, question: Question, entry_id: str) -> list[str]:
        """The circumstances the message names (the story's too) that are not the entry's own and that its own
        questions, phrasings and keywords never speak of."""
        index = self._index_of[entry_id]
        others = [case for case in question.circumstances if case != entry_id]
        if others:  # read only then: finding the words that name them normalises the whole message again
            if index not in self._own:
                self._own[index] = f" | {self._own_words(index)} | "
            spoken = {case for case, words in self._cases(question.text) if f" {words} " in self._own[index]}
            others = [case for case in others if case not in spoken]
        return others

    def _conflict(self, question: Question, index: int) -> str | None:
        entry = self._entries[index]
        others = self.other_circumstances(question, entry.id)
        if others:
            return f"the message names another circumstance ({', '.join(others)})"
        intent = question.intent
        if not entry.award_id and intent not in (None, OVERVIEW) and not self._speaks_of(index, intent):
            return f"the asking clause asks {intent}, which {entry.id} never speaks of"
        return None

    def _answers_intent(self, intent: str | None, index: int) -> bool:
        if intent in (None, OVERVIEW):
            return False
        entry = self._entries[index]
        if entry.award_id:
            return entry.intent_id == intent
        assert intent is not None
        return self._speaks_of(index, intent)
