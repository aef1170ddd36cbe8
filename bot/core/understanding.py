"""Reading a message before ranking: which clause asks, which award is asked for, what the story around it tells.

Real questions are long: "Em đạt CSTĐ cơ sở 2020, 2021, 2022 … Năm nay đơn vị định đề nghị em Bằng khen của Bộ
trưởng, vậy em đã đủ điều kiện chưa ạ?". Scored as a whole, the award the story names most often wins. This step
splits the message into clauses, finds the asking part (usually the last clause with "?", "… không", "… chưa",
"bao nhiêu", "xin hỏi" …, widened backwards until it says what it asks about), and reads from it the award asked
for, as distinct from the awards already held in the story; the circumstances named (nghỉ hưu, thai sản, kỷ luật …),
an award the knowledge does not cover, and another body with its own regulation.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from itertools import pairwise

from bot.core.award_intents import AwardIntents
from bot.core.follow_ups import FollowUps
from bot.core.framing import Framing
from bot.core.knowledge import Knowledge
from bot.core.normalize import fold_word, tokenize
from bot.core.phrases import Phrases, spans
from bot.core.story_object import StoryObject

# Sentence ends: ? ! ; … and line breaks; a full stop only before a capital, a digit or a quote ("năm 2007. Thành
# tích"; not "v.v. và"). "01.7.2026" and "0,3" have no space after the mark, so they never end a sentence.
_SENTENCE_END = re.compile(r"(?<=[?!;…])\s+|\n+|(?<=\.)\s+(?=\S)")
_WORD = re.compile(r"\w+")
_YEAR = re.compile(r"\b(19[5-9]\d|20\d\d)\b")
_RUN_OF_YEARS = re.compile(r"\b(\d{1,2}|hai|ba|bon|nam|sau)\s+nam\s+(?:lien\s+tuc|lien\s+tiep|lien)\b")
_NUMBER_WORDS = {"hai": 2, "ba": 3, "bon": 4, "nam": 5, "sau": 6}
# Particles that may follow the question word at the end of a clause ("… không ạ", "… chưa vậy", "… không nhỉ").
_TRAILING_PARTICLES = frozenset({"a", "vay", "nhi", "nhe", "the", "ha", "chu", "em", "oi", "voi", "nua", "ban", "ad"})
_ENGLISH_OPENERS = frozenset(
    {"what", "how", "who", "when", "which", "where", "why", "can", "could", "is", "are", "do", "does", "should", "may"}
)
# An asking part with fewer content words than this, and no award or circumstance, does not say what it asks
# about ("vậy em đã đủ điều kiện chưa ạ?"): the clause before it is taken in.
MIN_CONTENT_WORDS = 4
# An asking part with at most this many content words (syllables) outside question words, and no award noun, takes
# the story's award as its object ("Bố tôi có được nhận tiền thưởng không?", bot.core.story_object).
MAX_POOR_WORDS = 6
MAX_WIDENING = 2  # clauses taken in before the asking one, at most
MAX_MARKER_REACH = 3  # "xin hỏi" this many clauses before the last asking one still opens the asking part
MAX_GRANTOR_GAP = 4  # words between another body and its power to give, and between that and the award given
MAX_TITLE_GAP = 6  # filler words (tokens) allowed between a title and the body it belongs to ("của đơn vị trực thuộc")


@dataclass(frozen=True, slots=True)
class Clause:
    text: str
    asks: bool
    sentence: int = 0  # clauses cut at an ask marker share their sentence's number
    opens: bool = False  # starts with an ask marker ("Xin hỏi …", "Vậy …")
    follows: bool = False  # starts with a follow-up marker ("Nếu được thì …", bot.core.follow_ups)


@dataclass(frozen=True, slots=True)
class HeldAward:
    """An award the story says the person or unit already has, with the years and run length it gives."""

    award_id: str
    years: tuple[int, ...] = ()
    run: int | None = None  # "3 năm liền" → 3


@dataclass(frozen=True, slots=True)
class Question:
    """What a message asks, read before ranking (`python -m bot ask --explain` prints it)."""

    text: str
    clauses: tuple[Clause, ...]
    asked: str  # the asking part; the whole text when the message is one question
    context: str  # the story before (and around) it
    target_award: str | None = None  # the award asked for
    held: tuple[HeldAward, ...] = ()
    circumstances: tuple[str, ...] = ()  # special-case entries named anywhere (ids)
    asked_circumstances: tuple[str, ...] = ()  # those named in the asking part
    intent: str | None = None  # the knowledge's intent read from the asking part (tieu-chuan, ho-so …)
    eligibility: bool = False  # asks whether a told record is enough for an award
    uncovered_award: str | None = None  # an award the asking part names that the catalogue does not cover
    other_body: str | None = None  # a body with its own regulation named in the message
    focus_extra: tuple[str, ...] = field(default=())  # circumstance words from the story added to the asked part
    routed_to: str | None = None  # an entry a rule of reading sends the question to (money for several titles)
    framing: tuple[str, ...] = ()  # scene-setting in the asking part ("theo Nghị định 98/2023/NĐ-CP"), as read
    unframed: str | None = None  # the asking part without its framing, when it has some
    tiers: tuple[str, ...] = ()  # the tiers the asking part names outside award names (co-so, bo, tinh …)
    follow_up: str = ""  # the asking part's follow-ups ("Nếu được thì …"), left to the whole message
    main: str | None = None  # the asking part without its follow-ups, when it has some
    story_object: str | None = None  # the story's award an asking part naming none refers to (in focus_extra)

    @property
    def asked_main(self) -> str:
        """The asking part the question's readings come from: without its follow-ups (bot.core.follow_ups)."""
        return self.main if self.main is not None else self.asked

    @property
    def split(self) -> bool:
        """Whether the asking part is less than the whole message."""
        return self.asked != self.text

    @property
    def focused(self) -> bool:
        """Whether the message is ranked on its focus with the whole text as weaker evidence."""
        return self.split or bool(self.focus_extra) or self.unframed is not None or self.main is not None

    @property
    def focus(self) -> str:
        """The text ranked first: the asking part without its framing, and the circumstances the story names.

        "và" keeps an asking part's last "… không" from reading as a negation of the first circumstance added."""
        return " và ".join([self.unframed if self.unframed is not None else self.asked_main, *self.focus_extra])


