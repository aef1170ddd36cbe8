"""The question-answering service shared by the CLI and the Telegram bot."""

from __future__ import annotations

import contextlib
import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, replace
from typing import Any

from bot.core.index_cache import Compiled, Remembered, pack_strings, unpack_strings
from bot.core.knowledge import Entry, Knowledge
from bot.core.language import LanguageDetector
from bot.core.matcher import UNCOVERED, Matcher, MatchResult, MatchSettings, Scored
from bot.core.records import ANSWER, FALLBACK, SMALLTALK, SUGGEST
from bot.core.render import AnswerParts, answer_language, answer_parts, to_plain


@dataclass(frozen=True, slots=True)
class Suggestion:
    entry: Entry
    score: float
    title: str  # the entry's question in the reply's language


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
        }


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
    ) -> None:
        """With `compiled` (bot.core.index_cache), the matcher's costly parts are loaded from it or added to it."""
        self.knowledge = knowledge
        self.matcher = Matcher(knowledge, settings, compiled)
        saved = compiled.get("language") if compiled is not None and compiled.loaded else None
        try:
            english = None if saved is None else unpack_strings(saved[0]["english"])
        except (KeyError, ValueError, UnicodeDecodeError):
            english = None
        self.languages = LanguageDetector(knowledge, english)
        # Results of this knowledge version worth keeping with its compiled index (bot.assembly wires the cache).
        self.remembered = Remembered(None, compiled)
        if compiled is not None and english is None:
            with contextlib.suppress(ValueError):
                compiled.put("language", {"english": pack_strings(self.languages.english_words())})
        self.contact = contact
        self.deadlines_text = deadlines_text

    def text(self, name: str, lang: str) -> str:
        """A user-facing message with the contact filled in."""
        return self.knowledge.text(name, lang).replace("{contact}", self.contact).strip()

    def title(self, entry: Entry, lang: str) -> str:
        return (entry.question_en if lang == "en" else None) or entry.question_vi

    def entry_parts(self, entry: Entry, lang: str, today: dt.date | None = None) -> AnswerParts:
        """The pieces of `entry`'s answer; a `show: deadlines` entry gets the calendar's text when one is wired."""
        today = today or dt.date.today()
        deadlines = None
        if entry.show == "deadlines" and self.deadlines_text is not None:
            deadlines = self.deadlines_text(answer_language(entry, lang), today)
        return answer_parts(self.knowledge, entry, lang, today, deadlines)

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
        return Reply(question, lang, result, entry, parts, message, suggestions)

    def _uncovered(self, award_id: str | None, lang: str) -> str:
        """The reply to a question on an award the knowledge does not cover: say so, never stretch another's rule."""
        lexicon = self.knowledge.understanding
        group = next((g for g in lexicon.uncovered_awards if g.id == award_id), None)
        name = ((group.name.en if lang == "en" else None) or group.name.vi) if group else award_id or ""
        template = lexicon.messages.uncovered_award if lexicon.messages else None
        if template is None:
            return self.text("fallback", lang)
        text = (template.en if lang == "en" else None) or template.vi
        return text.replace("{award}", name).replace("{contact}", self.contact or "cán bộ thi đua, khen thưởng").strip()

    def _with_body_note(self, parts: AnswerParts, result: MatchResult, lang: str) -> AnswerParts:
        """An answer to a question naming another body (a province, a union, another ministry) says whose rule it is."""
        question = result.question
        lexicon = self.knowledge.understanding
        if question is None or question.other_body is None or lexicon.messages is None:
            return parts
        group = next((g for g in lexicon.other_bodies if g.id == question.other_body), None)
        if group is None:
            return parts
        use = parts.lang
        name = (group.name.en if use == "en" else None) or group.name.vi
        template = (lexicon.messages.other_body.en if use == "en" else None) or lexicon.messages.other_body.vi
        note = template.replace("{body_cap}", name[:1].upper() + name[1:]).replace("{body}", name).strip()
        return replace(parts, extras=(*parts.extras, note))

    def _suggestion(self, scored: Scored, lang: str) -> Suggestion:
        entry = self.knowledge.entries[scored.entry_id]
        return Suggestion(entry, scored.score, self.title(entry, lang))

    def _smalltalk(self, smalltalk_id: str | None, lang: str) -> str:
        for item in self.knowledge.smalltalk:
            if item.id == smalltalk_id:
                return ((item.reply.en if lang == "en" else None) or item.reply.vi).strip()
        return self.text("greeting", lang)


__all__ = ["ANSWER", "FALLBACK", "SMALLTALK", "SUGGEST", "Answerer", "Reply", "Suggestion"]
