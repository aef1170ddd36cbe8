"""Matcher latency: shipped knowledge and a synthetic 10,000-entry knowledge, next to the naive baseline.

Run: .venv/bin/python bench/matcher.py
Prints p50/p95 per query for our matcher and for
`process.extractOne(query, all_phrasings, scorer=fuzz.WRatio, processor=utils.default_process)`,
measured in the same run over the same queries, and the peak memory of building each index.
"""

from __future__ import annotations

import dataclasses
import random
import statistics
import sys
import time
import tracemalloc
from collections.abc import Callable
from pathlib import Path

from rapidfuzz import fuzz, process, utils

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bot.core.evaluation import DEFAULT_SET, load_labelled
from bot.core.knowledge import Entry, Knowledge, load_knowledge
from bot.core.matcher import Matcher

ROOT = Path(__file__).resolve().parent.parent
SYNTHETIC_ENTRIES = 10_000
# Replacement words used to derive synthetic phrasings from the shipped ones, so the vocabulary grows like a real
# knowledge base that covers many more procedures.
NOISE = [f"mục{n}" for n in range(4000)]


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


def timed(fn: Callable[[str], object], queries: list[str]) -> list[float]:
    fn(queries[0])  # warm-up
    out = []
    for query in queries:
        start = time.perf_counter()
        fn(query)
        out.append((time.perf_counter() - start) * 1000)
    return out


def synthetic(knowledge: Knowledge, size: int, seed: int = 7) -> Knowledge:
    """Clone the shipped entries with some words replaced until there are `size` entries."""
    rng = random.Random(seed)
    base = list(knowledge.entries.values())
    entries: dict[str, Entry] = dict(knowledge.entries)
    n = 0
    while len(entries) < size:
        source = base[n % len(base)]
        n += 1

        def vary(text: str) -> str:
            words = text.split()
            for _ in range(max(1, len(words) // 4)):
                words[rng.randrange(len(words))] = rng.choice(NOISE)
            return " ".join(words)

        clone = dataclasses.replace(
            source,
            id=f"synthetic-{n}",
            award_id=None,
            intent_id=None,
            phrasings_vi=tuple(vary(p) for p in source.phrasings_vi[:6]),
            phrasings_en=tuple(vary(p) for p in source.phrasings_en[:2]),
            related=(),
        )
        entries[clone.id] = clone
    return dataclasses.replace(knowledge, entries=entries)


LONG_CHARS = 1000  # issue 12: a 1,000-character story still under 20 ms at p95


def long_questions(questions: list[str], count: int = 60, seed: int = 11) -> list[str]:
    """About 1,000-character stories: the labelled questions' longest ones joined, ending on a question."""
    rng = random.Random(seed)
    pool = sorted((q for q in questions if len(q) > 120), key=len)
    out = []
    for _ in range(count):
        parts: list[str] = []
        while sum(len(p) + 1 for p in parts) < LONG_CHARS - 150:
            parts.append(rng.choice(pool))
        story = " ".join(parts)[: LONG_CHARS - 60].rsplit(" ", 1)[0]
        out.append(f"{story}. Vậy xin hỏi trường hợp này có được xét Bằng khen cấp Bộ không?")
    return out


def measure(label: str, knowledge: Knowledge, queries: list[str], long: list[str]) -> None:
    tracemalloc.start()
    started = time.perf_counter()
    matcher = Matcher(knowledge)
    build_s = time.perf_counter() - started
    _, peak_ours = tracemalloc.get_traced_memory()
    tracemalloc.stop()

    phrasings = [p for e in knowledge.entries.values() for p in (*e.phrasings_vi, *e.phrasings_en)]
    ours = timed(matcher.match, queries)
    naive = timed(
        lambda q: process.extractOne(q, phrasings, scorer=fuzz.WRatio, processor=utils.default_process), queries
    )
    print(f"\n{label}: {len(knowledge.entries)} entries, {len(phrasings)} phrasings, {len(queries)} queries")
    print(f"  index build {build_s:.2f} s, peak memory while building {peak_ours / 2**20:.1f} MiB")
    ours_long = timed(matcher.match, long)
    naive_long = timed(
        lambda q: process.extractOne(q, phrasings, scorer=fuzz.WRatio, processor=utils.default_process), long
    )
    print(f"  {'':<34}{'p50 ms':>9}{'p95 ms':>9}{'mean ms':>9}")
    rows = (
        ("tdkt-bot matcher", ours),
        ("naive WRatio baseline", naive),
        (f"tdkt-bot, {len(long)} ~{LONG_CHARS}-char stories", ours_long),
        ("naive, the same stories", naive_long),
    )
    for name, values in rows:
        print(f"  {name:<34}{percentile(values, 0.5):>9.2f}{percentile(values, 0.95):>9.2f}"
              f"{statistics.fmean(values):>9.2f}")


def main() -> None:
    knowledge = load_knowledge(ROOT / "knowledge")
    queries = [item.question for item in load_labelled(DEFAULT_SET)]
    # The same stories for both knowledges: built from all the labelled questions (the first 200, which the
    # synthetic run times, may hold none longer than 120 characters).
    long = long_questions(queries)
    measure("shipped knowledge", knowledge, queries, long)
    measure("synthetic knowledge", synthetic(knowledge, SYNTHETIC_ENTRIES), queries[:200], long)


if __name__ == "__main__":
    main()
