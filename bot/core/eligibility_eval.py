"""Verdict accuracy on eligibility story sets: items with `award` and `verdict` (tests/eval/eligibility/)."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import yaml

from bot.core.eligibility import MEETS, VERDICTS
from bot.core.errors import KnowledgeError
from bot.core.yaml_text import parse as parse_yaml

DEFAULT_ELIGIBILITY_SET = (
    Path(__file__).resolve().parents[2] / "tests" / "eval" / "eligibility" / "eligibility-dev.yaml"
)


@dataclass(frozen=True, slots=True)
class Story:
    question: str
    award: str
    verdict: str


@dataclass
class EligibilityReport:
    total: int = 0
    correct: int = 0
    false_meets: int = 0  # `meets` where the truth is fails or unknown
    misses: list[str] = field(default_factory=list)

    @property
    def accuracy(self) -> float:
        return self.correct / self.total if self.total else 0.0

    def lines(self) -> list[str]:
        return [
            f"eligibility verdicts: {self.correct}/{self.total} right ({self.accuracy:.1%}); "
            f"false 'meets': {self.false_meets}"
        ]


def load_stories(path: Path) -> list[Story]:
    """The items of a set that carry an expected eligibility verdict."""
    try:
        data = parse_yaml(path.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as exc:
        raise KnowledgeError([f"{path}: cannot read the story set: {exc}"]) from None
    stories, problems = [], []
    for index, raw in enumerate(data if isinstance(data, list) else []):
        if not isinstance(raw, dict) or "verdict" not in raw:
            continue
        if raw["verdict"] not in VERDICTS or not isinstance(raw.get("award"), str):
            problems.append(f"{path}: item #{index + 1}: needs 'award' and 'verdict' (one of {', '.join(VERDICTS)})")
            continue
        stories.append(Story(str(raw["q"]), raw["award"], raw["verdict"]))
    if problems:
        raise KnowledgeError(problems)
    if not stories:
        raise KnowledgeError([f"{path}: no items with 'award' and 'verdict'"])
    return stories


def evaluate_stories(answerer: object, stories: list[Story]) -> EligibilityReport:
    """Ask every story through the answering service and compare its eligibility field with the truth."""
    report = EligibilityReport()
    for story in stories:
        reply = answerer.ask(story.question)  # type: ignore[attr-defined]
        got = reply.to_json()["eligibility"]
        award, verdict = (got["award"], got["verdict"]) if got else (None, None)
        report.total += 1
        if award == story.award and verdict == story.verdict:
            report.correct += 1
        else:
            report.misses.append(
                f"{story.question[:90]!r}: expected {story.award}/{story.verdict}, got {award}/{verdict}"
            )
        if verdict == MEETS and story.verdict != MEETS:
            report.false_meets += 1
    return report
