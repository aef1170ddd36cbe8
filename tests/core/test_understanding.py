"""Tests for bot.core.understanding: the asking part of a long message, the award asked for, the story around it."""

from __future__ import annotations

import pytest
from conftest import answered_with

from bot.core.answers import Answerer
from bot.core.matcher import UNCOVERED
from bot.core.records import ANSWER

STORY = (
    "Em công tác ở viện từ 2016, các năm 2020, 2021, 2022 đều đạt chiến sĩ thi đua cơ sở, năm 2022 có sáng kiến "
    "được công nhận cấp cơ sở, năm 2023 được Giấy khen của Viện trưởng. Năm nay đơn vị định đề nghị em Bằng khen "
    "của Bộ trưởng, vậy em đã đủ điều kiện chưa ạ?"
)


def test_one_question_is_read_whole(answerer: Answerer) -> None:
    question = answerer.matcher.understand("hồ sơ bk bộ gồm những gì")
    assert not question.split
    assert question.asked == "hồ sơ bk bộ gồm những gì"
    assert question.target_award == "bang-khen-bo"
    assert question.intent == "ho-so"


def test_story_asking_part_is_the_last_question_widened_to_its_award(answerer: Answerer) -> None:
    question = answerer.matcher.understand(STORY)
    assert question.split
    assert question.asked.startswith("Năm nay đơn vị định đề nghị em Bằng khen")
    assert question.asked.endswith("chưa ạ?")
    assert "2020, 2021, 2022" in question.context
    assert question.target_award == "bang-khen-bo"
    assert question.eligibility
    held = {h.award_id: h for h in question.held}
    assert "cstd-co-so" in held and {2020, 2021, 2022} <= set(held["cstd-co-so"].years)
    assert "bang-khen-bo" not in held  # asked for, not held


def test_story_is_answered_on_the_award_asked_for_not_the_one_told_most(answerer: Answerer) -> None:
    reply = answerer.ask(STORY)
    assert reply.status == ANSWER
    assert reply.entry is not None and reply.entry.id == "bang-khen-bo.tieu-chuan"


@pytest.mark.parametrize(
    ("text", "asked_start"),
    [
        ("Tôi là chuyên viên. Năm 2025 tôi nghỉ thai sản. Xin hỏi tôi có được xét LĐTT không?", "Xin hỏi"),
        # Without diacritics, the same reading.
        ("Toi la chuyen vien. Nam 2025 toi nghi thai san. Xin hoi toi co duoc xet LDTT khong?", "Xin hoi"),
        # A marker opens the asking part even when a later sentence asks too.
        (
            "Tôi nghỉ thai sản. Vậy xin hỏi: việc không xét thi đua là đúng hay sai. Và có hình thức xử lý nào?",
            "xin hỏi",
        ),
        # A premise in the same sentence belongs to the ask.
        ("Phòng em chưa ai nộp bản đăng ký thi đua, vậy cuối năm có bị loại khỏi bình xét không?", "Phòng em"),
    ],
)
def test_asking_part_boundaries(answerer: Answerer, text: str, asked_start: str) -> None:
    assert answerer.matcher.understand(text).asked.startswith(asked_start)


def test_sentence_ends_before_a_capital_or_digit_only(answerer: Answerer) -> None:
    clauses = answerer.matcher.understanding.clauses(
        "Tôi công tác từ năm 2007. Thành tích: CSTĐCS v.v. và giấy khen. Hệ số 0,3 từ 01.7.2026 thì sao?"
    )
    assert [c.text for c in clauses] == [
        "Tôi công tác từ năm 2007.",
        "Thành tích: CSTĐCS v.v. và giấy khen.",
        "Hệ số 0,3 từ 01.7.2026 thì sao?",
    ]
    assert [c.asks for c in clauses] == [False, False, True]


