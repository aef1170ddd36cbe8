"""The matching pipeline: from a message to answer / suggest / fallback, one readable stage after another.

    understanding   (understanding.py)   which clause asks, the award asked for, the story's circumstances
    content words   (content_words.py)   stopwords and small talk out, English fold clashes resolved
    retrieval       (retrieval.py)       typo correction, every entry scored as its best phrasing
    resolution      (resolution.py)      award × intent: the catalogue answer, agreement and mismatch
    circumstances   (circumstances.py)   a named circumstance outranks the award's generic answer
    tie-breaking    (tiebreak.py)        character n-gram profiles reorder near-ties
    answer evidence (answer_evidence.py) near the best, the entry whose answer uses the question's words
    agreement       (agreement.py)       the asking clause names the best entry, not the runner-up
    decision        (decision.py)        thresholds, domain anchoring, other domains' terms, agreement

A long message is ranked on its asking part and on the whole text (FOCUS_WEIGHT); `python -m bot ask --explain`
shows every stage's contribution.
"""

from __future__ import annotations

from array import array
from collections.abc import Callable, Iterator, Sequence
from itertools import pairwise
from typing import Any, NamedTuple

import numpy as np

from bot.core.agreement import Agreement, AgreementRule
from bot.core.answer_evidence import AnswerEvidence
from bot.core.award_intents import AwardIntents
from bot.core.circumstances import CircumstanceRules
from bot.core.cited_documents import document_spans
from bot.core.content_words import ContentWords
from bot.core.corroboration import corroborated
from bot.core.decision import Domains, decide
from bot.core.dispute import disputed
from bot.core.entry_profiles import EntryProfiles
from bot.core.index_cache import (
    Compiled,
    pack_strings,
    pack_token_lists,
    release_freed_memory,
    unpack_strings,
    unpack_token_lists,
)
from bot.core.knowledge import Entry, Knowledge
from bot.core.match_types import UNCOVERED, MatchResult, MatchSettings, Scored
from bot.core.normalize import Normalized, Normalizer
from bot.core.phrases import Phrases, strip
from bot.core.phrases import spans as phrase_spans
from bot.core.phrases import values as phrase_values
from bot.core.phrasing_table import PhrasingTable
from bot.core.records import ANSWER, FALLBACK, SMALLTALK
from bot.core.resolution import SAME_AWARD_GAP, AwardIntentResolver, Reading
from bot.core.retrieval import LexicalIndex
from bot.core.signature_terms import SignatureTerms, TextWords
from bot.core.tiebreak import break_near_ties
from bot.core.tiers import TierRule
from bot.core.understanding import Question, Understanding

__all__ = ["FOCUS_WEIGHT", "UNCOVERED", "MatchResult", "MatchSettings", "Matcher", "Scored", "Trace"]

# A long message is ranked on its asking part (with the story's circumstances) and on the whole text; the asking
# part decides, the whole text is weaker evidence that breaks its ties.
FOCUS_WEIGHT = 0.85
# A question the understanding step routes (money for several titles → the entry on several titles) is answered by
# that entry at this score at least, the others kept SAME_AWARD_GAP below it.
ROUTED_SCORE = 75.0

class Ranking(NamedTuple):
    checked: Normalized  # the text the decision checks (the asking part for a story)
    ranked: list[Scored]
    agreed: bool  # a story whose asking part and whole text pick the same best entry


# One stage's view of the ranking, for --explain: (stage name, entry index → score).
Trace = list[tuple[str, dict[int, float]]]


