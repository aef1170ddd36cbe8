# ruff: noqa: E501  (questions as officers type them stay on one line)
"""Reading a record and the award asked about from free text (issue 13)."""

from __future__ import annotations

import pytest

from bot.core.eligibility import Record
from bot.core.record_reader import describe_record, read_record

SUBJECTS = {
    "bang-khen-bo": {"individual", "collective"},
    "bang-khen-thu-tuong": {"individual", "collective"},
    "tap-the-lao-dong-tien-tien": {"collective"},
    "tap-the-lao-dong-xuat-sac": {"collective"},
    "co-thi-dua-bo": {"collective"},
}


def read(text: str, year: int = 2026):
    return read_record(text, year, SUBJECTS)


def titles(record: Record, award: str) -> list[int | None]:
    return sorted((h.year for h in record.held if h.award == award), key=lambda y: y or 0)


@pytest.mark.parametrize(
    "text",
    [
        "Tôi đạt CSTĐCS các năm 2023, 2024, 2025. Tôi có đủ điều kiện CSTĐ cấp Bộ không?",
        "toi dat cstdcs cac nam 2023, 2024, 2025. toi co du dieu kien cstd cap bo khong?",
        "Tôi đạt Chiến sĩ thi đua cơ sở 2023-2025, có đủ điều kiện lên Chiến sĩ thi đua cấp Bộ không?",
        "toi 3 nam lien dat chien si thi dua co so, co duoc de nghi chien si thi dua bo khong",
        "CSTĐ cơ sở 2023, 2024 và 2025 thì đã đủ CSTĐ cấp Bộ chưa?",
        "I was a grassroots emulation fighter in 2023, 2024 and 2025. Am I eligible for the ministry-level emulation fighter?",
    ],
)
def test_same_record_in_many_spellings(text: str) -> None:
    reading = read(text)
    assert reading.is_eligibility
    assert reading.award == "cstd-bo"
    assert titles(reading.record, "cstd-co-so") == [2023, 2024, 2025]
    assert not any(h.award == "cstd-bo" for h in reading.record.held)  # the asked award is not a held one


@pytest.mark.parametrize(
    ("text", "award"),
    [
        ("Năm 2025 em HTXS, có được CSTĐCS không?", "cstd-co-so"),
        ("nam 2025 em htt, co duoc ldtt khong", "lao-dong-tien-tien"),
        ("BK Bộ năm 2019, 2020–2024 đều HTT, CSTĐCS 2021, 2022, 2024. Đủ BKTTg chưa?", "bang-khen-thu-tuong"),
        (
            "Được BK TTg năm 2019, 2020-2025 HTT, 2022 HTXS, CSTĐCS 2021, 2023, 2025, đủ HCLĐ hạng Ba chưa?",
            "huan-chuong-lao-dong",
        ),
        ("2 năm liền CSTĐCS 2024, 2025, có 2 SK cấp cơ sở, đủ BK Bộ chưa?", "bang-khen-bo"),
        ("Phòng 10 người, 7 người đạt LĐTT năm 2025, phòng HTT. Có được TTLĐTT không?", "tap-the-lao-dong-tien-tien"),
        (
            "Can she be nominated for the Prime Minister's certificate of merit? She got the Minister's certificate of merit in 2019.",
            "bang-khen-thu-tuong",
        ),
    ],
)
def test_award_asked_about(text: str, award: str) -> None:
    reading = read(text)
    assert reading.is_eligibility and reading.award == award


def test_held_awards_with_kind_and_year() -> None:
    r = read(
        "Em được Bằng khen Bộ đột xuất năm 2019, từ 2020 đến 2024 đều HTT, có đủ điều kiện Bằng khen Thủ tướng không?"
    )
    assert r.award == "bang-khen-thu-tuong"
    bk = [h for h in r.record.held if h.award == "bang-khen-bo"]
    assert [(h.year, h.kind) for h in bk] == [(2019, "dot-xuat")]
    assert [y for y, v in r.record.ratings if v == "HTT"] == [2020, 2021, 2022, 2023, 2024]
    r = read("Anh ấy có bằng khen bộ theo chuyên đề năm 2018, có xin được bằng khen thủ tướng không?")
    assert [h.kind for h in r.record.held if h.award == "bang-khen-bo"] == ["chuyen-de"]


def test_ratings_one_year_beats_a_range() -> None:
    r = read("2020–2025 đều HTT trở lên, năm 2022 HTXS, có đủ HCLĐ hạng Ba không?")
    assert r.record.rating(2022) == "HTXS" and r.record.rating(2021) == "HTT"


def test_gap_year_is_not_filled() -> None:
    r = read("Em được CSTĐCS 2021, 2022 và 2024, năm 2023 chỉ LĐTT. Đủ CSTĐ cấp Bộ chưa?")
    assert titles(r.record, "cstd-co-so") == [2021, 2022, 2024]
    assert titles(r.record, "lao-dong-tien-tien") == [2023]


@pytest.mark.parametrize(
    ("text", "years"),
    [
        ("năm nay tôi HTXS, có được CSTĐCS không", [2026]),
        ("năm ngoái tôi HTXS, có được CSTĐCS không", [2025]),
        ("last year I was rated excellent, do I qualify for CSTĐ cơ sở?", [2025]),
        ("từ 2021 đến nay đều HTT, có được LĐTT không", [2021, 2022, 2023, 2024, 2025]),
    ],
)
def test_relative_years(text: str, years: list[int]) -> None:
    r = read(text)
    assert [y for y, _ in r.record.ratings] == years


def test_current_year_not_yet_rated() -> None:
    r = read("CSTĐCS 2024, 2025; năm nay 2026 chưa bình xét; có SK cấp Bộ. Có đủ CSTĐ cấp Bộ không?")
    assert r.record.pending_years == (2026,)
    assert [(i.kind, i.level) for i in r.record.innovations] == [("sang-kien", "bo")]


@pytest.mark.parametrize(
    ("text", "level"),
    [
        ("3 năm liền CSTĐCS, có sáng kiến cấp Bộ, đủ CSTĐ Bộ không?", "bo"),
        ("3 nam lien cstdcs, sang kien chi cap co so, du cstd bo khong", "co-so"),
        ("3 năm liền CSTĐCS, có đề tài được Bộ trưởng công nhận, đủ CSTĐ Bộ không?", "bo"),
        ("CSTĐ cấp Bộ 2 lần liên tục, có sáng kiến ảnh hưởng toàn quốc, đủ CSTĐ toàn quốc không?", "toan-quoc"),
        (
            "3 years in a row grassroots emulation fighter, initiative recognised at ministry level, eligible for ministry-level emulation fighter?",
            "bo",
        ),
    ],
)
def test_innovation_level(text: str, level: str) -> None:
    r = read(text)
    assert r.is_eligibility
    assert [i.level for i in r.record.innovations] == [level]


def test_counts_of_innovations_and_no_innovation() -> None:
    r = read("CSTĐCS 2024 và 2025, có 2 sáng kiến được công nhận ở cơ sở, đủ BK Bộ không?")
    assert sum(i.count for i in r.record.innovations) == 2
    r = read("Năm 2025 tôi HTT, không có sáng kiến. Có được CSTĐ cơ sở không?")
    assert r.record.no_innovations and not r.record.innovations


def test_discipline_maternity_recruit() -> None:
    r = read(
        "Chị Thu CSTĐCS 2023, 2024, 2025 nhưng năm 2024 bị kỷ luật khiển trách. Có đề nghị CSTĐ cấp Bộ được không?"
    )
    assert [(d.year, d.level) for d in r.record.disciplines] == [(2024, "khien-trach")]
    r = read("Anh Nam CSTĐCS 2023-2025 nhưng đang bị xem xét kỷ luật, có đề nghị CSTĐ cấp Bộ được không?")
    assert r.record.disciplines and r.record.disciplines[0].pending
    r = read("Năm 2025 chị nghỉ thai sản 6 tháng, vẫn HTT, có được LĐTT không?")
    assert r.record.maternity_years == (2025,)
    r = read("Em mới được tuyển dụng 4 tháng, có được xét LĐTT không?")
    assert r.record.new_recruit_months == 4
    r = read("Em mới được tuyển dụng từ tháng 9, cuối năm có được xét LĐTT không?")
    assert r.record.new_recruit_months == 4
    r = read("Người mới tuyển dụng dưới 6 tháng có được xét Lao động tiên tiến không?")
    assert r.record.new_recruit_months == 5  # under 6, not 6


def test_collective_record() -> None:
    r = read("Phòng tôi có 20 người, 14 người đạt LĐTT năm 2025, phòng HTT, không ai bị kỷ luật. Có được TTLĐTT không?")
    rec = r.record
    assert rec.subject == "collective" and rec.members == 20 and rec.ldtt_members == 14
    assert rec.member_disciplined is False and rec.rating(2025) == "HTT"
    r = read("phong em nam 2025 htt, 90% dat ldtt nhung co 1 nguoi bi ky luat canh cao, phong co duoc ttldtt khong")
    assert r.record.ldtt_share == pytest.approx(0.9) and r.record.member_disciplined is True
    r = read(
        "Phòng năm 2025 HTXS, 100% hoàn thành nhiệm vụ nhưng chỉ 60% đạt LĐTT, có 1 người CSTĐCS. Đủ TTLĐXS không?"
    )
    assert r.record.ldtt_share == pytest.approx(0.6) and r.record.all_members_complete and r.record.cstdcs_members == 1
    r = read(
        "Our unit has 20 staff, 15 of them were advanced workers in 2025. Is our unit eligible for the Advanced Labour Collective title?"
    )
    assert r.record.members == 20 and r.record.ldtt_members == 15