def test_closings_are_never_the_asking_part(answerer: Answerer) -> None:
    question = answerer.matcher.understand("Tiền thưởng LĐTT là bao nhiêu? Xin cảm ơn!")
    assert question.asked == "Tiền thưởng LĐTT là bao nhiêu? Xin cảm ơn!"  # one question: read whole
    assert [c.text for c in question.clauses] == ["Tiền thưởng LĐTT là bao nhiêu?"]


def test_a_circumstance_told_in_the_story_outranks_the_award_asked_about(answerer: Answerer) -> None:
    text = (
        "Tôi là chuyên viên, năm 2023 và 2024 đạt chiến sĩ thi đua cơ sở, năm 2025 tôi nghỉ thai sản 6 tháng. "
        "Xin hỏi năm 2025 tôi có được xét Lao động tiên tiến không?"
    )
    question = answerer.matcher.understand(text)
    assert "nghi-thai-san" in question.circumstances
    reply = answerer.ask(text)
    assert reply.entry is not None and reply.entry.id == "nghi-thai-san"


def test_money_for_several_titles_goes_to_the_entry_on_several_titles(answerer: Answerer) -> None:
    text = (
        "Đơn vị tôi có một anh được cả Lao động tiên tiến và Chiến sĩ thi đua cơ sở năm 2025. Cho tôi hỏi anh ấy "
        "nhận tiền thưởng của cả hai danh hiệu hay chỉ một?"
    )
    reply = answerer.ask(text)
    assert reply.entry is not None and reply.entry.id == "nhieu-danh-hieu-cung-luc-tien-thuong"


def test_receiving_two_titles_together_is_no_money_question_without_money(answerer: Answerer) -> None:
    routed = answerer.matcher.understand(
        "Chị ấy vừa được nhận Chiến sĩ thi đua cơ sở vừa được đề nghị Bằng khen Bộ trưởng cùng năm có được không?"
    ).routed_to
    assert routed != "nhieu-danh-hieu-cung-luc-tien-thuong"  # "được nhận" a title is not a bonus
    money = answerer.matcher.understand(
        "Anh ấy đạt Lao động tiên tiến và Chiến sĩ thi đua cơ sở cùng thời gian, vậy đơn vị chỉ chi tiền thưởng "
        "một danh hiệu có đúng không?"
    )
    assert money.routed_to == "nhieu-danh-hieu-cung-luc-tien-thuong"  # "cùng thời gian" says they come together


@pytest.mark.parametrize(
    ("text", "own_entry"),
    [
        ("tiêu chuẩn huân chương độc lập hạng ba", "huan-chuong-doc-lap"),
        ("What is the bonus for Labour Hero?", None),
        ("Hero of Labour criteria", None),
        (
            "Ông tôi được tặng Huân chương Độc lập hạng ba. Xin hỏi tiêu chuẩn Huân chương Độc lập hạng ba là gì?",
            "huan-chuong-doc-lap",
        ),
    ],
)
def test_an_award_outside_the_catalogue_is_answered_only_by_an_entry_naming_it(
    answerer: Answerer, text: str, own_entry: str | None
) -> None:
    reply = answerer.ask(text)
    if reply.status == ANSWER:
        assert reply.entry is not None and reply.entry.id == own_entry  # its own entry, never another award's
    else:
        assert reply.result.reason == UNCOVERED
        assert all(not s.entry.award_id for s in reply.suggestions)  # no other award's entry offered either
        assert "Hero" in reply.message or "Độc lập" in reply.message


def test_the_liberation_fronts_orders_are_not_answered_with_the_labour_orders_entries(answerer: Answerer) -> None:
    reply = answerer.ask("Huân chương Chiến sĩ giải phóng hạng Nhì thì những ai được xét tặng?")
    assert reply.status != ANSWER
    assert reply.result.reason == UNCOVERED
    assert "Chiến sĩ giải phóng" in reply.message


