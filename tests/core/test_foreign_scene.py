"""Another domain's word only in the story clause an asking part reaches back into is the asker's scene.

The questions are written for these tests, not taken from the labelled sets.
"""

from __future__ import annotations

from bot.core.answers import Answerer
from bot.core.matcher import Matcher
from bot.core.records import ANSWER

# The pupils' scholarships are the scene where the asker's bonus was paid; the clause that asks ("Việc chi như
# vậy …") names no pupil's word.
SCENE = (
    "Cùng đợt chi học bổng cho học sinh, kế toán chỗ tôi chi tiền thưởng danh hiệu Chiến sĩ thi đua cơ sở cho "
    "giáo viên thấp hơn mức quy định. Việc chi như vậy có đúng không?"
)
# A misnamed council ("hội đồng xét tuyển") in the story, the criteria of an award asked.
COUNCIL = (
    "Phòng tôi ở Sở Giáo dục, hội đồng xét tuyển của Sở bảo muốn được Lao động tiên tiến thì phải công tác đủ "
    "10 tháng. Vậy tiêu chuẩn như thế có đúng không?"
)
# The pupil is who is asked about, in the clause that asks: another domain's question.
PUPIL = "Học sinh trường THPT được nhà trường tặng giấy khen thì có tiền thưởng không?"


def _matcher(answerer: Answerer) -> Matcher:
    return Matcher(answerer.knowledge, answerer.matcher.settings)


def test_a_foreign_word_only_in_the_story_does_not_veto_the_award_asked(answerer: Answerer) -> None:
    for text, entry_id in ((SCENE, "cstd-co-so.tien-thuong"), (COUNCIL, "lao-dong-tien-tien.tieu-chuan")):
        result = answerer.matcher.match(text)
        assert result.status == ANSWER and result.top is not None
        assert result.top.entry_id == entry_id


def test_without_the_rule_the_story_word_vetoes(answerer: Answerer) -> None:
    matcher = _matcher(answerer)
    matcher._names_own_award = lambda question, ranked: False  # type: ignore[method-assign]
    assert matcher.match(SCENE).status != ANSWER
    assert matcher.match(COUNCIL).status != ANSWER


def test_a_foreign_word_in_the_clause_that_asks_still_vetoes(answerer: Answerer) -> None:
    result = answerer.matcher.match(PUPIL)
    assert result.top is not None and result.top.entry_id == "giay-khen.tien-thuong"
    assert result.status != ANSWER


# The asking part names nothing of its own and takes the story's giấy khen as its object (bot.core.story_object):
# the clause that object comes from is about a pupil, so the question is another domain's.
PUPIL_STORY = (
    "Con tôi học lớp 8, năm học vừa rồi là học sinh giỏi và được nhà trường tặng giấy khen kèm 100.000 đồng. "
    "Vậy tiền thưởng như thế có đúng không?"
)
# The same asking part after a civil servant's giấy khen: ours to answer.
OFFICER_STORY = "Năm 2025 tôi được Giám đốc Sở tặng giấy khen kèm 500.000 đồng. Vậy tiền thưởng như thế có đúng không?"


def test_another_domains_word_in_the_clause_the_story_object_comes_from_vetoes(answerer: Answerer) -> None:
    pupil = answerer.matcher.match(PUPIL_STORY)
    assert pupil.question is not None and pupil.question.story_object is not None
    assert pupil.status != ANSWER
    officer = answerer.matcher.match(OFFICER_STORY)
    assert officer.status == ANSWER and officer.top is not None
    assert officer.top.entry_id == "giay-khen.tien-thuong"


# A school level after a staff or unit noun is the asker's workplace (knowledge/synonyms.yaml foreign_term_hosts):
# the teacher's question is ours, in the clause that asks too; the pupil's stays another domain's.
TEACHER = "Giáo viên mầm non có được xét tặng Bằng khen của Bộ trưởng không, tiêu chuẩn thế nào?"
PUPIL_LEVEL = "Học sinh mầm non có được xét tặng Bằng khen của Bộ trưởng không, tiêu chuẩn thế nào?"


def test_a_school_level_naming_the_workplace_is_no_other_domain(answerer: Answerer) -> None:
    matcher = answerer.matcher
    index = matcher._index_of["bang-khen-bo.tieu-chuan"]
    assert not matcher.domains.foreign_to(matcher.normalize(TEACHER), index)
    assert matcher.domains.foreign_to(matcher.normalize(PUPIL_LEVEL), index)
    teacher = matcher.match(TEACHER)
    assert teacher.status == ANSWER and teacher.top is not None and teacher.top.entry_id == "bang-khen-bo.tieu-chuan"
    assert matcher.match(PUPIL_LEVEL).status != ANSWER