def test_a_person_in_my_department_is_not_a_collective() -> None:
    r = read("Anh Tuấn phòng em 2 năm liền 2024, 2025 đạt CSTĐ cơ sở, đã đủ để làm hồ sơ Bằng khen Bộ chưa?")
    assert r.record.subject == "individual" and titles(r.record, "cstd-co-so") == [2024, 2025]


@pytest.mark.parametrize(
    "text",
    [
        "Tiêu chuẩn CSTĐ cấp Bộ là gì?",
        "tieu chuan chien si thi dua cap bo la gi",
        "Phải mấy năm liền là chiến sĩ thi đua cơ sở mới được xét chiến sĩ thi đua cấp Bộ?",
        "Hồ sơ đề nghị Bằng khen Thủ tướng gồm những gì?",
        "what are the criteria for the ministry-level emulation fighter?",
        "Bằng khen Bộ khen đột xuất có được tính để đề nghị bằng khen Thủ tướng không ạ?",
        "Tiền thưởng LĐTT là bao nhiêu?",
        "xin chào",
        # a count that states a requirement, not a record
        "03 lần Chiến sĩ thi đua cơ sở để xét Bằng khen của Thủ tướng có phải liên tục không?",
    ],
)
def test_plain_questions_are_not_eligibility_questions(text: str) -> None:
    assert not read(text).is_eligibility


def test_describe_record_lists_what_was_understood() -> None:
    r = read("Em được Bằng khen Bộ đột xuất năm 2019, CSTĐCS 2020, 2022, 2024, có đủ Bằng khen Thủ tướng không?")
    text = describe_record(r.record)
    assert "Bằng khen cấp Bộ (đột xuất) 2019" in text and "CSTĐ cơ sở 2020, 2022, 2024" in text
    assert "ministry Certificate of Merit (sudden) 2019" in describe_record(r.record, "en")


@pytest.mark.parametrize(
    "text",
    [
        "Năm 2024 tôi HTT, không có sáng kiến hay đề tài nào, có được CSTĐCS không?",
        "nam 2024 em htt, khong co sk va de tai, du cstdcs chua",
        "In 2024 I was rated HTT, no initiative or research task. Do I qualify for CSTĐ cơ sở?",
    ],
)
def test_a_denied_list_denies_every_item(text: str) -> None:
    r = read(text)
    assert r.record.no_innovations and not r.record.innovations


@pytest.mark.parametrize(
    ("text", "years"),
    [
        ("Hai năm gần đây em đều HTXS và có 2 sáng kiến cấp cơ sở, đủ BK Bộ chưa?", [2024, 2025]),
        ("In the last 2 years I was rated HTXS, with 2 initiatives at unit level. Do I qualify for the Minister's certificate of merit?", [2024, 2025]),
    ],
)
def test_recent_years_without_numbers(text: str, years: list[int]) -> None:
    assert [y for y, v in read(text).record.ratings if v == "HTXS"] == years


def test_every_member_an_advanced_worker() -> None:
    r = read("Phòng có 12 người, 12 người đều đạt LĐTT năm 2025, phòng HTXS, có 2 người CSTĐCS. Đủ TTLĐXS không?")
    assert r.record.members == 12 and r.record.ldtt_members == 12 and r.record.cstdcs_members == 2


@pytest.mark.parametrize(
    "text",
    [
        "Tôi 3 năm liền CSTĐCS 2023-2025 và có sáng kiến được công nhận có đủ CSTĐ cấp Bộ không?",
        "toi 3 nam lien cstdcs va co sang kien du cstd bo chua",
        "3 years in a row grassroots emulation fighter with an initiative, eligible for the ministry-level emulation fighter?",
    ],
)
def test_innovation_level_is_not_read_from_the_award_asked(text: str) -> None:
    r = read(text)
    assert r.award == "cstd-bo" and [i.level for i in r.record.innovations] == [None]


@pytest.mark.parametrize(
    "text",
    [
        "Năm 2025 anh ấy có thành tích xuất sắc trong phong trào thi đua, có được CSTĐCS không?",
        "In 2025 she had a good initiative and outstanding achievements. Is she eligible for the grassroots emulation fighter title?",
    ],
)
def test_praise_is_not_a_rating(text: str) -> None:
    assert read(text).record.ratings == ()


def test_a_count_told_as_ones_own_is_still_a_record() -> None:
    assert read("Em có 3 lần Chiến sĩ thi đua cơ sở, đủ Bằng khen Thủ tướng chưa?").is_eligibility


@pytest.mark.parametrize(
    ("text", "pending"),
    [
        ("BK Bộ năm 2021, 2022–2025 HTT, CSTĐCS 2022, 2024, 2025. Năm 2026 đơn vị chưa họp đánh giá xếp loại. Đủ BKTTg không?", (2026,)),
        ("nam 2026 em van lam tot nhung co quan chua to chuc binh xet, co du cstd co so khong", (2026,)),
        ("Năm 2026 em chuyển về phòng mới. BK Bộ năm 2021, 2022–2025 HTT, CSTĐCS 2022, 2024, 2025, đủ BKTTg không?", ()),
    ],
)
def test_current_year_written_out_and_not_yet_rated_is_pending(text: str, pending: tuple[int, ...]) -> None:
    assert read(text).record.pending_years == pending


@pytest.mark.parametrize(
    ("text", "leads"),
    [
        ("Năm 2025 trung tâm xếp thứ hai trong cụm thi đua của Bộ, HTXS. Có được Cờ thi đua của Bộ không?", False),
        ("don vi em xep thu 3 trong khoi thi dua nam 2025, co duoc co thi dua cap bo khong", False),
        ("Năm 2025 đơn vị xếp thứ nhất cụm thi đua, HTXS. Có được Cờ thi đua cấp Bộ không?", True),
        ("In 2025 our centre ranked second in its emulation cluster. Can it get the ministry emulation flag?", False),
    ],
)
def test_a_rank_in_the_cluster_tells_whether_the_unit_leads_it(text: str, leads: bool) -> None:
    r = read(text)
    assert r.is_eligibility and r.award == "co-thi-dua-bo" and r.record.leads_cluster is leads


@pytest.mark.parametrize(
    ("text", "ldtt_members"),
    [
        ("Phòng 2025 HTXS, 100% HTNV trở lên, 16/20 người LĐTT, 1 người CSTĐCS. Đủ TTLĐXS không?", 16),
        ("Phòng 2025 HTXS, 100% thành viên HT trở lên, 16/20 người LĐTT, 1 người CSTĐCS. Phòng có đủ TTLĐXS không?", 16),
        ("phong 2025 htxs, 100% ht tro len, 13/20 nguoi ldtt, 1 nguoi cstdcs, du ttldxs khong", 13),
        ("Phòng 2025 HTXS, 100% HTNV trở lên, 13/20 người LĐTT, 1 người CSTĐCS. Đủ TTLĐXS không?", 13),
    ],
)
def test_every_member_completed_and_a_count_of_advanced_workers(text: str, ldtt_members: int) -> None:
    """'100% HTNV/HT trở lên' (abbreviated) is every member completing; it is a percent of another fact, not the
    share of advanced workers, which the 'n/20 người LĐTT' count gives."""
    r = read(text)
    assert r.award == "tap-the-lao-dong-xuat-sac"  # "trở lên" (or above) is no question cue
    assert r.record.all_members_complete is True
    assert r.record.ldtt_share is None and (r.record.ldtt_members, r.record.members) == (ldtt_members, 20)


@pytest.mark.parametrize(
    ("text", "months"),
    [
        ("em moi ve co quan tu thang 8/2026, cuoi nam nay co duoc binh xet lao dong tien tien khong a", 5),
        ("Tôi mới về đơn vị từ tháng 3, năm nay có được xét LĐTT không?", 10),
        ("Em mới về cơ quan từ tháng 8/2024, năm 2025 HTT, có được LĐTT 2025 không?", None),
    ],
)
def test_months_since_joining_this_year(text: str, months: int | None) -> None:
    r = read(text)
    assert r.award == "lao-dong-tien-tien" and r.record.new_recruit_months == months


@pytest.mark.parametrize(
    ("text", "ratings"),
    [
        ("Tổ có 12 người, năm 2025 có 10 người đạt LĐTT, 1 người chỉ hoàn thành nhiệm vụ. Kết quả xếp loại của tổ chưa có. Tổ có được TTLĐTT không?", ()),
        ("Phòng 2025 HTXS, 100% HTNV trở lên, 16/20 người LĐTT, 1 người CSTĐCS. Đủ TTLĐXS không?", ((2025, "HTXS"),)),
        ("Phòng em 20 người, năm 2025 phòng hoàn thành tốt nhiệm vụ, 2 người chỉ HTNV, 14 người đạt LĐTT. Phòng có được TTLĐTT không?", ((2025, "HTT"),)),
    ],
)
def test_a_members_rating_is_not_the_collectives(text: str, ratings: tuple[tuple[int, str], ...]) -> None:
    r = read(text)
    assert r.record.subject == "collective" and r.record.ratings == ratings


@pytest.mark.parametrize(
    ("text", "used"),
    [
        ("anh Duc CSTDCS 2024 va 2025, ca hai nam deu HTT va moi nam dung 1 sang kien co so de xet CSTDCS. ngoai 2 sang kien do anh khong co sang kien nao khac. anh du bang khen bo chua", ["cstd-co-so"]),
        ("CSTĐCS 2024, 2025; em đã sử dụng 2 sáng kiến cấp cơ sở làm căn cứ xét CSTĐCS. Đủ BK Bộ chưa?", ["cstd-co-so"]),
        ("CSTĐCS 2024, 2025, có 2 sáng kiến cấp cơ sở năm 2025. Đủ BK Bộ chưa?", [None]),
    ],
)
def test_a_sang_kien_used_for_the_grassroots_title_is_marked(text: str, used: list[str | None]) -> None:
    r = read(text)
    assert r.award == "bang-khen-bo" and [i.used_for for i in r.record.innovations] == used