@pytest.mark.parametrize(
    ("text", "entry"),
    [
        ("Huân chương Hữu nghị thì tặng cho những ai?", "huan-chuong-huu-nghi"),
        ("Huân chương Hữu nghị trao cho ai?", "huan-chuong-huu-nghi"),
        ("huy chuong huu nghi xet tang nhung doi tuong nao", "huy-chuong-huu-nghi"),
    ],
)
def test_the_friendship_order_and_the_friendship_medal_are_two_awards(
    answerer: Answerer, text: str, entry: str
) -> None:
    # One uncovered group held both names, so the Medal's entry answered a question on the Order (found probing).
    reply = answerer.ask(text)
    assert reply.status == ANSWER and reply.entry is not None
    assert reply.entry.id == entry


def test_among_entries_naming_an_uncovered_award_the_one_asking_the_same_thing_answers(answerer: Answerer) -> None:
    # Both the bonuses of every order and the order's own overview name Huân chương Độc lập; a money question
    # gets the bonuses (it used to fall back: the two were within a point, and another award's bonus ranked first).
    reply = answerer.ask("huân chương độc lập hạng ba được thưởng bao nhiêu tiền")
    assert reply.status == ANSWER and reply.entry is not None
    assert reply.entry.id == "tien-thuong-cac-loai-huan-chuong"
    criteria = answerer.ask("tiêu chuẩn huân chương độc lập hạng ba")
    assert criteria.entry is not None and criteria.entry.id == "huan-chuong-doc-lap"


def test_without_an_entry_naming_it_an_uncovered_award_gets_an_honest_reply(answerer: Answerer) -> None:
    # (Huân chương Dũng cảm served here until an entry on it was written, 2026-12-07.)
    reply = answerer.ask("Huân chương Đại đoàn kết dân tộc tiêu chuẩn thế nào?")
    assert reply.status != ANSWER
    assert reply.result.reason == UNCOVERED
    assert "Đại đoàn kết" in reply.message and "không trả lời thay" in reply.message


def test_the_armed_forces_medals_are_answered_by_their_own_entry_never_another_awards(answerer: Answerer) -> None:
    for question, entry_id in (
        ("Huy chương Quân kỳ quyết thắng tiêu chuẩn thế nào?", "huy-chuong-luc-luong-vu-trang"),
        # The Chiến sĩ vẻ vang years have their own entry (the earlier Law's figures, said to be history).
        ("phục vụ quân đội 15 năm thì được huy chương chiến sĩ vẻ vang hạng mấy", "huy-chuong-chien-si-ve-vang-so-nam"),
    ):
        reply = answerer.ask(question)
        assert reply.entry is not None and reply.entry.id == entry_id, question


def test_an_award_held_in_the_story_is_no_reason_to_refuse(answerer: Answerer) -> None:
    question = answerer.matcher.understand(
        "Tôi đã có Huân chương Độc lập. Xin hỏi tiền thưởng Huân chương Lao động hạng Ba là bao nhiêu?"
    )
    assert question.uncovered_award is None


def test_the_provincial_tier_is_the_ministrys_and_the_answer_says_whose_rule_it_is(answerer: Answerer) -> None:
    question = answerer.matcher.understand("Bằng khen của UBND tỉnh tiền thưởng bao nhiêu")
    assert question.other_body == "tinh"
    assert question.target_award == "bang-khen-bo"
    reply = answerer.ask("Bằng khen của UBND tỉnh tiền thưởng bao nhiêu")
    assert reply.entry is not None and reply.entry.id == "bang-khen-bo.tien-thuong"
    assert "quy chế thi đua, khen thưởng riêng" in reply.message


def test_the_tiers_generic_award_competes_with_the_awards_named_in_full(answerer: Answerer) -> None:
    """"đã có Huân chương …, nay trình Bằng khen UBND tỉnh": the tier's Bằng khen is asked for, the order is held."""
    text = "Phòng đã có Huân chương Lao động hạng Ba, nay trình Bằng khen UBND tỉnh được không?"
    question = answerer.matcher.understand(text)
    assert question.target_award == "bang-khen-bo"
    assert [held.award_id for held in question.held] == ["huan-chuong-lao-dong"]