class Matcher:
    """Runs the stages for one knowledge version; `match()` decides, `rank()` orders the entries."""

    def __init__(
        self, knowledge: Knowledge, settings: MatchSettings | None = None, compiled: Compiled | None = None
    ) -> None:
        """Build the stages; with `compiled` (bot.core.index_cache), its saved parts are reused and the ones
        built are added to it."""
        self.knowledge = knowledge
        self.settings = settings or MatchSettings()
        self.normalize = Normalizer(knowledge.synonyms)
        self.entries: list[Entry] = list(knowledge.entries.values())
        self._index_of = {e.id: i for i, e in enumerate(self.entries)}
        self._ids = [e.id for e in self.entries]
        saved = _saved_parts(compiled, len(self.entries))
        self.from_cache = bool(saved)  # whether the costly parts came from a compiled index
        self.content = ContentWords(knowledge, self.normalize, saved.get("pairs"))
        self.awards = AwardIntents(knowledge, lambda text: self.content(self.normalize(text)))
        if "index" in saved:
            self.index, self._profiles = saved["index"]
        else:
            # The phrasings as read, before typo variants are mapped: the signature terms read them too.
            self._table: PhrasingTable | None = self._phrasings()
            self.index = LexicalIndex(knowledge, self.entries, self._table, self.normalize)
            release_freed_memory()  # each stage's temporaries, before the next one's: the build's peak stays low
            self._profiles = EntryProfiles.build(self.index.phrasings, self.index.vocabulary, len(self.entries))
            release_freed_memory()
        self._entry_awards = [self._awards_of(e) for e in self.entries]
        self._background = Phrases(
            (key, True)
            for key in (tuple(self.content(self.normalize(t))[1]) for t in knowledge.understanding.background_phrases)
            if key
        )
        self.resolver = AwardIntentResolver(
            self.entries, self.awards, self.normalize, self._entry_awards, self.index.weight
        )
        # Each entry's answer, question and keywords as content words, in order (AnswerEvidence.from_entries reads
        # the same); the signature terms count syllable pairs in them too, so they are normalised once.
        self._evidence_words: list[list[str]] | None = None
        if "evidence" in saved:
            self.answer_evidence = AnswerEvidence(saved["evidence"])
        else:
            self._evidence_words = [
                self.content(self.normalize.joined([e.answer_vi, e.question_vi, *e.keywords]))[1]
                for e in self.entries
            ]
            self.answer_evidence = AnswerEvidence(self._evidence_words)
        self.circumstances = CircumstanceRules(
            self.entries, lambda text: self._corrected_content(self.normalize(text)), self.awards
        )
        self.domains = Domains(knowledge, self.entries, self.normalize, saved.get("foreign"))
        self._generic = self._generic_phrases()
        self._special = [entry.special_case for entry in self.entries].__getitem__
        self.signatures: SignatureTerms = saved.get("signatures") or self._signature_terms()
        self.understanding = Understanding(
            knowledge, lambda text: self._corrected_content(self.normalize(text)), self.awards, self.circumstances.spans
        )
        self.agreement = AgreementRule(
            self.entries,
            self._entry_awards,
            self._keyword_hits,
            self.resolver.speaks_of,
            self._named_cases,
            self._own_words,
            self._signature_hits,
        )
        tiers = knowledge.understanding.tiers
        self.tiers = TierRule([group.entries for group in tiers.groups] if tiers else [])
        self._entry_uncovered: list[frozenset[str]] = saved.get("uncovered") or [
            self.understanding.uncovered_named(self._entry_texts(e)) for e in self.entries
        ]
        if compiled is not None and not saved:
            _save_parts(compiled, self)
        release_freed_memory()  # what building (or unpacking a compiled index) freed

    # -- building ------------------------------------------------------------------------------------------

    def _phrasings(self) -> PhrasingTable:
        self._row_texts: list[str] = []  # each row's phrasing, for the signature terms
        return PhrasingTable.build(self._phrasing_rows())

    def _phrasing_rows(self) -> Iterator[tuple[int, list[str], list[str]]]:
        for index, entry in enumerate(self.entries):
            extra = self.knowledge.extra_phrasings.get(entry.id, ())
            english = set(entry.phrasings_en)
            for phrasing in dict.fromkeys([*entry.phrasings_vi, *entry.phrasings_en, *extra]):
                accented, folded = self.content(self.normalize(phrasing), phrasing in english)
                if folded:
                    self._row_texts.append(phrasing)
                    yield index, accented, folded

    def _awards_of(self, entry: Entry) -> frozenset[str]:
        if entry.award_id:
            return frozenset({entry.award_id})
        return frozenset(self.awards.awards(self.content(self.normalize(entry.question_vi))[1]))

    @staticmethod
    def _entry_texts(entry: Entry) -> list[str]:
        """An entry's questions, Vietnamese phrasings and keywords, read as one text (uncovered_named)."""
        return [entry.question_vi, entry.question_en or "", *entry.phrasings_vi, *entry.keywords]

    def _generic_phrases(self) -> Phrases[bool]:
        """The phrases no signature term reaches into (bot.core.signature_terms), as content words."""
        lexicon = self.knowledge.understanding
        # Words every entry may use: the domain's, scene-setting, question words, and who gives or asks (tiers, other
        # bodies: "Chủ tịch Uỷ ban nhân dân tỉnh" names no entry's subject).
        bodies = [alias for body in lexicon.other_bodies for alias in body.aliases]
        tiers = [word for words in lexicon.tiers.words.values() for word in words] if lexicon.tiers else []
        generic = {
            key: True
            for phrases in (
                self.knowledge.domain_terms,
                lexicon.background_phrases,
                lexicon.question_words,
                bodies,
                tiers,
            )
            for key in (tuple(self.content(self.normalize(t))[1]) for t in phrases)
            if key
        }
        # Award names as written (a misspelt one is looked for only in questions that need it: too slow for every
        # phrasing of 10,000 entries).
        return Phrases({**dict.fromkeys(self.awards.names, True), **generic})

    def _generic_positions(self, folded: list[str]) -> set[int]:
        """The positions of domain-generic phrases and award names, which no signature term reaches into."""
        return {i for a, b, _ in phrase_spans(folded, self._generic) for i in range(a, b)}

    def _signature_terms(self) -> SignatureTerms:
        """Each FAQ entry's signature terms, from its questions and phrasings in both languages (not learned.yaml's
        phrasings: they are the askers' words, not the entry's). The phrasings' words are the phrasing table's
        rows (read as English for the English phrasings, as here); the questions not among them are read here."""
        table = getattr(self, "_table", None) or self._phrasings()
        self._table = None  # not kept
        texts = TextWords(table.folded_words, table.accented_words, (table.folded, table.accented, table.offsets))
        rows_of: list[dict[str, int]] = [{} for _ in self.entries]
        for row, (index, text) in enumerate(zip(table.entries.tolist(), self._row_texts, strict=True)):
            rows_of[index].setdefault(text, row)
        self._row_texts = []
        read: dict[tuple[str, bool], int] = {}  # the texts read here (the same question may recur)

        def row_of(index: int, text: str, english: bool, phrasings_en: set[str]) -> int:
            row = rows_of[index].get(text) if (text in phrasings_en) == english else None
            if row is None:
                row = read.get((text, english))
                if row is None:
                    row = read[(text, english)] = texts.row(*self.content(self.normalize(text), english))
            return row

        entry_of, vietnamese = array("q"), array("b")
        for index, entry in enumerate(self.entries):
            phrasings_en = set(entry.phrasings_en)
            for text in dict.fromkeys([entry.question_vi, *entry.phrasings_vi]):
                texts.read(row_of(index, text, False, phrasings_en))
                entry_of.append(index)
                vietnamese.append(1)
            for text in dict.fromkeys([entry.question_en or "", *entry.phrasings_en]):
                if text:
                    texts.read(row_of(index, text, True, phrasings_en))
                    entry_of.append(index)
                    vietnamese.append(0)
        rows_of.clear()
        read.clear()
        folded, _, offsets = texts.arrays()
        breaks = _phrase_positions(folded, offsets, texts.folded_words, self._generic)
        # Syllable pairs are counted in the Vietnamese texts and the answers, in order: where words begin and end.
        lengths = np.diff(offsets)
        is_vietnamese = np.frombuffer(vietnamese, dtype=np.int8).astype(bool)
        said = [folded[np.repeat(is_vietnamese, lengths)]]
        said_lengths = [lengths[is_vietnamese]]
        evidence = self._evidence_words or [
            self.content(self.normalize.joined([e.answer_vi, e.question_vi, *e.keywords]))[1] for e in self.entries
        ]
        self._evidence_words = None  # not kept: at 10,000 entries they are tens of MiB
        known = texts.folded_number
        answers = array("i")
        for words_of in evidence:
            answers.extend([known.get(w, -1) for w in words_of])
        said.append(np.frombuffer(answers, dtype=np.int32))
        said_lengths.append(np.asarray([len(w) for w in evidence], dtype=np.int64))
        del evidence
        release_freed_memory()  # the answers' words
        corpus_lengths = np.concatenate(said_lengths)
        corpus_offsets = np.zeros(len(corpus_lengths) + 1, dtype=np.int64)
        np.cumsum(corpus_lengths, out=corpus_offsets[1:])
        eligible = [not entry.award_id for entry in self.entries]
        entries = np.frombuffer(entry_of, dtype=np.int64)
        return SignatureTerms.from_words(texts, entries, breaks, (np.concatenate(said), corpus_offsets), eligible)

    def _signature_hits(self, text: str) -> dict[str, str]:
        """The entries whose signature terms a text names (a special case's not negated), with the term. The text is
        read as Vietnamese and as English (its English filler out, as the English phrasings were read): the asking
        clause does not say which language it is in."""
        norm = self.normalize(text)
        found: dict[int, str] = {}
        for english in (False, True):
            accented, folded = self.content(norm, english)
            folded = self.index.correct(folded)[0]
            breaks = self._generic_positions(folded)
            named = self.signatures.named_not_negated(accented, folded, norm.typed_diacritics, self._special, breaks)
            for index, term in named.items():
                found.setdefault(index, term)
        return {self.entries[i].id: term for i, term in found.items()}

    def _named_cases(self, text: str) -> list[tuple[str, str]]:
        """The circumstances a text names, with the words that name them (for the agreement stage)."""
        accented, folded = self._corrected_content(self.normalize(text))
        return [(case, " ".join(folded[a:b])) for a, b, case in self.circumstances.spans(folded, accented)]

    def _own_words(self, index: int) -> str:
        """An entry's questions, phrasings and keywords as content words, each text between " | "."""
        entry = self.entries[index]
        texts = [entry.question_vi, *entry.phrasings_vi, *entry.keywords]
        return " | ".join(" ".join(self.content(self.normalize(t))[1]) for t in texts)

    def _keyword_hits(self, text: str) -> set[str]:
        """The entries whose keywords a text names, as typed when it has diacritics."""
        norm = self.normalize(text)
        accented, corrected = self._corrected_content(norm)
        return self.resolver.keyword_hits(corrected, accented if norm.typed_diacritics else None)

    def _corrected_content(self, norm: Normalized) -> tuple[list[str], list[str]]:
        accented, folded = self.content(norm)
        return accented, self.index.correct(folded)[0]

    # -- ranking -------------------------------------------------------------------------------------------

    def rank(
        self,
        norm: Normalized,
        english: bool = False,
        trace: Trace | None = None,
        tiebreak: bool = True,
        asked_award: str | None = None,
    ) -> list[Scored]:
        """Every entry with a positive score, best first; ties broken by entry id.

        With `trace`, each stage appends its view of the scores (for --explain). `tiebreak=False` skips the n-gram
        profiles: the whole text of a long story, weak evidence next to its asking part, does not need them (and
        on 1,000 characters they are the slowest stage). `asked_award` is the award the understanding step read as
        asked for; it chooses among the awards this text names (the text alone sees no clauses: "received a
        ministry's certificate … be recommended for the Prime Minister's" names the ministry's first).
        """
        accented, folded = self.content(norm, english)
        if not folded:
            return []
        corrected, credit = self.index.correct(folded)
        typed = {(a, f) for a, f in zip(accented, folded, strict=True) if a != f} if norm.typed_diacritics else set()
        weak = self._weak_positions(corrected)
        best = self.index.score(corrected, credit, weak, typed)
        if best is None:
            return []
        _note(trace, "retrieval", best)

        reading = self.resolver.read(corrected, accented, norm.typed_diacritics)
        adjusted = self.resolver.adjust(best, reading)
        award = self._target_award(corrected, reading, asked_award)
        catalogue = self.resolver.catalogue_scores(corrected, reading, award)
        _note(trace, "award × intent", {**adjusted, **catalogue})
        if award is not None:
            # With no intent named, the award's entries ranked by their phrasings stand in for the catalogue
            # answer: "deadline CSTĐ cơ sở" is a deadline question whichever CSTĐ entry matched best.
            pool = catalogue or {i: s for i, s in adjusted.items() if self.entries[i].award_id == award}
            if pool:
                typed_words = accented if norm.typed_diacritics else None
                lowered = self.circumstances.prefer(pool, adjusted, corrected, typed_words, reading.asked)
                catalogue = {i: lowered[i] for i in catalogue}
        self.resolver.apply_catalogue(catalogue, adjusted)
        _note(trace, "circumstances", adjusted)
        if tiebreak:
            break_near_ties(adjusted, self._profiles.similarities(corrected))
            _note(trace, "tie-breaking", adjusted)
            # On what the question says beyond award names and scene-setting phrases.
            self.answer_evidence.rerank(adjusted, [w for i, w in enumerate(corrected) if i not in weak] or corrected)
            _note(trace, "answer evidence", adjusted)
        # Last, so that no lexical stage after it undoes it: they weigh the same words that misled retrieval.
        self.resolver.keep_asked_intent(catalogue, adjusted, reading)
        _note(trace, "asked intent kept", adjusted)
        # Sorted as (-score, id) tuples, compared in C, before the Scored are made (capped at 100 as min(100.0, s)).
        ids = self._ids
        ranked = sorted([(-round(s if s < 100.0 else 100.0, 2), ids[i]) for i, s in adjusted.items()])
        return [Scored(entry_id, -negated) for negated, entry_id in ranked]

    def _target_award(self, corrected: list[str], reading: Reading, asked_award: str | None) -> str | None:
        """The award this text asks about: the understanding's, when this text names it, else read from the words."""
        if not reading.named:
            return None
        if asked_award is not None and any(award == asked_award for _, _, award in reading.named):
            return asked_award
        return self.awards.target(corrected, reading.named)

    def _weak_positions(self, corrected: list[str]) -> set[int]:
        """Award names and scene-setting phrases in a question that says more: they weigh less in retrieval."""
        weak = self.resolver.in_award(corrected)
        background = {i for a, b, _ in phrase_spans(corrected, self._background) for i in range(a, b)}
        # A cited decree or circular ("theo Nghị định 91/2017/NĐ-CP …") sets the scene like an award name does.
        background |= {i for a, b in document_spans(corrected) for i in range(a, b)}
        if len(background | weak) < len(corrected):  # "thi đua khen thưởng là gì" is about the phrase itself
            weak |= background
        return weak

    def understand(self, text: str) -> Question:
        """How a message is read before ranking: its asking part, the award asked for, the story around it."""
        return self.understanding.read(text)

    def rank_question(self, question: Question, norm: Normalized, english: bool = False) -> Ranking:
        """Rank a message: a one-question message as a whole; a story on its asking part, the whole text weaker."""
        ranking = self._rank_reading(question, norm, english)
        if question.routed_to is not None and question.routed_to in self._index_of:
            return Ranking(ranking.checked, self._route(ranking.ranked, question.routed_to), ranking.agreed)
        return ranking

    def _rank_reading(self, question: Question, norm: Normalized, english: bool) -> Ranking:
        if not question.focused:
            return Ranking(norm, self.rank(norm, english, asked_award=question.target_award), False)
        focus = self.normalize(question.focus)
        asked = question.target_award
        on_focus = {s.entry_id: s.score for s in self.rank(focus, english, asked_award=asked)}
        on_whole = {s.entry_id: s.score for s in self.rank(norm, english, tiebreak=False, asked_award=asked)}
        blended = [
            Scored(entry_id, round(FOCUS_WEIGHT * score + (1 - FOCUS_WEIGHT) * on_whole.get(entry_id, 0.0), 2))
            for entry_id, score in on_focus.items()
        ]
        blended.sort(key=lambda s: (-s.score, s.entry_id))
        whole_top = max(on_whole.items(), key=lambda item: (item[1], item[0]), default=None)
        agreed = bool(blended and whole_top and blended[0].entry_id == whole_top[0])
        if agreed and whole_top and whole_top[1] > blended[0].score:
            # Both readings pick the same entry: as sure as the whole message alone was.
            blended[0] = Scored(whole_top[0], whole_top[1])
        return Ranking(focus, blended, agreed)

    def _route(self, ranked: list[Scored], entry_id: str) -> list[Scored]:
        best = max([ROUTED_SCORE, *(s.score for s in ranked)])
        others = [Scored(s.entry_id, min(s.score, best - SAME_AWARD_GAP)) for s in ranked if s.entry_id != entry_id]
        return [Scored(entry_id, best), *others]

    # -- decision ------------------------------------------------------------------------------------------

    def match(self, text: str, english: bool = False) -> MatchResult:
        """Decide how to reply to `text`; `english` when the question is in English."""
        norm = self.normalize(text)
        smalltalk = self._smalltalk_id(norm)
        if smalltalk:
            return MatchResult(SMALLTALK, norm, (), smalltalk_id=smalltalk)
        question = self.understand(text)
        ranking = self.rank_question(question, norm, english)
        tiered, other_tier = self.tiers.apply(ranking.ranked, question.tiers)
        checked, ranked = ranking.checked, tuple(tiered)
        if not ranked:
            return MatchResult(FALLBACK, norm, ranked, question=question)
        if question.uncovered_award and self._other_award(ranked[0].entry_id, question.uncovered_award):
            return self._uncovered(norm, checked, ranked, question, english)
        # Both readings' best entry, still first after the tier rule.
        same_top = ranking.agreed and ranking.ranked[0].entry_id == ranked[0].entry_id
        status, suggestions = self._decide(ranked, norm, checked, english, other_tier, question, same_top)
        return MatchResult(status, norm, ranked, suggestions, question=question)

    def corroboration_of(self, question: Question, norm: Normalized, english: bool = False) -> bool:
        """Whether a story's best entry is corroborated (bot.core.corroboration), as `match()` reads it."""
        ranking = self.rank_question(question, norm, english)
        ranked, _ = self.tiers.apply(ranking.ranked, question.tiers)
        same_top = bool(ranked) and ranking.agreed and ranking.ranked[0].entry_id == ranked[0].entry_id
        return corroborated(question, ranked, same_top)

    def agreement_of(self, question: Question, ranked: Sequence[Scored]) -> Agreement:
        """Whether the understanding of the asking clause names the best entry and not the runner-up."""
        return self.agreement.read(question, ranked)

    def _decide(
        self,
        ranked: Sequence[Scored],
        norm: Normalized,
        checked: Normalized,
        english: bool,
        other_tier: bool = False,
        question: Question | None = None,
        rankings_agree: bool = False,
    ) -> tuple[str, tuple[Scored, ...]]:
        """`rankings_agree`: a story's asking part and whole text put the same entry first (Ranking.agreed)."""
        top = ranked[0].entry_id
        index = self._index_of[top]
        foreign = (
            self.domains.foreign_to(checked, index) or self._object_foreign(question, index)
        ) and not self._names_own_award(question, ranked)
        return decide(
            ranked,
            self.settings,
            foreign=foreign,
            anchored=lambda: self.domains.anchored(norm.folded, self._corrected_words(norm, english)),
            confirmed=lambda: self._confirmed(checked, english, top),
            other_tier=other_tier,
            agreed=lambda: question is not None and self.agreement_of(question, ranked).agrees,
            corroborated=lambda: question is not None and corroborated(question, ranked, rankings_agree),
            disputed=lambda: question is not None and self.disputed(question, top),
        )

    def _names_own_award(self, question: Question | None, ranked: Sequence[Scored]) -> bool:
        """Whether the clauses that ask name no other domain's word and ask for one of our awards' own points (its
        award and intent name the best entry, bot.core.agreement): another domain's word only in the story clause
        they reach back into ("Hiệu trưởng trường THPT chi … | Việc chi như vậy đúng không?") is the asker's
        scene, not another domain's question."""
        if question is None or question.target_award is None:
            return False
        index = self._index_of[ranked[0].entry_id]
        if self.entries[index].award_id != question.target_award:
            return False
        asking = " ".join(clause.text for clause in question.clauses if clause.asks)
        if not asking or self.domains.foreign_to(self.normalize(asking), index):
            return False
        return self.agreement_of(question, ranked).agrees

    def _object_foreign(self, question: Question | None, index: int) -> bool:
        """Whether the story clause an asking part takes its object from (bot.core.story_object) names another
        domain's term the entry never uses: "Con tôi là học sinh … được nhà trường tặng giấy khen … | Vậy tiền
        thưởng như thế có đúng không?" asks about a pupil's giấy khen, as much another domain's as if it said so."""
        if question is None or question.story_object is None:
            return False
        source = next((c.text for c in reversed(question.clauses) if question.story_object in c.text), None)
        return source is not None and self.domains.foreign_to(self.normalize(source), index)

    def disputed(self, question: Question, entry_id: str) -> bool:
        """Whether a catalogue answer is disputed by a circumstance the message names (bot.core.dispute)."""
        entry = self.entries[self._index_of[entry_id]]
        return disputed(entry, question, self.agreement.other_circumstances)

    def outside_domain(self, text: str, english: bool = False, ranked: Sequence[Scored] | None = None) -> bool:
        """Whether `text` is another domain's question, by the decision's own two checks: it names another domain's
        term (hộ chiếu, thuế …) its closest entry never uses, or it names no domain word and no entry comes near
        enough to be suggested (giá vàng, thời tiết). `ranked`, when given, is `rank()` of the same text."""
        norm = self.normalize(text)
        ranked = self.rank(norm, english) if ranked is None else ranked
        if ranked and self.domains.foreign_to(norm, self._index_of[ranked[0].entry_id]):
            return True
        near = bool(ranked) and ranked[0].score >= self.settings.suggest_threshold
        return not near and not self.domains.anchored(norm.folded, self._corrected_words(norm, english))

    def _corrected_words(self, norm: Normalized, english: bool) -> Callable[[], list[str]]:
        return lambda: self.index.correct(self.content(norm, english)[1])[0]

    def _confirmed(self, norm: Normalized, english: bool, entry_id: str) -> bool:
        """Whether the n-gram profiles, an independent view, pick the same entry as the ranking."""
        words, _ = self.index.correct(self.content(norm, english)[1])
        best = self._profiles.best(words)
        return best is not None and self.entries[best].id == entry_id

    def _foreign_to(self, norm: Normalized, entry_id: str) -> bool:
        return self.domains.foreign_to(norm, self._index_of[entry_id])

    def _smalltalk_id(self, norm: Normalized) -> str | None:
        if not norm.folded:
            return None
        _, rest = strip(norm.folded, self.content.ignored, norm.folded)
        if rest:
            return None
        found = phrase_values(norm.folded, self.content.smalltalk)
        return found[0] if found else None

    def _other_award(self, entry_id: str, award: str) -> bool:
        """Whether an entry is about another award than `award` (an uncovered one): it names another, not this one."""
        index = self._index_of[entry_id]
        named = self._entry_uncovered[index]
        return award not in named and bool(named or self._entry_awards[index])

    def _uncovered(
        self, norm: Normalized, checked: Normalized, ranked: tuple[Scored, ...], question: Question, english: bool
    ) -> MatchResult:
        """An award the knowledge lacks was asked about: an entry naming it answers when it would on its own
        (the bonuses of every order name Huân chương Độc lập); otherwise say so and offer only entries that name it
        or no award at all."""
        award = question.uncovered_award
        naming = [s for s in ranked if award in self._entry_uncovered[self._index_of[s.entry_id]]]
        naming = self._by_intent(naming, checked)
        if naming and self._decide(naming, norm, checked, english, question=question)[0] == ANSWER:
            rest = [s for s in ranked if s not in naming]
            return MatchResult(ANSWER, norm, (*naming, *rest), (), question=question)
        general = [s for s in ranked if not self._entry_awards[self._index_of[s.entry_id]]]
        pool = naming or general
        offered = tuple(s for s in pool[: self.settings.max_suggestions] if s.score >= self.settings.close_match_floor)
        return MatchResult(FALLBACK, norm, ranked, offered, question=question, reason=UNCOVERED)

    def _by_intent(self, pool: list[Scored], norm: Normalized) -> list[Scored]:
        """Entries naming an uncovered award, those whose own question asks what this one asks first
        ("… Độc lập được thưởng bao nhiêu" → the bonuses of every order, not the order's overview)."""
        accented, words = self._corrected_content(norm)
        asked = self.awards.intent(words, accented)
        if asked is None or len(pool) < 2:
            return pool

        def agrees(scored: Scored) -> bool:
            question = self.entries[self._index_of[scored.entry_id]].question_vi
            return self.awards.intent(self.content(self.normalize(question))[1]) == asked

        first = next((s for s in pool[:2] if agrees(s)), None)
        if first is None or all(agrees(s) for s in pool[:2]):
            return pool
        # Like the catalogue's award × intent choice: the agreeing entry leads, the others SAME_AWARD_GAP below.
        best = pool[0].score
        others = [Scored(s.entry_id, min(s.score, best - SAME_AWARD_GAP)) for s in pool if s is not first]
        return [Scored(first.entry_id, best), *others]

    def find_award(self, text: str) -> str | None:
        """The award a short name refers to ("bk bo" → bang-khen-bo), or None."""
        _, folded = self.content(self.normalize(text))
        named = self.awards.award_spans(folded) or self.awards.award_spans(self.index.correct(folded)[0])
        return named[0][2] if named else self.awards.find(folded)


