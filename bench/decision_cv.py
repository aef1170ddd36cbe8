"""Does a decision built from the same signals generalise better than the hand-tuned one? Leave one file out.

The rows are bench/decision_features.py's (one per labelled question of tests/eval/*.yaml). Each file is a group: a
new file is what a hidden set looks like. For each file, a candidate is fitted on the other files and decides on the
left-out one; the figures reported are the left-out files' only, summed by kind of file (real-dev-*, the five
ordinary writers' sets, the two stress sets). Every candidate keeps the hard vetoes of bot.core.decision.decide
(another domain's term, another tier, an exact tie) and answers an unanchored question only as the current rule does
(score ≥ max(answer_threshold, unanchored_threshold) with its margin); only the answer / no-answer choice on the top
entry is decided, so the ceiling is the top-1.

Candidates:
  current   the current rule with its thresholds as they are (fitted on every file: in-sample, optimistic)
  refit     the current rule's form, its eight thresholds re-fitted per fold on a small grid
  logistic  P(right) from a few standardised features (numpy, L2), answering from a cut
  logistic+ the same on a wider set of features (the reading, the agreement's verdict by kind, interactions)
  extra     logistic+ and signals decide does not see: the top entry's score, gap and rank at the ranking's stages
  union     the current rule's answers and the logistic model's above a cut (no added wrong on the training files)
  veto      the current rule's answers but those the logistic model puts under a cut (fewer wrong than right lost)
  rules     a shallow rule list: up to four rules "score ≥ s and lead ≥ l [and one signal]", chosen greedily

A fitted candidate is chosen on the training files so that it answers no out-of-scope question there and gives at
most as many wrong answers there as the current rule does, and then answers as many right as it can. `--weight-real
W` counts a real question's right answer W times in that choice (the real sets are a fifth of the rows).

Run: .venv/bin/python bench/decision_cv.py [--rows FILE.jsonl | --ablated] [--weight-real 1] [--per-file] [--only …]
(without --rows, the rows are exported first, ~15 s; `--ablated`: on the knowledge of bench/phrasing_ablation.py,
whose scores are nearer what questions nobody wrote phrasings for get)
"""

from __future__ import annotations

import argparse
import itertools
import json
import sys
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bot.core.agreement import AGREED_LEAD
from bot.core.corroboration import CORROBORATED_FLOOR
from bot.core.match_types import MatchSettings

RULE_PARAMETERS = (
    "answer_threshold", "margin", "lead_threshold", "lead_margin", "confirmed_threshold", "close_match_floor",
    "agreed_lead", "corroborated_floor",
)
CURRENT = MatchSettings()
CURRENT_RULE = (
    CURRENT.answer_threshold, CURRENT.margin, CURRENT.lead_threshold, CURRENT.lead_margin,
    CURRENT.confirmed_threshold, CURRENT.close_match_floor, AGREED_LEAD, CORROBORATED_FLOOR,
)
# The refit grid: each threshold around its current value.
GRID = (
    (50.0, 54.0, 58.0, 62.0),
    (0.5, 2.0, 4.0),
    (38.0, 42.0, 46.0),
    (4.0, 6.0, 8.0),
    (38.0, 41.0, 45.0, 48.0),
    (30.0, 35.0, 40.0),
    (1.0, 3.0, 5.0),
    (25.0, 30.0, 35.0),
)
# The logistic model's features: the scores, the checks `decide` calls, two facts about the message.
LOGISTIC_FEATURES = (
    "first", "lead", "log_lead", "confirmed", "agreed", "corroborated", "disputed", "rankings_agree",
    "similarity_top", "similarity_gap", "top_catalogue", "log_chars",
)
# A wider set: what the understanding found, the agreement's verdict by kind, and the checks times the score.
WIDE_FEATURES = (
    *LOGISTIC_FEATURES, "english", "focused", "target_award", "intent", "top_special_case", "second_same_award",
    "asked_circumstance", "agreement_not_named", "agreement_runner_up", "agreement_other", "first_confirmed",
    "first_agreed", "lead_confirmed", "profile_rank",
)
# Beyond decide's inputs: the top entry's score, gap to the best and rank after retrieval and the tie-breaking and
# answer-evidence stages, and on the whole message (bench/decision_features.py, _stage_signals).
EXTRA_FEATURES = (
    *WIDE_FEATURES, "stage_retrieval_score", "stage_retrieval_rank", "stage_retrieval_gap", "stage_tie_gap",
    "stage_answer_gap", "whole_score", "whole_gap",
)
L2 = 1.0  # the penalty on the standardised coefficients (the intercept is not penalised)
SIGNALS = ("none", "confirmed", "agreed", "rankings_agree", "corroborated", "top_catalogue")