def test_the_inspection_sector_named_is_a_body_not_the_inspected_circumstance(answerer: Answerer) -> None:
    """"Thanh tra Chính phủ" says whose rules (another body), in English too; being inspected is the circumstance."""
    body = answerer.matcher.understand("Tiêu chuẩn Cờ thi đua của Thanh tra Chính phủ xét thế nào?")
    assert body.other_body == "bo-khac" and "dang-bi-xem-xet-ky-luat" not in body.circumstances
    english = answerer.matcher.understand("What are the criteria for the flag of the Government Inspectorate?")
    assert english.other_body == "bo-khac"
    inspected = answerer.matcher.understand("Anh ấy đang bị thanh tra thì có được đề nghị Bằng khen không?")
    assert "dang-bi-xem-xet-ky-luat" in inspected.circumstances


def test_another_ministrys_question_gets_the_general_rule_with_a_note(answerer: Answerer) -> None:
    reply = answerer.ask("Trường tôi thuộc Bộ Giáo dục, tiêu chuẩn chiến sĩ thi đua cấp bộ là gì?")
    assert reply.entry is not None and reply.entry.id == "cstd-bo.tieu-chuan"
    assert "quy chế thi đua, khen thưởng riêng" in reply.message


def test_short_questions_keep_their_answers(answerer: Answerer) -> None:
    for text, entry_id in [
        ("hồ sơ bk bộ", "bang-khen-bo.ho-so"),
        ("tieu chuan cstd co so", "cstd-co-so.tieu-chuan"),
        ("tiền thưởng lao động tiên tiến", "lao-dong-tien-tien.tien-thuong"),
    ]:
        reply = answerer.ask(text)
        assert reply.entry is not None and reply.entry.id == entry_id
        assert reply.result.question is not None and not reply.result.question.split


def test_a_pointer_in_a_later_asking_clause_points_into_the_asking_part(answerer: Answerer) -> None:
    """"Văn bản nào quy định vấn đề này?" refers to the question before it, not to the greeting and the scene."""
    question = answerer.matcher.understand(
        "Xin chào Ban biên tập, tôi sinh sống và làm việc tại Trà Vinh. Tôi có tìm hiểu về công tác thi đua, khen"
        " thưởng trong ngành công thương. Tiêu chuẩn xét tặng danh hiệu thi đua đối với tập thể được quy định như"
        " thế nào? Văn bản nào quy định vấn đề này?"
    )
    assert question.asked.startswith("Tiêu chuẩn xét tặng")
    # A pointer in the first asking clause still reaches back into the story.
    story = answerer.matcher.understand(
        "Năm 2023 tôi được Giấy khen của Giám đốc và đạt Chiến sĩ thi đua cơ sở. Trường hợp trên có được đề nghị không?"
    )
    assert story.asked.startswith("Năm 2023")


def test_a_communes_bang_khen_is_read_as_its_giay_khen(answerer: Answerer) -> None:
    """A commune gives no Bằng khen: "bằng khen của UBND xã" is its chairman's Giấy khen, and the answer says so."""
    answered_with(
        answerer,
        "Giáo viên nhận bằng khen của UBND xã thì được mức tiền thưởng bao nhiêu?",
        "giay-khen.tien-thuong",
        "cấp xã không có Bằng khen, Chủ tịch UBND cấp xã tặng Giấy khen",
    )


