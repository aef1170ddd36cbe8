"""The answer-evidence stage: near the best, the entry whose answer uses the question's words wins."""

from __future__ import annotations

from bot.core.answer_evidence import ANSWER_WEIGHT, ANSWER_WINDOW, AnswerEvidence
from bot.core.answers import Answerer

TEXTS = [
    ["quy", "thi", "dua", "trich", "noi", "dung", "chi"],  # 0: the fund, and what it pays for
    ["ho", "so", "bang", "khen", "to", "trinh"],  # 1: a dossier
    ["tien", "thuong", "luong", "co", "so"],  # 2: a bonus
]


def test_the_entry_whose_answer_explains_the_question_keeps_its_score_and_the_others_drop() -> None:
    scores = {0: 50.0, 1: 52.0, 2: 20.0}
    AnswerEvidence(TEXTS).rerank(scores, ["trich", "quy", "noi", "dung", "chi"])
    assert scores[0] == 50.0  # the best evidence: unchanged
    assert scores[1] == 52.0 - ANSWER_WEIGHT  # near the best, no evidence: the whole weight
    assert scores[2] == 20.0  # outside the window: untouched
    assert 52.0 - scores[2] > ANSWER_WINDOW


def test_it_never_raises_a_score_and_does_nothing_without_evidence() -> None:
    scores = {0: 50.0, 1: 52.0}
    AnswerEvidence(TEXTS).rerank(scores, ["ho", "chieu"])  # "hồ sơ" only partly: entry 1 alone has "ho"
    assert scores[1] == 52.0 and scores[0] <= 50.0
    untouched = {0: 50.0, 1: 52.0}
    AnswerEvidence(TEXTS).rerank(untouched, ["khong", "biet"])
    assert untouched == {0: 50.0, 1: 52.0}
    AnswerEvidence(TEXTS).rerank(untouched, [])
    assert untouched == {0: 50.0, 1: 52.0}


def test_the_stage_shows_in_explain(answerer: Answerer) -> None:
    from bot.core.explain import explain

    assert "after answer evidence:" in explain(answerer, "mức trích quỹ thi đua khen thưởng để chi cho phong trào")


def test_explain_shows_the_whole_message_of_a_story_as_the_blend_ranks_it(answerer: Answerer) -> None:
    from bot.core.explain import explain

    story = "Em đạt chiến sĩ thi đua cơ sở năm 2023 và 2024. Vậy hồ sơ đề nghị Bằng khen cấp Bộ gồm những gì?"
    text = explain(answerer, story)
    whole = text.split("Ranking the whole message")[1].split("Blend:")[0]
    assert "after retrieval:" in whole
    assert "after tie-breaking:" not in whole and "after answer evidence:" not in whole  # not applied there
