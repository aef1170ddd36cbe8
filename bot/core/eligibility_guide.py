"""The guided eligibility check: the few button questions an award needs, and the record their answers make.

Pure (no Telegram): bot/telegram/eligibility_handlers.py asks the questions one by one. A question already answered
by a record read from free text is skipped, so "Kiểm tra từng điều kiện" only asks what is still missing.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace

from bot.core.eligibility import Discipline, Held, Innovation, Record

Apply = Callable[[Record, str], Record]


@dataclass(frozen=True, slots=True)
class Question:
    id: str  # short: it travels in callback data
    vi: str
    en: str
    options: tuple[tuple[str, str, str], ...]  # (value, vi label, en label)
    apply: Apply
    known: Callable[[Record], bool]

    def text(self, lang: str) -> str:
        return self.en if lang == "en" else self.vi

    def label(self, value: str, lang: str) -> str:
        for v, vi, en in self.options:
            if v == value:
                return en if lang == "en" else vi
        return value


def _last(record: Record, n: int) -> list[int]:
    end = record.current_year - 1
    return list(range(end - n + 1, end + 1))


def _held(record: Record, *items: Held) -> Record:
    return replace(record, held=(*record.held, *items))


def _rate(record: Record, years: list[int], rating: str) -> Record:
    ratings = dict(record.ratings)
    for y in years:
        ratings[y] = rating
    return replace(record, ratings=tuple(sorted(ratings.items())))


def _has(award: str) -> Callable[[Record], bool]:
    return lambda r: any(h.award == award for h in r.held)


def _run_cstdcs(r: Record, v: str) -> Record:
    return _held(r, *(Held("cstd-co-so", y) for y in _last(r, int(v))))


def _htxs_run(r: Record, v: str) -> Record:
    return _rate(r, _last(r, int(v)), "HTXS")


def _sk_level(r: Record, v: str) -> Record:
    if v == "none":
        return replace(r, no_innovations=True)
    return replace(r, innovations=(*r.innovations, Innovation("sang-kien", v, None, 1)))


def _sk_count(r: Record, v: str) -> Record:
    if v == "0":
        return replace(r, no_innovations=True)
    return replace(r, innovations=(*r.innovations, Innovation("sang-kien", "co-so", None, int(v))))


def _rating_now(r: Record, v: str) -> Record:
    if v == "pending":
        return replace(r, pending_years=(r.current_year,), target_year=r.current_year)
    return replace(_rate(r, [r.current_year], v), target_year=r.current_year)


def _recruit(r: Record, v: str) -> Record:
    return replace(r, new_recruit_months=3) if v == "yes" else r


def _discipline(r: Record, v: str) -> Record:
    if v == "pending":
        return replace(r, disciplines=(*r.disciplines, Discipline(pending=True)))
    if v == "now":
        return replace(r, disciplines=(*r.disciplines, Discipline(r.current_year)))
    return r


def _base_year(award: str) -> Apply:
    def apply(r: Record, v: str) -> Record:
        if v == "none":
            return r
        if v == "other":
            return _held(r, Held(award, r.current_year - 6, "dot-xuat"))
        return _held(r, Held(award, int(v), "cong-trang"))

    return apply


def _window_htt(award: str) -> Apply:
    def apply(r: Record, v: str) -> Record:
        base = max((h.year for h in r.held if h.award == award and h.year is not None), default=r.current_year - 6)
        years = list(range(base + 1, r.current_year))
        if v == "yes":
            return _rate(r, years, "HTT")
        return _rate(r, years[-1:], "HT")

    return apply


def _window_cstdcs(r: Record, v: str) -> Record:
    return _held(r, *(Held("cstd-co-so", None) for _ in range(int(v))))


def _window_htxs(r: Record, v: str) -> Record:
    return replace(r, htxs_count=1) if v == "yes" else r


def _cstd_bo_times(r: Record, v: str) -> Record:
    n = int(v)
    return replace(_held(r, *(Held("cstd-bo", None) for _ in range(n))), cstd_bo_consecutive=n >= 2 or None)


def _c_rating(r: Record, v: str) -> Record:
    return replace(_rate(r, [r.current_year], v), target_year=r.current_year)


def _c_share(r: Record, v: str) -> Record:
    return replace(r, ldtt_share={"lt70": 0.0, "ge70": 0.7, "all": 1.0}[v])


def _flag(name: str, yes: object = True, no: object = False) -> Apply:
    return lambda r, v: replace(r, **{name: yes if v == "yes" else no})


def _c_htxs_run(r: Record, v: str) -> Record:
    return _rate(r, _last(r, int(v)), "HTXS")


YES_NO = (("yes", "Có", "Yes"), ("no", "Không", "No"))
COUNTS = (("0", "Chưa lần nào", "None"), ("1", "1", "1"), ("2", "2", "2"), ("3", "3 trở lên", "3 or more"))


def _years_options(current: int) -> tuple[tuple[str, str, str], ...]:
    years = tuple((str(y), str(y), str(y)) for y in range(current - 1, current - 9, -1))
    return (
        *years,
        ("other", "Chỉ có loại đột xuất/chuyên đề", "Only a sudden/thematic one"),
        ("none", "Chưa có", "None"),
    )


def questions(current_year: int) -> dict[str, Question]:
    """Every question of the guided check, by id."""
    qs = [
        Question(
            "cs",
            "Bao nhiêu năm liền gần nhất (đến năm {prev}) bạn đạt CSTĐ cơ sở?",
            "How many years in a row, up to {prev}, were you a Grassroots Emulation Fighter?",
            COUNTS,
            _run_cstdcs,
            _has("cstd-co-so"),
        ),
        Question(
            "sk",
            "Sáng kiến, đề tài của bạn được công nhận hiệu quả ở cấp nào (cao nhất)?",
            "At what level was the effect of your initiative or research task recognised (highest)?",
            (
                ("none", "Chưa có sáng kiến/đề tài", "No initiative/task"),
                ("co-so", "Cấp cơ sở", "Unit level"),
                ("bo", "Cấp Bộ", "Ministry level"),
                ("toan-quoc", "Toàn quốc", "National"),
            ),
            _sk_level,
            lambda r: (bool(r.innovations) and all(i.level for i in r.innovations)) or r.no_innovations,
        ),
        Question(
            "skn",
            "Trong thời gian đó có bao nhiêu sáng kiến (hoặc đề tài) được công nhận, áp dụng ở cơ sở (không tính sáng "
            "kiến đã dùng để xét CSTĐ cơ sở)?",
            "In that period, how many initiatives (or research tasks) were recognised and applied in the unit (not "
            "counting those used for the grassroots titles)?",
            (("0", "0", "0"), ("1", "1", "1"), ("2", "2 trở lên", "2 or more")),
            _sk_count,
            lambda r: bool(r.innovations) or r.no_innovations,
        ),
        Question(
            "hx",
            "Bao nhiêu năm liền gần nhất (đến năm {prev}) bạn hoàn thành xuất sắc nhiệm vụ?",
            "How many years in a row, up to {prev}, were you rated HTXS (excellent)?",
            (("0", "0", "0"), ("1", "1", "1"), ("2", "2 trở lên", "2 or more")),
            _htxs_run,
            lambda r: any(v == "HTXS" for _, v in r.ratings),
        ),
        Question(
            "rt",
            "Năm {year} bạn được đánh giá, xếp loại thế nào?",
            "How were you rated for {year}?",
            (
                ("HTXS", "Hoàn thành xuất sắc", "Excellent (HTXS)"),
                ("HTT", "Hoàn thành tốt", "Good (HTT)"),
                ("HT", "Hoàn thành", "Completed (HT)"),
                ("pending", "Chưa đánh giá", "Not rated yet"),
            ),
            _rating_now,
            lambda r: bool(r.ratings) or bool(r.pending_years),
        ),
        Question(
            "rc",
            "Bạn có phải người mới được tuyển dụng dưới 06 tháng không?",
            "Were you recruited less than 6 months ago?",
            YES_NO,
            _recruit,
            lambda r: r.new_recruit_months is not None,
        ),
        Question(
            "dc",
            "Bạn có đang bị xem xét kỷ luật hoặc đang trong thời hạn kỷ luật không?",
            "Are you under a discipline review, or still under a disciplinary measure?",
            (
                ("no", "Không", "No"),
                ("pending", "Đang bị xem xét", "Under review"),
                ("now", "Đang trong thời hạn kỷ luật", "Under a measure"),
            ),
            _discipline,
            lambda r: bool(r.disciplines),
        ),
        Question(
            "bkb",
            "Bạn được Bằng khen cấp Bộ (theo công trạng) gần nhất năm nào?",
            "In which year did you last receive a ministry Certificate of Merit (for merit)?",
            _years_options(current_year),
            _base_year("bang-khen-bo"),
            _has("bang-khen-bo"),
        ),
        Question(
            "bkt",
            "Bạn được Bằng khen của Thủ tướng (theo công trạng) năm nào?",
            "In which year did you receive the Prime Minister's Certificate of Merit (for merit)?",
            _years_options(current_year),
            _base_year("bang-khen-thu-tuong"),
            _has("bang-khen-thu-tuong"),
        ),
        Question(
            "wh",
            "Từ năm sau Bằng khen đó đến năm {prev}, năm nào bạn cũng hoàn thành tốt nhiệm vụ trở lên?",
            "From the year after that Certificate up to {prev}, were you rated HTT or better every year?",
            YES_NO,
            _window_htt("bang-khen-bo"),
            lambda r: bool(r.ratings),
        ),
        Question(
            "wht",
            "Từ năm sau Bằng khen Thủ tướng đến năm {prev}, năm nào bạn cũng hoàn thành tốt nhiệm vụ trở lên?",
            "From the year after the Prime Minister's Certificate up to {prev}, were you rated HTT or better "
            "every year?",
            YES_NO,
            _window_htt("bang-khen-thu-tuong"),
            lambda r: bool(r.ratings),
        ),
        Question(
            "wc",
            "Trong thời gian đó bạn đạt CSTĐ cơ sở mấy lần?",
            "How many times were you a Grassroots Emulation Fighter in that period?",
            COUNTS,
            _window_cstdcs,
            _has("cstd-co-so"),
        ),
        Question(
            "wx",
            "Trong thời gian đó có năm nào bạn hoàn thành xuất sắc nhiệm vụ không?",
            "Was any year in that period rated HTXS (excellent)?",
            YES_NO,
            _window_htxs,
            lambda r: r.htxs_count is not None or any(v == "HTXS" for _, v in r.ratings),
        ),
        Question(
            "bo",
            "Bạn đạt CSTĐ cấp Bộ mấy lần liên tục?",
            "How many times in a row were you a Ministry-level Emulation Fighter?",
            (("0", "Chưa lần nào", "None"), ("1", "1", "1"), ("2", "2 trở lên", "2 or more")),
            _cstd_bo_times,
            _has("cstd-bo"),
        ),
        Question(
            "cr",
            "Năm {year} tập thể được đánh giá thế nào?",
            "How was the collective rated for {year}?",
            (
                ("HTXS", "Hoàn thành xuất sắc", "Excellent (HTXS)"),
                ("HTT", "Hoàn thành tốt", "Good (HTT)"),
                ("HT", "Hoàn thành", "Completed (HT)"),
            ),
            _c_rating,
            lambda r: bool(r.ratings),
        ),
        Question(
            "csh",
            "Tỷ lệ thành viên đạt Lao động tiên tiến?",
            "What share of members are Advanced Workers?",
            (("lt70", "Dưới 70%", "Under 70%"), ("ge70", "Từ 70% trở lên", "70% or more"), ("all", "100%", "100%")),
            _c_share,
            lambda r: r.ldtt_share is not None or (r.members is not None and r.ldtt_members is not None),
        ),
        Question(
            "cmd",
            "Có thành viên nào bị kỷ luật từ cảnh cáo trở lên không?",
            "Was any member disciplined at warning (cảnh cáo) level or above?",
            YES_NO,
            _flag("member_disciplined"),
            lambda r: r.member_disciplined is not None,
        ),
        Question(
            "cac",
            "100% thành viên hoàn thành nhiệm vụ?",
            "Did every member complete their tasks?",
            YES_NO,
            _flag("all_members_complete"),
            lambda r: r.all_members_complete is not None,
        ),
        Question(
            "ccs",
            "Có cá nhân nào đạt Chiến sĩ thi đua cơ sở không?",
            "Is at least one member a Grassroots Emulation Fighter?",
            YES_NO,
            _flag("cstdcs_members", 1, 0),
            lambda r: r.cstdcs_members is not None,
        ),
        Question(
            "cl",
            "Đơn vị có dẫn đầu cụm, khối thi đua do Bộ tổ chức không?",
            "Does the unit lead an emulation cluster or block organised by the Ministry?",
            YES_NO,
            _flag("leads_cluster"),
            lambda r: r.leads_cluster is not None,
        ),
        Question(
            "chx",
            "Bao nhiêu năm liền gần nhất (đến năm {prev}) tập thể hoàn thành xuất sắc nhiệm vụ?",
            "How many years in a row, up to {prev}, was the collective rated HTXS?",
            (("0", "0", "0"), ("1", "1", "1"), ("2", "2 trở lên", "2 or more")),
            _c_htxs_run,
            lambda r: any(v == "HTXS" for _, v in r.ratings),
        ),
    ]
    return {q.id: q for q in qs}


# The questions each award needs, in order (criteria ids of knowledge/criteria.yaml).
PLAN: dict[str, tuple[str, ...]] = {
    "lao-dong-tien-tien": ("rt", "rc", "dc"),
    "cstd-co-so": ("rt", "sk", "rc", "dc"),
    "cstd-bo": ("cs", "sk", "dc"),
    "cstd-toan-quoc": ("bo", "sk", "dc"),
    "bang-khen-bo": ("cs", "hx", "skn", "dc"),
    "bang-khen-bo-tap-the": ("chx",),
    "bang-khen-thu-tuong": ("bkb", "wh", "wc", "dc"),
    "bang-khen-thu-tuong-tap-the": (),
    "huan-chuong-lao-dong": ("bkt", "wht", "wx", "wc", "dc"),
    "tap-the-lao-dong-tien-tien": ("cr", "csh", "cmd"),
    "tap-the-lao-dong-xuat-sac": ("cr", "cac", "csh", "ccs"),
    "co-thi-dua-bo": ("cl",),
}


def next_question(award_id: str, record: Record, asked: tuple[str, ...]) -> Question | None:
    """The next question this award needs that neither the record nor an earlier answer settles."""
    qs = questions(record.current_year)
    for qid in PLAN.get(award_id, ()):
        if qid in asked:
            continue
        question = qs[qid]
        if not question.known(record):
            return question
    return None


def question_text(question: Question, record: Record, lang: str) -> str:
    return question.text(lang).format(year=record.current_year, prev=record.current_year - 1)