@pytest.mark.parametrize(
    ("text", "routed"),
    [
        ("Tiêu chuẩn xét Kỷ niệm chương Vì sự nghiệp xây dựng tổ chức Công đoàn?", "knc-co-quan-khac"),
        ("Is the Commemorative Medal for the Cause of Education given to organizations?", "knc-co-quan-khac"),
        ("tiêu chuẩn kỷ niệm chương vì sự nghiệp khoa học và công nghệ", None),
        # A bare "Medal" with its cause after it, as LawNet's English names the sectors' medals.
        ("Who can receive the Medal for the Cause of Customs?", "knc-co-quan-khac"),
        ("Who can receive the Medal for the Cause of Science and Technology?", None),
        ("Is the Medal for the resistance war still awarded?", None),
        ("kỷ niệm chương ngành TT&TT còn xét không", None),
        # A bare "Kỷ niệm chương" in the asking part means the one the story names.
        (
            "Bộ Y tế có thông tư về Kỷ niệm chương 'Vì sự nghiệp Y tế'. Tiêu chuẩn xét tặng Kỷ niệm chương cho người"
            " làm trong ngành được quy định thế nào?",
            "knc-co-quan-khac",
        ),
        ("Tôi đã có Kỷ niệm chương vì sự nghiệp Giáo dục. Tiêu chuẩn Kỷ niệm chương vì sự nghiệp KH&CN là gì?", None),
        ("Đã có kỷ niệm chương vì sự nghiệp giáo dục thì có được kỷ niệm chương vì sự nghiệp KH&CN không?", None),
        # Another body's own title goes to the entry on other bodies' rules.
        ("Tiêu chuẩn danh hiệu thi đua trong Quân đội nhân dân quy định thế nào?", "danh-hieu-bo-nganh-doan-the-khac"),
        ("Danh hiệu vinh dự Viện kiểm sát nhân dân xét cho ai?", "danh-hieu-bo-nganh-doan-the-khac"),
        ("Cờ thi đua của các đơn vị trực thuộc Bộ Y tế xét theo tiêu chuẩn nào?", "danh-hieu-bo-nganh-doan-the-khac"),
        # So do another body's emulation and commendation work and whom its emulation covers.
        ("Quy trình công tác thi đua khen thưởng ngành thuế có gì khác?", "danh-hieu-bo-nganh-doan-the-khac"),
        ("Đối tượng thi đua của Viện kiểm sát nhân dân gồm những ai?", "danh-hieu-bo-nganh-doan-the-khac"),
        ("Hội đồng thi đua khen thưởng Thanh tra Chính phủ họp mấy lần một năm?", "danh-hieu-bo-nganh-doan-the-khac"),
        ("Công tác thi đua khen thưởng của đơn vị năm nay cần làm những gì?", None),
        # Another body's power to give an award itself: its own rules.
        ("Đoàn thanh niên trường có quyền tặng giấy khen cho đoàn viên không?", "danh-hieu-bo-nganh-doan-the-khac"),
        ("Hội Cựu chiến binh huyện có thẩm quyền ký bằng khen không?", "danh-hieu-bo-nganh-doan-the-khac"),
        ("Hội Cựu chiến binh huyện có được tặng bằng khen không?", None),  # given one, not giving it
        # The state's awards stay the Law's, inside another body too; a certificate received from another body and
        # whether it counts here are other entries' questions; the province's titles are the ministry tier's.
        ("Tiêu chuẩn Cờ thi đua của Chính phủ trong Quân đội thế nào?", None),
        ("Danh hiệu thi đua của Bộ Công an có được tính khi xét khen ở Bộ mình không?", None),
        ("Bằng khen của Bộ Công an tặng cho cán bộ bộ mình vì phối hợp", None),
        ("Danh hiệu chiến sĩ thi đua cấp tỉnh xét thế nào?", None),
        # Told, not asked: the clause naming the body's title is the story's.
        ("Anh ấy đã bị tước danh hiệu Công an nhân dân, vậy còn Huy chương Chiến sĩ vẻ vang có bị tước không?", None),
        # A grade with its own entry gets it.
        ("tiêu chuẩn huân chương lao động hạng 2", "hcld-hang-nhat-nhi"),
        ("Muốn được đề nghị Huân chương Lao động hạng Nhất cho cá nhân thì cần tiêu chuẩn gì?", "hcld-hang-nhat-nhi"),
        ("criteria for the Labour Order second class", "hcld-hang-nhat-nhi"),
        # hạng Ba is the catalogue's; other intents of the grades are answered by the catalogue for all grades
        ("tiêu chuẩn huân chương lao động hạng ba", None),
        ("tiền thưởng huân chương lao động hạng nhì", None),
        ("hồ sơ huân chương lao động hạng nhì", None),
    ],
)
def test_reading_rules_send_a_question_to_their_entry(answerer: Answerer, text: str, routed: str | None) -> None:
    """Another body's Kỷ niệm chương or own title, and a grade with its own entry (understanding.yaml's routes)."""
    assert answerer.matcher.understand(text).routed_to == routed