@pytest.mark.parametrize(
    ("text", "levels"),
    [
        # a Sở, its council or its director recognise at the grassroots tier; the council is not a sáng kiến
        ("Tôi CSTĐCS 2021–2023. Trong ba năm đó tôi có ba sáng kiến, đều do Hội đồng sáng kiến của Sở công nhận. Tôi có đủ CSTĐ cấp tỉnh không?", ["co-so"]),
        ("cstdcs 2023-2025, co 1 sang kien duoc giam doc so cong nhan, du cstd cap tinh chua", ["co-so"]),
        # the province's chairman, province-wide: the tier of Điều 22 (CSTĐ bộ, ban, ngành, tỉnh)
        ("cstdcs 2023, 2024, 2025, nam 2024 co sang kien ve phan mem quan ly nhiem vu khoa hoc cap co so, duoc chu tich ubnd tinh cong nhan nhan rong trong pham vi toan tinh. du cstd cap tinh chua", ["bo"]),
        ("CSTĐCS 2023–2025, có 1 sáng kiến được Bộ công nhận. Trong số đó có 2 năm HTXS. Đủ CSTĐ cấp Bộ không?", ["bo"]),
    ],
)
def test_innovation_level_of_a_so_and_of_a_province(text: str, levels: list[str]) -> None:
    r = read(text)
    assert r.award == "cstd-bo" and [i.level for i in r.record.innovations] == levels


@pytest.mark.parametrize(
    ("text", "count", "used"),
    [
        ("CSTĐCS 2024, 2025. Ngoài ra có 2 sáng kiến cấp cơ sở năm 2025. Đủ BK Bộ chưa?", 2, [None]),
        ("CSTĐCS 2024, 2025, có 2 sáng kiến cấp cơ sở được áp dụng hiệu quả cho CSTĐCS 2025. Đủ BK Bộ chưa?", 2, [None]),
        ("CSTĐCS 2024, 2025 nhờ 2 sáng kiến. Ngoài 2 sáng kiến đó em có 2 sáng kiến cấp cơ sở khác năm 2025. Đủ BK Bộ chưa?", 4, ["cstd-co-so", None]),
    ],
)
def test_in_addition_applied_and_thanks_to(text: str, count: int, used: list[str | None]) -> None:
    r = read(text)
    assert sum(i.count for i in r.record.innovations) == count and [i.used_for for i in r.record.innovations] == used


@pytest.mark.parametrize(
    ("text", "months"),
    [
        ("Tôi được tuyển dụng vào Viện từ tháng 9/2026. Cuối năm nay tôi có được xét Lao động tiên tiến không?", 4),
        ("I started working here in October 2026. Can I be considered for the Advanced Worker title this year?", 3),
    ],
)
def test_recruited_this_year_in_other_words(text: str, months: int) -> None:
    r = read(text)
    assert r.is_eligibility and r.award == "lao-dong-tien-tien" and r.record.new_recruit_months == months


def test_ranked_second_in_english_with_a_possessive() -> None:
    r = read("Our centre came second in the ministry's emulation cluster in 2025. Can it get the Ministry Emulation Flag?")
    assert r.is_eligibility and r.record.leads_cluster is False


def test_a_collectives_year_is_the_year_its_members_results_are_told_for() -> None:
    r = read("phong em 15 nguoi, nam 2025 co 12 nguoi dat ldtt, 2 nguoi chi hoan thanh nhiem vu. phong co duoc tap the lao dong tien tien khong")
    assert r.record.target_year == 2025 and r.record.ratings == () and r.record.pending_years == ()


def test_council_of_a_so_and_joining_from_a_month() -> None:
    r = read("Em CSTĐCS 2023–2025, có 2 sáng kiến được Hội đồng sáng kiến Sở công nhận. Em có đủ CSTĐ cấp tỉnh không?")
    assert [i.level for i in r.record.innovations] == ["co-so"]
    assert read("em vao lam tu thang 5/2026, co duoc ldtt nam nay khong").record.new_recruit_months == 8


@pytest.mark.parametrize(
    ("text", "levels"),
    [
        ("Chị Hà CSTĐCS 2022–2024, sáng kiến được UBND tỉnh công nhận phạm vi toàn tỉnh. Chị có đủ CSTĐ cấp tỉnh không?", ["bo"]),
        # the Ministry's title with a province's recognition: not told whether it counts
        ("Chị Hà CSTĐCS 2022–2024, sáng kiến được UBND tỉnh công nhận phạm vi toàn tỉnh. Chị có đủ CSTĐ cấp Bộ không?", [None]),
    ],
)
def test_a_provinces_recognition_counts_for_the_provinces_title(text: str, levels: list[str | None]) -> None:
    assert [i.level for i in read(text).record.innovations] == levels


@pytest.mark.parametrize(
    ("text", "innovations"),
    [
        (
            "Chị Nga CSTĐCS 2024, 2025, có 2 sáng kiến cấp cơ sở năm 2024 và 2025 nhưng đó là 2 sáng kiến đã dùng để xét CSTĐCS. Đủ BK Bộ không?",
            [(2, "co-so", "cstd-co-so")],
        ),
        ("CSTĐCS 2023–2025, có 1 sáng kiến cấp cơ sở. Sáng kiến đó sau được Bộ trưởng công nhận trong toàn Bộ. Đủ CSTĐ cấp Bộ không?", [(1, "bo", None)]),
        ("CSTĐCS 2023–2025; 1 sáng kiến được Cục trưởng công nhận áp dụng trong Cục. Đủ CSTĐ cấp Bộ không?", [(1, "co-so", None)]),
    ],
)
def test_a_reference_to_a_sang_kien_already_told_adds_to_it(text: str, innovations: list[tuple[int, str, str | None]]) -> None:
    got = [(i.count, i.level, i.used_for) for i in read(text).record.innovations]
    assert got == innovations


def test_every_member_completed_told_as_a_fraction() -> None:
    r = read("Phòng em năm 2025 HTXS, 20/20 người HTNV, 15 người LĐTT, 1 người CSTĐCS. Đủ TTLĐXS không?")
    assert r.record.all_members_complete is True and r.record.ldtt_members == 15 and r.record.members == 20


@pytest.mark.parametrize(
    ("text", "members", "ldtt"),
    [
        ("Our team of 10 had 8 Advanced Workers in 2025 and nobody was disciplined. Can it get the Advanced Labour Collective title?", 10, 8),
        ("Phòng 2025 HTXS, 100% hoàn thành nhiệm vụ, 3/4 số người đạt LĐTT, 1 người CSTĐCS. Đủ TTLĐXS không?", 4, 3),
    ],
)
def test_members_told_as_a_team_of_n_or_a_fraction_of_the_people(text: str, members: int, ldtt: int) -> None:
    r = read(text)
    assert (r.record.members, r.record.ldtt_members) == (members, ldtt)


def test_recruited_in_a_month_without_from() -> None:
    assert read("Em mới được tuyển dụng tháng 10/2026, năm nay có được bình xét LĐTT không ạ?").record.new_recruit_months == 3


@pytest.mark.parametrize(
    "text",
    [
        "CSTĐCS 2023-2025, có 1 sáng kiến cấp cơ sở, được Bộ trưởng tặng Bằng khen năm 2024. Đủ CSTĐ cấp Bộ không?",
        "CSTĐCS 2023-2025, có 1 sáng kiến cấp cơ sở, được Bộ trưởng khen. Đủ CSTĐ cấp Bộ không?",
    ],
)
def test_the_next_clause_gives_a_level_only_when_it_tells_a_recognition(text: str) -> None:
    assert [i.level for i in read(text).record.innovations] == ["co-so"]


def test_who_praised_the_person_is_no_level_of_the_sang_kien() -> None:
    r = read("CSTĐCS 2023-2025, có 1 sáng kiến áp dụng tại đơn vị và anh được Bộ trưởng tặng thưởng năm 2024. Đủ CSTĐ cấp Bộ không?")
    assert [i.level for i in r.record.innovations] == ["co-so"]


def test_a_denied_recognition_or_completion_is_not_read_as_told() -> None:
    r = read("CSTĐCS 2023–2025, có 1 sáng kiến nhưng sáng kiến chưa được Bộ công nhận. Đủ CSTĐ cấp Bộ không?")
    assert all(i.level != "bo" for i in r.record.innovations)
    r = read("Phòng 2025 HTXS, chưa đạt 100% HTNV, 16/20 người LĐTT, 1 người CSTĐCS. Đủ TTLĐXS không?")
    assert r.record.all_members_complete is False


def test_english_recruit_provincial_title_pending_rating_and_n_of_m() -> None:
    assert read("I joined the ministry in September 2026. Can I get the Advanced Worker title this year?").record.new_recruit_months == 4
    r = read("I was a grassroots emulation fighter in 2023, 2024 and 2025. Am I eligible for the provincial emulation fighter title?")
    assert r.award == "cstd-bo"
    r = read("She got the Minister's certificate of merit in 2021, completed her tasks well from 2022 to 2025, grassroots emulation fighter in 2022, 2024 and 2025. Her 2026 rating has not been done yet. Can she be proposed for the Prime Minister's certificate of merit?")
    assert r.record.pending_years == (2026,)
    r = read("Our division of 20 completed its tasks excellently in 2025, every member completed their tasks, 13 of 20 were Advanced Workers and one was a grassroots emulation fighter. Is it eligible for the Excellent Labour Collective?")
    assert (r.record.ldtt_members, r.record.members) == (13, 20)


