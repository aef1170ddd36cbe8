"""`ask --explain`: how a message was read and what each stage of the ranking made of it, for a human to follow."""

from __future__ import annotations

from bot.core.agreement import AGREED_LEAD
from bot.core.answers import Answerer
from bot.core.cited_documents import cited_out_of_force
from bot.core.corroboration import CORROBORATED_FLOOR
from bot.core.matcher import FOCUS_WEIGHT, Matcher, Scored, Trace
from bot.core.normalize import Normalized

SHOWN = 5  # entries listed per stage


def explain(answerer: Answerer, text: str) -> str:
    """A plain-text account of the understanding step, each ranking stage and the decision."""
    matcher = answerer.matcher
    question = matcher.understand(text)
    lines = ["Understanding"]
    for clause in question.clauses:
        lines.append(f"  {'?' if clause.asks else ' '} {clause.text}")
    lines.append(f"  asked: {question.asked}")
    if question.context:
        lines.append(f"  context: {question.context}")
    lines.append(f"  target award: {question.target_award or '-'}; intent: {question.intent or '-'}")
    for held in question.held:
        years = ", ".join(map(str, held.years)) or "-"
        run = f", {held.run} năm liền" if held.run else ""
        lines.append(f"  held: {held.award_id} (years {years}{run})")
    if question.circumstances:
        lines.append(f"  circumstances: {', '.join(question.circumstances)}")
    flags = [
        name
        for name, on in (
            ("eligibility question", question.eligibility),
            (f"uncovered award {question.uncovered_award}", question.uncovered_award),
            (f"other body {question.other_body}", question.other_body),
            (f"routed to {question.routed_to}", question.routed_to),
            (f"tier named {', '.join(question.tiers)}", question.tiers),
        )
        if on
    ]
    if flags:
        lines.append(f"  flags: {'; '.join(flags)}")
    for item in cited_out_of_force(text, answerer.knowledge.documents):
        now = f", in force now: {item.current.short_title}" if item.current else ""
        lines.append(f"  cites a text no longer in force: {item.cited.short_title}{now}")
    english = answerer.languages.detect(text) == "en"
    if question.framing:
        lines.append(f"  framing (context, not ranked first): {' | '.join(question.framing)}")
    if question.story_object:
        lines.append(f"  the asking part names no award: the story's ({question.story_object}) is ranked with it")
    if question.follow_up:
        lines.append(f"  follow-up (left to the whole message): {question.follow_up}")
    if question.focused:
        extra = " + from the story (circumstances, the award it names)" if question.focus_extra else ""
        extra += ", without its framing" if question.unframed is not None else ""
        lines.append(f"Ranking the asking part{extra}: {question.focus}")
        lines += _stages(matcher, matcher.normalize(question.focus), english, asked_award=question.target_award)
        # As the blend ranks it: the whole text is weaker evidence, without tie-breaking and answer evidence.
        lines.append("Ranking the whole message (no tie-breaking, no answer evidence)")
        lines += _stages(matcher, matcher.normalize(text), english, tiebreak=False, asked_award=question.target_award)
        lines.append(f"Blend: {FOCUS_WEIGHT:.2f} × asking part + {1 - FOCUS_WEIGHT:.2f} × whole message")
    else:
        lines.append("Ranking the whole message (one question)")
        lines += _stages(matcher, matcher.normalize(text), english, asked_award=question.target_award)
    result = matcher.match(text, english)
    lines.append("Final ranking")
    lines += _top(list(result.ranked))
    if result.question is not None and result.ranked:
        agreement = matcher.agreement_of(result.question, result.ranked)
        effect = (
            f"a close match (≥ {matcher.settings.close_match_floor:g}) leading by {AGREED_LEAD:g} may answer"
            if agreement.agrees
            else "none"
        )
        lines.append(f"Agreement: {'yes' if agreement.agrees else 'no'} — {agreement.reason}; effect: {effect}")
        if matcher.disputed(result.question, result.ranked[0].entry_id):
            others = ", ".join(matcher.agreement.other_circumstances(result.question, result.ranked[0].entry_id))
            lines.append(
                f"Dispute: the message names {others}, which the catalogue entry {result.ranked[0].entry_id} never"
                f" speaks of; a lead alone (below {matcher.settings.answer_threshold:g}) does not answer"
            )
        if matcher.corroboration_of(result.question, matcher.normalize(text), english):
            lines.append(
                f"Corroboration: yes — the asking part names {result.ranked[0].entry_id}'s circumstance and both"
                f" rankings put it first; with the agreement, a close match from {CORROBORATED_FLOOR:g} may answer"
            )
    decision = result.status + (f" ({result.reason})" if result.reason else "")
    lines.append(f"Decision: {decision}; suggestions: {', '.join(s.entry_id for s in result.suggestions) or '-'}")
    return "\n".join(lines)


def _stages(
    matcher: Matcher, norm: Normalized, english: bool, tiebreak: bool = True, asked_award: str | None = None
) -> list[str]:
    trace: Trace = []
    matcher.rank(norm, english, trace, tiebreak, asked_award)
    lines = []
    for stage, scores in trace:
        ranked = sorted(scores.items(), key=lambda item: (-item[1], matcher.entries[item[0]].id))
        shown = ", ".join(f"{matcher.entries[i].id} {s:.1f}" for i, s in ranked[:SHOWN])
        lines.append(f"  after {stage}: {shown or '(nothing)'}")
    return lines or ["  (no known word)"]


def _top(ranked: list[Scored]) -> list[str]:
    return [f"  {s.score:6.2f}  {s.entry_id}" for s in ranked[:SHOWN]] or ["  (nothing matched)"]
