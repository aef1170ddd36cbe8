"""The matcher on the shipped knowledge: fresh questions in every style, out-of-domain look-alikes, small talk."""

from __future__ import annotations

import copy
import unicodedata
from collections.abc import Callable
from pathlib import Path

import pytest
from conftest import MINI_FAQ

from bot.core.knowledge import Knowledge, load_knowledge
from bot.core.matcher import Matcher, MatchSettings
from bot.core.records import ANSWER, FALLBACK, SMALLTALK, SUGGEST


def weak(question: str, expected: str | None, reason: str) -> object:
    """A clear question the matcher gets wrong today; strict, so fixing it turns the test red as a reminder."""
    return pytest.param(question, expected, marks=pytest.mark.xfail(strict=True, reason=reason))


@pytest.fixture(scope="module")
def matcher(knowledge: Knowledge) -> Matcher:
    return Matcher(knowledge)


# Written for this test, not copied from knowledge phrasings or tests/eval.
ANSWERED = [
    # the three award × intent cases of the issue
    ("Hồ sơ đề nghị Bằng khen cấp Bộ gồm những gì?", "bang-khen-bo.ho-so"),
    ("ho so bang khen thu tuong", "bang-khen-thu-tuong.ho-so"),
    ("tiêu chuẩn Bằng khen cấp Bộ", "bang-khen-bo.tieu-chuan"),
    # with diacritics
    ("Muốn đề nghị Huân chương Lao động hạng Ba cần chuẩn bị giấy tờ gì?", "huan-chuong-lao-dong.ho-so"),
    ("Giấy khen do cấp nào ký quyết định?", "giay-khen.tham-quyen"),
    ("Tiền thưởng kèm theo Cờ thi đua của Chính phủ được bao nhiêu?", "co-thi-dua-chinh-phu.tien-thuong"),
    ("Người mới vào làm được 4 tháng có được bình Lao động tiên tiến không?", "moi-tuyen-dung-duoi-6-thang"),
    ("Luật thi đua khen thưởng hiện giờ là luật nào?", "luat-tdkt-hien-hanh"),
    ("Ai có quyền tặng Chiến sĩ thi đua toàn quốc?", "cstd-toan-quoc.tham-quyen"),
    ("Tập thể lao động xuất sắc cần những điều kiện gì?", "tap-the-lao-dong-xuat-sac.tieu-chuan"),
    ("Bằng khen Thủ tướng nộp mấy bộ hồ sơ?", "bang-khen-thu-tuong.so-bo"),
    ("Báo cáo thành tích Huân chương Lao động dùng mẫu nào?", "huan-chuong-lao-dong.mau-bao-cao"),
    ("Đang bị kỷ luật khiển trách thì có được xét danh hiệu không?", "bi-ky-luat"),
    ("Ai tham mưu công tác thi đua ở Bộ KH&CN?", "vu-to-chuc-can-bo-tham-muu-tdkt"),
    ("Chiến sĩ thi đua cơ sở cần mấy năm hoàn thành xuất sắc nhiệm vụ?", "cstd-co-so.tieu-chuan"),
    ("Quỹ khen thưởng của cơ quan lấy từ nguồn nào?", "quy-thi-dua-khen-thuong"),  # answered since answer evidence
    ("Nghị định 98 năm 2023 có còn áp dụng nữa không?", "nd98-het-hieu-luc"),
    # without diacritics
    ("dieu kien de duoc cong nhan chien si thi dua co so", "cstd-co-so.tieu-chuan"),
    ("tien thuong lao dong tien tien duoc bao nhieu", "lao-dong-tien-tien.tien-thuong"),
    ("ai ky quyet dinh tang bang khen bo truong", "bang-khen-bo.tham-quyen"),
    ("nguoi da nghi huu co duoc khen thuong khong", "da-nghi-huu"),
    ("nop ho so khen thuong tong ket nam ve bo han cuoi ngay nao", "han-gui-ho-so-khen-thuong-ve-bo"),
    ("hoi dong thi dua khen thuong cua bo gom ai", "hoi-dong-tdkt-bo-khcn"),
    ("co can dang ky thi dua tu dau nam khong", "dang-ky-thi-dua"),
    ("sang kien de xet chien si thi dua can dieu kien gi", "sang-kien-trong-xet-thi-dua"),
    ("tien thuong tap the gap may lan ca nhan", "tien-thuong-tap-the-va-ca-nhan"),
    # English and mixed
    ("what documents are needed for the Prime Minister's certificate of merit", "bang-khen-thu-tuong.ho-so"),
    ("criteria for grassroots emulation fighter", "cstd-co-so.tieu-chuan"),
    ("how much is the bonus for the Labour Order third class", "huan-chuong-lao-dong.tien-thuong"),
    ("who decides the ministry emulation flag", "co-thi-dua-bo.tham-quyen"),
    ("what is the base salary used for bonuses", "muc-luong-co-so-tinh-thuong"),
    ("is decree 98/2023 still in force", "nd98-het-hieu-luc"),
    ("bonus for advanced worker", "lao-dong-tien-tien.tien-thuong"),
    # abbreviations and teen-code
    ("hs bkttg gồm j", "bang-khen-thu-tuong.ho-so"),
    ("tiền thưởng lđtt bn", "lao-dong-tien-tien.tien-thuong"),
    ("ai ký qđ tặng giấy khen", "giay-khen.tham-quyen"),
    ("lđtt cần tiêu chuẩn j", "lao-dong-tien-tien.tieu-chuan"),
    ("hs cstđ bộ gồm những gì", "cstd-bo.ho-so"),
    ("bkb tiêu chuẩn", "bang-khen-bo.tieu-chuan"),
    ("hclđ hạng iii cần thành tích gì", "huan-chuong-lao-dong.tieu-chuan"),
    ("ttlđxs tiêu chuẩn", "tap-the-lao-dong-xuat-sac.tieu-chuan"),
    ("bk bộ nộp mấy bộ", "bang-khen-bo.so-bo"),
    # typos
    ("tiêu chuẫn chiến sỹ thi đua cơ sở", "cstd-co-so.tieu-chuan"),
    ("ho so bang khen thu tuongg chinh phu", "bang-khen-thu-tuong.ho-so"),
    ("tieu chun bang khen thu tuong", "bang-khen-thu-tuong.tieu-chuan"),
    ("huan chuog lao dong la gi", "huan-chuong-lao-dong.tong-quan"),
    ("tiên thưởng giấy khen", "giay-khen.tien-thuong"),
]