def test_every_member_complete_told_with_ca_and_a_member_not_complete_told_with_htnv() -> None:
    r = read("Năm 2025 phòng em HTXS, cả 12 người đều hoàn thành nhiệm vụ trở lên, 10 người đạt LĐTT, 2 người CSTĐCS. Đủ TTLĐXS không?")
    assert r.record.all_members_complete is True
    r = read("Tổ 9 người, 2025 tổ HTXS, 8 người HTNV trở lên, 1 người không HTNV; 7 LĐTT, 1 CSTĐCS. Đủ TTLĐXS?")
    assert r.record.all_members_complete is False
    r = read("Năm 2025 phòng HTXS, cả phòng đoàn kết, 10/12 người LĐTT, 1 người CSTĐCS. Đủ TTLĐXS không?")
    assert r.record.all_members_complete is None


def test_a_range_told_in_its_own_comma_clause_belongs_to_the_clause_that_follows() -> None:
    r = read("Since then, from 2021 to 2025, he completed his tasks well every year and excellently in 2023. Does he meet the criteria for the Labour Order, Third Class?")
    assert dict(r.record.ratings) == {2021: "HTT", 2022: "HTT", 2023: "HTXS", 2024: "HTT", 2025: "HTT"}
    r = read("Từ 2021 đến 2025, anh đều HTT, năm 2023 HTXS. Đủ HCLĐ hạng Ba không?")
    assert dict(r.record.ratings) == {2021: "HTT", 2022: "HTT", 2023: "HTXS", 2024: "HTT", 2025: "HTT"}


def test_a_bare_name_glossed_by_an_exact_one_is_that_one_and_our_department_as_a_workplace_is_no_collective() -> None:
    r = read("In 2020 I received a certificate of merit (giấy khen) from the director of our department. Since 2021 I have completed my tasks well every year and was grassroots emulation fighter in 2021, 2023 and 2025. Am I eligible for the Prime Minister's certificate of merit?")
    assert r.record.subject == "individual"
    assert titles(r.record, "giay-khen") == [2020] and titles(r.record, "bang-khen-bo") == []
    r = read("In 2020 I received the Minister's certificate of merit (bằng khen cấp Bộ). Am I eligible for the Prime Minister's certificate of merit?")
    assert titles(r.record, "bang-khen-bo") == [2020]
    r = read("Our department completed its tasks excellently in 2024 and 2025. Can it get the Prime Minister's certificate of merit?")
    assert r.record.subject == "collective"


def test_years_joined_by_and_again_in_are_one_list() -> None:
    r = read("My colleague was ministry-level emulation fighter in 2022 and again in 2025. Can he be proposed as national emulation fighter?")
    assert titles(r.record, "cstd-bo") == [2022, 2025]


@pytest.mark.parametrize(
    "text",
    [
        "Viện chúng tôi được thành lập tháng 9 năm 1996. Các năm 2021–2025 Viện đều HTT. Năm 2026 kỷ niệm 30 năm thành lập, tập thể Viện có đủ Bằng khen Bộ không?",
        "Viện thành lập ngày 15/9/1996, các năm 2021–2025 đều HTT, năm 2026 kỷ niệm 30 năm. Tập thể Viện đủ BK Bộ không?",
        "Our institute was founded in September 1996 and completed its tasks well from 2021 to 2025. Can the collective get the Minister's certificate of merit at its 30th anniversary?",
    ],
)
def test_a_founding_date_with_day_or_month_gives_the_founding_year(text: str) -> None:
    assert read(text).record.founded_years == 30


def test_htt_tro_len_is_a_floor_not_the_rating() -> None:
    r = read("Tôi công tác ở Sở từ 2010, 2021–2025 đều HTT trở lên. Năm 2026 Sở kỷ niệm 30 năm thành lập. Đủ đề nghị BK Bộ dịp này không?")
    assert r.record.rating_floors == (2021, 2022, 2023, 2024, 2025)
    r = read("2021–2025 đều HTT trở lên, năm 2023 HTXS, kỷ niệm 30 năm thành lập. Đủ BK Bộ không?")
    assert r.record.rating_floors == (2021, 2022, 2024, 2025) and r.record.rating(2023) == "HTXS"
    r = read("2021–2025 đều HTT, kỷ niệm 30 năm thành lập. Đủ BK Bộ không?")
    assert r.record.rating_floors == ()


@pytest.mark.parametrize(
    ("text", "years"),
    [
        ("A male colleague joined our institute in 2019 after ten years teaching at a private university. Is he eligible for the Minister's certificate of merit at our 30th anniversary?", 7),
        ("Tôi công tác ở Sở từ 2010, 2021–2025 đều HTT trở lên. Năm 2026 Sở kỷ niệm 30 năm thành lập. Đủ đề nghị BK Bộ dịp này không?", 16),
        ("Anh vào ngành năm 2008, các năm 2021–2025 đều HTT, 2023 HTXS. Dịp kỷ niệm 20 năm thành lập có đủ BK Bộ không?", 18),
        ("Anh làm ở Cục từ 2015 đến 2020 rồi chuyển sang doanh nghiệp. Dịp kỷ niệm 20 năm thành lập có đủ BK Bộ không?", None),
    ],
)
def test_service_told_by_its_start_year(text: str, years: int | None) -> None:
    assert read(text).record.service_years == years


def test_english_cluster_ranking_and_can_it_questions_are_read() -> None:
    r = read("Our institute was voted first in the ministry's cluster of research institutes for 2025. Can we be proposed for the ministry's emulation flag?")
    assert r.award == "co-thi-dua-bo" and r.record.leads_cluster is True and r.is_eligibility
    r = read("Our department completed its tasks well in 2025 and most of the staff were Advanced Workers. Can it be an Advanced Labour Collective?")
    assert r.award == "tap-the-lao-dong-tien-tien" and r.is_eligibility
    assert r.record.ldtt_share is None and r.record.ldtt_members is None  # "most" is no share


def test_a_dated_recognised_initiative_makes_a_record_and_this_years_title_waits_for_the_rating() -> None:
    r = read("nam nay 2026 em co 1 sang kien duoc co so cong nhan, em du cstd co so nam 2026 chua")
    assert r.award == "cstd-co-so" and r.is_eligibility and r.record.pending_years == (2026,)


def test_the_people_named_are_read_from_the_text_as_written() -> None:
    r = read("Anh Tùng 3 năm liền CSTĐCS 2023-2025, sáng kiến của anh được Bộ trưởng công nhận. Chị Mai thì chưa có gì. Chị Mai có đủ CSTĐ cấp Bộ không?")
    assert r.record.people == ("tung", "mai")
    assert read("Anh Phong tổ em năm 2025 HTT, có 1 sáng kiến cơ sở. Anh Phong đủ CSTĐCS không?").record.people == ("phong",)
    assert read("Anh ấy năm 2025 HTT. Đủ LĐTT không?").record.people == ()


def test_an_initiative_told_as_recognised_or_accepted_is_marked_recognised() -> None:
    r = read("one of our engineers was rated hoàn thành xuất sắc 2 years running and also has two accepted initiatives – can we nominate her for the Minister's Bằng khen?")
    assert [i.recognised for i in r.record.innovations] == [True]
    r = read("Anh Nam 2024, 2025 đều HTXS, có 2 sáng kiến. Đủ BK Bộ không?")
    assert [i.recognised for i in r.record.innovations] == [False]
    r = read("Anh Nam 2024, 2025 đều HTXS, có 2 sáng kiến nhưng chưa được công nhận. Đủ BK Bộ không?")
    assert [i.recognised for i in r.record.innovations] == [False]


def test_the_tellers_own_fact_in_a_story_about_someone_else_makes_two_people() -> None:
    r = read("My boss was grassroots emulation fighter in 2023, 2024 and 2025, and the Minister recognised my initiative across the ministry. Can my boss get the ministry-level emulation fighter title?")
    assert len(r.record.people) == 2
    r = read("I was grassroots emulation fighter in 2023, 2024 and 2025, and the Minister recognised my initiative across the ministry. Do I qualify for the ministry-level emulation fighter title?")
    assert r.record.people == ()


@pytest.mark.parametrize(
    ("text", "refused", "level"),
    [
        ("Em HTT năm 2025. Sáng kiến của em gửi Hội đồng sáng kiến nhưng bị xếp loại không đạt. Em có được CSTĐCS 2025 không?", True, None),
        ("Năm 2025 em HTT, có 1 SK đã nộp HĐ nhưng không được công nhận. Đủ CSTĐCS 2025 chưa?", True, None),
        ("In 2025 I completed my tasks well; my initiative was rejected by the council. Can I get the grassroots emulation fighter title?", True, None),
        # a level refused is read with the level, the sáng kiến stays
        ("CSTĐCS 2023–2025, có 1 SK được công nhận cấp cơ sở nhưng không được công nhận cấp Bộ. Đủ CSTĐ cấp Bộ không?", False, "co-so"),
        # not yet is not refused
        ("Năm 2025 em HTT, có 1 sáng kiến chưa được công nhận. Đủ CSTĐCS 2025 chưa?", False, None),
    ],
)
def test_a_sang_kien_refused_by_its_council(text: str, refused: bool, level: str | None) -> None:
    inns = read(text).record.innovations
    assert [(i.refused, i.level) for i in inns] == [(refused, level)]