@dataclass
class Data:
    files: list[str]
    kinds: list[str]  # per file: real, ordinary, stress
    file_of: np.ndarray  # per row: its file's number
    right: np.ndarray  # in scope and the top entry is an expected one: answering it is right
    wrong: np.ndarray  # in scope and the top entry is not an expected one (or nothing covers it)
    oos: np.ndarray  # out of scope
    status_answer: np.ndarray  # the current rule answered (the exported status)
    columns: dict[str, np.ndarray]

    def __getitem__(self, name: str) -> np.ndarray:
        return self.columns[name]


def load(rows: Sequence[dict]) -> Data:
    files = sorted({r["file"] for r in rows})
    kinds = [next(r["group"] for r in rows if r["file"] == f) for f in files]
    number = {f: i for i, f in enumerate(files)}
    columns: dict[str, np.ndarray] = {}
    for key in rows[0]:
        values = [r[key] for r in rows]
        if all(isinstance(v, bool) for v in values):
            columns[key] = np.array(values, dtype=bool)
        elif all(isinstance(v, int | float) for v in values):
            columns[key] = np.array(values, dtype=float)
    columns["vetoed"] = np.array([bool(r["veto"]) for r in rows])
    columns["log_lead"] = np.log1p(np.maximum(columns["lead"], 0.0))
    columns["similarity_gap"] = columns["similarity_best"] - columns["similarity_top"]
    columns["log_chars"] = np.log(columns["chars"])
    kind = np.array([r["agreement"] for r in rows])
    columns["agreement_not_named"] = kind == "not named"
    columns["agreement_runner_up"] = (kind == "runner-up named") | (kind == "runner-up same intent")
    columns["agreement_other"] = (kind == "other circumstance") | (kind == "intent unspoken")
    columns["first_confirmed"] = columns["first"] * columns["confirmed"]
    columns["first_agreed"] = columns["first"] * columns["agreed"]
    columns["lead_confirmed"] = columns["lead"] * columns["confirmed"]
    in_scope = columns["in_scope"]
    return Data(
        files,
        kinds,
        np.array([number[r["file"]] for r in rows]),
        in_scope & columns["top_right"],
        in_scope & ~columns["top_right"],
        ~in_scope,
        np.array([r["status"] == "answer" for r in rows]),
        columns,
    )


def allowed(d: Data) -> np.ndarray:
    """Rows a fitted decision may answer at all: no veto, no other domain's term, no other tier, no exact tie."""
    return ~d["vetoed"] & ~d["foreign"] & ~d["other_tier"] & (d["lead"] > 0)


def unanchored_answer(d: Data) -> np.ndarray:
    """What every candidate answers without a domain word: the current rule's first test, as it is."""
    threshold = max(CURRENT.answer_threshold, CURRENT.unanchored_threshold)
    return allowed(d) & ~d["anchored"] & (d["first"] >= threshold) & (d["lead"] >= CURRENT.margin)


def rule_answers(d: Data, p: Sequence[float]) -> np.ndarray:
    """bot.core.decision.decide with thresholds `p` (RULE_PARAMETERS), on every row at once."""
    at, margin, lt, lm, ct, floor, agreed_lead, corroborated_floor = p
    first, lead, anchored = d["first"], d["lead"], d["anchored"]
    ok = ~d["vetoed"] & ~d["foreign"] & ~d["other_tier"]
    threshold = np.where(anchored, at, max(at, CURRENT.unanchored_threshold))
    answer = (first >= threshold) & (lead >= margin)
    answer |= anchored & (first >= lt) & (lead >= lm) & ~d["disputed"]
    answer |= anchored & (lead > 0) & (first >= ct) & d["confirmed"]
    answer |= anchored & (first >= floor) & (lead >= agreed_lead) & d["agreed"]
    low = anchored & (first >= corroborated_floor) & (first < floor) & (lead >= agreed_lead)
    answer |= low & d["corroborated"] & d["agreed"]
    return ok & answer