@pytest.mark.parametrize(("question", "expected"), ANSWERED)
def test_answers_fresh_questions(matcher: Matcher, question: str, expected: str) -> None:
    assert expected in matcher.knowledge.entries, "the table names an entry that no longer exists"
    result = matcher.match(question)
    assert result.top is not None
    assert (result.status, result.top.entry_id) == (ANSWER, expected)


def test_prime_minister_dossier_is_not_the_ministrys(matcher: Matcher) -> None:
    ranked = matcher.match("ho so bang khen thu tuong").ranked
    assert ranked[0].entry_id == "bang-khen-thu-tuong.ho-so"
    ministry = next(s.score for s in ranked if s.entry_id == "bang-khen-bo.ho-so")
    assert ranked[0].score - ministry >= matcher.settings.margin


OUT_OF_DOMAIN = [
    "hồ sơ làm hộ chiếu cần những gì",
    "hồ sơ xin cấp hộ chiếu",
    "thủ tục đăng ký kết hôn",
    "học bằng lái xe hạng B2 mất bao lâu",
    "thi bằng lái xe B2",
    "xét tuyển viên chức cần hồ sơ gì",
    "học bổng du học",
    "hoc bong cho sinh vien",
    "giấy phép xây dựng nhà ở",
    "chế độ nghỉ hưu trước tuổi",
    "hồ sơ xin việc gồm những gì",
    "bảo hiểm xã hội bắt buộc",
    "cách tính thuế thu nhập cá nhân",
    "làm thẻ căn cước",
    "mức lương giáo viên",
    ("tuổi nghỉ hưu của nữ", None),
    ("thủ tục nghỉ hưu", None),
    ("đăng ký xe máy", None),
    weak("ai ký hợp đồng lao động", None, "answered hop-dong-lao-dong (73): a labour contract is not a TĐKT topic"),
]