@pytest.mark.parametrize(
    ("text", "used"),
    [
        ("CSTĐCS 2023, 2024, 2025; sáng kiến cấp Bộ năm 2024 của chị đã dùng làm căn cứ cho Bằng khen Bộ năm 2025. Chị đủ CSTĐ cấp Bộ chưa?", "bang-khen-bo"),
        ("Anh có 1 sáng kiến được Bộ công nhận, và sáng kiến này đã được sử dụng để đề nghị Bằng khen Thủ tướng năm ngoái. Đủ CSTĐ cấp Bộ không, anh CSTĐCS 2023-2025?", "bang-khen-thu-tuong"),
        # the proposal asked about is no use; "chưa dùng" neither
        ("CSTĐCS 2023–2025, 1 sáng kiến được Bộ trưởng công nhận năm 2025, đơn vị định dùng sáng kiến đó để đề nghị CSTĐ cấp Bộ có được không?", None),
        ("CSTĐCS 2023–2025, sáng kiến cấp Bộ năm 2025 chưa dùng để xét Bằng khen nào. Đủ CSTĐ cấp Bộ không?", None),
    ],
)
def test_the_award_a_sang_kien_was_already_used_for(text: str, used: str | None) -> None:
    r = read(text)
    assert r.award == "cstd-bo" and [i.used_for for i in r.record.innovations] == [used]


def test_sang_kien_told_with_their_years_and_a_word_ending_in_an() -> None:
    r = read("CSTĐCS 2024 và 2025. Em có 2 sáng kiến cơ sở, được công nhận năm 2021 và 2022. Đủ Bằng khen Bộ chưa?")
    assert [(i.count, i.years) for i in r.record.innovations] == [(2, (2021, 2022))]
    # "để anh nhận" is no "đề án"
    r = read("CSTĐCS 2023–2025, 1 sáng kiến cấp Bộ, đơn vị làm hồ sơ để anh nhận CSTĐ cấp Bộ được không?")
    assert [i.kind for i in r.record.innovations] == ["sang-kien"]


@pytest.mark.parametrize(
    ("text", "level"),
    [
        # a task's tier and who accepted it are not the level its effect was recognised at
        ("CSTĐCS 2023–2025. Năm 2025 tôi chủ nhiệm đề tài cấp Bộ, đã nghiệm thu. Đủ CSTĐ cấp Bộ không?", None),
        ("CSTĐCS 2023–2025, đề tài của tôi được Hội đồng nghiệm thu của Bộ đánh giá đạt. Đủ CSTĐ cấp Bộ không?", None),
        ("CSTĐCS 2023–2025, đề tài cấp Bộ của tôi được Bộ trưởng công nhận hiệu quả trong phạm vi Bộ. Đủ CSTĐ cấp Bộ không?", "bo"),
        # applied is not recognised, above the unit
        ("CSTĐCS 2023–2025, sáng kiến của tôi đã được triển khai trong toàn Bộ. Đủ CSTĐ cấp Bộ không?", None),
        ("CSTĐCS 2023–2025, sáng kiến của tôi được Bộ công nhận và triển khai trong toàn Bộ. Đủ CSTĐ cấp Bộ không?", "bo"),
    ],
)
def test_tier_acceptance_and_application_are_not_a_recognised_level(text: str, level: str | None) -> None:
    assert [i.level for i in read(text).record.innovations] == [level]


def test_the_scope_told_after_the_recognition_and_data_is_no_question() -> None:
    r = read("CSTĐ cấp Bộ 2022 và 2025 liên tục. Sáng kiến về chia sẻ dữ liệu giữa các đơn vị của anh được Hội đồng Thi đua - Khen thưởng Trung ương công nhận có khả năng nhân rộng trong phạm vi toàn quốc. Anh đủ CSTĐ toàn quốc không?")
    assert [i.level for i in r.record.innovations] == ["toan-quoc"]


@pytest.mark.parametrize(
    ("text", "inspected"),
    [
        ("Năm 2025 đơn vị HTXS, 90% LĐTT. Hiện cơ quan đang bị kiểm tra vì có dấu hiệu sai phạm. Đơn vị có được TTLĐXS không?", True),
        ("Our unit completed its tasks excellently in 2025; it is currently under investigation for procurement. Can it get the Excellent Labour Collective title?", True),
        ("Năm 2025 đơn vị HTXS, 90% LĐTT. Đợt thanh tra năm ngoái đã kết luận không vi phạm. Đơn vị có được TTLĐXS không?", False),
    ],
)
def test_an_inspection_under_way(text: str, inspected: bool) -> None:
    assert read(text).record.under_inspection is inspected


@pytest.mark.parametrize(
    ("text", "untold", "disciplined"),
    [
        ("Phòng 12 người, 2025 HTT, 10 người LĐTT, một chị trong phòng bị kỷ luật năm 2025, chưa biết hình thức. Phòng có được TTLĐTT không?", True, None),
        ("Phòng 12 người, 2025 HTT, 10 người LĐTT, có 1 đồng nghiệp bị kỷ luật cảnh cáo. Phòng có được TTLĐTT không?", False, True),
        ("Phòng 12 người, 2025 HTT, 10 người LĐTT, 1 người bị kỷ luật khiển trách, không ai bị cảnh cáo. Phòng có được TTLĐTT không?", False, False),
    ],
)
def test_a_members_discipline_and_its_form(text: str, untold: bool, disciplined: bool | None) -> None:
    rec = read(text).record
    assert rec.subject == "collective" and rec.disciplines == ()
    assert (rec.member_discipline_untold, rec.member_disciplined) == (untold, disciplined)


@pytest.mark.parametrize(
    ("text", "share"),
    [
        ("Phòng 20 người, năm 2025 HTT, ba phần tư số người đạt LĐTT. Phòng có được TTLĐTT không?", 0.75),
        ("Tổ có 9 người, 2025 tổ HTT, hai phần ba thành viên đạt danh hiệu lao động tiên tiến. Đủ TTLĐTT chưa?", 2 / 3),
        ("Our office of 8 people completed its tasks well in 2025 and half of us were Advanced Workers. Does it qualify as an Advanced Labour Collective?", 0.5),
        ("Our division of 30 completed its tasks well in 2025; four fifths of the staff earned the Advanced Worker title. Can it be an Advanced Labour Collective?", 0.8),
    ],
)
def test_a_share_told_as_a_fraction(text: str, share: float) -> None:
    rec = read(text).record
    assert rec.subject == "collective" and rec.ldtt_share == pytest.approx(share)


@pytest.mark.parametrize(
    ("text", "complete"),
    [
        ("Phòng 8 người, 2025 phòng HTXS. Kết quả từng người: 3 HTXS, 4 HTT, 1 HTNV; 7 người LĐTT, 1 CSTĐCS. Đủ TTLĐXS không?", True),
        ("Phòng 8 người, 2025 phòng HTXS. Cá nhân: 3 HTXS, 4 HTT, 1 KHT; 7 người LĐTT, 1 CSTĐCS. Đủ TTLĐXS không?", False),
        # the counts do not make up the head count: not told
        ("Phòng 10 người, 2025 phòng HTXS. Cá nhân: 3 HTXS, 4 HTT; 8 người LĐTT, 1 CSTĐCS. Đủ TTLĐXS không?", None),
    ],
)
def test_members_ratings_told_by_count(text: str, complete: bool | None) -> None:
    rec = read(text).record
    assert rec.subject == "collective" and rec.all_members_complete is complete


def test_only_completed_is_a_plain_completion() -> None:
    r = read("BK Bộ 2018. 2019 HTT, 2020 xếp loại hoàn thành, 2021–2024 HTT. Đủ BKTTg chưa?")
    assert dict(r.record.ratings)[2020] == "HT" and dict(r.record.ratings)[2019] == "HTT"
    r = read("BK Bộ 2018. Năm 2019 chị chỉ hoàn thành, các năm 2020–2024 hoàn thành tốt. Đủ BKTTg chưa?")
    assert dict(r.record.ratings)[2019] == "HT"


def test_vague_years_and_counts_are_no_facts() -> None:
    r = read("chi ay duoc bang khen bo nam 2019. nhung nam gan day chi deu hoan thanh tot nhiem vu va dat may lan cstd co so. de nghi bang khen thu tuong duoc khong")
    assert r.record.ratings == () and r.record.vague_titles == ("cstd-co-so",)
    assert titles(r.record, "cstd-co-so") == []
    # "mấy năm nay" is no "năm nay"
    assert read("may nam nay em deu htt, nam 2025 cstdcs, du bang khen bo chua").record.pending_years == ()


def test_a_story_asking_of_a_person_in_a_department_is_hers() -> None:
    r = read("Our department turns 30 this year. My colleague Lan has served the ministry for twelve years and completed her tasks well 2021-2025, excellently in 2024. Can she get the Minister's certificate of merit for the anniversary?")
    assert r.award == "bang-khen-bo" and r.record.subject == "individual"


@pytest.mark.parametrize(
    ("text", "years"),
    [
        ("Chị Lan được CSTĐ cấp Bộ đợt 2019–2021 và đợt 2022–2024, sáng kiến được Bộ trưởng công nhận phạm vi toàn quốc. Chị đủ CSTĐ toàn quốc không?", [2021, 2024]),
        ("He was a ministry-level emulation fighter for the 2018-2020 cycle and the 2021-2023 cycle. Can he be a national emulation fighter?", [2020, 2023]),
        # a period of work after the award's own year is no cycle
        ("Năm 2024 tôi được CSTĐ cấp Bộ, tổng kết đợt 2021–2023. Tôi có đủ CSTĐ toàn quốc không?", [2024]),
    ],
)
def test_a_title_told_by_its_cycles_is_one_a_cycle(text: str, years: list[int]) -> None:
    assert titles(read(text).record, "cstd-bo") == years


