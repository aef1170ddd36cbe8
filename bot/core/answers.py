"""The question-answering service shared by the CLI and the Telegram bot."""

from __future__ import annotations

import contextlib
import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, replace
from typing import Any

from bot.core.cited_documents import cited_out_of_force
from bot.core.criteria import Criteria
from bot.core.eligibility import Record, Verdict, evaluate
from bot.core.eligibility_render import EligibilityText, eligibility_text
from bot.core.eligibility_render import to_html as eligibility_html
from bot.core.eligibility_render import to_plain as eligibility_plain
from bot.core.index_cache import Compiled, Remembered, pack_strings, unpack_strings
from bot.core.knowledge import Entry, Knowledge
from bot.core.language import LanguageDetector
from bot.core.matcher import UNCOVERED, Matcher, MatchResult, MatchSettings, Scored
from bot.core.records import ANSWER, FALLBACK, SMALLTALK, SUGGEST
from bot.core.render import AnswerParts, answer_language, answer_parts, to_plain

_MONTHS = (
    "January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November",
    "December"
)


@dataclass(frozen=True, slots=True)
class Suggestion:
    entry: Entry
    score: float
    title: str  # the entry's question in the reply's language


@dataclass(frozen=True, slots=True)
class EligibilityAnswer:
    """The eligibility check of a question that tells a record and asks about an award."""

    verdict: Verdict
    understood: str
    text: EligibilityText
    dossier: Entry | None  # the award's dossier answer, offered as the next step
    record: Record | None = None  # what was read (the guided check starts from it)

    def to_json(self) -> dict[str, Any]:
        return self.verdict.to_json(self.understood)

    def plain(self) -> str:
        return eligibility_plain(self.text, self.verdict.lang)

    def html(self) -> str:
        return eligibility_html(self.text, self.verdict.lang)


@dataclass(frozen=True, slots=True)
class Reply:
    """What the bot replies to one question, before any transport formats it."""

    query: str
    lang: str
    result: MatchResult
    entry: Entry | None
    parts: AnswerParts | None  # set for answers
    message: str  # plain text the user reads
    suggestions: tuple[Suggestion, ...]
    eligibility: EligibilityAnswer | None = None

    @property
    def display(self) -> str:
        """What a person reads: the eligibility check first when there is one, else the message."""
        return self.eligibility.plain() if self.eligibility is not None else self.message

    @property
    def status(self) -> str:
        return self.result.status

    @property
    def score(self) -> float:
        top = self.result.top
        return top.score if top else 0.0

    def to_json(self) -> dict[str, Any]:
        """The `ask --json` contract."""
        entry = None
        if self.entry is not None:
            entry = {"id": self.entry.id, "question": self.entry.question_vi, "topic": self.entry.topic}
        return {
            "query": self.query,
            "status": self.status,
            "score": round(self.score, 2),
            "entry": entry,
            "answer": self.message,
            "sources": list(self.entry.sources) if self.entry is not None and self.status == ANSWER else [],
            "suggestions": [
                {"id": s.entry.id, "question": s.entry.question_vi, "score": round(s.score, 2)}
                for s in self.suggestions
            ],
            "eligibility": self.eligibility.to_json() if self.eligibility is not None else None,
        }


REMEMBERED_PARTS = 4096  # answers' pieces kept per answerer (Answerer.entry_parts)

# Builds the upcoming-deadlines text in a language for a day; wired in by bot.assembly from the calendar package.
DeadlinesText = Callable[[str, dt.date], str | None]


