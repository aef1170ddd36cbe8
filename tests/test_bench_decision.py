"""bench/decision_features.py and bench/decision_cv.py: the exported inputs are the decision's, the vectorised rule is
bot.core.decision.decide, the fit never sees the left-out file."""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np
import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "bench"))

import decision_cv as cv
import decision_features as features

from bot.core.answers import Answerer
from bot.core.decision import decide
from bot.core.evaluation import Labelled
from bot.core.match_types import MatchSettings, Scored
from bot.core.records import ANSWER

# Written for this test, not taken from a labelled set: short, a story, English, another domain, an uncovered award.
QUESTIONS = (
    "Hồ sơ đề nghị tặng Bằng khen của Bộ trưởng cần những giấy tờ gì?",
    "Năm nay cơ quan tôi xét danh hiệu Lao động tiên tiến. Tôi nghỉ ốm hai tháng thì có được xét không?",
    "How much is the bonus for the Prime Minister's Certificate of Merit?",
    "Thủ tục cấp hộ chiếu phổ thông mất bao lâu?",
    "Cho hỏi Huân chương Chiến công hạng Nhì có giống Huân chương Lao động hạng Nhì không?",
    "giá xăng hôm nay bao nhiêu",
    "chiến sĩ thi đua cơ sở cần mấy năm hoàn thành xuất sắc nhiệm vụ",
)


def _random_rows(n: int, seed: int = 7) -> list[dict]:
    rng = np.random.default_rng(seed)
    rows = []
    for i in range(n):
        first = float(np.round(rng.uniform(20, 80), 2))
        second = float(np.round(first - rng.choice([0.0, rng.uniform(0, 15)]), 2))
        row = {
            "file": f"f{i % 3}.yaml", "group": "real" if i % 3 else "ordinary", "veto": "",
            "in_scope": bool(rng.random() < 0.8), "top_right": bool(rng.random() < 0.7), "status": "-",
            "first": first, "lead": first - second, "similarity_top": 0.2, "similarity_best": 0.3, "chars": 90,
            "agreement": "agrees",
        }
        for flag in ("anchored", "foreign", "other_tier", "confirmed", "agreed", "corroborated", "disputed"):
            row[flag] = bool(rng.random() < 0.5)
        rows.append(row)
    return rows


@pytest.mark.parametrize(
    "settings",
    [MatchSettings(), MatchSettings(answer_threshold=54, margin=4, lead_threshold=46, confirmed_threshold=40)],
)
def test_vectorised_rule_is_decide(settings: MatchSettings) -> None:
    rows = _random_rows(3000)
    data = cv.load(rows)
    parameters = (
        settings.answer_threshold, settings.margin, settings.lead_threshold, settings.lead_margin,
        settings.confirmed_threshold, settings.close_match_floor, cv.AGREED_LEAD, cv.CORROBORATED_FLOOR,
    )
    vectorised = cv.rule_answers(data, parameters)
    for i, row in enumerate(rows):
        ranked = (Scored("a", row["first"]), Scored("b", row["first"] - row["lead"]))
        status, _ = decide(
            ranked,
            settings,
            foreign=row["foreign"],
            anchored=lambda row=row: row["anchored"],
            confirmed=lambda row=row: row["confirmed"],
            other_tier=row["other_tier"],
            agreed=lambda row=row: row["agreed"],
            corroborated=lambda row=row: row["corroborated"],
            disputed=lambda row=row: row["disputed"],
        )
        assert (status == ANSWER) == bool(vectorised[i]), row


def test_exported_rows_are_the_decision_of_ask(answerer: Answerer) -> None:
    items = [Labelled(q, frozenset(), "real", "real-test.yaml") for q in QUESTIONS]
    rows = list(features.rows(answerer, items))
    assert features.check_rows(answerer, rows) == []
    assert {r["status"] for r in rows} >= {ANSWER}  # at least one is answered: the check compares something
    foreign = next(r for r in rows if "hộ chiếu" in r["question"])
    assert foreign["foreign"] and foreign["status"] != ANSWER
    uncovered = next(r for r in rows if "Chiến công" in r["question"])  # the pool of entries naming it decides
    assert uncovered["uncovered_path"]


def test_the_fit_never_sees_the_left_out_file() -> None:
    data = cv.load(_random_rows(300))
    seen: list[set[int]] = []

    def fit(d: cv.Data, train_rows: np.ndarray, budget: float, weight: float) -> np.ndarray:
        seen.append(set(d.file_of[train_rows].tolist()))
        return np.ones(len(d.file_of), dtype=bool)

    counts = cv.cross_validate(data, fit, 1.0)
    assert seen == [{1, 2}, {0, 2}, {0, 1}]
    answered = cv.per_file(data, np.ones(len(data.file_of), dtype=bool))
    assert np.array_equal(counts, answered)


def test_logistic_finds_the_informative_feature_and_l2_shrinks_it() -> None:
    rng = np.random.default_rng(3)
    x = rng.normal(size=(400, 2))
    y = (x[:, 0] + 0.3 * rng.normal(size=400) > 0).astype(float)  # the first column decides, the second is noise
    loose, tight = cv.logistic(x, y, l2=0.01), cv.logistic(x, y, l2=100.0)
    assert loose[1] > 3 * abs(loose[2])
    assert 0 < tight[1] < loose[1]