def test_the_long_service_route_is_read_when_raised() -> None:
    r = read("Bà Hoa làm Phó Cục trưởng 12 năm, sắp nghỉ hưu. Cục đề nghị Huân chương Lao động hạng Ba theo quá trình cống hiến cho bà có được không?")
    assert r.is_eligibility and r.award == "huan-chuong-lao-dong" and r.record.routes == ("long-service",)
    assert read("BK TTg 2019, 2020–2024 HTT, CSTĐCS 2020, 2022, 2024. Đủ HCLĐ hạng Ba chưa?").record.routes == ()


def test_more_refusals_inspections_and_grades() -> None:
    r = read("Năm 2025 tôi HTT, không HTXS. Sáng kiến của tôi Hội đồng sáng kiến không công nhận. Tôi có được CSTĐCS 2025 không?")
    assert [i.refused for i in r.record.innovations] == [True]
    r = read("Năm 2025 Viện HTXS, 100% hoàn thành nhiệm vụ, 80% LĐTT, 1 CSTĐCS. Đoàn kiểm tra của Bộ đang làm việc với Viện về dấu hiệu sai phạm, chưa có kết luận. Viện đủ TTLĐXS không?")
    assert r.record.under_inspection
    r = read("Năm 2025 phòng em HTXS, 100% HTNV, 90% LĐTT, 2 người CSTĐCS. Hiện phòng đang có đơn tố cáo đang được xác minh. Phòng có được TTLĐXS không?")
    assert r.record.under_inspection
    # the grade a council gave a đề tài is not the person's rating
    r = read("CSTĐCS 2023–2025. Đề tài cấp Bộ của tôi đã nghiệm thu, xếp loại xuất sắc. Tôi đủ CSTĐ cấp Bộ chưa?")
    assert r.record.ratings == () and [i.level for i in r.record.innovations] == [None]


def test_recognised_since_a_year_and_a_level_before_the_recogniser() -> None:
    r = read("CSTĐCS 2024 và 2025. 2 sáng kiến cấp cơ sở của em đều được công nhận từ năm 2021. Đủ BK Bộ không?")
    assert [(i.level, i.year) for i in r.record.innovations] == [("co-so", 2021)]


def test_bounds_vague_counts_service_in_words_and_cycles_in_brackets() -> None:
    assert read("Phòng 20 người, 2025 HTT, hơn một nửa số người đạt LĐTT. Đủ TTLĐTT không?").record.ldtt_share is None
    r = read("He received the minister's certificate of merit in 2020 and was a grassroots emulation fighter several times since then, completing his tasks well every year. Can he get the Prime Minister's certificate of merit?")
    assert titles(r.record, "cstd-co-so") == [] and r.record.vague_titles == ("cstd-co-so",)
    r = read("Chị ấy được BK Bộ năm 2019, nhiều năm liền HTT, được CSTĐCS nhiều lần. Đủ BKTTg chưa?")
    assert r.record.ratings == () and r.record.vague_titles == ("cstd-co-so",)
    r = read("Our department of 25 staff marks its 15th anniversary this year; could she, a woman with nine years in the ministry who completed tasks well 2021-2025 and excellently in 2022, get the Minister's certificate of merit?")
    assert r.record.subject == "individual" and r.record.service_years == 9
    r = read("Anh đạt CSTĐ cấp Bộ 2 đợt liên tục (2019-2021, 2022-2024), có sáng kiến được công nhận phạm vi toàn quốc. Đủ CSTĐ toàn quốc không?")
    assert titles(r.record, "cstd-bo") == [2021, 2024]


def test_a_leaders_years_in_post_at_retirement_raise_the_long_service_route() -> None:
    r = read("Đồng chí Cục trưởng đã giữ chức Cục trưởng 7 năm, Phó Cục trưởng 6 năm, năm 2027 nghỉ hưu, chưa có Bằng khen Thủ tướng. Đề nghị Huân chương Lao động hạng Ba cho đồng chí được không?")
    assert r.is_eligibility and r.record.routes == ("long-service",)


def test_years_of_sang_kien_told_one_by_one_and_a_refusal_by_a_named_council() -> None:
    r = read("CSTĐCS 2024, 2025, có 2 sáng kiến cấp cơ sở, một cái năm 2021, một cái năm 2022. Đủ BK Bộ chưa?")
    assert [(i.count, i.years) for i in r.record.innovations] == [(2, (2021, 2022))]
    r = read("My initiative was turned down by the ministry's council, and I completed my tasks well in 2025. Can I be a grassroots emulation fighter for 2025?")
    assert [(i.refused, i.level, i.year) for i in r.record.innovations] == [(True, None, None)]
    assert r.record.ratings == ((2025, "HTT"),)  # a rating after the council's name in another clause is the person's


def test_a_but_clause_about_the_sang_kien_and_a_bare_completed_after_a_year() -> None:
    r = read("Chị Thu CSTĐCS 2024 và 2025, có 2 sáng kiến cấp cơ sở nhưng cả hai đều được công nhận từ năm 2020. Chị đủ Bằng khen Bộ không?")
    assert [(i.level, i.year) for i in r.record.innovations] == [("co-so", 2020)]
    r = read("BK Bộ 2018 (công trạng). 2019 HTT, 2020 hoàn thành, 2021–2024 HTT. CSTĐCS 2019, 2021, 2023. Đủ BKTTg chưa?")
    assert dict(r.record.ratings)[2020] == "HT"


@pytest.mark.parametrize(
    "text",
    [
        "Em có 2 sáng kiến cấp cơ sở, đã dùng để xét CSTĐCS 2024 và 2025. Em CSTĐCS 2024, 2025. Đủ BK Bộ chưa?",
        "CSTĐCS 2024, 2025 với 2 SK cơ sở, SK đó em đã dùng khi xét CSTĐCS. Đủ BK Bộ không?",
    ],
)
def test_a_use_told_in_the_next_clause_or_with_khi(text: str) -> None:
    assert [i.used_for for i in read(text).record.innovations] == ["cstd-co-so"]


def test_a_tasks_acceptance_then_the_ministers_recognition_and_a_team_of_n_people() -> None:
    r = read("Anh có đề tài cấp Bộ, đã nghiệm thu và được Bộ trưởng công nhận hiệu quả áp dụng trong phạm vi Bộ. Anh CSTĐCS 2023-2025. Đủ CSTĐ cấp Bộ không?")
    assert [i.level for i in r.record.innovations] == ["bo"]
    r = read("My section of 10 people completed its tasks well in 2025 and 8 were Advanced Workers; one member got a warning. Does the section qualify as an Advanced Labour Collective?")
    assert r.record.ratings == ((2025, "HTT"),) and r.record.member_disciplined is True


@pytest.mark.parametrize(
    ("text", "unread"),
    [
        # words of a refusal, a use, an inspection the reader did not place
        ("CSTĐCS 2023–2025, có 1 sáng kiến cấp Bộ nhưng hồ sơ sáng kiến từng bị Hội đồng bác bỏ một lần. Đủ CSTĐ cấp Bộ không?", ("refusal",)),
        ("CSTĐCS 2023–2025, 1 sáng kiến được Bộ trưởng công nhận năm 2024, đề tài này trước đây đã tính vào thành tích chung. Đủ CSTĐ cấp Bộ không?", ("use",)),
        ("Năm 2025 phòng HTXS, 100% HTNV, 90% LĐTT, 1 CSTĐCS; tháng trước có đoàn thanh tra về phòng. Đủ TTLĐXS không?", ("inspection",)),
        # placed, or denied: nothing left
        ("CSTĐCS 2023–2025, sáng kiến cấp Bộ năm 2025 chưa dùng để xét Bằng khen nào. Đủ CSTĐ cấp Bộ không?", ()),
        ("Năm 2025 phòng HTXS, 100% HTNV, 90% LĐTT, 1 CSTĐCS, không bị thanh tra. Đủ TTLĐXS không?", ()),
    ],
)
def test_circumstances_told_but_not_read_are_kept(text: str, unread: tuple[str, ...]) -> None:
    assert read(text).record.unread == unread


@pytest.mark.parametrize(
    ("text", "unread"),
    [
        # a limitation told after a contrast: the reading may have missed it
        ("Em HTXS năm 2024 và 2025, có 1 sáng kiến cấp cơ sở năm 2025, nhưng năm 2025 em chỉ đi làm 5 tháng. Đủ CSTĐCS 2025 chưa?", ("contrast",)),
        ("I was rated excellent in 2025 and have one grassroots initiative, but I have not been rated for 2024. Am I eligible for grassroots emulation fighter 2025?", ("contrast",)),
        # "nhưng không bị kỷ luật" is read as no discipline, no limitation
        ("Em HTXS năm 2025, có 1 sáng kiến cơ sở năm 2025, nhưng không bị kỷ luật gì. Đủ CSTĐCS 2025 chưa?", ()),
    ],
)
def test_a_limitation_told_after_a_contrast_is_kept_unread(text: str, unread: tuple[str, ...]) -> None:
    assert read(text).record.unread == unread


# ---- elig-gen: reading rules found by the probe set eligibility-dev-n.yaml (sentences written for these tests) ----