def test_the_answer_on_another_bodys_rules_does_not_add_the_bodys_note_again(answerer: Answerer) -> None:
    reply = answerer.ask("Tiêu chuẩn danh hiệu thi đua trong Công an nhân dân quy định thế nào?")
    assert reply.entry is not None and reply.entry.id == "danh-hieu-bo-nganh-doan-the-khac"
    assert "quy chế thi đua, khen thưởng riêng" not in reply.message


@pytest.mark.parametrize(
    ("text", "routed"),
    [
        # A collective as the asking part's subject: the award's entry for collectives.
        ("Khoa của trường là tập thể, có được đề nghị Bằng khen của Thủ tướng không?", "bktg-tap-the"),
        ("Tiêu chuẩn Bằng khen Thủ tướng cho tập thể là gì?", "bktg-tap-the"),
        ("Đơn vị được tặng Huân chương Lao động hạng Ba cần điều kiện gì?", "huan-chuong-cho-tap-the"),
        # An individual named too, another intent, or "tập thể" inside a title's name: the catalogue answers.
        ("Tiêu chuẩn Bằng khen Thủ tướng cho cá nhân và tập thể?", None),
        ("Hồ sơ Bằng khen Thủ tướng cho tập thể gồm những gì?", None),
        ("Cá nhân thuộc Tập thể lao động xuất sắc có được Bằng khen Thủ tướng không?", None),
        # A title only collectives receive tells who is asked about.
        (
            "Phòng 5 năm liền đạt Tập thể lao động xuất sắc, đủ tiêu chuẩn đề nghị Bằng khen Thủ tướng chưa?",
            "bktg-tap-the",
        ),
        ("Tiêu chuẩn Huân chương Lao động hạng Ba cho cá nhân?", None),
    ],
)
def test_a_collective_subject_goes_to_the_awards_entry_for_collectives(
    answerer: Answerer, text: str, routed: str | None
) -> None:
    assert answerer.matcher.understand(text).routed_to == routed


@pytest.mark.parametrize(
    "text",
    [
        "Bằng khen của Bộ có là cơ sở để đề nghị Huân chương Lao động hạng Ba không?",
        "Đề tài cấp Bộ có được làm căn cứ để xét Chiến sĩ thi đua cấp Bộ không?",
    ],
)
def test_x_as_a_basis_for_an_award_asks_for_its_criteria(answerer: Answerer, text: str) -> None:
    """"X là cơ sở để / làm căn cứ để xét Y": whether X counts toward Y is a question on Y's criteria."""
    assert answerer.matcher.understand(text).intent == "tieu-chuan"


@pytest.mark.parametrize(
    ("text", "target"),
    [
        ("Em đạt Lao động tiên tiến 3 năm thì có được Giấy khen không?", "giay-khen"),
        ("Phòng đạt Tập thể lao động xuất sắc 2 năm thì có được Cờ thi đua của Bộ không?", "co-thi-dua-bo"),
        # Both are marked (xét tặng): the one "có được" asks for wins over the one the story says was considered.
        ("Anh ấy được xét tặng Chiến sĩ thi đua cơ sở, vậy có được xét tặng Bằng khen của Bộ không?", "bang-khen-bo"),
        ("Phòng có hai người được đề nghị Lao động tiên tiến thì có được đề nghị Tập thể lao động tiên tiến không?",
         "tap-the-lao-dong-tien-tien"),
    ],
)
def test_co_duoc_marks_the_award_asked_for(answerer: Answerer, text: str, target: str) -> None:
    """"X … thì có được Y không": Y is asked for, X is held."""
    assert answerer.matcher.understand(text).target_award == target


