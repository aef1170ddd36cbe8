"""Paraphrases of an intent that real questions use read as that intent (knowledge/awards.yaml intent keywords)."""

from __future__ import annotations

import pytest

from bot.core.answers import Answerer


@pytest.mark.parametrize(
    ("text", "intent"),
    [
        # Who decides: "cấp nào / đơn vị nào" + xét, ký, khen, quyết định, công nhận.
        ("Lao động tiên tiến ở hợp tác xã do cấp nào xét công nhận?", "tham-quyen"),
        ("Giấy khen do cấp nào ký?", "tham-quyen"),
        ("Chiến sĩ thi đua cơ sở do đơn vị nào quyết định?", "tham-quyen"),
        ("Giám đốc sở có quyền tặng Giấy khen không?", "tham-quyen"),
        ("Ai có quyền quyết định tặng Kỷ niệm chương?", "tham-quyen"),
        # How much money: "được nhận bao nhiêu" as well as "nhận được bao nhiêu".
        ("Đạt Cờ thi đua của Bộ thì đơn vị được nhận bao nhiêu?", "tien-thuong"),
        # Whether one qualifies: "thuộc đối tượng / thuộc diện" xét tặng … không (not the overview's "đối tượng").
        ("Giáo viên có thuộc đối tượng xét tặng Bằng khen của Bộ trưởng không?", "tieu-chuan"),
        ("Nhân viên hợp đồng có thuộc diện xét Lao động tiên tiến không?", "tieu-chuan"),
    ],
)
def test_an_intent_paraphrase_reads_as_the_intent(answerer: Answerer, text: str, intent: str) -> None:
    matcher = answerer.matcher
    accented, folded = matcher.content(matcher.normalize(text))
    assert matcher.awards.intent(folded, accented) == intent


def test_a_who_decides_paraphrase_chooses_the_awards_entry_for_it(answerer: Answerer) -> None:
    result = answerer.matcher.match("Lao động tiên tiến ở hợp tác xã do cấp nào xét công nhận?")
    assert result.top is not None and result.top.entry_id == "lao-dong-tien-tien.tham-quyen"


@pytest.mark.parametrize("text", ["Bảng gia đình vẻ vang có được cấp lại không?", "Tiêu chuẩn nghệ nhân ưu tú là gì?"])
def test_the_states_honorary_titles_anchor_a_question_in_the_domain(answerer: Answerer, text: str) -> None:
    matcher = answerer.matcher
    norm = matcher.normalize(text)
    assert matcher.domains.anchored(norm.folded, lambda: [])


def test_ve_huu_names_retirement_like_nghi_huu(answerer: Answerer) -> None:
    matcher = answerer.matcher
    accented, folded = matcher.content(matcher.normalize("Cán bộ đã về hưu có được đề nghị khen thưởng không?"))
    assert [case for _, _, case in matcher.circumstances.spans(folded, accented)] == ["da-nghi-huu"]


@pytest.mark.parametrize(
    ("text", "entry"),
    [
        # How long after one award the next may be proposed is a criteria question about the award asked for.
        (
            "Có Bằng khen cấp Bộ rồi thì bao lâu mới được đề nghị Bằng khen của Thủ tướng?",
            "bang-khen-thu-tuong.tieu-chuan",
        ),
        (
            "Nhận Bằng khen của Bộ trưởng từ 2021, bao giờ thì được đề nghị Bằng khen Thủ tướng?",
            "bang-khen-thu-tuong.tieu-chuan",
        ),
        (
            "How long after the Minister's Certificate of Merit may someone be proposed for the Prime Minister's"
            " Certificate of Merit?",
            "bang-khen-thu-tuong.tieu-chuan",
        ),
    ],
)
def test_how_long_until_the_next_award_asks_for_its_criteria(answerer: Answerer, text: str, entry: str) -> None:
    result = answerer.matcher.match(text)
    assert result.top is not None and result.top.entry_id == entry


def test_an_english_verb_of_asking_marks_the_award_asked_for(answerer: Answerer) -> None:
    # "after X … can I get Y": Y is asked for, X is held, though X is named first.
    reading = answerer.matcher.understand(
        "How many years after the Minister's Certificate of Merit can one get the Prime Minister's Certificate"
        " of Merit?"
    )
    assert reading.target_award == "bang-khen-thu-tuong"
    assert [h.award_id for h in reading.held] == ["bang-khen-bo"]


def test_a_one_word_keyword_matches_as_typed_in_a_question_with_diacritics(answerer: Answerer) -> None:
    # "lào" (Laos) is a keyword of the entry on international missions; "lao" in "lao động" is not it.
    matcher = answerer.matcher

    def hits(text: str) -> set[str]:
        return matcher._keyword_hits(text)

    assert "khen-thuong-bien-gioi-nhiem-vu-quoc-te" in hits("Bố tôi làm nhiệm vụ ở Lào có được khen không?")
    assert "khen-thuong-bien-gioi-nhiem-vu-quoc-te" not in hits("Huân chương Lao động hạng Nhì xét thế nào?")
    # Typed without diacritics a word may be either: the keyword still counts.
    assert "khen-thuong-bien-gioi-nhiem-vu-quoc-te" in hits("bo toi lam nhiem vu o lao co duoc khen khong")