@pytest.mark.parametrize(("question", "expected"), [(q, None) if isinstance(q, str) else q for q in OUT_OF_DOMAIN])
def test_out_of_domain_is_not_answered(matcher: Matcher, question: str, expected: None) -> None:
    result = matcher.match(question)
    assert expected is None
    assert result.status in {SUGGEST, FALLBACK}, f"answered with {result.top}"


@pytest.mark.parametrize(
    ("text", "smalltalk_id"),
    [
        ("xin chào", "chao"),
        ("Chào bạn!", "chao"),
        ("hello", "chao"),
        ("cảm ơn nhiều", "cam-on"),
        ("cam on", "cam-on"),
        ("thanks", "cam-on"),
        ("ok cảm ơn ạ", "cam-on"),
        ("tạm biệt", "tam-biet"),
    ],
)
def test_greetings_and_thanks_are_smalltalk(matcher: Matcher, text: str, smalltalk_id: str) -> None:
    result = matcher.match(text)
    assert (result.status, result.smalltalk_id) == (SMALLTALK, smalltalk_id)
    assert result.ranked == ()


def test_greeting_with_a_question_is_answered(matcher: Matcher) -> None:
    result = matcher.match("chào bạn, hồ sơ đề nghị Bằng khen cấp Bộ gồm những gì?")
    assert result.status == ANSWER
    assert result.top is not None and result.top.entry_id == "bang-khen-bo.ho-so"


@pytest.mark.parametrize("text", ["", "   ", "?!", "ạ"])
def test_empty_questions_fall_back(matcher: Matcher, text: str) -> None:
    result = matcher.match(text)
    assert result.status == FALLBACK
    assert result.ranked == ()


@pytest.mark.parametrize(
    "question",
    [
        "Hồ sơ đề nghị Bằng khen cấp Bộ gồm những gì?",
        "Người mới vào làm được 4 tháng có được bình Lao động tiên tiến không?",
        "Tiền thưởng kèm theo Cờ thi đua của Chính phủ được bao nhiêu?",
        "hồ sơ làm hộ chiếu cần những gì",
    ],
)
def test_nfd_input_matches_like_nfc(matcher: Matcher, question: str) -> None:
    nfc = matcher.match(unicodedata.normalize("NFC", question))
    nfd = matcher.match(unicodedata.normalize("NFD", question))
    assert nfd.status == nfc.status
    assert nfd.ranked == nfc.ranked


def test_both_tone_placements_match_alike(matcher: Matcher) -> None:
    assert matcher.match("Ủy ban nhân dân khen thưởng").ranked == matcher.match("Uỷ ban nhân dân khen thưởng").ranked


def test_ranking_is_deterministic_and_sorted(matcher: Matcher) -> None:
    for question in ("khen thưởng", "hồ sơ", "ho so bang khen thu tuong", "tiền thưởng bao nhiêu"):
        first = matcher.match(question).ranked
        assert first == matcher.match(question).ranked
        keys = [(-s.score, s.entry_id) for s in first]
        assert keys == sorted(keys), "ties must be broken by entry id"


def test_ties_break_by_entry_id_and_are_not_answered(mini_knowledge: Callable[..., Path]) -> None:
    data = copy.deepcopy(MINI_FAQ)
    # Words in neither entry's answer: the answer-evidence stage has nothing to choose by, the tie stays.
    shared = "Zorvex pelquin tra cứu?"
    data["entries"][1]["questions"]["vi"].append(shared)
    data["entries"][2]["questions"]["vi"].append(shared)
    matcher = Matcher(load_knowledge(mini_knowledge(faq=data)))
    result = matcher.match(shared)
    assert [s.entry_id for s in result.ranked[:2]] == ["quy-khen-thuong", "thoi-han-nop"]
    assert result.ranked[0].score == result.ranked[1].score
    assert result.status == SUGGEST
    assert [s.entry_id for s in result.suggestions[:2]] == ["quy-khen-thuong", "thoi-han-nop"]


