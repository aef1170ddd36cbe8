"""The numbered build of the lexical index gives the very numbers of the dictionary-per-phrasing build."""

from __future__ import annotations

import math
from collections import defaultdict

from rapidfuzz import fuzz, process

from bot.core import retrieval
from bot.core.knowledge import Knowledge
from bot.core.matcher import Matcher
from bot.core.phrasing_table import PhrasingTable
from bot.core.retrieval import BIGRAM_FACTOR, LexicalIndex, features


def reference_variants(rows: list[tuple[int, list[str], list[str]]]) -> dict[str, str]:
    """Typo variants as the dictionary build found them."""
    counts: dict[str, int] = defaultdict(int)
    for _, _, folded in rows:
        for token in dict.fromkeys(folded):
            counts[token] += 1
    common = [t for t, n in counts.items() if n >= retrieval.COMMON_WORD_COUNT and len(t) >= 3]
    variants = {}
    for token, n in counts.items():
        if n > 2 or len(token) < 4 or retrieval.VIETNAMESE_SYLLABLE.fullmatch(token):
            continue
        best = process.extractOne(token, common, scorer=fuzz.ratio, score_cutoff=retrieval.VARIANT_SIMILARITY)
        if best is not None and best[0] != token:
            variants[token] = best[0]
    return variants


def reference(rows: list[tuple[int, list[str], list[str]]], entries: int):  # type: ignore[no-untyped-def]
    """idf, per-phrasing totals and postings (feature → positions) as the dictionary build computed them."""
    entry_features: list[set[str]] = [set() for _ in range(entries)]
    for index, _, folded in rows:
        entry_features[index].update(features(folded))
    df: dict[str, int] = defaultdict(int)
    for feature_set in entry_features:
        for feature in feature_set:
            df[feature] += 1
    count = max(entries, 1)
    idf = {f: math.log(1 + count / n) for f, n in df.items()}
    totals = []
    postings: dict[str, list[int]] = defaultdict(list)
    for position, (_, _, folded) in enumerate(rows):
        weights = {f: idf[f] * (BIGRAM_FACTOR if "_" in f else 1.0) for f in features(folded)}
        totals.append(sum(weights.values()))
        for f in weights:
            postings[f].append(position)
    return idf, totals, dict(postings)


def built(index: LexicalIndex):  # type: ignore[no-untyped-def]
    vocabulary = index.vocabulary
    idf = {vocabulary.name(n): v for n, v in enumerate(index._idf.tolist())}
    bounds = index._bounds.tolist()
    postings = {vocabulary.name(n): index._positions[bounds[n] : bounds[n + 1]].tolist() for n in range(len(idf))}
    return idf, index._phrasing_total.tolist(), postings


def test_the_shipped_knowledge_gives_the_same_numbers(knowledge: Knowledge) -> None:
    matcher = Matcher(knowledge)
    raw = matcher._phrasings().rows()
    variants = reference_variants(raw)
    assert matcher.index._variant_of == variants
    mapped = [(i, a, [variants.get(t, t) for t in f]) for i, a, f in raw]
    assert matcher.index.phrasings.rows() == mapped
    assert built(matcher.index) == reference(mapped, len(matcher.entries))  # the same floats, bit for bit


def test_odd_rows_give_the_same_numbers(knowledge: Knowledge) -> None:
    rows = [
        (2, ["hồ", "sơ", "hồ", "sơ"], ["ho", "so", "ho", "so"]),
        (0, ["tiền"], ["tien"]),
        (0, ["tiền", "tiền", "thưởng"], ["tien", "tien", "thuong"]),
        (3, ["a", "b"], ["a", "b"]),
    ]
    matcher = Matcher(knowledge)
    index = LexicalIndex(knowledge, matcher.entries[:4], PhrasingTable.build(rows), matcher.normalize)
    assert built(index) == reference(rows, 4)
    assert index.weight("ho_so") == reference(rows, 4)[0]["ho_so"] * BIGRAM_FACTOR
    unseen = math.log(1 + 4) * retrieval.UNKNOWN_BIGRAM_FACTOR  # two known words never side by side
    assert index.weight("so_tien") == index.weight("xyz_abc") == unseen

