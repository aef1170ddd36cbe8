"""Draw a reproducible sample of answerable entries (FAQ and catalogue) for an answer audit.

Usage (from the repository root):
    python tools/audit_sample.py --seed 20261214 -n 25 --questions /tmp/qs.txt
    python -m bot ask --json < /tmp/qs.txt > /tmp/answers.jsonl

The population is every entry the knowledge loads (FAQ entries and award x intent sections), sorted by id, so the
same seed gives the same sample as long as the set of ids is unchanged. For each sampled entry the questions file
gets its first Vietnamese question and its first English one (the Vietnamese one again when there is none).
"""

from __future__ import annotations

import argparse
import random
import sys
from pathlib import Path

from bot.core.knowledge import load_knowledge


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seed", type=int, required=True)
    parser.add_argument("-n", type=int, default=25, help="sample size")
    parser.add_argument("--knowledge", type=Path, default=Path("knowledge"))
    parser.add_argument("--questions", type=Path, help="write two questions per sampled entry (vi, en) here")
    args = parser.parse_args(argv)

    knowledge = load_knowledge(args.knowledge)
    ids = sorted(knowledge.entries)
    sample = random.Random(args.seed).sample(ids, args.n)
    print(f"{len(ids)} answerable entries; seed {args.seed}; n {args.n}", file=sys.stderr)
    for entry_id in sample:
        print(f"{entry_id}\t{knowledge.entries[entry_id].source_file}")
    if args.questions:
        lines = []
        for entry_id in sample:
            entry = knowledge.entries[entry_id]
            lines += [entry.question_vi, entry.question_en or entry.question_vi]
        args.questions.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
