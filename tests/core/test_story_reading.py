"""Reading a story's asking part on its point: conditional follow-ups, the story's object, corroboration."""

from __future__ import annotations

import pytest

from bot.core.answers import Answerer
from bot.core.corroboration import CORROBORATED_FLOOR, corroborated
from bot.core.decision import decide
from bot.core.dispute import disputed
from bot.core.explain import explain
from bot.core.follow_ups import FollowUps
from bot.core.knowledge import Entry
from bot.core.match_types import MatchSettings, Scored
from bot.core.phrases import Phrases
from bot.core.records import ANSWER, FALLBACK, SUGGEST
from bot.core.story_object import MAX_NAME_WORDS, StoryObject
from bot.core.understanding import Question

# -- conditional follow-ups (bot.core.follow_ups) ----------------------------------------------------------------

DAMAGED = (
    "Giấy chứng nhận Huân chương của ông tôi bị mối mọt hư hỏng. Ông tôi có được cấp đổi không? "
    "Nếu được thì phải nộp hồ sơ ở đâu?"
)


def test_a_follow_up_is_left_to_the_whole_message(answerer: Answerer) -> None:
    question = answerer.matcher.understand(DAMAGED)
    assert question.follow_up == "Nếu được thì phải nộp hồ sơ ở đâu?"
    assert question.main == "Ông tôi có được cấp đổi không?"
    assert question.focus == "Ông tôi có được cấp đổi không?"  # "hồ sơ … ở đâu" does not pull to a dossier entry
    assert "Nếu được thì" in question.asked  # the asking part, as shown, keeps it
    reply = answerer.ask(DAMAGED)
    assert reply.status == ANSWER and reply.entry is not None and reply.entry.id == "cap-doi-hien-vat-hu-hong"


def test_a_circumstance_only_the_follow_up_names_is_not_the_point(answerer: Answerer) -> None:
    text = (
        "Huân chương của ông tôi bị mối mọt rách hết. Ông có được đổi huân chương mới không? "
        "Nếu không được thì có được cấp lại không?"
    )
    question = answerer.matcher.understand(text)
    assert question.circumstances == ("cap-doi-hien-vat-hu-hong",)
    ranked = answerer.ask(text).result.ranked
    assert ranked[0].entry_id == "cap-doi-hien-vat-hu-hong"
    assert answerer.matcher.agreement_of(question, ranked).agrees


def test_a_follow_up_inside_a_sentence_is_cut_at_its_marker(answerer: Answerer) -> None:
    text = "Chị ấy đạt Lao động tiên tiến năm nay. Chị ấy có được nhận tiền thưởng không, nếu có thì đơn vị nào chi?"
    question = answerer.matcher.understand(text)
    assert question.follow_up == "nếu có thì đơn vị nào chi?"
    assert [c.follows for c in question.clauses] == [False, False, True]


def test_a_marker_with_nothing_asked_before_it_is_a_condition(answerer: Answerer) -> None:
    question = answerer.matcher.understand("Nếu có sáng kiến thì có được xét Chiến sĩ thi đua cơ sở không?")
    assert question.follow_up == "" and question.main is None
    assert "sáng kiến" in question.focus or not question.focused


def test_follow_up_clauses_come_after_a_clause_that_asks() -> None:
    # clause:           0 story  1 asks  2 follow-up  3 opens, nothing asked before it in [3, 4)
    asks = [False, True, True, True]
    opens = [False, False, True, True]
    assert FollowUps.of(asks, opens, 1, 3) == {2}
    assert FollowUps.of(asks, opens, 2, 4) == {3}  # clause 2 is a condition there, then 3 follows it
    assert FollowUps.of(asks, opens, 3, 4) == set()
    markers = FollowUps(Phrases({("neu", "co", "thi"): "nếu có thì"}))
    assert markers.cuts(["co", "duoc", "khong", "neu", "co", "thi", "ai", "chi"]) == [3]
    assert markers.opens(["neu", "co", "thi", "ai", "chi"]) and not markers.cuts(["neu", "co", "thi"])


# -- the story's object (bot.core.story_object) ------------------------------------------------------------------


