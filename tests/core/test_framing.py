"""Tests for bot.core.framing: the document or rule an asking part is framed by is context, not the point."""

from __future__ import annotations

import pytest

from bot.core.answers import Answerer
from bot.core.records import ANSWER


@pytest.mark.parametrize(
    ("text", "framing"),
    [
        # A full citation with its opener, name and article.
        (
            "Hồ sơ Bằng khen cấp Bộ cần những giấy tờ gì theo Nghị định 152/2025/NĐ-CP?",
            ["theo nghị định 152 2025 nghị định chính phủ"],
        ),
        (
            "Tiêu chuẩn Chiến sĩ thi đua cơ sở quy định tại Điều 23 Luật Thi đua, khen thưởng số 06/2022/QH15 là gì?",
            ["quy định tại điều 23 luật thi đua khen thưởng số 06 2022 qh15"],
        ),
        # A number with its issuer and a year apart: "Quyết định 1689/QĐ-TLĐ năm 2019".
        ("Đơn vị xét Lao động tiên tiến ra sao theo Quyết định 1234/QĐ-BKHCN năm 2021?", None),
        # A standard, with its connector.
        ("Theo quy định hiện hành thì Giấy khen được thưởng bao nhiêu tiền?", ["theo quy định hiện hành thì"]),
        ("Hiện nay, hồ sơ đề nghị Cờ thi đua của Bộ gồm những gì?", ["hiện nay"]),
        (
            "Hồ sơ Kỷ niệm chương chuẩn bị thế nào theo hướng dẫn mới nhất năm 2025?",
            ["theo hướng dẫn mới nhất năm 2025"],
        ),
    ],
)
def test_framing_is_read_apart_from_the_asked_point(answerer: Answerer, text: str, framing: list[str] | None) -> None:
    question = answerer.matcher.understand(text)
    assert question.framing
    if framing is not None:
        assert list(question.framing) == framing
    assert question.unframed is not None and question.focused
    assert not any(part in question.unframed for part in question.framing)


@pytest.mark.parametrize(
    "text",
    [
        # The document is what is asked.
        "Nghị định 98/2023/NĐ-CP còn hiệu lực không?",
        "Thông tư 15/2025/TT-BNV thay thế thông tư nào?",
        "Đơn vị vẫn dùng Thông tư 09/2018/TT-BTTTT làm căn cứ có được không?",
        "Văn bản nào quy định hồ sơ khen thưởng theo Nghị định 152/2025/NĐ-CP?",
        # A short reference is usually the point, and so is a date.
        "Nghị định 152 quy định những nguyên tắc khen thưởng nào?",
        "Hồ sơ nộp ngày 28/9/2026 thì xét theo luật nào?",
        # Too little is left without it.
        "Mẫu báo cáo theo Nghị định 152/2025/NĐ-CP?",
        # "mới nhất" not opened by "theo": the current amount is asked.
        "Mức tiền thưởng Lao động tiên tiến mới nhất là bao nhiêu?",
    ],
)
def test_framing_that_is_the_point_stays(answerer: Answerer, text: str) -> None:
    question = answerer.matcher.understand(text)
    assert question.unframed is None
    assert question.focus == question.asked


def test_a_framed_question_is_answered_like_the_question_without_its_framing(answerer: Answerer) -> None:
    plain = answerer.ask("Quỹ thi đua, khen thưởng được hình thành từ những nguồn nào?")
    framed = answerer.ask("Quỹ thi đua, khen thưởng được hình thành từ những nguồn nào theo Nghị định 98/2023/NĐ-CP?")
    assert plain.status == ANSWER and plain.entry is not None
    assert framed.status == ANSWER and framed.entry is not None and framed.entry.id == plain.entry.id


def test_an_asking_clause_that_points_back_takes_in_the_story(answerer: Answerer) -> None:
    """"Những trường hợp nêu trên" names the award but not the case: the story's clause before it is asked too."""
    question = answerer.matcher.understand(
        "Trước năm 2020 người nghỉ hưu trước khi có quyết định thì không được xét Huân chương Lao động. Tôi xin "
        "hỏi, vậy hiện nay những trường hợp nêu trên có được đề nghị Huân chương Lao động nữa không?"
    )
    assert question.asked.startswith("Trước năm 2020")


def test_which_text_rules_a_circumstance_is_that_circumstances_question(answerer: Answerer) -> None:
    """"Văn bản nào quy định … người bị kỷ luật": the discipline entry answers, citing its basis."""
    question = answerer.matcher.understand("Văn bản nào quy định việc xét khen thưởng cho người đang bị kỷ luật?")
    assert question.framing == ("văn bản nào quy định",)
    # Without a circumstance, which text rules a procedure is the point (an entry answers exactly that).
    assert answerer.matcher.understand("Văn bản nào quy định thủ tục xét Lao động tiên tiến?").unframed is None


def test_another_bodys_name_is_whose_rules_not_what_is_asked(answerer: Answerer) -> None:
    """"… ngành Văn hóa, Thể thao và Du lịch": the general rule answers, with the note on that body's own rules."""
    text = "Tiêu chuẩn danh hiệu Cờ thi đua của Bộ ngành Văn hóa, Thể thao và Du lịch là gì?"
    question = answerer.matcher.understand(text)
    assert len(question.framing) == 1 and question.framing[0].startswith("ngành văn")
    assert question.other_body == "bo-khac"
    plain = answerer.ask("Tiêu chuẩn danh hiệu Cờ thi đua của Bộ là gì?")
    framed = answerer.ask(text)
    assert plain.entry is not None and framed.status == ANSWER and framed.entry is not None
    assert framed.entry.id == plain.entry.id
    assert "quy chế thi đua" in framed.message  # the other-body note: that body's own regulation applies


def test_a_bodys_name_that_is_most_of_the_question_stays(answerer: Answerer) -> None:
    assert answerer.matcher.understand("Bằng khen của Bộ Y tế?").unframed is None


@pytest.mark.parametrize(
    ("text", "plain_text"),
    [
        # Questions written for this test: the militia and the State Audit Office have their own regulations.
        ("Trong lực lượng dân quân tự vệ có những danh hiệu thi đua nào?", "Có những danh hiệu thi đua nào?"),
        (
            "Dân quân tự vệ được tặng Bằng khen của Bộ trưởng thì hồ sơ gồm những gì?",
            "Được tặng Bằng khen của Bộ trưởng thì hồ sơ gồm những gì?",
        ),
        (
            "Kiểm toán Nhà nước xét danh hiệu Chiến sĩ thi đua cơ sở theo tiêu chuẩn nào?",
            "Xét danh hiệu Chiến sĩ thi đua cơ sở theo tiêu chuẩn nào?",
        ),
    ],
)
def test_the_militia_and_the_audit_office_are_whose_rules(answerer: Answerer, text: str, plain_text: str) -> None:
    """Named in the asking part they frame it like a ministry's name: the general rule, with the own-rules note."""
    question = answerer.matcher.understand(text)
    assert question.other_body == "bo-khac" and question.unframed is not None
    plain, framed = answerer.ask(plain_text), answerer.ask(text)
    assert plain.entry is not None and framed.status == ANSWER and framed.entry is not None
    assert framed.entry.id == plain.entry.id
    assert "quy chế thi đua" in framed.message
