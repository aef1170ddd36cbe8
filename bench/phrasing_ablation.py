"""A stand-in for held-out real questions: the real-* dev sets with the phrasings written for them taken out.

The dev sets' misses have been read while writing phrasings, so their scores are optimistic; held-out questions use
words no phrasing foresaw. This removes, for every labelled real question, the `--drop` phrasings of its expected
entries most like it (rapidfuzz token_set_ratio on folded text, at least `--min-similarity`), rebuilds the index
without the cache and reports the real sets' figures on that knowledge. Use it beside `python -m bot eval` to see
whether a change generalises (it never reads a held-out file).

Run: .venv/bin/python bench/phrasing_ablation.py [--drop 2] [--min-similarity 50] [--misses]
(`--misses` prints each in-scope miss: question head, expected, top-1 and its score, outcome.)
"""

from __future__ import annotations

import argparse
import dataclasses
import sys
from collections import defaultdict
from pathlib import Path

from rapidfuzz import fuzz

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bot.core.answers import Answerer
from bot.core.evaluation import DEFAULT_SET, LONG, band_of, load_labelled
from bot.core.knowledge import Knowledge, load_knowledge
from bot.core.match_types import Scored
from bot.core.normalize import Normalizer
from bot.core.records import ANSWER

ROOT = Path(__file__).resolve().parent.parent


def ablated(knowledge: Knowledge, drop: int, min_similarity: int) -> tuple[Knowledge, int]:
    """The knowledge without each real question's closest phrasings of its expected entries, and how many went."""
    normalize = Normalizer(knowledge.synonyms)

    def folded(text: str) -> str:
        return " ".join(normalize(text).folded)

    removed: dict[str, set[str]] = defaultdict(set)
    for item in load_labelled(DEFAULT_SET):
        if not item.real or not item.expect:
            continue
        question = folded(item.question)
        for entry_id in item.expect:
            entry = knowledge.entries.get(entry_id)
            if entry is None:
                continue
            extra = knowledge.extra_phrasings.get(entry_id, ())
            phrasings = dict.fromkeys([*entry.phrasings_vi, *entry.phrasings_en, *extra])
            ranked = sorted(((fuzz.token_set_ratio(question, folded(p)), p) for p in phrasings), reverse=True)
            removed[entry_id].update(p for score, p in ranked[:drop] if score >= min_similarity)
    entries = {}
    for entry_id, entry in knowledge.entries.items():
        gone = removed.get(entry_id, set())
        if gone:
            kept_vi = tuple(p for p in entry.phrasings_vi if p not in gone) or entry.phrasings_vi[:1]
            entry = dataclasses.replace(
                entry, phrasings_vi=kept_vi, phrasings_en=tuple(p for p in entry.phrasings_en if p not in gone)
            )
        entries[entry_id] = entry
    extra = {i: tuple(p for p in ps if p not in removed.get(i, ())) for i, ps in knowledge.extra_phrasings.items()}
    return dataclasses.replace(knowledge, entries=entries, extra_phrasings=extra), sum(map(len, removed.values()))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--drop", type=int, default=2, help="phrasings removed per question and expected entry")
    parser.add_argument("--min-similarity", type=int, default=50, help="token_set_ratio a phrasing needs to go")
    parser.add_argument("--misses", action="store_true", help="print each in-scope miss")
    args = parser.parse_args()
    knowledge, count = ablated(load_knowledge(ROOT / "knowledge"), args.drop, args.min_similarity)
    answerer = Answerer(knowledge)
    right: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    wrong = out_of_scope_answered = 0
    misses: list[str] = []
    for item in load_labelled(DEFAULT_SET):
        if not item.real:
            continue
        reply = answerer.ask(item.question)
        got = reply.entry.id if reply.entry is not None and reply.status == ANSWER else None
        if not item.in_scope:
            out_of_scope_answered += got is not None
            continue
        top = reply.result.top
        keys = ["in scope", band_of(item.question)] + ([f"> {LONG}"] if len(item.question) > LONG else [])
        for key in keys:
            right[key][0] += got in item.expect
            right[key][1] += 1
        right["top-1"][0] += top is not None and top.entry_id in item.expect
        right["top-1"][1] += 1
        wrong += got is not None and got not in item.expect
        if got not in item.expect:
            misses.append(_miss_line(item.question, item.expect, top, reply.status))
    print(f"real-* with {count} phrasings removed (--drop {args.drop}, --min-similarity {args.min_similarity}):")
    for key, (n, total) in right.items():
        print(f"  {key:<10} {n:>4}/{total:<4} {n / total:6.1%}")
    print(f"  wrong answers (in scope) {wrong}; out of scope answered {out_of_scope_answered}")
    if args.misses:
        print(f"in-scope misses ({len(misses)}; 'top-1 right' first):")
        for line in sorted(misses, key=lambda line: not line.startswith("  [top-1 right]")):
            print(line)


def _miss_line(question: str, expect: tuple[str, ...], top: Scored | None, status: str) -> str:
    """One miss: whether the top-1 is expected, the question's head, expected, top-1 and score, outcome."""
    top_right = top is not None and top.entry_id in expect
    head = question if len(question) <= 90 else f"…{question[-89:]}"
    ranked = f"{top.entry_id} ({top.score:.1f})" if top is not None else "-"
    mark = "top-1 right" if top_right else "top-1 wrong"
    return f"  [{mark}] {head!r}\n      expected {'/'.join(expect)}; top-1 {ranked}; {status}"


if __name__ == "__main__":
    main()
