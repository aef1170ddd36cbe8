"""Every wrong answer on the real-* sets, with how the asking clause was read, to look for signs of a wrong answer.

Prints one line per answered in-scope real question whose entry is not expected (with `--all`, right ones too):
score, lead over the runner-up, the entry, expected, the understanding's target award, intent and circumstances,
the entry's own award and intent, and the tail of the asking clause. `--stand-in` uses the knowledge of
bench/phrasing_ablation.py (phrasings written for the real questions taken out).

Run: .venv/bin/python bench/wrong_answers.py [--stand-in] [--all]
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from phrasing_ablation import ROOT, ablated

from bot.core.answers import Answerer
from bot.core.evaluation import DEFAULT_SET, load_labelled
from bot.core.knowledge import load_knowledge
from bot.core.records import ANSWER


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--stand-in", action="store_true", help="the ablated knowledge of phrasing_ablation.py")
    parser.add_argument("--all", action="store_true", help="right answers too (marked OK)")
    args = parser.parse_args()
    knowledge = load_knowledge(ROOT / "knowledge")
    if args.stand_in:
        knowledge, _ = ablated(knowledge, 2, 50)
    answerer = Answerer(knowledge)
    for item in load_labelled(DEFAULT_SET):
        if not item.real or not item.in_scope:
            continue
        reply = answerer.ask(item.question)
        if reply.entry is None or reply.status != ANSWER:
            continue
        right = reply.entry.id in item.expect
        if right and not args.all:
            continue
        question = answerer.matcher.understand(item.question)
        ranked = reply.result.ranked
        lead = ranked[0].score - ranked[1].score if len(ranked) > 1 else ranked[0].score
        entry = reply.entry
        print(
            f"{'OK ' if right else 'BAD'} {ranked[0].score:.1f} +{lead:.1f} {entry.id}"
            f" | expected {'/'.join(item.expect)}"
            f" | asked award {question.target_award}, intent {question.intent},"
            f" circumstances {','.join(question.circumstances) or '-'}"
            f" | entry award {entry.award_id}, intent {entry.intent_id} | asked: …{question.asked[-100:]}"
        )


if __name__ == "__main__":
    main()