@pytest.mark.parametrize(
    ("text", "routed"),
    [
        ("Bằng khen của Tỉnh đoàn có được tính khi xét Bằng khen Thủ tướng không?", "bktg-bang-khen-nao-duoc-tinh"),
        ("Bằng khen của Bộ Y tế có được tính khi đề nghị Chiến sĩ thi đua cấp Bộ không?", "bang-khen-cua-bo-khac"),
        (
            "Giấy khen của Liên đoàn Lao động tỉnh có được xem là thành tích khi xét Lao động tiên tiến?",
            "bang-khen-cua-bo-khac",
        ),
        # No other body, or no question whether it counts: the asked award's own entries.
        ("Bằng khen của Bộ có được tính khi xét Bằng khen Thủ tướng không?", None),
        ("Tiêu chuẩn Bằng khen của UBND tỉnh là gì?", None),
    ],
)
def test_whether_another_bodys_certificate_counts_goes_to_the_entry_on_it(
    answerer: Answerer, text: str, routed: str | None
) -> None:
    assert answerer.matcher.understand(text).routed_to == routed


def test_every_special_case_keyword_can_be_named(answerer: Answerer, knowledge) -> None:
    """A keyword is looked for in a question's content words, so it must be read into content words too: read in
    full, "nghỉ chế độ" kept the "độ" that questions lose as a stopword and never matched."""
    matcher = answerer.matcher
    for entry in knowledge.entries.values():
        if not entry.special_case:
            continue
        for keyword in entry.keywords:
            # A keyword two entries share names the first of them; what matters is that it is found at all.
            named = {case for case, _ in matcher._named_cases(f"Xin hỏi {keyword} thì sao?")}
            assert named, (entry.id, keyword)
    question = matcher.understand("em sắp nghỉ chế độ vào tháng 6 thì cuối năm có được xét lao động tiên tiến không")
    assert "nghi-huu-giua-nam" in question.asked_circumstances


@pytest.mark.parametrize(
    ("text", "case_named"),
    [
        ("Cán bộ của Sở có được xét Bằng khen của Bộ trưởng Bộ Giáo dục và Đào tạo không?", False),
        ("Tôi được cử đi đào tạo thạc sĩ cả năm nay thì có được xét Bằng khen của Bộ không?", True),
    ],
)
def test_a_circumstance_word_inside_another_bodys_name_is_no_circumstance(
    answerer: Answerer, text: str, case_named: bool
) -> None:
    question = answerer.matcher.understand(text)
    assert ("di-hoc-dao-tao" in question.circumstances) is case_named


@pytest.mark.parametrize(
    ("text", "routed"),
    [
        ("Kỷ niệm chương của Bộ Tài chính thì nộp hồ sơ ở đâu?", "knc-co-quan-khac"),
        ("ky niem chuong bo giao duc xet cho ai", "knc-co-quan-khac"),
        # The body is the staff's, not the medal's: the ministry's own medal is asked about.
        ("Cán bộ Bộ Tài chính có được xét Kỷ niệm chương không?", None),
    ],
)
def test_a_medal_named_by_its_body_is_that_bodys(answerer: Answerer, text: str, routed: str | None) -> None:
    # Found probing: "Kỷ niệm chương của Bộ Y tế xin ở đâu?" was answered with ky-niem-chuong.so-bo (ours).
    question = answerer.matcher.understand(text)
    assert question.routed_to == routed