def _saved_parts(compiled: Compiled | None, entry_count: int) -> dict[str, Any]:
    """The parts a compiled index holds, checked to fit together; {} when it holds none or they do not fit."""
    if compiled is None or not compiled.loaded:
        return {}
    try:
        lexical = compiled.get("lexical")
        profiles = compiled.get("profiles")
        pairs = compiled.get("pairs")
        foreign = compiled.get("foreign")
        uncovered = compiled.get("uncovered")
        evidence = compiled.get("evidence")
        signatures = compiled.get("signatures")
        if None in (lexical, profiles, pairs, foreign, uncovered, evidence, signatures):
            return {}
        assert lexical and profiles and pairs and foreign and uncovered and evidence and signatures
        index = LexicalIndex.from_state(*lexical)
        owners = index.phrasings.entries
        if len(owners) and (int(owners.min()) < 0 or int(owners.max()) >= entry_count):
            return {}
        entry_profiles = EntryProfiles.from_state(profiles[0], index.vocabulary)
        if entry_profiles._entry_count != entry_count:
            return {}
        left, right = unpack_strings(pairs[0]["left"]), unpack_strings(pairs[0]["right"])
        terms = unpack_token_lists(foreign[0]["words"], foreign[0]["offsets"])
        term_owners = foreign[0]["entries"].tolist()
        if len(terms) != len(term_owners) or any(not 0 <= i < entry_count for i in term_owners):
            return {}
        entry_terms: list[set[tuple[str, ...]]] = [set() for _ in range(entry_count)]
        for owner, words in zip(term_owners, terms, strict=True):
            entry_terms[owner].add(tuple(words))
        named = unpack_token_lists(uncovered[0]["awards"], uncovered[0]["offsets"])
        if len(named) != entry_count:
            return {}
        evidence_words = unpack_token_lists(evidence[0]["words"], evidence[0]["offsets"])
        if len(evidence_words) != entry_count:
            return {}
        return {
            "signatures": SignatureTerms.from_state(signatures[0], entry_count),
            "evidence": evidence_words,
            "uncovered": [frozenset(awards) for awards in named],
            "index": (index, entry_profiles),
            "pairs": (set(zip(left, right, strict=True)), bool(pairs[1]["any"])),
            "foreign": entry_terms,
        }
    except (KeyError, ValueError, TypeError, IndexError, UnicodeDecodeError):
        return {}


