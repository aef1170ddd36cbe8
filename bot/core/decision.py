"""The decision: answer, suggest or fall back, from the ranking and two checks on the question's domain.

A question is "anchored" when it names a domain word (thi đua, khen thưởng, bằng khen …); one that names another
domain's term (hộ chiếu, thuế, nâng lương …) that the top entry never uses is not ours to answer.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from bot.core.agreement import AGREED_LEAD
from bot.core.corroboration import CORROBORATED_FLOOR
from bot.core.knowledge import Entry, Knowledge
from bot.core.match_types import MatchSettings, Scored
from bot.core.normalize import Normalized, Normalizer, accent_agreement
from bot.core.phrases import Phrases
from bot.core.phrases import spans as phrase_spans
from bot.core.phrases import values as phrase_values
from bot.core.records import ANSWER, FALLBACK, SUGGEST

SUGGESTION_WINDOW = 25.0  # suggestions come from within this many points of the best


class Domains:
    """Domain words that anchor a question, and other domains' terms that rule an entry out."""

    def __init__(
        self,
        knowledge: Knowledge,
        entries: Sequence[Entry],
        normalize: Normalizer,
        entry_foreign_terms: list[set[tuple[str, ...]]] | None = None,
    ) -> None:
        """`entry_foreign_terms`, when given, are the terms a compiled index saved (they are costly to find)."""
        self.domain = Phrases(dict.fromkeys(normalize.phrase_keys(knowledge.domain_terms), "d"))
        foreign = [normalize(term) for term in knowledge.foreign_terms]
        self._foreign = Phrases((n.folded, n.accented) for n in foreign if n.folded)
        self._hosts = Phrases(dict.fromkeys(normalize.phrase_keys(knowledge.foreign_term_hosts), "h"))
        # The other domains' terms each entry itself uses, as whole phrases, in its phrasings or answers: a question
        # naming any other one is from another domain ("hộ chiếu" is not in "hồ sơ … đối chiếu").
        self.entry_foreign_terms: list[set[tuple[str, ...]]] = entry_foreign_terms or [set() for _ in entries]
        for index, entry in enumerate(entries if entry_foreign_terms is None else ()):
            for text in [*entry.phrasings_vi, *entry.phrasings_en, entry.answer_vi, entry.answer_en or ""]:
                folded = normalize(text).folded
                self.entry_foreign_terms[index].update(folded[a:b] for a, b, _ in phrase_spans(folded, self._foreign))

    def anchored(self, folded: Sequence[str], corrected: Callable[[], list[str]]) -> bool:
        """Whether the question names a domain word, also when misspelt ("thu dua" for "thi đua")."""
        if not self.domain or phrase_values(list(folded), self.domain):
            return True
        return bool(phrase_values(corrected(), self.domain))

    def foreign_to(self, norm: Normalized, entry_index: int) -> bool:
        """Whether the question names another domain's term (học sinh, hộ chiếu, thuế …) the entry never uses."""
        found = []
        terms = phrase_spans(norm.folded, self._foreign)
        # "giáo viên tiểu học" is where the asker works, not a pupil's question (scanned only when a term is there)
        hosted = {i for a, b, _ in phrase_spans(norm.folded, self._hosts) for i in range(a, b)} if terms else set()
        for start, end, spelling in terms:
            if start in hosted:
                continue
            words = norm.folded[start:end]
            # Typed with diacritics a term must match as typed: "thuê" (hire) is not "thuế" (tax).
            if not norm.typed_diacritics or accent_agreement(norm.accented[start:end], words, spelling)[1] == 0:
                found.append(words)
        if not found:
            return False
        used = self.entry_foreign_terms[entry_index]
        return any(term not in used for term in found)


def decide(
    ranked: Sequence[Scored],
    cfg: MatchSettings,
    *,
    foreign: bool,
    anchored: Callable[[], bool],
    confirmed: Callable[[], bool],
    other_tier: bool = False,
    agreed: Callable[[], bool] = lambda: False,
    corroborated: Callable[[], bool] = lambda: False,
    disputed: Callable[[], bool] = lambda: False,
) -> tuple[str, tuple[Scored, ...]]:
    """(status, suggestions) for a non-empty ranking; `other_tier`: the best entry answers for another tier than the
    one asked about (bot.core.tiers), so it is suggested at most; `agreed`: the understanding of the asking clause
    names the best entry and not the runner-up (bot.core.agreement), so a close match with a lead answers;
    `corroborated`: besides, the asking part names the best entry's circumstance and both rankings of a story put it
    first (bot.core.corroboration), so it answers from CORROBORATED_FLOOR.

    Answer a clear best (over the threshold with a margin, or a big lead when anchored); a weaker lead answers
    when the n-gram profiles, an independent view, pick the same entry; otherwise suggest the close ones, or
    fall back with the few that came close at all.
    """
    first = ranked[0].score
    second = ranked[1].score if len(ranked) > 1 else 0.0
    lead = first - second
    if not foreign and not other_tier:
        is_anchored = anchored()
        threshold = cfg.answer_threshold if is_anchored else max(cfg.answer_threshold, cfg.unanchored_threshold)
        if first >= threshold and lead >= cfg.margin:
            return ANSWER, ()
        if is_anchored and first >= cfg.lead_threshold and lead >= cfg.lead_margin and not disputed():
            return ANSWER, ()
        # Exact ties never answer this way: agreeing on one of two proves nothing.
        confirmable = is_anchored and lead > 0 and first >= cfg.confirmed_threshold and cfg.confirm_with_profiles
        if confirmable and confirmed():
            return ANSWER, ()
        # What the asking clause says agrees with the best entry: lexical evidence of a close match is enough.
        if is_anchored and first >= cfg.close_match_floor and lead >= AGREED_LEAD and agreed():
            return ANSWER, ()
        # Three independent signs where the story dilutes the score: no lower threshold alone tells them apart.
        low = is_anchored and CORROBORATED_FLOOR <= first < cfg.close_match_floor and lead >= AGREED_LEAD
        if low and corroborated() and agreed():
            return ANSWER, ()
    if first < cfg.suggest_threshold:
        return FALLBACK, tuple(s for s in ranked[: cfg.max_suggestions] if s.score >= cfg.close_match_floor)
    floor = max(cfg.close_match_floor, first - SUGGESTION_WINDOW)
    return SUGGEST, tuple(s for s in ranked[: cfg.max_suggestions] if s.score >= floor)
