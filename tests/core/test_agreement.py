"""The agreement stage: the asking clause names the best entry, nothing disagrees, the runner-up is clearly other."""

from __future__ import annotations

import pytest

from bot.core.agreement import AGREED_LEAD, RUNNER_UP_WINDOW, Agreement
from bot.core.answers import Answerer
from bot.core.decision import decide
from bot.core.match_types import MatchSettings, Scored
from bot.core.matcher import Matcher
from bot.core.records import ANSWER, FALLBACK


@pytest.fixture(scope="module")
def matcher(answerer: Answerer) -> Matcher:
    return answerer.matcher


def _agrees(matcher: Matcher, question: str, *ranked: tuple[str, float]) -> bool:
    return matcher.agreement_of(matcher.understand(question), [Scored(i, s) for i, s in ranked]).agrees


def test_a_circumstance_named_in_the_asking_clause_agrees_with_its_entry(matcher: Matcher) -> None:
    question = "Người đang bị kỷ luật khiển trách có được xét thi đua không?"
    assert _agrees(matcher, question, ("bi-ky-luat", 40.0), ("thi-dua-khen-thuong-la-gi", 30.0))
    # Negated, the circumstance is not named: "không bị kỷ luật" is a clean record.
    negated = "Người không bị kỷ luật có được xét thi đua không?"
    assert not _agrees(matcher, negated, ("bi-ky-luat", 40.0), ("thi-dua-khen-thuong-la-gi", 30.0))


def test_award_and_intent_of_the_asking_clause_agree_with_the_catalogue_entry(matcher: Matcher) -> None:
    question = "Bằng khen của Bộ trưởng do ai ký?"
    assert _agrees(matcher, question, ("bang-khen-bo.tham-quyen", 40.0), ("bang-khen-bo.ho-so", 30.0))
    assert not _agrees(matcher, question, ("bang-khen-bo.ho-so", 40.0), ("bang-khen-bo.tham-quyen", 30.0))
    # "là gì" asks for the overview: a generic asking phrase names no entry by itself.
    overview = "Bằng khen của Bộ trưởng là gì?"
    assert not _agrees(matcher, overview, ("bang-khen-bo.tong-quan", 40.0), ("bang-khen-bo.ho-so", 30.0))


def test_another_circumstance_anywhere_in_the_message_disagrees(matcher: Matcher) -> None:
    ranked = (("cap-doi-hien-vat-hu-hong", 40.0), ("ho-so-de-nghi-gom-nhung-gi", 30.0))
    assert _agrees(matcher, "Huân chương bị mối mọt thì xin cấp đổi ở đâu?", *ranked)
    story = "Ông tôi đã mất. Huân chương của ông bị mối mọt thì xin cấp đổi ở đâu?"
    assert not _agrees(matcher, story, *ranked)  # the story's "đã mất" (truy tặng) is a point too


def test_a_circumstance_the_entry_itself_speaks_of_does_not_disagree(matcher: Matcher) -> None:
    ranked = (("bang-gia-dinh-ve-vang-cap-lai", 40.0), ("thi-dua-khen-thuong-la-gi", 30.0))
    # "cấp lại" names the circumstance of lost orders, but this entry's own questions speak of it too.
    assert _agrees(matcher, "Bảng gia đình vẻ vang bị hỏng có được cấp lại không?", *ranked)
    assert not _agrees(matcher, "Bảng gia đình vẻ vang của ông tôi đã mất có được cấp lại không?", *ranked)


def test_an_intent_the_entry_never_speaks_of_disagrees(matcher: Matcher) -> None:
    question = "Người bị kỷ luật thì tiền thưởng bao nhiêu?"
    assert not _agrees(matcher, question, ("bi-ky-luat", 40.0), ("thi-dua-khen-thuong-la-gi", 30.0))


def test_a_runner_up_named_too_or_as_close_on_the_same_intent_is_no_clear_other(matcher: Matcher) -> None:
    question = "Bằng khen của Bộ trưởng do ai ký?"
    close = 40.0 - RUNNER_UP_WINDOW + 1
    assert not _agrees(matcher, question, ("bang-khen-bo.tham-quyen", 40.0), ("ky-niem-chuong.tham-quyen", close))
    far = 40.0 - RUNNER_UP_WINDOW - 1
    assert _agrees(matcher, question, ("bang-khen-bo.tham-quyen", 40.0), ("ky-niem-chuong.tham-quyen", far))


def _decide(scores: list[float], agreed: bool, anchored: bool = True, foreign: bool = False) -> str:
    ranked = [Scored(f"e{i}", s) for i, s in enumerate(scores)]
    status, _ = decide(
        ranked,
        MatchSettings(),
        foreign=foreign,
        anchored=lambda: anchored,
        confirmed=lambda: False,
        agreed=lambda: agreed,
    )
    return status


def test_agreement_lets_a_close_match_with_a_lead_answer_and_nothing_else() -> None:
    floor = MatchSettings().close_match_floor
    lead = floor + AGREED_LEAD
    assert _decide([lead, floor], agreed=True) == ANSWER
    assert _decide([lead, floor], agreed=False) == FALLBACK
    assert _decide([lead, floor + 1], agreed=True) == FALLBACK  # too small a lead
    assert _decide([floor - 1, 10.0], agreed=True) == FALLBACK  # below a close match
    assert _decide([lead, floor], agreed=True, anchored=False) == FALLBACK
    assert _decide([lead, floor], agreed=True, foreign=True) == FALLBACK


def test_explain_prints_the_agreement_and_its_effect(answerer: Answerer) -> None:
    from bot.core.explain import explain

    text = explain(answerer, "Người đang bị kỷ luật khiển trách có được xét thi đua không?")
    assert "\nAgreement: " in text and "effect: " in text


def test_an_uncovered_awards_own_entry_answers_on_agreement(answerer: Answerer) -> None:
    """An award the catalogue lacks (Nghệ nhân ưu tú): the entry that names it answers on agreement alone."""
    strict = MatchSettings(answer_threshold=90.0, lead_threshold=90.0, confirm_with_profiles=False)
    matcher = Matcher(answerer.knowledge, strict)
    question = "Danh hiệu Nghệ nhân ưu tú mấy năm xét một lần, công bố lúc nào?"
    result = matcher.match(question)
    assert result.status == ANSWER and result.top is not None
    assert result.top.entry_id == "thay-thuoc-nghe-si-nghe-nhan"
    matcher.agreement_of = lambda question, ranked: Agreement(False, "off")  # type: ignore[method-assign]
    assert matcher.match(question).status != ANSWER