@pytest.mark.parametrize(
    ("text", "months"),
    [
        ("She was recruited by our institute on 15 September 2026. Can she be an Advanced Worker this year?", 4),
        ("Anh ấy được tuyển dụng ngày 02/11/2026, cuối năm nay có được xét LĐTT không?", 2),
        ("He was recruited on March 3, 2026 and rated HTT this year. Is he eligible for Advanced Worker?", 10),
        # a date of an earlier year is no months of this one
        ("Em được tuyển dụng ngày 01/10/2024, năm 2026 có được LĐTT không?", None),
    ],
)
def test_a_recruitment_told_by_its_date(text: str, months: int | None) -> None:
    assert read(text).record.new_recruit_months == months


def test_a_date_far_from_the_recruitment_is_not_its_start() -> None:
    text = "Em mới được tuyển dụng vào Cục, sau đó đi học bồi dưỡng ở trường rồi mới về làm việc, đơn vị họp bình xét ngày 15/12/2026. Em có được LĐTT không?"
    assert read(text).record.new_recruit_months is None


def test_service_since_a_year_without_nam() -> None:
    r = read("Chị vào cơ quan từ 2019, năm 2025 chị HTT. Chị có đủ LĐTT 2025 không?")
    assert r.record.service_years == 7 and r.is_eligibility


def test_a_founding_year_is_a_record_fact() -> None:
    r = read("Trung tâm thành lập năm 2011, năm 2026 kỷ niệm 15 năm. Trung tâm có được đề nghị Bằng khen Bộ cho tập thể không?")
    assert r.is_eligibility and r.record.founded_years == 15 and r.record.subject == "collective"


def test_co_dat_asks_about_the_title() -> None:
    r = read("Năm 2025 tổ em HTT, 9/12 người LĐTT. Tổ có đạt Tập thể lao động tiên tiến không?")
    assert r.award == "tap-the-lao-dong-tien-tien" and r.is_eligibility


def test_an_award_told_as_not_held_is_not_the_one_asked() -> None:
    r = read("Chị chưa có Bằng khen Thủ tướng, chị làm Vụ trưởng 9 năm, sắp nghỉ hưu. Vụ định đề nghị Huân chương Lao động hạng Ba cho chị. Được không?")
    assert r.award == "huan-chuong-lao-dong"
    # the only award told, even denied, is still the one asked
    r = read("Em chưa được Bằng khen Bộ lần nào, 2024 và 2025 em HTXS, có 2 sáng kiến cơ sở. Như vậy có đủ không?")
    assert r.award == "bang-khen-bo"


@pytest.mark.parametrize(
    ("text", "years"),
    [
        ("Anh đạt CSTĐCS 2022 và 2024, năm 2023 anh không nhớ có được không. Đủ CSTĐ cấp Bộ chưa?", (2023,)),
        ("I was a grassroots emulation fighter in 2024 and 2025; I'm not sure about 2023. Am I eligible for the ministry-level emulation fighter?", (2023,)),
        # a doubt about a sáng kiến's level is read with the sáng kiến, not as a year's result
        ("CSTĐCS 2023–2025, năm 2025 có sáng kiến nhưng không rõ cấp nào công nhận. Đủ CSTĐ cấp Bộ không?", ()),
        # a rating told for the year wins over the doubt
        ("Năm 2024 em HTXS, không nhớ rõ có được CSTĐCS không. Năm 2025 em CSTĐCS. Đủ Bằng khen Bộ không?", ()),
    ],
)
def test_years_the_teller_does_not_remember(text: str, years: tuple[int, ...]) -> None:
    assert read(text).record.unsure_years == years


@pytest.mark.parametrize(
    ("text", "vague"),
    [
        ("Chị CSTĐCS 2024, 2025, có vài sáng kiến áp dụng ở phòng. Đủ BK Bộ chưa?", True),
        ("He was rated HTXS in 2024 and 2025 and has a few initiatives recognised by the unit. Is he eligible for the Minister's certificate of merit?", True),
        ("Chị CSTĐCS 2024, 2025, có hai sáng kiến cấp cơ sở. Đủ BK Bộ chưa?", False),
    ],
)
def test_a_vague_number_of_innovations(text: str, vague: bool) -> None:
    inns = read(text).record.innovations
    assert inns and inns[0].vague is vague


def test_innovations_set_aside_by_ngoai_leave_no_use_unread() -> None:
    text = "Anh CSTĐCS 2024 và 2025. Ngoài những sáng kiến đã dùng để xét CSTĐCS, anh còn 2 sáng kiến khác được cơ sở công nhận. Đủ Bằng khen Bộ không?"
    r = read(text)
    assert r.record.unread == () and sum(i.count for i in r.record.innovations) == 2
    # a use told of the sáng kiến itself stays to be placed
    text = "Anh CSTĐCS 2024 và 2025, có 2 sáng kiến cơ sở, các sáng kiến này đã được tính khi xét giấy khen. Đủ Bằng khen Bộ không?"
    assert "use" in read(text).record.unread


def test_a_unit_council_recognises_at_the_unit_level() -> None:
    r = read("Năm 2025 em HTT, có 1 sáng kiến được Hội đồng sáng kiến của Viện công nhận. Đủ CSTĐCS 2025 không?")
    assert [i.level for i in r.record.innovations] == ["co-so"]


def test_a_record_pasted_as_label_number_lines() -> None:
    text = "Tổ Kỹ thuật năm 2025\nTổ xếp loại: HTXS\nTổng số: 10\nHTXS: 3, HTT: 6, HTNV: 1\nLĐTT: 8\nCSTĐCS: 2\nTổ có đủ TTLĐXS không?"
    rec = read(text).record
    assert (rec.members, rec.ldtt_members, rec.cstdcs_members, rec.all_members_complete) == (10, 8, 2, True)
    # years after the colon stay years
    rec = read("Thành tích:\nCSTĐCS: 2023, 2024, 2025\nSK cấp Bộ: 1 (2025)\nĐủ CSTĐ cấp Bộ không?").record
    assert titles(rec, "cstd-co-so") == [2023, 2024, 2025]


def test_every_member_and_no_member_in_english() -> None:
    rec = read("In 2025 our office was rated excellent; all 14 staff completed their tasks, 11 were Advanced Workers and nobody was voted a grassroots emulation fighter. Is the office an Excellent Labour Collective?").record
    assert rec.all_members_complete is True and rec.cstdcs_members == 0 and rec.ldtt_members == 11


def test_a_collective_rating_not_out_for_a_past_year() -> None:
    rec = read("Phòng 9 người, năm 2025 cả 9 người hoàn thành nhiệm vụ, 7 người LĐTT, 1 CSTĐCS; kết quả xếp loại của phòng năm 2025 chưa có. Phòng có đủ TTLĐXS không?").record
    assert 2025 in rec.pending_years
    # a rating told in the clause is no pending one
    rec = read("Phòng năm 2025 được đánh giá HTXS, dự kiến đề nghị cấp trên. 100% HTNV, 80% LĐTT, 1 CSTĐCS. Đủ TTLĐXS không?").record
    assert 2025 not in rec.pending_years and rec.rating(2025) == "HTXS"


@pytest.mark.parametrize(
    ("text", "months"),
    [
        ("nv moi vao lam 15/9/2026, cuoi nam co duoc xet ldtt khong", 4),
        ("Chị làm ở Cục mới được 3 tháng, cuối năm có được bình xét Lao động tiên tiến không?", 3),
    ],
)
def test_more_ways_of_telling_a_recent_recruitment(text: str, months: int) -> None:
    assert read(text).record.new_recruit_months == months


def test_preparing_the_dossier_asks_about_the_award_named_after_it() -> None:
    r = read("Chị Dung có BK Bộ năm 2020, từ 2021 đến nay năm nào cũng HTT, CSTĐCS 2021, 2023, 2025. Phòng định lập hồ sơ BKTTg cho chị có được không?")
    assert r.award == "bang-khen-thu-tuong" and [h.year for h in r.record.held if h.award == "bang-khen-bo"] == [2020]


def test_english_tasks_completed_well() -> None:
    r = read("His tasks were completed well in 2024 and 2025. Is he an Advanced Worker for 2025?")
    assert r.record.rating(2025) == "HTT"


def test_a_year_before_a_line_break_is_no_count_of_innovations() -> None:
    rec = read("CSTĐCS: 2024, 2025\nSK: 2 (cơ sở, 2024 và 2025)\nĐủ BK Bộ không?").record
    assert [(i.count, i.level) for i in rec.innovations] == [(2, "co-so")]


def test_led_the_cluster() -> None:
    rec = read("Our institute led the ministry's emulation block of research institutes in 2025. Can it get the emulation flag?").record
    assert rec.leads_cluster is True


def test_innovations_the_titles_rest_on_in_english() -> None:
    rec = read("She was a grassroots emulation fighter in 2024 and 2025 thanks to her two initiatives. Is she eligible for the Minister's certificate of merit?").record
    assert [i.used_for for i in rec.innovations] == ["cstd-co-so"]


@pytest.mark.parametrize(("text", "number"), [("Năm 2026 Trung tâm kỷ niệm 15 năm thành lập. Đủ BK Bộ tập thể không?", 15), ("It is our department's 40th anniversary in 2026. Can the department get the Minister's certificate of merit?", 40), ("Nhân dịp kỷ niệm ngày thành lập, phòng có được BK Bộ không?", None)])
def test_the_anniversary_number(text: str, number: int | None) -> None:
    rec = read(text).record
    assert rec.round_anniversary is True and rec.anniversary_years == number


def test_a_read_no_innovation_after_a_contrast_is_placed() -> None:
    r = read("Năm 2025 anh HTXS nhưng anh không có sáng kiến nào. Anh có đủ CSTĐCS 2025 không?")
    assert r.record.no_innovations and r.record.unread == ()
    # with a further limitation after it, the contrast stays unplaced
    r = read("Năm 2025 anh HTXS nhưng anh không có sáng kiến nào và chỉ đi làm 4 tháng. Anh có đủ CSTĐCS 2025 không?")
    assert r.record.unread == ("contrast",)