class Answerer:
    """Matches a question and builds the reply; owns the matcher for one knowledge version."""

    def __init__(
        self,
        knowledge: Knowledge,
        settings: MatchSettings | None = None,
        contact: str = "",
        deadlines_text: DeadlinesText | None = None,
        compiled: Compiled | None = None,
        contact_en: str = "",
    ) -> None:
        """With `compiled` (bot.core.index_cache), the matcher's costly parts are loaded from it or added to it.
        `contact_en` is whom English replies name; empty, they name `contact` and say it answers in Vietnamese."""
        self.knowledge = knowledge
        self.matcher = Matcher(knowledge, settings, compiled)
        saved = compiled.get("language") if compiled is not None and compiled.loaded else None
        try:
            english = None if saved is None else unpack_strings(saved[0]["english"])
        except (KeyError, ValueError, UnicodeDecodeError):
            english = None
        self.languages = LanguageDetector(knowledge, english)
        lexicon = knowledge.understanding
        self._body_rule_entries = frozenset(
            rule.entry for rule in (lexicon.other_body_titles, lexicon.other_medals) if rule is not None
        )
        # Results of this knowledge version worth keeping with its compiled index (bot.assembly wires the cache).
        self.remembered = Remembered(None, compiled)
        if compiled is not None and english is None:
            with contextlib.suppress(ValueError):
                compiled.put("language", {"english": pack_strings(self.languages.english_words())})
        self.contact = contact
        self.contact_en = contact_en
        # The bot logs every question; the terminal chat and `ask` do not, and must not say they do.
        self.logs_questions = True
        self.deadlines_text = deadlines_text
        self._award_subjects: dict[str, set[str]] | None = None
        # (entry id, language, day) → its answer's pieces: a pure function of this knowledge version and the day
        # for every entry but the calendar's (`show: deadlines`, whose managed dates may change while it runs).
        self._parts: dict[tuple[str, str, dt.date], AnswerParts] = {}

    def text(self, name: str, lang: str) -> str:
        """A user-facing message with the contact filled in."""
        text = self.knowledge.text(name, lang).replace("{contact}", self.contact_for(lang))
        if "{logged}" in text:
            logged = self.knowledge.texts.get("logged_note") if self.logs_questions else None
            note = ((logged.get("en") if lang == "en" else None) or logged.get("vi") or "") if logged else ""
            text = text.replace(" {logged}", f" {note}" if note else "").replace("{logged}", note)
        return text.strip()

    def contact_for(self, lang: str) -> str:
        """Whom a reply in `lang` sends the user to. In English: the English-speaking contact when one is configured,
        else the configured contact with the note that it answers in Vietnamese (texts.yaml `contact_vietnamese`)."""
        if lang != "en" or not self.contact:
            return self.contact
        if self.contact_en:
            return self.contact_en
        note = self.knowledge.texts.get("contact_vietnamese")
        template = (note.get("en") if note else None) or "{contact}"
        return template.replace("{contact}", self.contact)

    def title(self, entry: Entry, lang: str) -> str:
        return (entry.question_en if lang == "en" else None) or entry.question_vi

    def entry_parts(self, entry: Entry, lang: str, today: dt.date | None = None) -> AnswerParts:
        """The pieces of `entry`'s answer; a `show: deadlines` entry gets the calendar's text when one is wired."""
        today = today or dt.date.today()
        if entry.show == "deadlines" and self.deadlines_text is not None:
            deadlines = self.deadlines_text(answer_language(entry, lang), today)
            return answer_parts(self.knowledge, entry, lang, today, deadlines)
        if self.knowledge.entries.get(entry.id) is not entry:  # not this knowledge's own entry: not remembered
            return answer_parts(self.knowledge, entry, lang, today)
        key = (entry.id, lang, today)
        parts = self._parts.get(key)
        if parts is None:
            if len(self._parts) >= REMEMBERED_PARTS:
                self._parts.clear()  # a few days' worth of every entry in both languages; what goes is made again
            parts = self._parts[key] = answer_parts(self.knowledge, entry, lang, today)
        return parts

    def ask(self, question: str, lang: str | None = None, today: dt.date | None = None) -> Reply:
        """Answer `question`; `lang` forces the language, otherwise it is detected."""
        detected = self.languages.detect(question)
        lang = lang or detected
        result = self.matcher.match(question, english=detected == "en")
        entries = self.knowledge.entries
        suggestions = tuple(self._suggestion(s, lang) for s in result.suggestions)
        entry: Entry | None = None
        parts: AnswerParts | None = None
        if result.status == ANSWER and result.top is not None:
            entry = entries[result.top.entry_id]
            parts = self._with_body_note(self.entry_parts(entry, lang, today), result, lang)
            parts = self._with_document_note(parts, question, entry)
            message = to_plain(parts)
        elif result.reason == UNCOVERED and result.question is not None:
            message = self._uncovered(result.question.uncovered_award, lang)
            if suggestions:
                lines = [self.text("suggest_intro", lang)]
                lines += [f"{i}. {s.title}" for i, s in enumerate(suggestions, 1)]
                message += "\n\n" + "\n".join(lines)
        elif result.status == SMALLTALK:
            message = self._smalltalk(result.smalltalk_id, lang)
        elif result.status == SUGGEST:
            entry = entries[result.top.entry_id] if result.top else None
            lines = [self.text("suggest_intro", lang)]
            lines += [f"{i}. {s.title}" for i, s in enumerate(suggestions, 1)]
            message = "\n".join(lines)
        else:
            message = self.text("fallback", lang)
            if suggestions:
                lines = [self.text("suggest_intro", lang)]
                lines += [f"{i}. {s.title}" for i, s in enumerate(suggestions, 1)]
                message += "\n\n" + "\n".join(lines)
        eligibility = self.eligibility(question, lang, today or dt.date.today())
        return Reply(question, lang, result, entry, parts, message, suggestions, eligibility)

    def eligibility(self, question: str, lang: str, today: dt.date) -> EligibilityAnswer | None:
        """The eligibility check when `question` tells a record and asks about an award with known criteria."""
        criteria = self.knowledge.criteria
        if criteria is None:
            return None
        from bot.core.record_reader import eligibility_reading

        reading = eligibility_reading(question, today.year, self._subjects(criteria))
        if reading is None or not reading.is_eligibility or reading.award is None:
            return None
        award = criteria.for_award(reading.award, reading.record.subject)
        if award is None:
            return None
        verdict = evaluate(reading.record, award, criteria, lang)
        dossier = self.knowledge.entries.get(award.dossier) if award.dossier else None
        understood = reading.understood(lang)
        text = eligibility_text(verdict, understood, self.title(dossier, lang) if dossier else None)
        return EligibilityAnswer(verdict, understood, text, dossier, reading.record)

    def _subjects(self, criteria: Criteria) -> dict[str, set[str]]:
        """Catalogue award → the subjects (individual, collective) its criteria cover; built once per knowledge."""
        if self._award_subjects is None:
            subjects: dict[str, set[str]] = {}
            for award in criteria.awards.values():
                subjects.setdefault(award.catalogue, set()).add(award.subject)
            self._award_subjects = subjects
        return self._award_subjects

    def _uncovered(self, award_id: str | None, lang: str) -> str:
        """The reply to a question on an award the knowledge does not cover: say so, never stretch another's rule."""
        lexicon = self.knowledge.understanding
        group = next((g for g in lexicon.uncovered_awards if g.id == award_id), None)
        name = ((group.name.en if lang == "en" else None) or group.name.vi) if group else award_id or ""
        template = lexicon.messages.uncovered_award if lexicon.messages else None
        if template is None:
            return self.text("fallback", lang)
        text = (template.en if lang == "en" else None) or template.vi
        default = "your unit's emulation and commendation officer" if lang == "en" else "cán bộ thi đua, khen thưởng"
        return text.replace("{award}", name).replace("{contact}", self.contact_for(lang) or default).strip()

    def _with_body_note(self, parts: AnswerParts, result: MatchResult, lang: str) -> AnswerParts:
        """An answer to a question naming another body (a province, a union, another ministry) says whose rule it is."""
        question = result.question
        lexicon = self.knowledge.understanding
        if question is None or question.other_body is None or lexicon.messages is None:
            return parts
        if result.top is not None and result.top.entry_id in self._body_rule_entries:
            return parts  # the answer itself is the other body's rule and whom to ask
        group = next((g for g in lexicon.other_bodies if g.id == question.other_body), None)
        if group is None:
            return parts
        use = parts.lang
        name = (group.name.en if use == "en" else None) or group.name.vi
        message = group.note or lexicon.messages.other_body
        template = (message.en if use == "en" else None) or message.vi
        note = template.replace("{body_cap}", name[:1].upper() + name[1:]).replace("{body}", name).strip()
        return replace(parts, extras=(*parts.extras, note))

    def _with_document_note(self, parts: AnswerParts, question: str, entry: Entry) -> AnswerParts:
        """An answer to a question citing a repealed text ("theo Nghị định 91/2017 …") says the text is gone and
        what applies now: the answer follows today's rules, and the asker should know why it differs from theirs."""
        messages = self.knowledge.understanding.messages
        template = messages.cited_out_of_force if messages is not None else None
        if template is None:
            return parts
        notes = []
        english = parts.lang == "en"
        text = (template.en if english else None) or template.vi
        answer = f"{entry.answer_vi}\n{entry.answer_en or ''}"
        for item in cited_out_of_force(question, self.knowledge.documents):
            if item.cited.number and "/".join(item.cited.number.split("/")[:2]) in answer:
                continue  # the answer itself says what became of that text
            until = item.cited.in_force_until
            since = ""
            if until is not None:
                month = _MONTHS[until.month - 1]
                since = f" since {until.day} {month} {until.year}" if english else f" từ {until:%d/%m/%Y}"
            current = f" ({item.current.short_title})" if item.current is not None else ""
            note = text.replace("{cited}", item.cited.short_title).replace("{until}", since)
            notes.append(note.replace("{current}", current).strip())
        return replace(parts, extras=(*parts.extras, *notes)) if notes else parts

    def _suggestion(self, scored: Scored, lang: str) -> Suggestion:
        entry = self.knowledge.entries[scored.entry_id]
        return Suggestion(entry, scored.score, self.title(entry, lang))

    def _smalltalk(self, smalltalk_id: str | None, lang: str) -> str:
        for item in self.knowledge.smalltalk:
            if item.id == smalltalk_id:
                return ((item.reply.en if lang == "en" else None) or item.reply.vi).strip()
        return self.text("greeting", lang)


__all__ = ["ANSWER", "FALLBACK", "SMALLTALK", "SUGGEST", "Answerer", "EligibilityAnswer", "Reply", "Suggestion"]
