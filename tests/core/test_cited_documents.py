"""Documents a question cites: found among its words, and a repealed one named in the answer with what replaced it."""

from __future__ import annotations

from conftest import answered_with

from bot.core.answers import Answerer
from bot.core.cited_documents import cited_out_of_force, document_spans
from bot.core.knowledge import Knowledge


def _spans(answerer: Answerer, text: str) -> list[str]:
    matcher = answerer.matcher
    _, folded = matcher.content(matcher.normalize(text))
    return [" ".join(folded[a:b]) for a, b in document_spans(folded)]


def test_a_full_citation_is_found_and_a_date_or_a_short_reference_is_not(answerer: Answerer) -> None:
    assert _spans(answerer, "Theo Nghị định số 91/2017/NĐ-CP thì nghỉ 40 ngày không được xét") == [
        "nghi dinh so 91 2017 nghi dinh chinh phu"
    ]
    assert [s.split()[:2] for s in _spans(answerer, "mẫu theo 01/2024/TT-BNV còn dùng được không")] == [["01", "2024"]]
    assert _spans(answerer, "Vụ nhận hồ sơ hôm 28/9/2026, tháng 9/2026 xét theo luật nào") == []
    assert _spans(answerer, "mẫu 1.6 thông tư 25 là mẫu gì, còn dùng mẫu 03 NĐ 98 được không") == []


def test_a_repealed_citation_leads_to_the_text_in_force(knowledge: Knowledge) -> None:
    found = cited_out_of_force("Theo Nghị định 91/2017/NĐ-CP và NĐ 98/2023 …", knowledge.documents)
    assert [(f.cited.number, f.current.number if f.current else None) for f in found] == [
        ("91/2017/NĐ-CP", "152/2025/NĐ-CP"),
        ("98/2023/NĐ-CP", "152/2025/NĐ-CP"),
    ]
    assert cited_out_of_force("Theo Nghị định 152/2025/NĐ-CP, tháng 9/2026", knowledge.documents) == []
    assert cited_out_of_force("Nghị định 98/2023", None) == []


def test_a_citation_is_found_whether_its_number_is_zero_padded_or_not(knowledge: Knowledge) -> None:
    """The register spells "01/2024/TT-BNV"; people type "01/2024" and "1/2024" alike."""
    for text in ("Theo Thông tư 01/2024/TT-BNV thì sao?", "theo TT 1/2024 thì sao?"):
        found = cited_out_of_force(text, knowledge.documents)
        assert [f.cited.number for f in found] == ["01/2024/TT-BNV"], text


def test_an_answer_to_a_question_citing_a_repealed_decree_says_what_applies_now(answerer: Answerer) -> None:
    answered_with(
        answerer,
        "Theo Nghị định 98/2023/NĐ-CP thì hồ sơ đề nghị Bằng khen cấp Bộ gồm những gì?",
        "bang-khen-bo.ho-so",
        "Câu hỏi dẫn Nghị định 98/2023/NĐ-CP: văn bản này đã hết hiệu lực từ 01/07/2025",
        "(Nghị định 152/2025/NĐ-CP)",
    )
    answered_with(
        answerer,
        "Under Decree 98/2023/ND-CP, who decides the Advanced Worker title?",
        "lao-dong-tien-tien.tham-quyen",
        "cites Nghị định 98/2023/NĐ-CP, which is no longer in force since 1 July 2025",
    )


def test_no_note_when_the_answer_itself_is_about_that_decree(answerer: Answerer) -> None:
    message = answered_with(answerer, "Nghị định 98/2023/NĐ-CP còn hiệu lực không?", "nd98-het-hieu-luc")
    assert "Câu hỏi dẫn" not in message