def test_thresholds_come_from_the_settings(knowledge: Knowledge) -> None:
    question = "Luật thi đua khen thưởng hiện giờ là luật nào?"  # answered at about 71 by default
    settings = MatchSettings(
        answer_threshold=100.5, lead_threshold=100.5, max_suggestions=2, confirm_with_profiles=False
    )
    strict = Matcher(knowledge, settings)
    result = strict.match(question)
    assert result.status == SUGGEST
    assert result.top is not None and result.top.entry_id == "luat-tdkt-hien-hanh"
    assert 1 <= len(result.suggestions) <= 2


def test_suggestions_are_the_top_of_the_ranking(matcher: Matcher) -> None:
    result = matcher.match("hồ sơ làm hộ chiếu cần những gì")  # suggested today: a weak FAQ match
    assert result.status in {SUGGEST, FALLBACK}
    assert list(result.suggestions) == list(result.ranked[: len(result.suggestions)])
    assert len(result.suggestions) <= matcher.settings.max_suggestions


def test_find_award(matcher: Matcher) -> None:
    assert matcher.find_award("bk bộ") == "bang-khen-bo"
    assert matcher.find_award("bang khen thu tuong") == "bang-khen-thu-tuong"
    assert matcher.find_award("HCLĐ") == "huan-chuong-lao-dong"
    assert matcher.find_award("chien si thi dua co so") == "cstd-co-so"
    assert matcher.find_award("xe máy") is None


@pytest.mark.parametrize("text", ["hộ chiếu", "học bổng"])
def test_find_award_ignores_unrelated_words(matcher: Matcher, text: str) -> None:
    assert matcher.find_award(text) is None


def test_telex_typed_with_the_input_method_off_is_understood(matcher: Matcher) -> None:
    result = matcher.match("hoof sow bằng khen bộ")  # hồ sơ, typed in Telex without the input method
    assert result.status == ANSWER
    assert result.top is not None and result.top.entry_id == "bang-khen-bo.ho-so"


def test_intent_words_typed_with_diacritics_are_read_as_typed(matcher: Matcher) -> None:
    # "tiên tiến" folds to the hint "tiền" (money): with diacritics typed it is not a question about money.
    assert matcher.match("giấy khen học sinh tiên tiến lớp 5 được bao nhiêu điểm").status != ANSWER
    # One slipped mark among agreeing words is a typo, not another word; without marks nothing can clash.
    for question in ("giấy khen có kèm tiên thưởng không", "giay khen co kem tien khong"):
        result = matcher.match(question)
        assert result.status == ANSWER and result.top is not None, question
        assert result.top.entry_id == "giay-khen.tien-thuong", question


def test_words_of_another_domain_are_never_answered_by_entries_that_do_not_use_them(matcher: Matcher) -> None:
    # "giấy khen" and "tiền thưởng" are ours, pupils and tax are not: suggestions at most, no answer.
    for question in (
        "mẫu giấy khen học sinh tiên tiến cho trường tiểu học",
        "tiền thưởng bằng khen bộ có phải đóng thuế không",
        "tien thuong bang khen bo co phai dong thue khong",
        "giải bóng đá thi đua giữa các phòng đăng ký ở đâu",
    ):
        assert matcher.match(question).status != ANSWER, question
    # A term counts as used by an entry only as a whole phrase: "hồ sơ … đối chiếu" does not use "hộ chiếu".
    result = matcher.match("Làm hộ chiếu phổ thông lần đầu cần những giấy tờ gì?")
    assert result.top is not None and matcher._foreign_to(result.query, result.top.entry_id)
    # Typed with diacritics a term matches as typed: "thuê" (hire) is not "thuế" (tax), "sơ do" is not "sổ đỏ".
    for question, expected in (
        ("tiền thưởng bằng khen bộ cho người thuê khoán", "bang-khen-bo.tien-thuong"),
        ("hồ sơ bằng khen bộ do ai ký", "bang-khen-bo.tham-quyen"),
    ):
        result = matcher.match(question)
        assert result.status == ANSWER and result.top is not None, question
        assert result.top.entry_id == expected, question