Words = Callable[[str], tuple[list[str], list[str]]]  # accented and (typo-corrected) folded content words
Cases = Callable[[Sequence[str], Sequence[str] | None], list[tuple[int, int, str]]]  # circumstance spans


class Understanding:
    """Reads messages with the knowledge's lexicon (understanding.yaml) and the matcher's word functions."""

    def __init__(self, knowledge: Knowledge, words: Words, awards: AwardIntents, cases: Cases) -> None:
        lexicon = knowledge.understanding
        self._words = words
        self._awards = awards
        self._named_cases = cases
        self._markers = _phrases(lexicon.ask_markers)
        self._follow_ups = FollowUps(_phrases(lexicon.follow_up_markers))
        self._story_object = StoryObject(_phrases(lexicon.award_nouns))
        self._question_words = _phrases(lexicon.question_words)
        self._long_question_words = Phrases({k: v for k, v in self._question_words.items() if len(k) >= 2})
        self._eligibility = _phrases(lexicon.eligibility_words)
        self._closings = _phrases(lexicon.closings)
        self._uncovered = Phrases(
            (tuple(_folded_words(alias)), group.id)
            for group in lexicon.uncovered_awards
            for alias in group.aliases
        )
        # Body names kept as framing (framing.bodies) also name their group, listed once in understanding.yaml.
        framing_lexicon = lexicon.framing
        body_group = framing_lexicon.body_group if framing_lexicon else None
        framed_bodies = (
            [(name, body_group) for name in framing_lexicon.bodies] if framing_lexicon and body_group else []
        )
        self._bodies = Phrases(
            (tuple(_folded_words(alias)), group_id)
            for alias, group_id in [
                *((alias, group.id) for group in lexicon.other_bodies for alias in group.aliases),
                *framed_bodies,
            ]
        )
        self._tier_awards = {
            group.id: _phrases_to(group.tier_awards) for group in lexicon.other_bodies if group.tier_awards
        }
        self._award_names = {a.id: a.name for a in knowledge.awards}
        self._entry_ids = frozenset(knowledge.entries)
        self._asking_words = Phrases({**self._question_words, **self._eligibility})
        self._money = _phrases(lexicon.money_words)
        self._pointers_back = _phrases(lexicon.pointers_back)
        self._together = _phrases(lexicon.together_words)
        self._domain = _phrases(knowledge.domain_terms)
        several = lexicon.several_awards_entry
        entry = knowledge.entries.get(several) if several else None
        self._several_awards_entry = entry.id if entry is not None else None
        medals = lexicon.other_medals
        medal_entry = knowledge.entries.get(medals.entry) if medals else None
        self._other_medal_entry = medal_entry.id if medal_entry is not None else None
        self._medal_words = _phrases(medals.medal_words) if medals else None
        self._cause_words = _phrases(medals.cause_words) if medals else None
        self._own_causes = _phrases(medals.own_causes) if medals else None
        titles = lexicon.other_body_titles
        titles_entry = knowledge.entries.get(titles.entry) if titles else None
        self._body_titles_entry = titles_entry.id if titles_entry is not None else None
        self._title_words = _phrases(titles.title_words) if titles else None
        self._title_fillers = frozenset(w for text in titles.fillers for w in _folded_words(text)) if titles else None
        self._title_bodies = frozenset(titles.bodies) if titles else frozenset()
        self._counts_words = _phrases(titles.counts_words) if titles else None
        self._grantor_words = _phrases(titles.grantor_words) if titles else None
        self._granted_words = _phrases(titles.granted_words) if titles else None
        self._state_awards = frozenset(titles.state_awards) if titles else frozenset()
        collectives = lexicon.collectives
        self._collective_words = _content_phrases(collectives.subject_words, words) if collectives else None
        self._individual_words = _content_phrases(collectives.individual_words, words) if collectives else None
        self._collective_awards = frozenset(collectives.collective_awards) if collectives else frozenset()
        self._collective_entries = {
            rule.award: (frozenset(rule.intents), rule.entry)
            for rule in (collectives.entries if collectives else [])
            if rule.entry in knowledge.entries
        }
        counted = lexicon.counted_elsewhere
        self._counted = (
            (_phrases(counted.award_words), _phrases(counted.counts_words), counted.entry, dict(counted.entries))
            if counted and counted.entry in knowledge.entries
            else None
        )
        tiers = lexicon.tiers
        self._tier_words = (
            Phrases({tuple(words(t)[1]): tier for tier, texts in tiers.words.items() for t in texts if words(t)[1]})
            if tiers
            else None
        )
        # Each tier phrase's spellings: typed with diacritics a tier word must match as typed ("cơ quan", "dân
        # quân" do not name a "quận").
        self._tier_spellings: dict[tuple[str, ...], list[tuple[str, ...]]] = {}
        for texts in tiers.words.values() if tiers else ():
            for t in texts:
                accented, folded = words(t)
                if folded and len(accented) == len(folded):
                    self._tier_spellings.setdefault(tuple(folded), []).append(tuple(accented))
        framing = lexicon.framing
        self._framing = (
            Framing(
                *(
                    _content_phrases(texts, words)
                    for texts in (
                        framing.openers,
                        framing.standards,
                        framing.names,
                        framing.document_questions,
                        framing.times,
                        framing.document_asks,
                        framing.bodies,
                    )
                )
            )
            if framing
            else None
        )
        self._grade_entries = [
            (rule.award, frozenset(rule.intents), _content_phrases(rule.grades, words), rule.entry)
            for rule in lexicon.grade_entries
            if rule.entry in knowledge.entries
        ]

    def uncovered_named(self, text: str | Sequence[str]) -> frozenset[str]:
        """The uncovered awards a text names (an entry's question and phrasings, to know which ones it answers).

        Texts given as a list are read as one text of them all, one after another: their words are the words of
        each (whose tokens the normaliser remembers), so the long joined text is never tokenised afresh.
        """
        texts = (text,) if isinstance(text, str) else text
        words = [word for piece in texts for word in tokenize(piece)]
        return frozenset(group for _, _, group in spans(list(map(fold_word, words)), self._uncovered))

    # -- clauses -----------------------------------------------------------------------------------------------

    def clauses(self, text: str) -> list[Clause]:
        """Sentences, cut again before each ask marker ("…, vậy em …", "… Xin hỏi …"), closings dropped."""
        pieces: list[tuple[int, str]] = []
        for number, sentence in enumerate(_sentences(text)):
            pieces.extend((number, piece) for piece in self._cut_at_markers(sentence))
        out = []
        for number, piece in pieces:
            piece = piece.strip(" ,:-–")
            folded = _folded_words(piece)
            if not folded or not _strip_all(folded, self._closings):
                continue
            opens = any(start == 0 for start, _, _ in spans(folded, self._markers))
            out.append(Clause(piece, self._asks(piece, folded), number, opens, self._follow_ups.opens(folded)))
        return out

    def _cut_at_markers(self, sentence: str) -> list[str]:
        matches = list(_WORD.finditer(sentence))
        folded = [fold_word(m.group().lower()) for m in matches]
        cuts = [matches[start].start() for start, _, _ in spans(folded, self._markers) if start > 0]
        cuts = sorted({*cuts, *(matches[start].start() for start in self._follow_ups.cuts(folded))})
        bounds = [0, *cuts, len(sentence)]
        return [sentence[a:b] for a, b in pairwise(bounds) if sentence[a:b].strip()]

    def _asks(self, raw: str, folded: list[str]) -> bool:
        if raw.rstrip().endswith("?"):
            return True
        if folded[0] in _ENGLISH_OPENERS or spans(folded, self._long_question_words):
            return True
        words = list(folded)
        while len(words) > 1 and words[-1] in _TRAILING_PARTICLES:
            words.pop()
        return any(tuple(words[-size:]) in self._question_words for size in (1, 2, 3) if len(words) >= size)

    def _cases(self, folded: Sequence[str], accented: Sequence[str] | None) -> list[tuple[int, int, str]]:
        """The circumstances the words name, outside other bodies' names: the "đào tạo" of "Bộ Giáo dục và Đào
        tạo" says whose Bằng khen is meant, not that the asker is away on training."""
        found = self._named_cases(folded, accented)
        if not found or self._framing is None:
            return found
        bodies = self._framing.body_spans(folded)
        return [(a, b, case) for a, b, case in found if not any(s <= a and b <= e for s, e in bodies)]

    # -- reading -----------------------------------------------------------------------------------------------

    def read(self, text: str) -> Question:
        memo: dict[str, tuple[list[str], list[str]]] = {}
        words = self._words

        def remembered(part: str) -> tuple[list[str], list[str]]:
            if part not in memo:
                memo[part] = words(part)
            return memo[part]

        # The same clause is read by several rules below: each text is normalised once per message.
        return self._read(text, remembered)

    def _read(self, text: str, words: Words) -> Question:
        clauses = self.clauses(text)
        start, end = self._asking_span(clauses, words)
        whole = len(clauses) <= 1 or (start == 0 and end == len(clauses))
        asked = text if whole else " ".join(c.text for c in clauses[start:end])
        context = "" if whole else " ".join(c.text for i, c in enumerate(clauses) if not start <= i < end)
        follow_ups = self._follow_up_clauses(clauses, start, end, words)
        main = " ".join(c.text for i, c in enumerate(clauses[start:end], start) if i not in follow_ups) or None
        follow_up = " ".join(clauses[i].text for i in sorted(follow_ups))

        # Words typed with diacritics are matched as typed: "Nghị định Chính phủ" does not say "đính chính".
        # What is asked is read on the question itself, not on its follow-ups ("Nếu được thì …").
        asked_accented, asked_folded = words(main if follow_ups and main else asked)
        named = self._awards.award_spans(asked_folded)
        raw_folded = _folded_words(text)
        body = next((group for _, _, group in spans(raw_folded, self._bodies)), None)
        whole_words = words(text)[1]
        if body is None:  # named in English: "the Government Inspectorate" is read as "thanh tra chính phủ"
            body = next((group for _, _, group in spans(whole_words, self._bodies)), None)
        tier_named = self._tier_spans(asked_folded, named, body)
        target = self._awards.target(asked_folded, named + tier_named) if named else None
        intent = self._awards.intent(asked_folded, asked_accented) or self._awards.hinted_intent(
            asked_folded, asked_accented
        )
        asked_cases = _unique(case for _, _, case in self._cases(asked_folded, asked_accented))
        framing = self._framing.spans(asked_folded, bool(asked_cases)) if self._framing is not None else []
        framed = {i for a, b in framing for i in range(a, b)}
        context_cases: list[str] = []
        extra: list[str] = []
        if context:
            ctx_accented, ctx_folded = words(context)
            for a, b, case in self._cases(ctx_folded, ctx_accented):
                if case not in context_cases:
                    context_cases.append(case)
                    extra.append(" ".join(ctx_accented[a:b]))
        asked_raw = _folded_words(asked)
        story_object = None
        if start > 0 and not named and not asked_cases and not spans(asked_raw, self._uncovered):
            story_object = self._object_of_story(clauses[:start], asked_folded)
            if story_object is not None:
                extra.append(story_object)
        eligibility = bool(spans(asked_raw, self._eligibility)) and bool(context or _YEAR.search(asked))
        uncovered = next((group for _, _, group in spans(asked_raw, self._uncovered)), None)
        if uncovered is None and story_object is not None:
            # The object taken from the story is what is asked about: an award the catalogue lacks there too.
            uncovered = next((group for _, _, group in spans(_folded_words(story_object), self._uncovered)), None)
        if any(award == target for _, _, award in tier_named):
            extra.append(self._award_names[target])  # read from the tier: its full name for ranking
        elif target is None and body in self._tier_awards:
            # "Chủ tịch UBND tỉnh tặng Bằng khen": the generic word names the tier's award.
            target = next((award for _, _, award in spans(asked_raw, self._tier_awards[body])), None)
            if target is not None:
                extra.append(self._award_names[target])
        awards_named = {award for _, _, award in self._awards.award_spans(whole_words)}
        awards_named |= {award for _, _, award in spans(whole_words, self._awards.names)}
        several_money = (
            len(awards_named) >= 2
            and bool(spans(asked_raw, self._money) or intent == "tien-thuong")
            and bool(spans(raw_folded, self._together))
        )
        routed = self._several_awards_entry if several_money and not asked_cases else None
        if routed is None and self._asks_other_medal(asked_raw, raw_folded):
            routed = self._other_medal_entry
        if routed is None and target is not None:
            routed = self._grade_entry(target, intent, asked_folded)
        if routed is None and self._counted is not None:
            routed = self._counted_entry(asked_raw, target)
        if routed is None and target in self._collective_entries:
            routed = self._collective_entry(target, intent, asked_folded)
        if routed is None and target not in self._state_awards:
            # Only a clause that asks: "ông P. đã bị tước danh hiệu Công an nhân dân, vậy còn …" tells, it does not ask.
            asking = [c.text for c in (clauses if whole else clauses[start:end]) if c.asks] or [asked]
            if self._asks_body_title(_folded_words(" ".join(asking))):
                routed = self._body_titles_entry
        return Question(
            text=text,
            clauses=tuple(clauses),
            asked=asked,
            context=context,
            target_award=target,
            held=tuple(self._held(clauses, start, end, whole, target, words)),
            circumstances=tuple(_unique([*asked_cases, *context_cases])),
            asked_circumstances=tuple(asked_cases),
            intent=intent,
            eligibility=eligibility,
            uncovered_award=uncovered,
            other_body=body,
            # The story's circumstances weigh in only when the asking part names none of its own.
            routed_to=routed,
            focus_extra=tuple(extra if not asked_cases else [e for e in extra if e in self._award_names.values()]),
            tiers=tuple(self._tiers(asked_folded, asked_accented)),
            framing=tuple(" ".join(asked_accented[a:b]) for a, b in framing),
            unframed=" ".join(w for i, w in enumerate(asked_accented) if i not in framed) if framed else None,
            follow_up=follow_up,
            main=main if follow_ups else None,
            story_object=story_object,
        )

    def _tier_spans(
        self, folded: list[str], named: list[tuple[int, int, str]], body: str | None
    ) -> list[tuple[int, int, str]]:
        """The generic award words the named tier gives a meaning ("trình Bằng khen UBND tỉnh": the tier's Bằng
        khen), outside any award named in full, so that they compete with the named awards for the one asked."""
        if body not in self._tier_awards:
            return []
        inside = {i for a, b, _ in named for i in range(a, b)}
        return [(a, b, award) for a, b, award in spans(folded, self._tier_awards[body]) if a not in inside]

    def _object_of_story(self, story: Sequence[Clause], asked: list[str]) -> str | None:
        """The story's last award with its name, for a content-poor asking part (`asked`: its content words) that
        names no award noun of its own (bot.core.story_object): one that says more says what it asks about."""
        if self._story_object.names_one(asked):
            return None
        asking = {i for a, b, _ in spans(asked, self._asking_words) for i in range(a, b)}
        if len(asked) - len(asking) > MAX_POOR_WORDS:
            return None
        return self._story_object.last(" ".join(c.text for c in story))

    def _follow_up_clauses(self, clauses: list[Clause], start: int, end: int, words: Words) -> frozenset[int]:
        """The asking part's follow-up clauses (bot.core.follow_ups), when what remains says what it asks about."""
        found = FollowUps.of([c.asks for c in clauses], [c.follows for c in clauses], start, end)
        if not found:
            return found
        rest = [c for i, c in enumerate(clauses[start:end], start) if i not in found]
        return found if rest and self._has_substance(rest, words) else frozenset()

    def _grade_entry(self, award: str, intent: str | None, folded: list[str]) -> str | None:
        """The entry of the award's grade the asking part names, for the intents the catalogue answers for another
        grade ("tiêu chuẩn Huân chương Lao động hạng Nhì": the catalogue's criteria are hạng Ba's)."""
        for rule_award, intents, grades, entry in self._grade_entries:
            if rule_award == award and intent in intents and spans(folded, grades):
                return entry
        return None

    def _counted_entry(self, raw: list[str], target: str | None) -> str | None:
        """The entry on which certificates count, when the asking part asks whether another body's certificate
        counts ("Bằng khen của Liên đoàn Lao động tỉnh có được tính để xét Bằng khen Thủ tướng không?")."""
        assert self._counted is not None
        certificates, counts, entry, by_award = self._counted
        if not (spans(raw, certificates) and spans(raw, counts) and spans(raw, self._bodies)):
            return None
        chosen = by_award.get(target or "", entry)
        return chosen if chosen in self._entry_ids else None

    def _tiers(self, folded: list[str], accented: Sequence[str] | None = None) -> list[str]:
        """The tiers named outside award names: "Chiến sĩ thi đua cơ sở" names a title, not the tier asked about;
        with `accented` (the same words as typed), a word typed with diacritics must agree with a spelling."""
        if self._tier_words is None:
            return []
        in_names = {i for a, b, _ in self._awards.award_spans(folded) for i in range(a, b)}
        found = []
        aligned = accented is not None and len(accented) == len(folded)
        typed_marks = aligned and any(w != f for w, f in zip(accented or (), folded, strict=True))
        for a, b, tier in spans(folded, self._tier_words):
            if in_names.intersection(range(a, b)):
                continue
            # Typed with diacritics (anywhere in it), a tier word must be spelt as typed: "quan" is not "quận".
            if accented is not None and typed_marks:
                spellings = self._tier_spellings.get(tuple(folded[a:b]), [])
                if spellings and tuple(accented[a:b]) not in spellings:
                    continue
            found.append(tier)
        return _unique(found)

    def _collective_entry(self, award: str, intent: str | None, folded: list[str]) -> str | None:
        """The award's entry for collectives when the asking part's subject is a collective only ("Tập thể là phòng
        chuyên môn … có được đề nghị Bằng khen Thủ tướng không?"), for the intents it answers."""
        intents, entry = self._collective_entries[award]
        if intent is not None and intent not in intents:
            return None
        if self._collective_words is None or self._individual_words is None:
            return None
        # Not inside an award's name: "Tập thể lao động xuất sắc" names a title, not who is asked about.
        in_names = {i for a, b, _ in spans(folded, self._awards.names) for i in range(a, b)}
        in_names |= {i for a, b, _ in self._awards.award_spans(folded) for i in range(a, b)}
        collective = any(
            not in_names.intersection(range(a, b)) for a, b, _ in spans(folded, self._collective_words)
        ) or any(named in self._collective_awards for _, _, named in self._awards.award_spans(folded))
        return entry if collective and not spans(folded, self._individual_words) else None

    def _asks_body_title(self, folded: list[str]) -> bool:
        """Whether the asking part asks about another body's own title: a title word, then (across filler words
        only: "của đơn vị trực thuộc") a body with its own regulation — "danh hiệu thi đua trong Công an nhân dân",
        "Cờ thi đua của đơn vị trực thuộc Bộ Quốc phòng" — and not whether such a title counts here."""
        if self._title_words is None or self._title_fillers is None:
            return False
        if self._counts_words is not None and spans(folded, self._counts_words):
            return False
        bodies = [(a, body) for a, _, body in spans(folded, self._bodies) if body in self._title_bodies]
        if self._grants_own_award(folded):
            return True
        for _, end, _ in spans(folded, self._title_words):
            for start, _ in bodies:
                gap = folded[end:start]
                if start >= end and len(gap) <= MAX_TITLE_GAP and all(w in self._title_fillers for w in gap):
                    return True
        return False

    def _grants_own_award(self, folded: list[str]) -> bool:
        """Whether the asking part asks if another body may give an award itself: the body, then within a few words
        its power to give ("có quyền ký quyết định tặng"), then the award it gives ("giấy khen")."""
        if not self._grantor_words or not self._granted_words:
            return False
        grantors = spans(folded, self._grantor_words)
        granted = spans(folded, self._granted_words)
        for _, body_end, body in spans(folded, self._bodies):
            if body not in self._title_bodies:
                continue
            for start, end, _ in grantors:
                if body_end <= start <= body_end + MAX_GRANTOR_GAP and any(
                    end <= a <= end + MAX_GRANTOR_GAP for a, _, _ in granted
                ):
                    return True
        return False

    def _medal_causes(self, folded: list[str]) -> list[bool]:
        """For each "kỷ niệm chương vì sự nghiệp / ngành …" in `folded`: whether its cause is one the knowledge owns."""
        if self._medal_words is None or self._cause_words is None or self._own_causes is None:
            return []
        found = []
        for start, end, _ in spans(folded, self._medal_words):
            # Right after the medal's name, or overlapping it: "Medal for the Cause of …" names medal and cause at once.
            cause = next(((a, b) for a, b, _ in spans(folded, self._cause_words) if start < a <= end < b), None)
            if cause is None or cause[1] >= len(folded):
                continue
            own = next((True for a, _, _ in spans(folded, self._own_causes) if a == cause[1]), False)
            found.append(own)
        return found

    def _asks_other_medal(self, asked: list[str], whole: list[str]) -> bool:
        """Whether the asking part is about another body's Kỷ niệm chương: it names one, or it names a bare "Kỷ niệm
        chương" and the story names the one it means ("… Kỷ niệm chương 'Vì sự nghiệp Tư pháp'. … tiêu chuẩn xét
        tặng Kỷ niệm chương …?"); never when the message also names the knowledge's own."""
        if self._names_own_medal(whole):
            return False
        if self._names_other_medal(asked) or self._body_medal(asked):
            return True
        bare = self._medal_words is not None and bool(spans(asked, self._medal_words)) and not self._medal_causes(asked)
        return bare and self._names_other_medal(whole)

    def _body_medal(self, folded: list[str]) -> bool:
        """Whether a medal is named as another body's, its body right after it ("Kỷ niệm chương của Bộ Y tế",
        "Kỷ niệm chương Bộ Tư pháp"), not by its cause. "Cán bộ Bộ Y tế có được Kỷ niệm chương không" names the
        body as the staff's: ours is asked about."""
        if self._medal_words is None:
            return False
        bodies = {a for a, _, _ in spans(folded, self._bodies)}
        return any(
            end in bodies or (end < len(folded) and folded[end] == "cua" and end + 1 in bodies)
            for _, end, _ in spans(folded, self._medal_words)
        )

    def _names_other_medal(self, folded: list[str]) -> bool:
        return any(not own for own in self._medal_causes(folded))

    def _names_own_medal(self, folded: list[str]) -> bool:
        return any(self._medal_causes(folded))

    def _asking_span(self, clauses: list[Clause], words: Words) -> tuple[int, int]:
        """[start, end) of the asking clauses: the last run of asking clauses, widened until it has substance."""
        asking = [i for i, c in enumerate(clauses) if c.asks]
        if not asking:
            return 0, len(clauses)
        end = asking[-1] + 1
        start = asking[-1]
        while start > 0 and clauses[start - 1].asks:
            start -= 1
        # "Vậy xin hỏi: … là đúng hay sai. Và nếu … thì …?": the asking part runs from its marker on.
        opener = next((i for i in range(start, max(start - MAX_MARKER_REACH, -1), -1) if clauses[i].opens), None)
        if opener is not None:
            start = opener
        if start > 0 and clauses[start - 1].sentence == clauses[start].sentence:
            start -= 1  # "Phòng em chưa ai đăng ký thi đua, vậy …": the same sentence's premise belongs to the ask
        widened = 0
        while start > 0 and widened < MAX_WIDENING and not self._has_substance(clauses[start:end], words):
            start -= 1
            widened += 1
        return start, end

    def _has_substance(self, clauses: Sequence[Clause], words: Words) -> bool:
        """Whether the asking part says what it asks about, without the story before it.

        It does when it names an award or a circumstance; otherwise it needs a domain word and enough words of its
        own, and no pointer back into the story ("thông tư đó", "trường hợp trên") in its first clause: in a later
        one the pointer points into the asking part itself ("Tiêu chuẩn … thế nào? Văn bản nào quy định vấn đề này?").
        """
        accented, folded = words(" ".join(c.text for c in clauses))
        first_asking = next((c for c in clauses if c.asks), clauses[0])
        if first_asking is not clauses[0] and spans(_folded_words(first_asking.text), self._pointers_back):
            # "Tôi xin hỏi, | vậy … những trường hợp nêu trên có được … không?": after its marker, the clause that asks
            # points back; what it asks about is before it, even when it names an award. (A first clause that asks
            # and points back is left to the rule below: widened without an award, measured better on the sets.)
            return False
        if self._awards.award_spans(folded) or self._cases(folded, accented):
            return True
        raw = _folded_words(" ".join(c.text for c in clauses))
        if spans(raw, self._uncovered):
            return True
        if spans(_folded_words(clauses[0].text), self._pointers_back) or not spans(folded, self._domain):
            return False
        # Question and eligibility words say how it asks, not what about: "vậy em đã đủ điều kiện chưa ạ?".
        asking = {w for a, b, _ in spans(folded, self._asking_words) for w in folded[a:b]}
        return len([w for w in folded if w not in asking]) >= MIN_CONTENT_WORDS

    def _held(
        self, clauses: list[Clause], start: int, end: int, whole: bool, target: str | None, words: Words
    ) -> list[HeldAward]:
        """Awards named outside the asked-for one, with the years and runs of their clause."""
        held: list[HeldAward] = []
        for i, clause in enumerate(clauses):
            _, folded = words(clause.text)
            named = self._awards.award_spans(folded)
            in_asking = whole or start <= i < end
            for _, _, award in named:
                if in_asking and award == target:
                    continue
                years = tuple(sorted({int(y) for y in _YEAR.findall(clause.text)}))
                run_match = _RUN_OF_YEARS.search(" ".join(_folded_words(clause.text)))
                run = None
                if run_match:
                    token = run_match.group(1)
                    run = int(token) if token.isdigit() else _NUMBER_WORDS.get(token)
                if not any(h.award_id == award and h.years == years for h in held):
                    held.append(HeldAward(award, years, run))
        return held