@pytest.mark.parametrize(
    ("text", "years"),
    [
        ("He has worked at the provincial department for 14 years and completed his tasks well in 2025. Is he an Advanced Worker?", 14),
        ("Chị công tác tại Viện Nghiên cứu Chiến lược được 9 năm, năm 2025 HTT. Chị có được LĐTT 2025 không?", 9),
        # years since an award are no service
        ("Đã có Bằng khen Thủ tướng được 5 năm thì đủ điều kiện Huân chương Lao động hạng Ba chưa?", None),
    ],
)
def test_service_told_after_a_long_place(text: str, years: int | None) -> None:
    assert read(text).record.service_years == years


def test_english_counts_in_words() -> None:
    rec = read("Our office (fifteen staff) was rated as completing its tasks well in 2025; twelve staff were Advanced Workers. Is the office an Advanced Labour Collective?").record
    assert (rec.members, rec.ldtt_members, rec.rating(2025)) == (15, 12, "HTT")
    # "tên" folded is "ten": no number
    assert read("Tên em là Lan, năm 2025 em HTT, vào ngành từ 2018. Em có đủ LĐTT không?").record.ldtt_members is None


def test_a_year_rated_by_the_word_xuat_sac() -> None:
    rec = read("Bằng khen Thủ tướng năm 2018; từ 2019 đến 2023 đều hoàn thành tốt nhiệm vụ, năm 2021 xuất sắc. Đủ HCLĐ hạng Ba chưa?").record
    assert rec.rating(2021) == "HTXS" and rec.rating(2022) == "HTT"


@pytest.mark.parametrize(
    ("text", "retired"),
    [
        ("Bác Hùng nghỉ hưu năm 2024, trước đó được BK TTg 2017, 2018–2023 HTT, HTXS 2020, CSTĐCS 2018, 2020, 2022. Đủ HCLĐ hạng Ba không?", True),
        ("She retired in 2025 after receiving the PM's certificate of merit in 2018. Can she get the Labour Order third class?", True),
        ("Anh đã nghỉ hưu, có BK Bộ 2019, 2020–2024 HTT. Đủ BKTTg không?", True),
        # a retirement to come is none
        ("Anh sắp nghỉ hưu năm 2027, BK Bộ 2019, 2020–2025 HTT, CSTĐCS 2021, 2023, 2025. Đủ BKTTg không?", False),
        ("Tháng 3/2027 chị nghỉ hưu. Chị có BK Bộ 2020, 2021–2025 HTT, CSTĐCS 2021, 2023, 2025. Đủ BKTTg không?", False),
    ],
)
def test_told_as_already_retired(text: str, retired: bool) -> None:
    assert read(text).record.retired is retired


def test_a_recognition_said_of_all_the_sang_kien_listed() -> None:
    rec = read("Em CSTĐCS 2024, 2025. Năm 2024 em có 1 sáng kiến, năm 2025 có 1 sáng kiến nữa, cả hai đều được Hội đồng sáng kiến cơ sở công nhận. Đủ BK Bộ chưa?").record
    assert [(i.level, i.recognised) for i in rec.innovations] == [("co-so", True), ("co-so", True)]
    # without "đều" / "cả hai" the first stays as told
    rec = read("Em CSTĐCS 2024, 2025. Năm 2024 em có 1 sáng kiến, năm 2025 có 1 sáng kiến được Hội đồng sáng kiến cơ sở công nhận. Đủ BK Bộ chưa?").record
    assert [i.level for i in rec.innovations] == [None, "co-so"]


@pytest.mark.parametrize(
    "text",
    [
        "Năm 2025 em HTT, sáng kiến của em đang chờ Hội đồng sáng kiến xét công nhận. Em có đủ CSTĐCS 2025 không?",
        "In 2025 I completed my tasks well; my initiative was submitted for recognition by the unit's council. Am I a grassroots emulation fighter for 2025?",
        "Năm 2025 anh HTT, đề tài cấp cơ sở của anh dự kiến tháng 12 mới nghiệm thu. Anh có đủ CSTĐCS 2025 không?",
    ],
)
def test_a_recognition_awaited_is_none_yet(text: str) -> None:
    inns = read(text).record.innovations
    assert inns and not inns[0].recognised and inns[0].level is None


def test_all_of_those_told_are_a_reference() -> None:
    rec = read("Anh CSTĐCS 2024 và 2025, có 2 sáng kiến cơ sở, cả 2 sáng kiến đều đã dùng để xét CSTĐCS hai năm đó. Đủ BK Bộ không?").record
    assert [(i.count, i.level, i.used_for) for i in rec.innovations] == [(2, "co-so", "cstd-co-so")]


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("Bằng khen Bộ năm 2019 của anh là khen trong đợt tổng kết phong trào thi đua chuyên đề về chuyển đổi số. 2020–2024 HTT, CSTĐCS 2020, 2022, 2024. Đủ BKTTg không?", "chuyen-de"),
        ("Bằng khen Bộ năm 2019 của anh là khen vì thành tích đột xuất trong phòng chống bão lũ. 2020–2024 HTT. Đủ BKTTg không?", "dot-xuat"),
        ("Bằng khen Bộ năm 2019 của anh là khen tổng kết năm công tác. 2020–2024 HTT. Đủ BKTTg không?", "cong-trang"),
    ],
)
def test_the_kind_of_an_award_told_in_the_rest_of_its_clause(text: str, kind: str) -> None:
    assert [h.kind for h in read(text).record.held if h.award == "bang-khen-bo"] == [kind]


def test_buoc_thoi_viec_is_a_member_discipline() -> None:
    rec = read("Tổ 12 người, năm 2025 tổ HTT, 10 người LĐTT, có 1 người bị buộc thôi việc. Tổ có đủ TTLĐTT không?").record
    assert rec.member_disciplined is True


def test_a_count_with_a_hyphenated_word() -> None:
    rec = read("I was rated excellent in 2024 and 2025 and had two unit-level initiatives recognised. Am I eligible for the Minister's certificate of merit?").record
    assert sum(i.count for i in rec.innovations) == 2


def test_duoc_ko_asks() -> None:
    r = read("2024 HTXS, 2025 HTXS, 2 SK cơ sở. BK Bộ được ko?")
    assert r.award == "bang-khen-bo" and r.is_eligibility


def test_a_sick_leave_takes_the_year_of_its_sentence() -> None:
    assert read("Năm 2024 chị HTT, nhưng chị nằm viện điều trị bệnh 5 tháng. Chị có được LĐTT 2024 không?").record.sick_years == (2024,)
    # two years in the sentence: which one is not told
    assert read("Năm 2024 và 2025 chị HTT, có nghỉ ốm dài ngày. Chị có được LĐTT 2025 không?").record.sick_years == ()


def test_a_member_disciplined_is_no_head_count() -> None:
    rec = read("Phòng năm 2025 HTT, 80% LĐTT, có 1 người bị khiển trách. Phòng có đủ TTLĐTT không?").record
    assert rec.members is None and rec.ldtt_share == pytest.approx(0.8)


@pytest.mark.parametrize(
    ("text", "level"),
    [
        ("CSTĐCS 2023–2025, sáng kiến được Bộ trưởng công nhận nhưng chỉ ở phạm vi cơ sở. Đủ CSTĐ cấp Bộ không?", "co-so"),
        ("CSTĐCS 2023–2025, sáng kiến được Hội đồng sáng kiến công nhận có hiệu quả trong phạm vi toàn Bộ. Đủ CSTĐ cấp Bộ không?", "bo"),
        ("Grassroots emulation fighter 2023-2025; the Minister recognised my initiative, but only within the unit. Am I eligible for the ministry-level emulation fighter?", "co-so"),
    ],
)
def test_a_scope_said_outright_wins(text: str, level: str) -> None:
    assert [i.level for i in read(text).record.innovations] == [level]


def test_a_unit_head_recognises_at_the_unit_level() -> None:
    rec = read("She was a grassroots emulation fighter 2023-2025; her initiative was recognised by the director of the provincial department of health. Is she eligible for the ministry-level emulation fighter?").record
    assert [i.level for i in rec.innovations] == ["co-so"]


def test_a_question_closed_by_khong_mid_sentence() -> None:
    r = read("Anh HTXS năm 2025 anh có đủ CSTĐCS 2025 không, anh vào ngành từ 2014")
    assert r.award == "cstd-co-so" and r.is_eligibility


def test_a_last_short_sentence_naming_the_award() -> None:
    r = read("Team of 9, rated excellent in 2025, all completed, 7 Advanced Workers, 1 grassroots emulation fighter. Excellent Labour Collective?")
    assert r.award == "tap-the-lao-dong-xuat-sac"
    # a long last sentence without a question cue is no question
    assert read("Năm 2025 tổ em được Tập thể lao động xuất sắc và cả tổ rất vui vì điều đó?").award is None


def test_a_percent_of_completion_after_the_ldtt_count_is_not_the_ldtt_share() -> None:
    r = read(
        "Phòng tôi năm 2025 có 30 người, trong đó 25 người đạt LĐTT, 100% hoàn thành nhiệm vụ, 2 CSTĐ cơ sở."
        " Có đủ điều kiện Tập thể lao động xuất sắc không?"
    )
    assert r.record.ldtt_share is None
    assert (r.record.ldtt_members, r.record.members) == (25, 30)
    assert r.record.all_members_complete is True