# -- counting ------------------------------------------------------------------------------------------------------


def per_file(d: Data, answers: np.ndarray) -> np.ndarray:
    """(files × 3) or (candidates × files × 3): right, wrong, out of scope answered, per file."""
    a = np.atleast_2d(answers).astype(float)
    onehot = np.zeros((len(d.file_of), len(d.files)))
    onehot[np.arange(len(d.file_of)), d.file_of] = 1.0
    counts = np.stack([(a * d.right) @ onehot, (a * d.wrong) @ onehot, (a * d.oos) @ onehot], axis=-1)
    return counts[0] if answers.ndim == 1 else counts


def choose(counts: np.ndarray, train: np.ndarray, budget: float, real_weight: float, kinds: np.ndarray) -> int:
    """The candidate (row of `counts`, candidates × files × 3) that answers no out-of-scope training question, gives
    at most `budget` wrong answers on the training files and the most right ones (real ones weighted)."""
    weights = np.where(kinds == "real", real_weight, 1.0)[train]
    right = (counts[:, train, 0] * weights).sum(axis=1)
    wrong = counts[:, train, 1].sum(axis=1)
    oos = counts[:, train, 2].sum(axis=1)
    feasible = (oos == 0) & (wrong <= budget)
    score = np.where(feasible, right - 1e-3 * wrong, -np.inf)
    return int(np.argmax(score))


# -- candidates ----------------------------------------------------------------------------------------------------

Fitted = Callable[[Data, np.ndarray, float, float], np.ndarray]  # (data, training rows, budget, weight) → answers


def fit_refit(grid_answers: np.ndarray, grid: list[tuple[float, ...]]) -> Fitted:
    def fit(d: Data, train_rows: np.ndarray, budget: float, weight: float) -> np.ndarray:
        train = np.unique(d.file_of[train_rows])
        mask = np.zeros(len(d.files), dtype=bool)
        mask[train] = True
        counts = per_file(d, grid_answers)
        best = choose(counts, mask, budget, weight, np.array(d.kinds))
        fit.chosen.append(grid[best])  # type: ignore[attr-defined]
        return grid_answers[best]

    fit.chosen = []  # type: ignore[attr-defined]
    return fit


def design(d: Data, features: Sequence[str]) -> np.ndarray:
    return np.column_stack([d[name].astype(float) for name in features])


def logistic(x: np.ndarray, y: np.ndarray, l2: float = L2, weights: np.ndarray | None = None) -> np.ndarray:
    """Coefficients (intercept first) of an L2-penalised logistic regression, by Newton's method."""
    n, k = x.shape
    w = np.ones(n) if weights is None else weights
    xb = np.column_stack([np.ones(n), x])
    beta = np.zeros(k + 1)
    penalty = np.full(k + 1, l2)
    penalty[0] = 0.0
    for _ in range(50):
        p = 1.0 / (1.0 + np.exp(-(xb @ beta)))
        gradient = xb.T @ (w * (p - y)) + penalty * beta
        hessian = (xb * (w * p * (1 - p))[:, None]).T @ xb + np.diag(penalty)
        step = np.linalg.solve(hessian, gradient)
        beta -= step
        if np.max(np.abs(step)) < 1e-8:
            break
    return beta