def _sentences(text: str) -> list[str]:
    out: list[str] = []
    start = 0
    text = text.strip()
    for mark in _SENTENCE_END.finditer(text):
        after = text[mark.end() : mark.end() + 1]
        if text[mark.start() - 1] == "." and not (after.isupper() or after.isdigit() or after in "\"“("):
            continue
        out.append(text[start : mark.start()])
        start = mark.end()
    out.append(text[start:])
    return [sentence for sentence in out if sentence.strip()]


def _phrases(texts: Sequence[str]) -> Phrases[str]:
    out: dict[tuple[str, ...], str] = {}
    for text in texts:
        key = tuple(_folded_words(text))
        if key:
            out.setdefault(key, text)
    return Phrases(out)


def _content_phrases(texts: Sequence[str], words: Words) -> Phrases[str]:
    """Phrases as the matcher's content words spell them (synonyms applied, stopwords out)."""
    return Phrases({tuple(words(text)[1]): text for text in texts if words(text)[1]})


def _phrases_to(mapping: dict[str, str]) -> Phrases[str]:
    return Phrases({tuple(_folded_words(text)): value for text, value in mapping.items() if _folded_words(text)})


def _folded_words(text: str) -> list[str]:
    """The text's words as the normaliser folds them, without its synonym rules (markers are matched as typed)."""
    return [fold_word(word) for word in tokenize(text)]


def _strip_all(words: list[str], phrases: Phrases[str]) -> list[str]:
    covered = {i for a, b, _ in spans(words, phrases) for i in range(a, b)}
    return [w for i, w in enumerate(words) if i not in covered and w not in _TRAILING_PARTICLES]


def _unique(items: object) -> list[str]:
    return list(dict.fromkeys(items))  # type: ignore[call-overload]