def test_a_content_poor_asking_part_takes_the_award_the_story_names(answerer: Answerer) -> None:
    text = "Bố tôi được tặng Huân chương Lao động hạng Nhì năm 2020. Bố tôi có được nhận tiền thưởng không?"
    question = answerer.matcher.understand(text)
    assert question.story_object == "Huân chương Lao động hạng Nhì"
    assert question.focus.endswith("Huân chương Lao động hạng Nhì")
    reply = answerer.ask(text)  # not the Cờ thi đua's bonus, the first "tiền thưởng" entry
    assert reply.status == ANSWER and reply.entry is not None and reply.entry.id == "huan-chuong-lao-dong.tien-thuong"


def test_an_award_the_catalogue_lacks_taken_from_the_story_is_uncovered(answerer: Answerer) -> None:
    text = (
        "Chú tôi được tặng Huân chương Chiến công hạng Ba vì thành tích trong kháng chiến chống Mỹ. "
        "Chú tôi có được nhận tiền thưởng không?"
    )
    question = answerer.matcher.understand(text)
    assert question.story_object == "Huân chương Chiến công hạng Ba"
    assert question.uncovered_award == "huan-chuong-chien-cong"
    reply = answerer.ask(text)  # an entry naming the order, never the Huân chương Lao động's bonus
    assert reply.entry is not None and reply.entry.id == "huan-chuong-chien-cong-khang-chien-tien-thuong"


@pytest.mark.parametrize(
    "text",
    [
        # The asking part names an award noun of its own: its object is that.
        "Năm ngoái mẹ tôi được tặng Huân chương Lao động hạng Ba vì có nhiều đóng góp. Vậy bằng khen thì được bao "
        "nhiêu tiền?",
        # It says enough by itself.
        "Năm ngoái mẹ tôi được tặng Huân chương Lao động hạng Ba. Mẹ tôi muốn biết số tiền thưởng kèm theo do cơ "
        "quan nào chi trả và chi trong thời hạn bao lâu?",
    ],
)
def test_an_asking_part_with_its_own_object_takes_none_from_the_story(answerer: Answerer, text: str) -> None:
    assert answerer.matcher.understand(text).story_object is None


def test_the_story_object_is_the_last_award_noun_with_its_name() -> None:
    nouns = Phrases({("huan", "chuong"): "huân chương", ("bang", "khen"): "bằng khen", ("huy", "hieu"): "huy hiệu"})
    story = StoryObject(nouns)
    assert story.last("Tôi được Bằng khen năm 2019, sau đó được Huân chương Chiến công hạng Nhất vì lập công.") == (
        "Huân chương Chiến công hạng Nhất"
    )
    assert story.last("Mẹ có huy hiệu Bà mẹ Việt Nam anh hùng nhưng bị gãy.") == "huy hiệu Bà mẹ Việt Nam anh hùng"
    assert story.last("Ong co huan chuong khang chien hang Nhi nhung bi mat.") == "huan chuong khang chien hang Nhi"
    assert story.last("Tôi có huân chương, rất quý.") == "huân chương"
    long_name = "huân chương " + " ".join(["X"] * (MAX_NAME_WORDS + 3))
    assert story.last(long_name) == "huân chương " + " ".join(["X"] * MAX_NAME_WORDS)
    assert story.last("Tôi làm việc 20 năm.") is None
    assert story.names_one(["bang", "khen", "bo"]) and not story.names_one(["tien", "thuong"])


# -- corroboration (bot.core.corroboration) ----------------------------------------------------------------------


def _question(asked_circumstances: tuple[str, ...]) -> Question:
    return Question(text="…", clauses=(), asked="…", context="", asked_circumstances=asked_circumstances)


def test_corroborated_needs_the_asked_circumstance_first_in_both_rankings() -> None:
    ranked = [Scored("cap-doi-hien-vat-hu-hong", 32.0), Scored("other", 20.0)]
    assert corroborated(_question(("cap-doi-hien-vat-hu-hong",)), ranked, rankings_agree=True)
    assert not corroborated(_question(("cap-doi-hien-vat-hu-hong",)), ranked, rankings_agree=False)
    assert not corroborated(_question(("cap-lai-hien-vat-bi-mat",)), ranked, rankings_agree=True)
    assert not corroborated(_question(()), [], rankings_agree=True)