def fit_logistic(features: Sequence[str] = LOGISTIC_FEATURES, mode: str = "replace") -> Fitted:
    """mode "replace": answer when P(right) ≥ the cut; "union": the current rule's answers and those; "veto": the
    current rule's answers but those under the cut, the cut removing more wrong than right training answers."""

    def fit(d: Data, train_rows: np.ndarray, budget: float, weight: float) -> np.ndarray:
        model_rows = allowed(d) & d["anchored"]
        x = design(d, features)
        fit_rows = train_rows & model_rows
        mean, std = x[fit_rows].mean(axis=0), x[fit_rows].std(axis=0)
        std[std == 0] = 1.0
        z = (x - mean) / std
        weights = np.where(np.array(d.kinds)[d.file_of] == "real", weight, 1.0)[fit_rows]
        beta = logistic(z[fit_rows], d.right[fit_rows].astype(float), weights=weights)
        p = 1.0 / (1.0 + np.exp(-(np.column_stack([np.ones(len(z)), z]) @ beta)))
        cuts = np.unique(np.round(p[fit_rows], 4))
        mask = np.zeros(len(d.files), dtype=bool)
        mask[np.unique(d.file_of[train_rows])] = True
        current = rule_answers(d, CURRENT_RULE)
        if mode == "veto":
            cuts = np.concatenate([[0.0], cuts])
            answers = np.array([current & ~(model_rows & (p < c)) for c in cuts])
            t = train_rows
            removed_wrong = ((current & ~answers) & (d.wrong | d.oos))[:, t].sum(axis=1)
            lost_right = ((current & ~answers) & d.right)[:, t].sum(axis=1)
            best = int(np.argmax(removed_wrong - lost_right))
        else:
            base = current if mode == "union" else unanchored_answer(d)
            answers = np.array([base | (model_rows & (p >= c)) for c in cuts])
            best = choose(per_file(d, answers), mask, budget, weight, np.array(d.kinds))
        fit.chosen.append((float(cuts[best]), beta, mean, std))  # type: ignore[attr-defined]
        return answers[best]

    fit.chosen = []  # type: ignore[attr-defined]
    return fit


def fit_rules(max_rules: int = 4) -> Fitted:
    """Greedy: add the rule answering the most further right training questions within the remaining budget."""
    scores = (30.0, 33.0, 36.0, 39.0, 42.0, 45.0, 50.0, 55.0, 60.0)
    leads = (0.5, 2.0, 4.0, 6.0, 8.0, 12.0)

    def fit(d: Data, train_rows: np.ndarray, budget: float, weight: float) -> np.ndarray:
        base = unanchored_answer(d)
        ok = allowed(d) & d["anchored"]
        candidates, names = [], []
        for s, lead, signal in itertools.product(scores, leads, SIGNALS):
            extra = np.ones(len(ok), dtype=bool) if signal == "none" else d[signal]
            candidates.append(ok & (d["first"] >= s) & (d["lead"] >= lead) & extra)
            names.append((s, lead, signal))
        rule_rows = np.array(candidates)
        is_real = np.array(d.kinds)[d.file_of] == "real"
        gain_weight = np.where(is_real, weight, 1.0)
        answers = base.copy()
        chosen = []
        for _ in range(max_rules):
            union = rule_rows | answers
            t = train_rows
            oos = (union[:, t] & d.oos[t]).sum(axis=1)
            wrong = (union[:, t] & d.wrong[t]).sum(axis=1)
            right = ((union[:, t] & d.right[t]) * gain_weight[t]).sum(axis=1)
            now = ((answers[t] & d.right[t]) * gain_weight[t]).sum()
            feasible = (oos == 0) & (wrong <= budget) & (right > now)
            if not feasible.any():
                break
            best = int(np.argmax(np.where(feasible, right - 1e-3 * wrong, -np.inf)))
            answers = union[best]
            chosen.append(names[best])
        fit.chosen.append(chosen)  # type: ignore[attr-defined]
        return answers

    fit.chosen = []  # type: ignore[attr-defined]
    return fit


# -- the protocol --------------------------------------------------------------------------------------------------


def cross_validate(d: Data, fit: Fitted, weight: float) -> np.ndarray:
    """Leave one file out: each file decided by the candidate fitted on the others; (files × 3) left-out counts."""
    current = per_file(d, rule_answers(d, CURRENT_RULE))
    out = np.zeros((len(d.files), 3))
    for f in range(len(d.files)):
        train_rows = d.file_of != f
        budget = current[np.arange(len(d.files)) != f, 1].sum()
        answers = fit(d, train_rows, budget, weight)
        out[f] = per_file(d, answers)[f]
    return out


def summary(d: Data, counts: np.ndarray) -> dict[str, tuple[int, int, int, int, int]]:
    """Per kind of file: right, wrong, out of scope answered, in scope, out of scope."""
    kinds = np.array(d.kinds)
    in_scope = per_file(d, np.ones(len(d.file_of), dtype=bool))
    result = {}
    for kind in ("real", "ordinary", "stress"):
        k = kinds == kind
        right, wrong, oos = counts[k].sum(axis=0).astype(int)
        n_in = int(in_scope[k, 0].sum() + in_scope[k, 1].sum())
        n_out = int(in_scope[k, 2].sum())
        result[kind] = (int(right), int(wrong), int(oos), n_in, n_out)
    return result


