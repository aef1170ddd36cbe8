"""Runs a labelled question set and reports accuracy per style."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from bot.answers import Answerer
from bot.errors import KnowledgeError
from bot.records import ANSWER

STYLES = ("diacritics", "no_diacritics", "english", "abbreviation", "typo", "out_of_scope")
DEFAULT_SET = Path(__file__).resolve().parent.parent / "tests" / "eval" / "questions.yaml"


@dataclass(frozen=True, slots=True)
class Labelled:
    question: str
    expect: frozenset[str]  # empty = out of scope
    style: str


@dataclass
class StyleScore:
    total: int = 0
    correct: int = 0  # in scope: answered with an expected entry; out of scope: not answered
    suggested: int = 0  # in scope: an expected entry among the suggestions (not counted as correct)

    @property
    def accuracy(self) -> float:
        return self.correct / self.total if self.total else 0.0


@dataclass
class EvalReport:
    styles: dict[str, StyleScore] = field(default_factory=lambda: defaultdict(StyleScore))
    misses: list[str] = field(default_factory=list)

    def in_scope(self) -> StyleScore:
        total = StyleScore()
        for style, score in self.styles.items():
            if style != "out_of_scope":
                total.total += score.total
                total.correct += score.correct
                total.suggested += score.suggested
        return total

    def out_of_scope_answered(self) -> float:
        oos = self.styles.get("out_of_scope", StyleScore())
        return (oos.total - oos.correct) / oos.total if oos.total else 0.0

    def lines(self) -> list[str]:
        out = [f"{'style':<15}{'n':>5}{'correct':>9}{'accuracy':>10}{'suggested':>11}"]
        for style in STYLES:
            if style in self.styles:
                s = self.styles[style]
                out.append(f"{style:<15}{s.total:>5}{s.correct:>9}{s.accuracy:>9.1%}{s.suggested:>11}")
        total = self.in_scope()
        out.append(f"{'in scope':<15}{total.total:>5}{total.correct:>9}{total.accuracy:>9.1%}{total.suggested:>11}")
        out.append(f"out of scope answered: {self.out_of_scope_answered():.1%}")
        return out


def load_labelled(path: Path) -> list[Labelled]:
    """Read a question set: a YAML list of {q, expect (id, list of ids or null), style}."""
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as exc:
        raise KnowledgeError([f"{path}: cannot read the question set: {exc}"]) from None
    if not isinstance(data, list):
        raise KnowledgeError([f"{path}: expected a list of questions"])
    items, problems = [], []
    for index, raw in enumerate(data):
        if not isinstance(raw, dict) or not isinstance(raw.get("q"), str) or raw.get("style") not in STYLES:
            problems.append(f"{path}: item #{index + 1}: needs 'q' (text) and 'style' (one of {', '.join(STYLES)})")
            continue
        expect = raw.get("expect")
        ids = frozenset([expect] if isinstance(expect, str) else expect or [])
        items.append(Labelled(raw["q"], ids, raw["style"]))
    if problems:
        raise KnowledgeError(problems)
    return items


def evaluate(answerer: Answerer, items: list[Labelled]) -> EvalReport:
    """Ask every question; unknown expected ids count as misses and are reported."""
    report = EvalReport()
    for item in items:
        reply = answerer.ask(item.question)
        score = report.styles[item.style]
        score.total += 1
        got = reply.entry.id if reply.entry is not None and reply.status == ANSWER else None
        if not item.expect:
            if reply.status != ANSWER:
                score.correct += 1
            else:
                report.misses.append(
                    f"[{item.style}] {item.question!r}: out of scope, answered {got} ({reply.score:.0f})"
                )
            continue
        if got in item.expect:
            score.correct += 1
            continue
        offered = [s.entry.id for s in reply.suggestions]
        if any(i in item.expect for i in offered):
            score.suggested += 1
        top = reply.result.top
        report.misses.append(
            f"[{item.style}] {item.question!r}: expected {'/'.join(sorted(item.expect))}, got {reply.status} "
            f"{top.entry_id if top else None} ({reply.score:.0f}) suggestions={offered}"
        )
    return report