def test_a_special_case_named_with_an_award_outranks_the_award_catalogue_answer(matcher: Matcher) -> None:
    # The award is context; the question is about the circumstance (discipline), which changes the answer.
    question = "Đơn vị em có anh bị kỷ luật khiển trách năm ngoái, tiêu chuẩn Bằng khen Bộ trưởng tính thế nào ạ"
    result = matcher.match(question)
    assert result.top is not None and result.top.entry_id == "bi-ky-luat"
    # Asking for an award's documents keeps the catalogue answer, whatever the circumstance.
    result = matcher.match("Trình huân chương lao động cho giám đốc sắp nghỉ hưu thì cần những giấy tờ gì?")
    assert result.top is not None and result.top.entry_id == "huan-chuong-lao-dong.ho-so"


def test_special_cases_do_not_touch_plain_award_questions(matcher: Matcher) -> None:
    result = matcher.match("tiêu chuẩn bằng khen bộ trưởng là gì")
    assert result.status == ANSWER and result.top is not None
    assert result.top.entry_id == "bang-khen-bo.tieu-chuan"


def test_english_the_is_not_the_vietnamese_the_of_tap_the(matcher: Matcher) -> None:
    # "the" folds to "thể" (tập thể): dropped from English questions unless it pairs with "tập".
    result = matcher.match("how is the bonus rounded?", english=True)
    assert result.status == ANSWER and result.top is not None
    assert result.top.entry_id == "cach-tinh-tien-thuong"
    result = matcher.match("documents for the Tập thể lao động tiên tiến", english=True)
    assert result.top is not None and result.top.entry_id == "tap-the-lao-dong-tien-tien.ho-so"


@pytest.mark.parametrize(
    "question",
    [
        "hạn nộp hồ sơ bằng khen bộ",
        "khi nào phải gửi hồ sơ lao động tiên tiến",
        "hồ sơ bằng khen bộ nộp trước ngày nào",
        "hạn cuối nộp hồ sơ tập thể lao động xuất sắc lên bộ",
        "deadline CSTĐ cơ sở",
    ],
)
def test_deadline_questions_naming_an_award_and_its_dossier_get_the_deadline(matcher: Matcher, question: str) -> None:
    result = matcher.match(question)
    assert result.status == ANSWER and result.top is not None
    assert result.top.entry_id == "han-gui-ho-so-khen-thuong-ve-bo"
    assert matcher.match("hồ sơ bằng khen bộ gồm những gì").top.entry_id == "bang-khen-bo.ho-so"  # type: ignore[union-attr]


@pytest.mark.parametrize(
    ("text", "outside"),
    [
        ("làm hộ chiếu ở đâu", True),  # another domain's term no entry uses
        ("giá vàng hôm nay", True),  # no domain word, nothing close enough to suggest
        ("thời tiết hà nội ngày mai", True),
        ("thuế thu nhập cá nhân tính thế nào", True),
        ("tiêu chuẩn chiến sĩ thi đua cơ sở", False),
        ("ho so bang khen thu tuong gom nhung gi", False),
        ("huân chương hữu nghị tặng cho ai", False),  # an award the knowledge lacks is still a TĐKT question
        ("nộp hồ sơ ở đâu", False),  # no domain word, but an entry is close enough to suggest
    ],
)
def test_outside_domain_tells_other_domains_questions_from_gaps(matcher: Matcher, text: str, outside: bool) -> None:
    assert matcher.outside_domain(text) is outside


@pytest.mark.parametrize(
    ("which_body", "who"),
    [
        ("Cơ quan nào quyết định tặng Huân chương Lao động?", "Ai quyết định tặng Huân chương Lao động?"),
        ("Cơ quan nào công nhận sáng kiến cấp cơ sở?", "Ai công nhận sáng kiến cấp cơ sở?"),
        (
            "Cơ quan nào quyết định tặng danh hiệu Chiến sĩ thi đua cấp Bộ?",
            "Ai quyết định tặng danh hiệu Chiến sĩ thi đua cấp Bộ?",
        ),
    ],
)
def test_which_body_asks_who_as_the_phrasings_do(matcher: Matcher, which_body: str, who: str) -> None:
    """General administrative wording: "cơ quan nào …" is read as the phrasings' "ai …" (synonyms.yaml)."""
    asked, plain = matcher.match(which_body), matcher.match(who)
    assert asked.status == ANSWER and asked.top is not None and plain.top is not None
    assert asked.top.entry_id == plain.top.entry_id
    assert asked.top.score >= plain.top.score - 5  # as sure as the phrasings' own wording, not merely close
