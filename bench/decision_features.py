"""The decision's inputs for every labelled question, as the core computes them: one row per question.

The answer decision (bot.core.decision.decide) sees the final ranking and a few checks on it. This exports, for the
ranking `decide` actually sees (the naming pool when an uncovered award is asked about, bot.core.matcher._uncovered),
the top entry's and the runner-up's scores, every check `decide` may call (computed eagerly here, where `decide`
calls them lazily), and what the understanding step found; with each row its label: whether the top entry is an
expected one (in scope), whether the item is out of scope or in scope but covered by no entry. The row's `status` is
the current rule's decision, recomputed from the same inputs; `check_rows` asserts it is `Answerer.ask`'s.

Run: .venv/bin/python bench/decision_features.py [--out FILE.jsonl] [--ablated] (`--ablated`: on the knowledge of
bench/phrasing_ablation.py). bench/decision_cv.py reads these rows.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bot.core.answers import Answerer
from bot.core.corroboration import corroborated
from bot.core.decision import decide
from bot.core.evaluation import DEFAULT_SET, Labelled, band_of, load_labelled
from bot.core.knowledge import load_knowledge
from bot.core.match_types import Scored
from bot.core.matcher import Matcher
from bot.core.records import ANSWER, SMALLTALK
from bot.core.understanding import Question

ROOT = Path(__file__).resolve().parent.parent
ORDINARY = ("writers-a.yaml", "writers-b.yaml", "writers-c.yaml", "writers-english.yaml", "writers-vietnamese.yaml")


def group_type(source: str) -> str:
    """real (real-*), ordinary (the five gated writers' sets) or stress (questions.yaml, writers-situations)."""
    if source.startswith("real-"):
        return "real"
    return "ordinary" if source in ORDINARY else "stress"


@dataclass(frozen=True, slots=True)
class Inputs:
    """What `decide` is given for one message, with the ranking it decides on."""

    ranked: tuple[Scored, ...]
    question: Question | None
    foreign: bool
    other_tier: bool
    anchored: bool
    confirmed: bool
    agreed: bool
    agreement_reason: str
    corroborated: bool
    disputed: bool
    rankings_agree: bool
    uncovered_path: bool  # an uncovered award was asked about: `ranked` is the pool of entries naming it
    veto: str  # why no decision is taken at all ("" when `decide` runs): smalltalk, nothing ranked, uncovered


def decision_inputs(matcher: Matcher, text: str, english: bool) -> Inputs:
    """The inputs of `Matcher.match`'s decision, step by step as `match` and `_decide` compute them."""
    m = matcher
    norm = m.normalize(text)
    empty = Inputs((), None, False, False, False, False, False, "", False, False, False, False, "")
    if m._smalltalk_id(norm):
        return Inputs(**{**_fields(empty), "veto": "smalltalk"})
    question = m.understand(text)
    ranking = m.rank_question(question, norm, english)
    tiered, other_tier = m.tiers.apply(ranking.ranked, question.tiers)
    checked, ranked = ranking.checked, tuple(tiered)
    if not ranked:
        return Inputs(**{**_fields(empty), "question": question, "veto": "nothing ranked"})
    uncovered_path = bool(question.uncovered_award) and m._other_award(ranked[0].entry_id, question.uncovered_award)
    rankings_agree = ranking.agreed and ranking.ranked[0].entry_id == ranked[0].entry_id
    if uncovered_path:
        award = question.uncovered_award
        naming = [s for s in ranked if award in m._entry_uncovered[m._index_of[s.entry_id]]]
        naming = m._by_intent(naming, checked)
        if not naming:
            return Inputs(**{**_fields(empty), "question": question, "uncovered_path": True, "veto": "uncovered"})
        ranked, other_tier, rankings_agree = tuple(naming), False, False
    top = ranked[0].entry_id
    index = m._index_of[top]
    foreign = (m.domains.foreign_to(checked, index) or m._object_foreign(question, index)) and not (
        m._names_own_award(question, ranked)
    )
    agreement = m.agreement_of(question, ranked)
    return Inputs(
        ranked=ranked,
        question=question,
        foreign=foreign,
        other_tier=other_tier,
        anchored=m.domains.anchored(norm.folded, m._corrected_words(norm, english)),
        confirmed=m._confirmed(checked, english, top),
        agreed=agreement.agrees,
        agreement_reason=agreement.reason,
        corroborated=corroborated(question, ranked, rankings_agree),
        disputed=m.disputed(question, top),
        rankings_agree=rankings_agree,
        uncovered_path=uncovered_path,
        veto="",
    )


def _fields(inputs: Inputs) -> dict[str, Any]:
    return {name: getattr(inputs, name) for name in Inputs.__slots__}


def current_status(matcher: Matcher, inputs: Inputs) -> str:
    """The current rule's decision from the exported inputs (bot.core.decision.decide)."""
    if inputs.veto == "smalltalk":
        return SMALLTALK
    if inputs.veto:
        return "fallback"
    status, _ = decide(
        inputs.ranked,
        matcher.settings,
        foreign=inputs.foreign,
        anchored=lambda: inputs.anchored,
        confirmed=lambda: inputs.confirmed,
        other_tier=inputs.other_tier,
        agreed=lambda: inputs.agreed,
        corroborated=lambda: inputs.corroborated,
        disputed=lambda: inputs.disputed,
    )
    # An uncovered award's pool answers or falls back with a reply that says the award is not covered.
    return "fallback" if inputs.uncovered_path and status != ANSWER else status


def _reason_kind(reason: str) -> str:
    """The agreement's verdict as a category (the reason texts of bot.core.agreement)."""
    for key, kind in (
        ("does not name", "not named"),
        ("too", "runner-up named"),
        ("answers the same intent", "runner-up same intent"),
        ("another circumstance", "other circumstance"),
        ("never speaks of", "intent unspoken"),
        ("the runner-up is another", "agrees"),
        ("nothing ranked", "nothing"),
    ):
        if key in reason:
            return kind
    return reason


def row(matcher: Matcher, item: Labelled, english: bool, inputs: Inputs) -> dict[str, Any]:
    """One question's row: label, inputs, what the understanding found, the current rule's decision."""
    ranked = inputs.ranked
    top = ranked[0] if ranked else None
    second = ranked[1] if len(ranked) > 1 else None
    third = ranked[2] if len(ranked) > 2 else None
    entries = matcher.entries
    top_entry = entries[matcher._index_of[top.entry_id]] if top else None
    second_entry = entries[matcher._index_of[second.entry_id]] if second else None
    q = inputs.question
    first_score = top.score if top else 0.0
    second_score = second.score if second else 0.0
    similarity_top = similarity_best = profile_rank = 0.0
    if top is not None and q is not None:
        checked = matcher.normalize(q.focus if q.focused else q.text)  # as Matcher._confirmed reads it
        words, _ = matcher.index.correct(matcher.content(checked, english)[1])
        sims = matcher._profiles.similarities(words)
        if sims is not None:
            at = matcher._index_of[top.entry_id]
            similarity_top, similarity_best = float(sims[at]), float(np.max(sims))
            profile_rank = float(int((sims > sims[at]).sum()))
    extra = _stage_signals(matcher, q, top.entry_id if top else None, english) if q is not None else {
        name: 0.0 for name in STAGE_SIGNALS
    }
    return {
        **extra,
        "file": item.source,
        "group": group_type(item.source),
        "question": item.question,
        "in_scope": item.in_scope,
        "covered": item.covered,
        "expect": sorted(item.expect),
        "top": top.entry_id if top else None,
        "second": second.entry_id if second else None,
        "top_right": bool(top and top.entry_id in item.expect),
        "status": current_status(matcher, inputs),
        "veto": inputs.veto,
        # scores
        "first": first_score,
        "second_score": second_score,
        "third_score": third.score if third else 0.0,
        "lead": first_score - second_score,
        "similarity_top": similarity_top,
        "similarity_best": similarity_best,
        "profile_rank": profile_rank,
        # the checks decide calls
        "anchored": inputs.anchored,
        "foreign": inputs.foreign,
        "other_tier": inputs.other_tier,
        "confirmed": inputs.confirmed,
        "agreed": inputs.agreed,
        "agreement": _reason_kind(inputs.agreement_reason),
        "corroborated": inputs.corroborated,
        "disputed": inputs.disputed,
        "rankings_agree": inputs.rankings_agree,
        "uncovered_path": inputs.uncovered_path,
        # the message and its reading
        "chars": len(item.question),
        "band": band_of(item.question),
        "english": english,
        "typed_diacritics": matcher.normalize(item.question).typed_diacritics,
        "focused": bool(q and q.focused),
        "split": bool(q and q.split),
        "target_award": bool(q and q.target_award),
        "intent": bool(q and q.intent),
        "circumstances": len(q.circumstances) if q else 0,
        "asked_circumstance": bool(q and q.asked_circumstances),
        "top_asked_circumstance": bool(q and top and top.entry_id in q.asked_circumstances),
        "other_body": bool(q and q.other_body),
        "routed": bool(q and q.routed_to),
        "tiers": len(q.tiers) if q else 0,
        "story_object": bool(q and q.story_object),
        "follow_up": bool(q and q.follow_up),
        "framing": bool(q and q.framing),
        "eligibility": bool(q and q.eligibility),
        # the entries
        "top_catalogue": bool(top_entry and top_entry.award_id),
        "top_special_case": bool(top_entry and top_entry.special_case),
        "top_target_award": bool(top_entry and q and top_entry.award_id and top_entry.award_id == q.target_award),
        "second_same_award": bool(
            top_entry and second_entry and top_entry.award_id and top_entry.award_id == second_entry.award_id
        ),
    }


STAGES = ("retrieval", "award × intent", "circumstances", "tie-breaking", "answer evidence")
STAGE_SIGNALS = (
    *(f"stage_{s.split()[0].split('-')[0]}_{k}" for s in STAGES for k in ("score", "gap", "rank")),
    "whole_score",
    "whole_gap",
)


def _stage_signals(matcher: Matcher, q: Question, top: str | None, english: bool) -> dict[str, float]:
    """Extra signals, not decide's inputs: the top entry's score and rank at each stage of the ranking of the text
    decide checks (the asking part of a story), and its score on the whole message."""
    out: dict[str, float] = {name: 0.0 for name in STAGE_SIGNALS}
    if top is None:
        return out
    at = matcher._index_of[top]
    text = q.focus if q.focused else q.text
    trace: list[tuple[str, dict[int, float]]] = []
    matcher.rank(matcher.normalize(text), english, trace, asked_award=q.target_award)
    stages = dict(trace)
    for stage in STAGES:
        scores = stages.get(stage, {})
        mine = scores.get(at, 0.0)
        key = stage.split()[0].split("-")[0]
        out[f"stage_{key}_score"] = mine
        out[f"stage_{key}_gap"] = max(scores.values(), default=0.0) - mine
        out[f"stage_{key}_rank"] = float(sum(1 for s in scores.values() if s > mine))
    whole = {s.entry_id: s.score for s in matcher.rank(matcher.normalize(q.text), english, tiebreak=False)}
    out["whole_score"] = whole.get(top, 0.0)
    out["whole_gap"] = max(whole.values(), default=0.0) - out["whole_score"]
    return out


def rows(answerer: Answerer, items: Sequence[Labelled]) -> Iterator[dict[str, Any]]:
    """Every labelled question's row."""
    for item in items:
        english = answerer.languages.detect(item.question) == "en"
        yield row(answerer.matcher, item, english, decision_inputs(answerer.matcher, item.question, english))


def check_rows(answerer: Answerer, exported: Sequence[dict[str, Any]]) -> list[str]:
    """The rows whose recomputed decision (status, answered entry) is not `Answerer.ask`'s: should be none."""
    problems = []
    for r in exported:
        reply = answerer.ask(r["question"])
        got = reply.entry.id if reply.entry is not None and reply.status == ANSWER else None
        mine = r["top"] if r["status"] == ANSWER else None
        if reply.status != r["status"] or got != mine:
            problems.append(f"{r['file']}: {r['question'][:60]!r}: ask {reply.status} {got}, rows {r['status']} {mine}")
    return problems


def labelled() -> list[Labelled]:
    """Every labelled question of tests/eval/*.yaml (not the eligibility stories)."""
    return load_labelled(DEFAULT_SET)


def answerer_for(ablated: bool = False) -> Answerer:
    knowledge = load_knowledge(ROOT / "knowledge")
    if ablated:
        from phrasing_ablation import ablated as ablate  # bench/phrasing_ablation.py

        knowledge, _ = ablate(knowledge, 2, 50)
    return Answerer(knowledge)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", default="-", help="JSON lines file (default: stdout)")
    parser.add_argument("--ablated", action="store_true", help="on bench/phrasing_ablation.py's knowledge")
    parser.add_argument("--no-check", action="store_true", help="skip checking the rows against Answerer.ask")
    args = parser.parse_args()
    answerer = answerer_for(args.ablated)
    exported = list(rows(answerer, labelled()))
    if not args.no_check:
        problems = check_rows(answerer, exported)
        for problem in problems:
            print(f"mismatch: {problem}", file=sys.stderr)
        if problems:
            raise SystemExit(f"{len(problems)} rows disagree with Answerer.ask")
    out = sys.stdout if args.out == "-" else open(args.out, "w", encoding="utf-8")  # noqa: SIM115
    with out:
        for r in exported:
            out.write(json.dumps(r, ensure_ascii=False) + "\n")
    print(f"{len(exported)} rows", file=sys.stderr)


if __name__ == "__main__":
    main()