def _save_parts(compiled: Compiled, matcher: Matcher) -> None:
    """Add the costly parts of a freshly built matcher to the compiled index."""
    try:
        compiled.put("lexical", *matcher.index.state())
        compiled.put("profiles", matcher._profiles.state())
        pairs = sorted(matcher.content.vietnamese_pairs)
        compiled.put(
            "pairs",
            {"left": pack_strings([a for a, _ in pairs]), "right": pack_strings([b for _, b in pairs])},
            {"any": matcher.content.any_pairs},
        )
        owned = [(i, term) for i, terms in enumerate(matcher.domains.entry_foreign_terms) for term in sorted(terms)]
        words, offsets = pack_token_lists([term for _, term in owned])
        compiled.put(
            "foreign",
            {"entries": np.asarray([i for i, _ in owned], dtype=np.int64), "words": words, "offsets": offsets},
        )
        awards, offsets = pack_token_lists([sorted(named) for named in matcher._entry_uncovered])
        compiled.put("uncovered", {"awards": awards, "offsets": offsets})
        words, offsets = pack_token_lists(matcher.answer_evidence.texts)
        compiled.put("evidence", {"words": words, "offsets": offsets})
        compiled.put("signatures", matcher.signatures.state())
    except ValueError:  # a text holding a NUL character: nothing is saved, the index is built each time
        compiled.dirty = False


def _note(trace: Trace | None, stage: str, scores: dict[int, float]) -> None:
    if trace is not None:
        trace.append((stage, dict(scores)))


def _phrase_positions(
    folded: np.ndarray, offsets: np.ndarray, words: Sequence[str], phrases: Phrases[bool]
) -> np.ndarray:
    """Whether each word of the texts (numbers of `words`; text i is folded[offsets[i]:offsets[i + 1]]) lies in a
    phrase that `spans` finds in its text."""
    inside = np.zeros(len(folded), dtype=bool)
    flat = np.asarray(words, dtype=object)[folded].tolist() if len(folded) else []  # the strings, no int per word
    bounds = offsets.tolist()
    for a, b in pairwise(bounds):
        for start, end, _ in phrase_spans(flat[a:b], phrases):
            inside[a + start : a + end] = True
    return inside