def print_summary(name: str, d: Data, counts: np.ndarray, per_file_lines: bool) -> None:
    parts = []
    for kind, (right, wrong, oos, n_in, n_out) in summary(d, counts).items():
        parts.append(f"{kind} {right}/{n_in} = {right / n_in:5.1%}, wrong {wrong}, OOS answered {oos}/{n_out}")
    print(f"{name:<10} " + "; ".join(parts))
    if per_file_lines:
        for f, file in enumerate(d.files):
            right, wrong, oos = counts[f].astype(int)
            print(f"    {file:<26} right {right:>4}  wrong {wrong:>3}  OOS answered {oos}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", help="bench/decision_features.py's JSON lines (default: export them now)")
    parser.add_argument("--weight-real", type=float, default=1.0, help="a real right answer counts this many times")
    parser.add_argument("--ablated", action="store_true", help="export on bench/phrasing_ablation.py's knowledge")
    parser.add_argument("--per-file", action="store_true", help="print every left-out file's figures")
    parser.add_argument("--only", nargs="*", help="candidates to run (default: all)")
    args = parser.parse_args()
    if args.rows:
        rows = [json.loads(line) for line in Path(args.rows).read_text(encoding="utf-8").splitlines() if line]
    else:
        from decision_features import answerer_for, labelled
        from decision_features import rows as export

        rows = list(export(answerer_for(args.ablated), labelled()))
    d = load(rows)
    current = rule_answers(d, CURRENT_RULE)
    mismatched = int((current != d.status_answer).sum())
    if mismatched:
        raise SystemExit(f"the vectorised current rule disagrees with the exported status on {mismatched} rows")
    top1 = per_file(d, allowed(d) | ~allowed(d))
    print(f"{len(rows)} rows, {len(d.files)} files; left-out files' figures (right / in scope, wrong, OOS answered)")
    print_summary("top-1", d, top1 * np.array([1, 0, 0]), False)
    print_summary("current", d, per_file(d, current), args.per_file)
    wanted = set(args.only or ("refit", "logistic", "logistic+", "extra", "union", "veto", "rules"))
    if "refit" in wanted:
        grid = list(itertools.product(*GRID))
        grid_answers = np.array([rule_answers(d, p) for p in grid])
        refit = fit_refit(grid_answers, grid)
        print_summary("refit", d, cross_validate(d, refit, args.weight_real), args.per_file)
        _print_chosen("refit", [dict(zip(RULE_PARAMETERS, p, strict=True)) for p in refit.chosen])
    if "logistic" in wanted:
        model = fit_logistic()
        print_summary("logistic", d, cross_validate(d, model, args.weight_real), args.per_file)
        cuts = [c for c, *_ in model.chosen]
        print(f"    cuts per fold: min {min(cuts):.3f}, median {np.median(cuts):.3f}, max {max(cuts):.3f}")
    for name, features in (("logistic+", WIDE_FEATURES), ("extra", EXTRA_FEATURES)):
        if name in wanted:
            model = fit_logistic(features)
            print_summary(name, d, cross_validate(d, model, args.weight_real), args.per_file)
            cuts = [c for c, *_ in model.chosen]
            print(f"    cuts per fold: min {min(cuts):.3f}, median {np.median(cuts):.3f}, max {max(cuts):.3f}")
    for mode in ("union", "veto"):
        if mode in wanted:
            model = fit_logistic(LOGISTIC_FEATURES, mode)
            print_summary(mode, d, cross_validate(d, model, args.weight_real), args.per_file)
            cuts = [c for c, *_ in model.chosen]
            print(f"    cuts per fold: min {min(cuts):.3f}, median {np.median(cuts):.3f}, max {max(cuts):.3f}")
    if "rules" in wanted:
        rules = fit_rules()
        print_summary("rules", d, cross_validate(d, rules, args.weight_real), args.per_file)
        _print_chosen("rules", rules.chosen)


def _print_chosen(name: str, chosen: list) -> None:
    distinct: dict[str, int] = {}
    for c in chosen:
        distinct[str(c)] = distinct.get(str(c), 0) + 1
    for text, n in sorted(distinct.items(), key=lambda kv: -kv[1])[:3]:
        print(f"    {n:>2} folds: {text}")


if __name__ == "__main__":
    main()