def _decide(scores: list[float], *, agreed: bool, corroborated: bool, anchored: bool = True) -> str:
    ranked = [Scored(f"e{i}", s) for i, s in enumerate(scores)]
    status, _ = decide(
        ranked,
        MatchSettings(),
        foreign=False,
        anchored=lambda: anchored,
        confirmed=lambda: False,
        agreed=lambda: agreed,
        corroborated=lambda: corroborated,
    )
    return status


def test_a_corroborated_close_match_answers_from_the_lower_floor_only_with_agreement() -> None:
    floor = CORROBORATED_FLOOR
    assert floor < MatchSettings().close_match_floor
    assert _decide([floor, floor - 5], agreed=True, corroborated=True) == ANSWER
    assert _decide([floor, floor - 5], agreed=True, corroborated=False) == FALLBACK
    assert _decide([floor, floor - 5], agreed=False, corroborated=True) == FALLBACK
    assert _decide([floor, floor - 1], agreed=True, corroborated=True) == FALLBACK  # too small a lead
    assert _decide([floor - 0.5, 10.0], agreed=True, corroborated=True) == FALLBACK
    assert _decide([floor, floor - 5], agreed=True, corroborated=True, anchored=False) == FALLBACK


def test_explain_shows_the_follow_up_and_the_story_object(answerer: Answerer) -> None:
    shown = explain(answerer, DAMAGED)
    assert "follow-up (left to the whole message): Nếu được thì phải nộp hồ sơ ở đâu?" in shown
    text = "Bố tôi được tặng Huân chương Lao động hạng Nhì năm 2020. Bố tôi có được nhận tiền thưởng không?"
    assert "the story's (Huân chương Lao động hạng Nhì) is ranked with it" in explain(answerer, text)


# -- dispute (bot.core.dispute) ----------------------------------------------------------------------------------


def test_a_lead_alone_does_not_answer_a_disputed_catalogue_entry() -> None:
    ranked = [Scored("e0", 50.0), Scored("e1", 40.0)]  # from lead_threshold, with lead_margin, below answer_threshold

    def status(disputed: bool, scores: tuple[float, float] = (50.0, 40.0)) -> str:
        ranked[0], ranked[1] = Scored("e0", scores[0]), Scored("e1", scores[1])
        return decide(
            ranked,
            MatchSettings(),
            foreign=False,
            anchored=lambda: True,
            confirmed=lambda: False,
            disputed=lambda: disputed,
        )[0]

    assert status(disputed=False) == ANSWER
    assert status(disputed=True) == SUGGEST
    assert status(disputed=True, scores=(70.0, 40.0)) == ANSWER  # a clear match is not disputed


def _catalogue_question(answerer: Answerer, text: str) -> tuple[Question, Entry]:
    question = answerer.matcher.understand(text)
    return question, answerer.knowledge.entries["lao-dong-tien-tien.tieu-chuan"]


def test_a_circumstance_the_catalogue_entry_never_speaks_of_disputes_it(answerer: Answerer) -> None:
    text = (
        "Tôi làm việc theo hợp đồng lao động ở trung tâm từ năm 2019, năm nào cũng được đánh giá tốt. "
        "Vậy tiêu chuẩn Lao động tiên tiến tôi có đạt được không?"
    )
    question, entry = _catalogue_question(answerer, text)
    assert "hop-dong-lao-dong" in question.circumstances
    others = answerer.matcher.agreement.other_circumstances
    assert disputed(entry, question, others)
    assert answerer.matcher.disputed(question, entry.id)
    # Not disputed: no circumstance named; a question for documents; an entry outside the catalogue.
    plain, _ = _catalogue_question(answerer, "Tiêu chuẩn Lao động tiên tiến năm nay là gì?")
    assert not disputed(entry, plain, others)
    dossier = answerer.knowledge.entries["lao-dong-tien-tien.ho-so"]
    assert not disputed(dossier, question, others)
    assert not disputed(answerer.knowledge.entries["hop-dong-lao-dong"], question, others)
