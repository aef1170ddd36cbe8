"""Runs a labelled question set and reports accuracy per style."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from bot.core.answers import Answerer
from bot.core.errors import KnowledgeError
from bot.core.records import ANSWER

STYLES = ("diacritics", "no_diacritics", "english", "abbreviation", "typo", "out_of_scope")
# A folder: every *.yaml in it is one question set, all reported together and one line per file.
DEFAULT_SET = Path(__file__).resolve().parents[2] / "tests" / "eval"


@dataclass(frozen=True, slots=True)
class Labelled:
    question: str
    expect: frozenset[str]  # empty = out of scope
    style: str
    source: str = ""  # the file it came from


@dataclass
class StyleScore:
    total: int = 0
    correct: int = 0  # in scope: answered with an expected entry; out of scope: not answered
    suggested: int = 0  # in scope: an expected entry among the suggestions (not counted as correct)
    top1: int = 0  # in scope: the best-ranked entry is an expected one, answered or not

    @property
    def accuracy(self) -> float:
        return self.correct / self.total if self.total else 0.0


@dataclass
class EvalReport:
    styles: dict[str, StyleScore] = field(default_factory=lambda: defaultdict(StyleScore))
    sources: dict[str, StyleScore] = field(default_factory=lambda: defaultdict(StyleScore))  # in scope only
    misses: list[str] = field(default_factory=list)

    def in_scope(self) -> StyleScore:
        total = StyleScore()
        for style, score in self.styles.items():
            if style != "out_of_scope":
                total.total += score.total
                total.correct += score.correct
                total.suggested += score.suggested
                total.top1 += score.top1
        return total

    def top1_accuracy(self) -> float:
        total = self.in_scope()
        return total.top1 / total.total if total.total else 0.0

    def out_of_scope_answered(self) -> float:
        oos = self.styles.get("out_of_scope", StyleScore())
        return (oos.total - oos.correct) / oos.total if oos.total else 0.0

    def lines(self) -> list[str]:
        width = max([15, *(len(name) + 2 for name in self.sources)]) if len(self.sources) > 1 else 15
        out = [f"{'style':<{width}}{'n':>5}{'correct':>9}{'accuracy':>10}{'suggested':>11}{'top-1':>9}"]

        def row(name: str, s: StyleScore, top1: bool = True) -> str:
            top = f"{s.top1 / s.total:>8.1%}" if top1 and s.total else f"{'':>8}"
            return f"{name:<{width}}{s.total:>5}{s.correct:>9}{s.accuracy:>9.1%}{s.suggested:>11} {top}"

        for style in STYLES:
            if style in self.styles:
                out.append(row(style, self.styles[style], style != "out_of_scope"))
        out.append(row("in scope", self.in_scope()))
        out.append(f"out of scope answered: {self.out_of_scope_answered():.1%}")
        if len(self.sources) > 1:
            out.append("")
            out.append("in scope, per file:")
            out.extend(row(name, score) for name, score in sorted(self.sources.items()))
        return out


def load_labelled(path: Path) -> list[Labelled]:
    """Read a question set, or every *.yaml in a folder: YAML lists of {q, expect (id, ids or null), style}."""
    if path.is_dir():
        files = sorted(path.glob("*.yaml"))
        if not files:
            raise KnowledgeError([f"{path}: no *.yaml question sets in this folder"])
        items: list[Labelled] = []
        problems: list[str] = []
        for file in files:
            try:
                items.extend(load_labelled(file))
            except KnowledgeError as exc:
                problems.extend(exc.problems)
        if problems:
            raise KnowledgeError(problems)
        return items
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
        items.append(Labelled(raw["q"], ids, raw["style"], path.name))
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
        top = reply.result.top
        by_file = report.sources[item.source]
        by_file.total += 1
        if top is not None and top.entry_id in item.expect:
            score.top1 += 1
            by_file.top1 += 1
        if got in item.expect:
            score.correct += 1
            by_file.correct += 1
            continue
        offered = [s.entry.id for s in reply.suggestions]
        if any(i in item.expect for i in offered):
            score.suggested += 1
            by_file.suggested += 1
        report.misses.append(
            f"[{item.style}] {item.question!r}: expected {'/'.join(sorted(item.expect))}, got {reply.status} "
            f"{top.entry_id if top else None} ({reply.score:.0f}) suggestions={offered}"
        )
    return report
