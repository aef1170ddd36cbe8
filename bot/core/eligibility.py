"""Eligibility: a record (what someone achieved, year by year) checked against an award's criteria.

Pure: no I/O. `evaluate(record, award, criteria)` gives a verdict `meets` / `fails` / `unknown` with every condition
met (True), not met (False) or unknown (None) and its basis. Three-valued logic throughout: a condition is unknown
when the record does not tell, and the verdict is `meets` only when every condition is met.

How a record is read (what the user told):
- titles and awards are listed exhaustively: a year not listed for a title did not have it;
- ratings (HTXS / HTT / HT / KHT) may be partial: a year without a rating is unknown, unless a title implies one
  (Lao động tiên tiến and CSTĐ cơ sở need "hoàn thành tốt nhiệm vụ trở lên");
- the current year is "pending" (not yet rated) unless the record says it was rated;
- a year under discipline, and every year before it, does not count (NĐ 152/2025 Điều 4 khoản 4);
- a maternity year counts like any other (Điều 4 khoản 5), but its title must still be known.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field, replace

from bot.core.criteria import AwardCriteria, Condition, Criteria

MEETS, FAILS, UNKNOWN = "meets", "fails", "unknown"
VERDICTS = (MEETS, FAILS, UNKNOWN)
RATINGS = ("KHT", "HT", "HTT", "HTXS")
_RANK = {r: i for i, r in enumerate(RATINGS)}
KINDS = ("cong-trang", "dot-xuat", "chuyen-de")
LEVELS = ("co-so", "bo", "toan-quoc")
_LEVEL_RANK = {lv: i for i, lv in enumerate(LEVELS)}
# The lowest rating a title implies for its year.
_IMPLIED = {
    "lao-dong-tien-tien": "HTT",
    "cstd-co-so": "HTT",
    "tap-the-lao-dong-tien-tien": "HTT",
    "tap-the-lao-dong-xuat-sac": "HTXS",
}
TITLES = (
    "lao-dong-tien-tien",
    "cstd-co-so",
    "cstd-bo",
    "cstd-toan-quoc",
    "bang-khen-bo",
    "bang-khen-thu-tuong",
    "huan-chuong-lao-dong",
    "tap-the-lao-dong-tien-tien",
    "tap-the-lao-dong-xuat-sac",
    "co-thi-dua-bo",
    "giay-khen",
)

Tri = bool | None


@dataclass(frozen=True, slots=True)
class Held:
    """A title or award already received."""

    award: str  # one of TITLES
    year: int | None = None
    kind: str = "cong-trang"  # cong-trang | dot-xuat | chuyen-de


@dataclass(frozen=True, slots=True)
class Innovation:
    """A sáng kiến or đề tài (đề án, nhiệm vụ KH&CN) and the level at which its effect was recognised."""

    kind: str = "sang-kien"  # sang-kien | de-tai
    level: str | None = None  # co-so | bo | toan-quoc; None: not told
    year: int | None = None
    count: int = 1
    used_for: str | None = None  # the award it was already used for (CV 5007/BNV-TĐKT: a sáng kiến counts once)
    # told as recognised or accepted ("được công nhận", "đã nghiệm thu") without the level: at least the unit's
    recognised: bool = False
    refused: bool = False  # told as refused by its council ("bị đánh giá không đạt, không được công nhận")
    years: tuple[int, ...] = ()  # "2 SK được công nhận năm 2020 và 2021": one a year, when the count is the years'
    # told without a count ("mấy sáng kiến", "a few initiatives"): at least one, how many not told
    vague: bool = False


@dataclass(frozen=True, slots=True)
class Discipline:
    """A disciplinary measure (year it took effect, last year in force) or a pending review."""

    year: int | None = None
    end_year: int | None = None  # None: the same year
    level: str | None = None  # khien-trach | canh-cao | ...
    pending: bool = False  # under review, not decided


@dataclass(frozen=True, slots=True)
class Record:
    """What an individual or a collective achieved, as told."""

    subject: str = "individual"  # individual | collective
    current_year: int = 2026
    pending_years: tuple[int, ...] = ()  # years told as not yet rated ("năm nay chưa bình xét")
    target_year: int | None = None  # the year a yearly title is asked for (default: the latest rated year)
    ratings: tuple[tuple[int, str], ...] = ()
    held: tuple[Held, ...] = ()
    innovations: tuple[Innovation, ...] = ()
    no_innovations: bool = False  # said explicitly: no sáng kiến / đề tài
    disciplines: tuple[Discipline, ...] = ()
    maternity_years: tuple[int, ...] = ()
    sick_years: tuple[int, ...] = ()
    service_years: int | None = None
    gender: str | None = None  # nam | nu
    new_recruit_months: int | None = None  # months worked in the target year when newly recruited
    htxs_count: int | None = None  # years rated HTXS, told as a count without the years ("có 2 năm HTXS")
    # years told as "HTT trở lên" / "HTT or better": at least HTT, whether HTXS was reached is not told
    rating_floors: tuple[int, ...] = ()
    round_anniversary: bool | None = None  # the proposal is for the unit's round-year anniversary
    anniversary_years: int | None = None  # the anniversary's number when told ("kỷ niệm 20 năm")
    cstd_bo_consecutive: bool | None = None  # told that the CSTĐ cấp Bộ titles were "liên tục"
    # collectives
    members: int | None = None
    ldtt_members: int | None = None
    ldtt_share: float | None = None  # 0..1, when told as a percentage
    all_members_complete: bool | None = None
    member_disciplined: bool | None = None  # a member disciplined at cảnh cáo or above
    member_discipline_untold: bool = False  # a member was disciplined, in a form not told
    # under an inspection, investigation or check on signs of violation, not concluded (NĐ 152/2025 Điều 4 k4)
    under_inspection: bool = False
    cstdcs_members: int | None = None
    leads_cluster: bool | None = None
    founded_years: int | None = None  # years since the collective was founded
    # the people the story names ("anh Tùng", "chị Mai"): with two or more, whose record each fact is was not read
    people: tuple[str, ...] = ()
    # titles told with a vague count ("vài lần CSTĐCS", "several times"): which years is not told, so none is a "no"
    vague_titles: tuple[str, ...] = ()
    # years whose results the teller says they do not know ("năm 2024 em không nhớ có được không"): no "no" either
    unsure_years: tuple[int, ...] = ()
    # routes the story asks to be taken ("theo quá trình cống hiến": long-service)
    routes: tuple[str, ...] = ()
    # circumstances told in words not read into the record (refusal | use | inspection): never "meets" with one left
    unread: tuple[str, ...] = ()
    # already retired ("ông nghỉ hưu năm 2023"): the current rule for retirees was not verified (facts A3.1)
    retired: bool = False

    def rating(self, year: int) -> str | None:
        found = [r for y, r in self.ratings if y == year]
        return max(found, key=_RANK.__getitem__) if found else None

    def holds(self, award: str, year: int, kinds: Iterable[str] = ("cong-trang",)) -> bool:
        kinds = tuple(kinds)
        return any(h.award == award and h.year == year and h.kind in kinds for h in self.held)

    def info_years(self) -> set[int]:
        years = {y for y, _ in self.ratings} | {h.year for h in self.held if h.year is not None}
        years |= set(self.maternity_years) | {i.year for i in self.innovations if i.year is not None}
        return years

    def latest_year(self) -> int | None:
        """The latest year the record has results for (the pending current year excluded)."""
        years = {y for y in self.info_years() if y not in self.pending_years}
        return max(years) if years else None

    def pending(self, year: int) -> bool:
        return year in self.pending_years

    def discipline_end(self) -> int | None:
        """The last year a decided disciplinary measure was in force (years up to it do not count)."""
        ends = [d.end_year or d.year for d in self.disciplines if not d.pending and (d.end_year or d.year)]
        return max(ends) if ends else None  # type: ignore[type-var]


@dataclass(frozen=True, slots=True)
class ConditionResult:
    id: str
    text: str
    met: Tri
    basis: str
    article: str | None
    verified: bool
    missing: tuple[str, ...] = ()
    children: tuple[ConditionResult, ...] = ()

    @property
    def mark(self) -> str:
        return "✔" if self.met is True else "✖" if self.met is False else "?"


@dataclass(frozen=True, slots=True)
class Verdict:
    award: AwardCriteria
    verdict: str  # meets | fails | unknown
    conditions: tuple[ConditionResult, ...]
    missing: tuple[str, ...]
    caveat: str
    assessed: str | None
    target_year: int | None
    lang: str = "vi"

    def to_json(self, understood: str = "") -> dict[str, object]:
        return {
            "award": self.award.catalogue,
            "verdict": self.verdict,
            "understood": understood,
            "conditions": [{"text": c.text, "met": c.met, "basis": c.basis} for c in self.conditions],
        }


def _and(values: Iterable[Tri]) -> Tri:
    values = list(values)
    if any(v is False for v in values):
        return False
    return None if any(v is None for v in values) else True


def _or(values: Iterable[Tri]) -> Tri:
    values = list(values)
    if any(v is True for v in values):
        return True
    return None if any(v is None for v in values) else False


def _best(options: Iterable[tuple[Tri, str, tuple[str, ...]]]) -> tuple[Tri, str, tuple[str, ...]]:
    order = {True: 2, None: 1, False: 0}
    options = list(options)
    return max(options, key=lambda o: order[o[0]])


@dataclass
class _Ctx:
    record: Record
    award: AwardCriteria
    lang: str
    target: int | None = None
    notes: list[str] = field(default_factory=list)

    def t(self, vi: str, en: str) -> str:
        return en if self.lang == "en" else vi


def _years_text(years: Iterable[int]) -> str:
    years = sorted(set(years))
    if not years:
        return "—"
    runs: list[str] = []
    start = prev = years[0]
    for y in [*years[1:], None]:
        if y is not None and y == prev + 1:
            prev = y
            continue
        runs.append(f"{start}–{prev}" if prev - start >= 2 else ", ".join(str(v) for v in range(start, prev + 1)))
        if y is not None:
            start = prev = y
    return ", ".join(runs)


# ---- per-year facts -----------------------------------------------------------------------------------------------


def _countable(ctx: _Ctx, year: int) -> bool:
    end = ctx.record.discipline_end()
    return end is None or year > end


def _title_in(ctx: _Ctx, title: str, year: int) -> Tri:
    rec = ctx.record
    if not _countable(ctx, year):
        return False
    if rec.holds(title, year) or (title == "lao-dong-tien-tien" and rec.holds("cstd-co-so", year)):
        return True
    if rec.pending(year) or title in rec.vague_titles or year in rec.unsure_years:
        return None
    if year in rec.maternity_years and not any(h.year == year for h in rec.held) and rec.rating(year) is None:
        return None  # a maternity year counts, but what it earned was not told
    return False


def _rating_at_least(ctx: _Ctx, year: int, minimum: str) -> Tri:
    rec = ctx.record
    rating = rec.rating(year)
    if rating is not None:
        return _RANK[rating] >= _RANK[minimum]
    implied = [_IMPLIED[h.award] for h in rec.held if h.year == year and h.award in _IMPLIED]
    if any(_RANK[r] >= _RANK[minimum] for r in implied):
        return True
    if minimum == "HTXS":  # a distinction people list: an untold year was not HTXS (unless not yet rated)
        return None if rec.pending(year) or year in rec.unsure_years else False
    return None


# ---- checks -------------------------------------------------------------------------------------------------------

Result = tuple[Tri, str, tuple[str, ...]]


def _target(ctx: _Ctx) -> int | None:
    return ctx.target


def check_rating(ctx: _Ctx, min: str) -> Result:
    year = _target(ctx)
    label = {"HTT": ctx.t("hoàn thành tốt nhiệm vụ", "HTT"), "HTXS": ctx.t("hoàn thành xuất sắc nhiệm vụ", "HTXS")}
    if year is None:
        return (
            None,
            ctx.t("chưa biết năm xét và kết quả đánh giá", "the year and its rating were not given"),
            (ctx.t("kết quả đánh giá, xếp loại của năm xét", "the rating of the year"),),
        )
    if ctx.record.pending(year) and ctx.record.rating(year) is None:
        return (
            None,
            ctx.t(f"năm {year} chưa được đánh giá, xếp loại", f"{year} is not rated yet"),
            (ctx.t(f"kết quả đánh giá năm {year}", f"the {year} rating"),),
        )
    met = _rating_at_least(ctx, year, min)
    rating = ctx.record.rating(year)
    if met is None:
        extra = ""
        if year in ctx.record.maternity_years:
            extra = ctx.t(
                " (thời gian nghỉ thai sản vẫn được tính, NĐ 152/2025 Điều 4 khoản 5)",
                " (maternity leave counts, Decree 152/2025 Art. 4(5))",
            )
        return (
            None,
            ctx.t(f"chưa biết kết quả đánh giá năm {year}{extra}", f"the {year} rating was not given{extra}"),
            (ctx.t(f"kết quả đánh giá năm {year}", f"the {year} rating"),),
        )
    shown = rating or ctx.t("theo danh hiệu đã đạt", "implied by the title held")
    need = label.get(min, min)
    if met:
        return True, ctx.t(f"năm {year}: {shown}", f"{year}: {shown}"), ()
    return False, ctx.t(f"năm {year}: {shown}, cần {need}", f"{year}: {shown}, {need} needed"), ()


def _best_run(ctx: _Ctx, truth: Callable[[int], Tri], length: int) -> tuple[Tri, list[int], str]:
    """Is there a run of `length` consecutive years, ending at the latest year told, where `truth` holds?"""
    rec = ctx.record
    years_true = sorted(y for y in rec.info_years() if truth(y) is True)
    latest = rec.latest_year()
    end_candidates = sorted(rec.info_years() | set(rec.pending_years))
    if not end_candidates:
        return None, [], ""

    def run_ending(end: int, optimistic: bool) -> int:
        n = 0
        y = end
        while n < length:
            v = truth(y)
            if v is True or (optimistic and v is None):
                n += 1
                y -= 1
            else:
                return n
        return n

    certain = [e for e in end_candidates if run_ending(e, False) >= length]
    if certain:
        end = max(certain)
        run = list(range(end - length + 1, end + 1))
        later = [y for y in range(end + 1, (latest or end) + 1) if truth(y) is False]
        if later:
            return (
                None,
                run,
                ctx.t(
                    f"chuỗi {_years_text(run)} đã kết thúc, các năm sau ({_years_text(later)}) không đạt; "
                    "việc còn dùng được chuỗi cũ hay không do quy định của Bộ, chưa được xác minh",
                    f"the run {_years_text(run)} ended and later years ({_years_text(later)}) broke it; whether an "
                    "earlier run still counts is set by the Ministry's rules, not verified",
                ),
            )
        return True, run, ""
    possible = [e for e in end_candidates if run_ending(e, True) >= length]
    if possible:
        end = max(possible)
        run = list(range(end - length + 1, end + 1))
        unknown = [y for y in run if truth(y) is None]
        return (
            None,
            run,
            ctx.t(
                f"còn phụ thuộc năm {_years_text(unknown)} (chưa biết hoặc chưa bình xét)",
                f"depends on {_years_text(unknown)} (not told or not yet rated)",
            ),
        )
    return False, years_true, ""


def check_run(ctx: _Ctx, title: str, length: int) -> Result:
    rec = ctx.record
    met, run, note = _best_run(ctx, lambda y: _title_in(ctx, title, y), length)
    held = sorted(h.year for h in rec.held if h.award == title and h.year is not None)
    name = _title_name(title, ctx.lang)
    if met is True:
        return True, ctx.t(f"{name} các năm {_years_text(run)}", f"{name} in {_years_text(run)}"), ()
    if met is None:
        missing = tuple(ctx.t(f"{name} năm {y}?", f"{name} in {y}?") for y in run if _title_in(ctx, title, y) is None)
        base = ctx.t(f"đã kể: {name} {_years_text(held)}", f"told: {name} {_years_text(held)}") if held else ""
        return None, "; ".join(p for p in (base, note) if p), missing or (note,)
    counted = [y for y in held if _countable(ctx, y)]
    if not held:
        return False, ctx.t(f"không thấy {name} năm nào", f"no {name} told"), ()
    basis = ctx.t(
        f"{name} các năm {_years_text(held)}: chưa đủ {length} năm liên tục",
        f"{name} in {_years_text(held)}: not {length} years in a row",
    )
    if len(counted) < len(held):
        basis += ctx.t(
            f" (các năm đến hết thời hạn kỷ luật {rec.discipline_end()} không được tính)",
            f" (years up to the end of discipline in {rec.discipline_end()} do not count)",
        )
    return False, basis, ()


def check_rating_run(ctx: _Ctx, min: str, length: int) -> Result:
    met, run, note = _best_run(ctx, lambda y: _rating_at_least(ctx, y, min) if _countable(ctx, y) else False, length)
    if met is True:
        return True, ctx.t(f"{min} các năm {_years_text(run)}", f"{min} in {_years_text(run)}"), ()
    if met is None:
        return (
            None,
            note or ctx.t(f"chưa đủ thông tin xếp loại {min}", f"{min} ratings not fully told"),
            (ctx.t(f"xếp loại các năm {_years_text(run)}", f"the ratings of {_years_text(run)}"),),
        )
    told = sorted(y for y, r in ctx.record.ratings if r == min)
    return (
        False,
        ctx.t(
            f"{min} các năm {_years_text(told)}: chưa đủ {length} năm liên tục",
            f"{min} in {_years_text(told)}: not {length} years in a row",
        ),
        (),
    )


def check_not_new_recruit(ctx: _Ctx, months: int) -> Result:
    rec = ctx.record
    if rec.new_recruit_months is not None and rec.new_recruit_months < months:
        return (
            False,
            ctx.t(
                f"mới tuyển dụng {rec.new_recruit_months} tháng (dưới {months} tháng)",
                f"recruited {rec.new_recruit_months} months ago (under {months})",
            ),
            (),
        )
    year = _target(ctx)
    if year is not None and year in rec.sick_years:
        return (
            None,
            ctx.t(
                f"năm {year} có thời gian nghỉ ốm dài; quy định hiện hành về số ngày nghỉ chưa được xác minh",
                f"long sick leave in {year}; the current rule on days of absence was not verified",
            ),
            (ctx.t("hỏi cán bộ TĐKT về số ngày nghỉ ốm", "ask the TĐKT officer about the days of sick leave"),),
        )
    if rec.new_recruit_months is not None:
        return True, ctx.t(f"đã công tác {rec.new_recruit_months} tháng", f"{rec.new_recruit_months} months"), ()
    basis = ctx.t("bạn không nói là mới tuyển dụng", "you did not say you were newly recruited")
    if year is not None and year in rec.maternity_years:
        basis += ctx.t(
            "; thời gian nghỉ thai sản được tính (NĐ 152/2025 Điều 4 khoản 5)",
            "; maternity leave counts (Decree 152/2025 Art. 4(5))",
        )
    return True, basis, ()


# Hình thức khen thưởng (forms), as against danh hiệu thi đua (titles: LĐTT, CSTĐ, TTLĐ…, Cờ thi đua).
_FORMS = {"bang-khen-bo", "bang-khen-thu-tuong", "huan-chuong-lao-dong", "giay-khen"}


def _spent(inn: Innovation, asked: str) -> bool:
    """CV 5007/BNV-TĐKT III.5.c (facts A3.2, A2 §4): a sáng kiến is the basis of one commendation: one used for a title
    does not count for a form, one used for a form counts for nothing else; reusing it for a further title is not
    expressly barred (the Q&A leaves it to the council), so it still counts there."""
    return inn.used_for is not None and (inn.used_for in _FORMS or asked in _FORMS)


def _innovations_in(ctx: _Ctx, years: set[int] | None) -> list[Innovation]:
    """The sáng kiến / đề tài that count for the award asked: not refused, not spent, inside the window `years`."""
    out = []
    for inn in ctx.record.innovations:
        if inn.refused or _spent(inn, ctx.award.catalogue):
            continue
        if years is not None and inn.year is not None and inn.year not in years:
            continue
        if inn.year is not None and not _countable(ctx, inn.year):
            continue
        if inn.years:  # one a year: only those of the window (and after any discipline) count
            inside = [y for y in inn.years if (years is None or y in years) and _countable(ctx, y)]
            if not inside:
                continue
            inn = replace(inn, count=min(inn.count, len(inside)))
        out.append(inn)
    return out


def _level_name(level: str, lang: str) -> str:
    return {
        "co-so": ("cấp cơ sở", "unit level"),
        "bo": ("cấp Bộ", "ministry level"),
        "toan-quoc": ("toàn quốc", "national level"),
    }[level][1 if lang == "en" else 0]


def check_innovations(ctx: _Ctx, count: int, level: str, window: str) -> Result:
    rec = ctx.record
    years = {ctx.target} if window == "target" and ctx.target is not None else None
    found = _innovations_in(ctx, years)
    need = _LEVEL_RANK[level]
    sure = sum(i.count for i in found if i.level is not None and _LEVEL_RANK[i.level] >= need)
    if level == "co-so":  # recognised, the level untold: at least the unit's; not told as recognised: unknown
        sure += sum(i.count for i in found if i.level is None and i.recognised)
    maybe = sum(i.count for i in found if i.level is None and not (level == "co-so" and i.recognised))
    where = _level_name(level, ctx.lang)
    if sure >= count:
        return True, ctx.t(f"có {sure} sáng kiến/đề tài đạt {where}", f"{sure} initiative(s)/task(s) at {where}"), ()
    # "mấy sáng kiến" at a level that counts (or untold): too few is not known
    if any(i.vague and (i.level is None or _LEVEL_RANK[i.level] >= need) for i in found):
        return (
            None,
            ctx.t("có sáng kiến/đề tài nhưng chưa rõ bao nhiêu", "initiatives were told, but not how many"),
            (ctx.t(f"bao nhiêu sáng kiến/đề tài được công nhận {where}?", f"how many recognised at {where}?"),),
        )
    if sure + maybe >= count:
        return (
            None,
            ctx.t(
                "có sáng kiến/đề tài nhưng chưa rõ được công nhận ở cấp nào",
                "an initiative or task was told, but not the level at which it was recognised",
            ),
            (ctx.t(f"sáng kiến/đề tài được công nhận {where} chưa?", f"recognised at {where}?"),),
        )
    if not rec.innovations and not rec.no_innovations:
        return (
            None,
            ctx.t("bạn chưa nói đến sáng kiến, đề tài", "no initiative or research task was told"),
            (ctx.t(f"sáng kiến/đề tài được công nhận {where}", f"an initiative/task recognised at {where}"),),
        )
    if not found:
        basis = ctx.t("không có sáng kiến, đề tài nào", "no initiative or research task")
        if rec.innovations and years is not None:
            basis = ctx.t(
                f"không có sáng kiến, đề tài trong năm {ctx.target}", f"no initiative or task in {ctx.target}"
            )
        return False, basis, ()
    levels = sorted({_level_name(i.level, ctx.lang) for i in found if i.level}) or ["?"]
    return (
        False,
        ctx.t(
            f"sáng kiến/đề tài chỉ được công nhận {', '.join(levels)}, cần {where}",
            f"initiatives/tasks recognised only at {', '.join(levels)}; {where} needed",
        ),
        (),
    )


def check_cstd_bo_twice(ctx: _Ctx) -> Result:
    rec = ctx.record
    held = [h for h in rec.held if h.award == "cstd-bo"]
    years = sorted(h.year for h in held if h.year is not None)
    name = _title_name("cstd-bo", ctx.lang)
    if len(held) < 2:
        told = ctx.t(f"{len(held)} lần {name}", f"{name} {len(held)} time(s)")
        return False, told + (f" ({_years_text(years)})" if years else ""), ()
    if rec.cstd_bo_consecutive:
        return True, ctx.t(f"02 lần liên tục {name}", f"{name} twice in a row"), ()
    if len(years) >= 2 and years[-1] - years[-2] == 3:
        return (
            True,
            ctx.t(
                f"{name} năm {years[-2]} và {years[-1]} (hai chu kỳ 3 năm liền nhau)",
                f"{name} in {years[-2]} and {years[-1]} (two consecutive 3-year cycles)",
            ),
            (),
        )
    return (
        None,
        ctx.t(
            f"{name} {_years_text(years) or '2 lần'}: chưa rõ có phải 02 lần liên tục",
            f"{name} {_years_text(years) or 'twice'}: not clear whether in a row",
        ),
        (ctx.t("hai lần CSTĐ cấp Bộ có liên tục không?", "were the two in a row?"),),
    )


def check_bk_bo_route_d(ctx: _Ctx) -> Result:
    rec = ctx.record
    cs = check_run(ctx, "cstd-co-so", 2)
    hx = check_rating_run(ctx, "HTXS", 2)
    run_met = _or([cs[0], hx[0]])
    period: set[int] | None = None
    if run_met is True:
        if cs[0] is True:
            _, run, _ = _best_run(ctx, lambda y: _title_in(ctx, "cstd-co-so", y), 2)
        else:
            _, run, _ = _best_run(ctx, lambda y: _rating_at_least(ctx, y, "HTXS") if _countable(ctx, y) else False, 2)
        period = set(run)
    found = _innovations_in(ctx, period)
    sk = sum(i.count for i in found if i.kind == "sang-kien")
    dt = sum(i.count for i in found if i.kind == "de-tai")
    # only those told as recognised (a level) are sure; "có 2 sáng kiến" alone does not say they were recognised
    sk_sure = sum(i.count for i in found if i.kind == "sang-kien" and (i.level is not None or i.recognised))
    dt_sure = sum(i.count for i in found if i.kind == "de-tai" and (i.level is not None or i.recognised))
    run_basis = cs[1] if cs[0] is not False or hx[0] is False else hx[1]
    if run_met is False:
        return (
            False,
            ctx.t(
                f"không có 02 năm liên tục CSTĐ cơ sở hay HTXS ({cs[1]})",
                f"neither 2 grassroots titles nor 2 HTXS years in a row ({cs[1]})",
            ),
            (),
        )
    if sk_sure >= 2 or dt_sure >= 2:
        innov: Tri = True
        ib = ctx.t(
            f"{sk} sáng kiến, {dt} đề tài trong thời gian đó", f"{sk} initiative(s), {dt} task(s) in that period"
        )
    elif sk >= 2 or dt >= 2:
        innov = None
        ib = ctx.t(
            f"{sk} sáng kiến, {dt} đề tài: chưa rõ được công nhận ở cấp nào",
            f"{sk} initiative(s), {dt} task(s): the level of recognition was not told",
        )
    elif any(i.vague for i in found):  # "có mấy sáng kiến": whether there are 2 is not told
        innov = None
        ib = ctx.t("có sáng kiến/đề tài nhưng chưa rõ bao nhiêu", "initiatives were told, but not how many")
    elif sk == 1 and dt == 1:
        innov = None
        ib = ctx.t(
            "01 sáng kiến và 01 đề tài: cách cộng hai loại (CV 1168/BNV-BTĐKT) chưa được xác minh",
            "1 initiative and 1 task: how the two combine (letter 1168/BNV-BTĐKT) was not verified",
        )
    elif not rec.innovations and not rec.no_innovations:
        innov = None
        ib = ctx.t("bạn chưa nói đến sáng kiến, đề tài", "no initiative or task was told")
    else:
        innov = False
        ib = ctx.t(
            f"chỉ có {sk + dt} sáng kiến/đề tài được tính trong thời gian đó (cần 02)",
            f"only {sk + dt} initiative(s)/task(s) count in that period (2 needed)",
        )
    met = _and([run_met, innov])
    missing: tuple[str, ...] = ()
    if met is None:
        missing = tuple(
            m
            for m, v in (
                (ctx.t("02 sáng kiến cấp cơ sở?", "2 unit-level initiatives?"), innov),
                (ctx.t("02 năm liên tục CSTĐCS/HTXS?", "2 years in a row?"), run_met),
            )
            if v is None
        )
    return met, f"{run_basis}; {ib}", missing


def _anniversary(ctx: _Ctx) -> Result | None:
    if ctx.record.round_anniversary is None:
        return (
            False,
            ctx.t(
                "chỉ xét vào dịp kỷ niệm năm tròn của đơn vị; bạn không nói đến dịp này",
                "only at the unit's round-year anniversary, which you did not mention",
            ),
            (),
        )
    if ctx.record.round_anniversary is False:
        return False, ctx.t("không phải dịp kỷ niệm năm tròn", "not a round-year anniversary"), ()
    n = ctx.record.anniversary_years
    if n is not None and n % 10:
        # a round year ends in 0 under any reading; whether one ending in 5 counts as round was not verified (it may
        # be called a "năm lẻ"); 13, 22 … are round under none
        if n % 5:
            return False, ctx.t(f"kỷ niệm {n} năm không phải năm tròn", f"a {n}th anniversary is not a round year"), ()
        return (
            None,
            ctx.t(
                f"kỷ niệm {n} năm: chưa xác minh có được coi là năm tròn",
                f"whether a {n}th anniversary counts as round was not verified",
            ),
            (
                ctx.t(
                    "dịp kỷ niệm này có phải năm tròn không (hỏi Vụ Tổ chức cán bộ)",
                    "is this anniversary a round one (ask the personnel department)",
                ),
            ),
        )
    return None


def _five_years(ctx: _Ctx, htxs: int) -> Result:
    rec = ctx.record
    end = rec.latest_year()
    if end is None:
        return None, ctx.t("chưa biết xếp loại các năm", "ratings not told"), ()
    years = list(range(end - 4, end + 1))
    vals = [_rating_at_least(ctx, y, "HTT") if _countable(ctx, y) else False for y in years]
    ok = _and(vals)
    hx = sum(1 for y in years if rec.rating(y) == "HTXS")
    # "HTT trở lên" told for a year leaves open whether it was HTXS: too few HTXS years is then not known
    floors = sum(1 for y in years if y in rec.rating_floors and rec.rating(y) != "HTXS")
    ok = _and([ok, True if hx >= htxs else None if hx + floors >= htxs else False])
    return ok, ctx.t(f"xếp loại {_years_text(years)}", f"ratings {_years_text(years)}"), ()


def check_bk_bo_route_e(ctx: _Ctx) -> Result:
    rec = ctx.record
    off = _anniversary(ctx)
    if off is not None and off[0] is False:
        return off
    need = 8 if rec.gender == "nu" else 10
    if rec.service_years is None:
        service: Tri = None
    elif rec.service_years >= 10 or (rec.gender == "nu" and rec.service_years >= 8):
        service = True
    elif rec.service_years < 8 or rec.gender == "nam":
        service = False
    else:
        service = None
    five = _five_years(ctx, 1)
    met = _and([service, five[0], None if off is not None else True])
    basis = ctx.t(
        f"dịp kỷ niệm năm tròn; công tác {rec.service_years if rec.service_years is not None else '?'} năm "
        f"(cần {need}); {five[1]}",
        f"round anniversary; {rec.service_years if rec.service_years is not None else '?'} years' service "
        f"({need} needed); {five[1]}",
    )
    if off is not None:  # an anniversary whose roundness is not verified
        basis = f"{off[1]}; {basis}"
    missing = (ctx.t("số năm công tác, xếp loại 5 năm gần nhất", "years of service, last 5 ratings"),) * (met is None)
    return met, basis, missing + (off[2] if off is not None and met is None else ())


def check_bk_bo_collective_route_e(ctx: _Ctx) -> Result:
    rec = ctx.record
    off = _anniversary(ctx)
    if off is not None and off[0] is False:
        return off
    founded: Tri = None if rec.founded_years is None else rec.founded_years >= 10
    five = _five_years(ctx, 0)
    met = _and([founded, five[0], None if off is not None else True])  # an anniversary whose roundness is not verified
    basis = ctx.t(
        f"thành lập {rec.founded_years if rec.founded_years is not None else '?'} năm; {five[1]}",
        f"founded {rec.founded_years if rec.founded_years is not None else '?'} years ago; {five[1]}",
    )
    if off is not None:
        basis = f"{off[1]}; {basis}"
    return met, basis, (off[2] if off is not None and met is None else ())


def check_holds(ctx: _Ctx, award: str) -> Result:
    rec = ctx.record
    name = _title_name(award, ctx.lang)
    items = [h for h in rec.held if h.award == award]
    merit = [h for h in items if h.kind == "cong-trang"]
    if merit:
        years = [h.year for h in merit if h.year is not None]
        return True, ctx.t(f"{name} {_years_text(years)}", f"{name} {_years_text(years)}"), ()
    if items:
        kinds = ", ".join(sorted({_kind_name(h.kind, ctx.lang) for h in items}))
        return (
            False,
            ctx.t(
                f"chỉ có {name} {kinds}: không dùng làm căn cứ khen theo công trạng",
                f"only a {kinds} {name}: no basis for a merit award",
            ),
            (),
        )
    return False, ctx.t(f"bạn không nhắc đến {name}", f"no {name} told"), ()


def check_window_after(
    ctx: _Ctx, award: str, years: int, min: str, cstdcs: int, htxs: int, to_proposal: bool = False
) -> Result:
    rec = ctx.record
    bases = [h for h in rec.held if h.award == award and h.kind == "cong-trang"]
    name = _title_name(award, ctx.lang)
    if not bases:
        return False, ctx.t(f"không có {name} theo công trạng làm mốc", f"no merit {name} to count from"), ()
    if any(h.year is None for h in bases) and all(h.year is None for h in bases):
        return (
            None,
            ctx.t(f"chưa biết năm được {name}", f"the year of the {name} was not told"),
            (ctx.t(f"năm được tặng {name}", f"the year of the {name}"),),
        )
    end = rec.latest_year()
    options: list[Result] = []
    for base in bases:
        if base.year is None:
            continue
        start = base.year + 1
        dend = rec.discipline_end()
        if dend is not None and dend >= start:
            start = dend + 1
        last = end if end is not None else base.year
        if to_proposal:  # the run must reach the proposal: the years up to last year count, told or not
            last = max(last, rec.current_year - 1)
        span = list(range(start, last + 1))
        pending_next = (last + 1) in rec.pending_years
        count_cs = sum(1 for y in span if _title_in(ctx, "cstd-co-so", y) is True)
        count_cs += sum(1 for h in rec.held if h.award == "cstd-co-so" and h.year is None)  # told as in the period
        unsure_cs = sum(1 for y in span if _title_in(ctx, "cstd-co-so", y) is None)
        ratings = [_rating_at_least(ctx, y, min) for y in span]
        n_htxs = sum(1 for y in span if rec.rating(y) == "HTXS") + (rec.htxs_count or 0)
        basis = ctx.t(
            f"sau {name} {base.year}: {len(span)} năm ({_years_text(span)}), {count_cs} lần CSTĐ cơ sở"
            + (f", {n_htxs} năm HTXS" if htxs else ""),
            f"after the {base.year} {name}: {len(span)} year(s) ({_years_text(span)}), {count_cs} grassroots title(s)"
            + (f", {n_htxs} HTXS year(s)" if htxs else ""),
        )
        if dend is not None and dend >= base.year + 1:
            basis += ctx.t(f" (tính từ sau kỷ luật {dend})", f" (counted after the discipline of {dend})")
        missing: list[str] = []
        if len(span) < years:
            if pending_next and len(span) + 1 >= years:
                long_enough: Tri = None
                missing.append(ctx.t(f"kết quả năm {last + 1}", f"the {last + 1} results"))
            else:
                long_enough = False
        else:
            long_enough = True
        rated = _and(ratings) if span else False
        if rated is None:
            unknown = [y for y, v in zip(span, ratings, strict=True) if v is None]
            missing.append(ctx.t(f"xếp loại năm {_years_text(unknown)}", f"the rating of {_years_text(unknown)}"))
        if count_cs >= cstdcs:
            cs_ok: Tri = True
        elif count_cs + unsure_cs + (1 if pending_next else 0) >= cstdcs and (unsure_cs or pending_next):
            cs_ok = None
            missing.append(ctx.t("CSTĐ cơ sở các năm chưa rõ", "the grassroots titles not told"))
        else:
            cs_ok = False
        floors = sum(1 for y in span if y in rec.rating_floors and rec.rating(y) != "HTXS")
        if htxs == 0 or n_htxs >= htxs:
            hx_ok: Tri = True
        elif pending_next or n_htxs + floors >= htxs:  # "HTT trở lên": whether a year was HTXS is not told
            hx_ok = None
            missing.append(ctx.t("năm nào hoàn thành xuất sắc nhiệm vụ?", "which year was HTXS?"))
        else:
            hx_ok = False
        options.append((_and([long_enough, rated, cs_ok, hx_ok]), basis, tuple(missing)))
    return _best(options)


def _share(rec: Record) -> float | None:
    if rec.ldtt_share is not None:
        return rec.ldtt_share
    if rec.members and rec.ldtt_members is not None:
        return rec.ldtt_members / rec.members
    return None


def check_ldtt_share(ctx: _Ctx, min: float) -> Result:
    rec = ctx.record
    share = _share(rec)
    if share is None:
        return (
            None,
            ctx.t("chưa biết tỷ lệ thành viên đạt LĐTT", "the share of Advanced Workers was not told"),
            (ctx.t("số thành viên và số đạt LĐTT", "members and how many are Advanced Workers"),),
        )
    pct = round(share * 100, 1)
    shown = f"{pct:g}%" + (
        f" ({rec.ldtt_members}/{rec.members})" if rec.members and rec.ldtt_members is not None else ""
    )
    if round(share * 1000) >= round(min * 1000):
        return True, ctx.t(f"{shown} đạt LĐTT", f"{shown} Advanced Workers"), ()
    return False, ctx.t(f"{shown} đạt LĐTT, cần ít nhất {min * 100:g}%", f"{shown}; at least {min * 100:g}% needed"), ()


def check_no_member_discipline(ctx: _Ctx) -> Result:
    if ctx.record.member_disciplined:
        return False, ctx.t("có thành viên bị kỷ luật từ cảnh cáo trở lên", "a member was disciplined (cảnh cáo+)"), ()
    if ctx.record.member_discipline_untold:
        return (
            None,
            ctx.t(
                "có thành viên bị kỷ luật nhưng chưa rõ hình thức (từ cảnh cáo trở lên thì tập thể không đạt)",
                "a member was disciplined in a form not told (cảnh cáo or above rules the collective out)",
            ),
            (ctx.t("hình thức kỷ luật của thành viên đó?", "the form of that member's discipline?"),),
        )
    if ctx.record.member_disciplined is False:
        return True, ctx.t("không có thành viên bị kỷ luật", "no member disciplined"), ()
    return True, ctx.t("bạn không nhắc đến thành viên bị kỷ luật", "no disciplined member was mentioned"), ()


def check_all_members_complete(ctx: _Ctx) -> Result:
    rec = ctx.record
    if rec.all_members_complete is not None:
        return (
            rec.all_members_complete,
            ctx.t(
                "100% thành viên hoàn thành nhiệm vụ"
                if rec.all_members_complete
                else "có thành viên không hoàn thành nhiệm vụ",
                "every member completed their tasks"
                if rec.all_members_complete
                else "a member did not complete their tasks",
            ),
            (),
        )
    share = _share(rec)
    if share is not None and share >= 0.9999:
        return True, ctx.t("100% thành viên đạt LĐTT", "every member is an Advanced Worker"), ()
    return (
        None,
        ctx.t("chưa biết có đủ 100% thành viên hoàn thành nhiệm vụ", "not told whether every member completed"),
        (ctx.t("100% thành viên hoàn thành nhiệm vụ?", "did every member complete their tasks?"),),
    )


def check_has_cstdcs_member(ctx: _Ctx) -> Result:
    n = ctx.record.cstdcs_members
    if n is None:
        return (
            None,
            ctx.t("chưa biết có thành viên đạt CSTĐ cơ sở", "not told whether a member is a CSTĐ cơ sở"),
            (ctx.t("có cá nhân đạt CSTĐ cơ sở?", "a member with the grassroots title?"),),
        )
    if n >= 1:
        return True, ctx.t(f"{n} cá nhân đạt CSTĐ cơ sở", f"{n} member(s) with the grassroots title"), ()
    return False, ctx.t("không có cá nhân đạt CSTĐ cơ sở", "no member with the grassroots title"), ()


def check_leads_cluster(ctx: _Ctx) -> Result:
    v = ctx.record.leads_cluster
    if v is None:
        return (
            None,
            ctx.t("chưa biết có dẫn đầu cụm, khối thi đua", "not told whether it leads its cluster"),
            (ctx.t("đơn vị có dẫn đầu cụm, khối thi đua không?", "does the unit lead its cluster?"),),
        )
    return (
        v,
        ctx.t(
            "dẫn đầu cụm, khối thi đua" if v else "không dẫn đầu cụm, khối thi đua",
            "leads its cluster" if v else "does not lead its cluster",
        ),
        (),
    )


def check_no_pending_discipline(ctx: _Ctx) -> Result:
    rec = ctx.record
    if rec.under_inspection:
        return (
            False,
            ctx.t(
                "đang bị thanh tra, kiểm tra, điều tra hoặc xác minh đơn thư khi có dấu hiệu vi phạm, chưa có kết "
                "luận: chưa khen thưởng, chưa đề nghị khen thưởng (khi kết luận không vi phạm thì xét tiếp)",
                "under an inspection, investigation or complaint check on signs of violation, not concluded: no award "
                "and no proposal until it finds no violation",
            ),
            (),
        )
    if any(d.pending for d in rec.disciplines):
        return (
            False,
            ctx.t("đang bị xem xét kỷ luật: chưa được khen, chưa được đề nghị", "a discipline review is pending"),
            (),
        )
    end = rec.discipline_end()
    if end is None:
        return True, ctx.t("bạn không nhắc đến kỷ luật", "no discipline was mentioned"), ()
    if end >= rec.current_year:
        return False, ctx.t(f"đang trong thời hạn kỷ luật ({end})", f"still under discipline ({end})"), ()
    if ctx.award.annual and ctx.target is not None and ctx.target <= end:
        return False, ctx.t(f"năm {ctx.target} đang chịu kỷ luật", f"{ctx.target} was under discipline"), ()
    return (
        True,
        ctx.t(
            f"kỷ luật đến {end}: chỉ tính thành tích từ {end + 1}",
            f"discipline until {end}: achievements count from {end + 1}",
        ),
        (),
    )


_ROUTE_NAMES = {"long-service": ("theo quá trình cống hiến", "by long service (quá trình cống hiến)")}


def check_route_raised(ctx: _Ctx, route: str) -> Result:
    """A route whose current rule was not verified: not taken unless the story raises it, and then unknown, with why."""
    vi, en = _ROUTE_NAMES[route]
    if route not in ctx.record.routes:
        return False, ctx.t(f"bạn không hỏi xét {vi}", f"you did not ask for it {en}"), ()
    return (
        None,
        ctx.t(
            f"xét {vi}: quy định hiện hành (thời gian giữ chức vụ) chưa được xác minh",
            f"{en}: the current rule (the years in each post) was not verified",
        ),
        (ctx.t(f"hỏi Vụ Tổ chức cán bộ về điều kiện xét {vi}", f"ask Vụ Tổ chức cán bộ about the route {en}"),),
    )


CHECK_FUNCTIONS: dict[str, Callable[..., Result]] = {
    "rating": check_rating,
    "rating_run": check_rating_run,
    "not_new_recruit": check_not_new_recruit,
    "innovations": check_innovations,
    "run": check_run,
    "cstd_bo_twice": check_cstd_bo_twice,
    "bk_bo_route_d": check_bk_bo_route_d,
    "bk_bo_route_e": check_bk_bo_route_e,
    "bk_bo_collective_route_e": check_bk_bo_collective_route_e,
    "holds": check_holds,
    "window_after": check_window_after,
    "ldtt_share": check_ldtt_share,
    "no_member_discipline": check_no_member_discipline,
    "all_members_complete": check_all_members_complete,
    "has_cstdcs_member": check_has_cstdcs_member,
    "leads_cluster": check_leads_cluster,
    "no_pending_discipline": check_no_pending_discipline,
    "route_raised": check_route_raised,
}


_TITLE_NAMES = {
    "lao-dong-tien-tien": ("Lao động tiên tiến", "Advanced Worker"),
    "cstd-co-so": ("CSTĐ cơ sở", "Grassroots Emulation Fighter"),
    "cstd-bo": ("CSTĐ cấp Bộ", "Ministry-level Emulation Fighter"),
    "cstd-toan-quoc": ("CSTĐ toàn quốc", "National Emulation Fighter"),
    "bang-khen-bo": ("Bằng khen cấp Bộ", "ministry Certificate of Merit"),
    "bang-khen-thu-tuong": ("Bằng khen Thủ tướng", "Prime Minister's Certificate of Merit"),
    "huan-chuong-lao-dong": ("Huân chương Lao động hạng Ba", "Labour Order, Third Class"),
    "tap-the-lao-dong-tien-tien": ("Tập thể lao động tiên tiến", "Advanced Labour Collective"),
    "tap-the-lao-dong-xuat-sac": ("Tập thể lao động xuất sắc", "Excellent Labour Collective"),
    "co-thi-dua-bo": ("Cờ thi đua cấp Bộ", "Ministry Emulation Flag"),
    "giay-khen": ("Giấy khen", "Certificate of Commendation"),
}


def _title_name(title: str, lang: str) -> str:
    vi, en = _TITLE_NAMES.get(title, (title, title))
    return en if lang == "en" else vi


def _kind_name(kind: str, lang: str) -> str:
    vi, en = {
        "cong-trang": ("công trạng", "merit"),
        "dot-xuat": ("đột xuất", "sudden"),
        "chuyen-de": ("chuyên đề", "thematic"),
    }[kind]
    return en if lang == "en" else vi


def title_name(title: str, lang: str = "vi") -> str:
    return _title_name(title, lang)


def kind_name(kind: str, lang: str = "vi") -> str:
    return _kind_name(kind, lang)


def _evaluate(ctx: _Ctx, cond: Condition) -> ConditionResult:
    text = cond.text(ctx.lang)
    if not cond.verified:
        return ConditionResult(
            cond.id,
            text,
            None,
            ctx.t("quy định hiện hành chưa được xác minh", "the current rule was not verified"),
            cond.article,
            False,
            (ctx.t(f"hỏi Vụ Tổ chức cán bộ về: {text}", f"ask Vụ Tổ chức cán bộ about: {text}"),),
        )
    if cond.mode == "check":
        assert cond.check is not None
        met, basis, missing = CHECK_FUNCTIONS[cond.check](ctx, **cond.params)
        return ConditionResult(cond.id, text, met, basis, cond.article, True, tuple(missing) if met is None else ())
    children = tuple(_evaluate(ctx, c) for c in cond.children)
    met = _or(c.met for c in children) if cond.mode == "any" else _and(c.met for c in children)
    if cond.mode == "any":
        pick = next((c for c in children if c.met is True), None) or next((c for c in children if c.met is None), None)
        basis = pick.basis if pick else "; ".join(c.basis for c in children)
        if met is not True and len(children) > 1:
            basis = " | ".join(f"{c.mark} {c.basis}" for c in children)
    else:
        basis = "; ".join(c.basis for c in children)
    missing = tuple(m for c in children if c.met is None for m in c.missing) if met is None else ()
    return ConditionResult(cond.id, text, met, basis, cond.article, cond.verified, missing, children)


def default_target(record: Record) -> int | None:
    """The year a yearly title is judged on: the one asked for, else the latest year told (or the current one)."""
    if record.target_year is not None:
        return record.target_year
    latest = record.latest_year()
    if record.pending_years and (latest is None or max(record.pending_years) > latest):
        return max(record.pending_years)
    return latest


def evaluate(record: Record, award: AwardCriteria, criteria: Criteria, lang: str = "vi") -> Verdict:
    """Check `record` against `award`; never `meets` while a condition is unknown."""
    ctx = _Ctx(record, award, lang)
    if award.annual:
        ctx.target = default_target(record)
    results = tuple(_evaluate(ctx, c) for c in award.conditions)
    met = _and(r.met for r in results)
    verdict = MEETS if met is True else FAILS if met is False else UNKNOWN
    missing = tuple(dict.fromkeys(m for r in results if r.met is None for m in r.missing))
    if verdict == MEETS and len(record.people) >= 2:
        # "Anh Tùng … CSTĐCS 2023–2025 … Chị Mai thì chưa có gì. Chị Mai có đủ …?": the facts may be another
        # person's; never "meets" on a record that may not be the one asked about
        verdict = UNKNOWN
        missing += (
            ctx.t(
                "câu hỏi kể về nhiều người: xin kể riêng thành tích của người được hỏi",
                "the story tells of several people: please tell the record of the person asked about alone",
            ),
        )
    if verdict == MEETS and record.retired:
        verdict = UNKNOWN
        missing += (
            ctx.t(
                "người đã nghỉ hưu: quy định hiện hành về đề nghị khen thưởng sau khi nghỉ hưu chưa được xác minh, "
                "xin hỏi cán bộ thi đua, khen thưởng",
                "already retired: the current rule on proposals after retirement was not verified; "
                "ask the emulation officer",
            ),
        )
    if verdict == MEETS and record.unread:
        # "SK của em Hội đồng … bác bỏ", "đã tính cho …", "đơn vị đang bị kiểm tra": a circumstance that may rule the
        # proposal out was told in words the reader did not place; never "meets" on it
        verdict = UNKNOWN
        names = {
            "refusal": (
                "việc sáng kiến/đề tài bị đánh giá không đạt hay không được công nhận",
                "whether an initiative was refused",
            ),
            "use": (
                "sáng kiến/đề tài đã được dùng cho danh hiệu, hình thức khen thưởng nào",
                "what the initiative was already used for",
            ),
            "inspection": (
                "việc thanh tra, kiểm tra, điều tra hay đơn thư và kết luận của nó",
                "the inspection or complaint and its conclusion",
            ),
            "contrast": (
                "điều bạn kể sau chữ \"nhưng\" (điều gì chưa đạt, chưa có)",
                "what you told after \"but\" (what was not met or not yet done)",
            ),
        }
        told = "; ".join(names[u][1 if lang == "en" else 0] for u in record.unread if u in names)
        missing += (ctx.t(f"xin kể rõ: {told}", f"please tell plainly: {told}"),)
    return Verdict(
        award=award,
        verdict=verdict,
        conditions=results,
        missing=missing,
        caveat=criteria.caveat(lang),
        assessed=award.assessed(lang),
        target_year=ctx.target,
        lang=lang,
    )


def with_current_year(record: Record, year: int) -> Record:
    return replace(record, current_year=year)


__all__ = [
    "FAILS",
    "MEETS",
    "UNKNOWN",
    "ConditionResult",
    "Discipline",
    "Held",
    "Innovation",
    "Record",
    "Verdict",
    "evaluate",
]


# ---- records from data (YAML files for `python -m bot eligibility`) -----------------------------------------------


def record_from_data(data: object, current_year: int) -> Record:
    """Build a Record from parsed YAML; raise ValueError naming the field on bad input."""
    from pydantic import BaseModel, ConfigDict, Field, ValidationError

    class _M(BaseModel):
        model_config = ConfigDict(extra="forbid")

    class _Held(_M):
        award: str
        year: int | None = None
        kind: str = "cong-trang"

    class _Innovation(_M):
        kind: str = "sang-kien"
        level: str | None = None
        year: int | None = None
        count: int = Field(default=1, ge=1)
        used_for: str | None = None
        recognised: bool = False
        refused: bool = False
        years: list[int] = Field(default_factory=list)
        vague: bool = False

    class _Discipline(_M):
        year: int | None = None
        end_year: int | None = None
        level: str | None = None
        pending: bool = False

    class _Record(_M):
        subject: str = "individual"
        current_year: int | None = None
        pending_years: list[int] = Field(default_factory=list)
        target_year: int | None = None
        ratings: dict[int, str] = Field(default_factory=dict)
        held: list[_Held] = Field(default_factory=list)
        innovations: list[_Innovation] = Field(default_factory=list)
        no_innovations: bool = False
        disciplines: list[_Discipline] = Field(default_factory=list)
        maternity_years: list[int] = Field(default_factory=list)
        sick_years: list[int] = Field(default_factory=list)
        service_years: int | None = None
        gender: str | None = None
        new_recruit_months: int | None = None
        htxs_count: int | None = None
        rating_floors: list[int] = Field(default_factory=list)
        round_anniversary: bool | None = None
        anniversary_years: int | None = None
        cstd_bo_consecutive: bool | None = None
        members: int | None = None
        ldtt_members: int | None = None
        ldtt_share: float | None = None
        all_members_complete: bool | None = None
        member_disciplined: bool | None = None
        member_discipline_untold: bool = False
        under_inspection: bool = False
        cstdcs_members: int | None = None
        leads_cluster: bool | None = None
        founded_years: int | None = None
        vague_titles: list[str] = Field(default_factory=list)
        unsure_years: list[int] = Field(default_factory=list)
        retired: bool = False
        routes: list[str] = Field(default_factory=list)

    if data is None:
        data = {}
    try:
        m = _Record.model_validate(data)
    except ValidationError as exc:
        err = exc.errors()[0]
        loc = ".".join(str(p) for p in err["loc"]) or "(top level)"
        raise ValueError(f"field '{loc}': {err['msg']}") from None
    problems: list[str] = []
    if m.subject not in ("individual", "collective"):
        problems.append(f"field 'subject': expected individual or collective, got {m.subject!r}")
    for year, rating in m.ratings.items():
        if rating not in RATINGS:
            problems.append(f"field 'ratings.{year}': expected one of {', '.join(RATINGS)}, got {rating!r}")
    for i, h in enumerate(m.held):
        if h.award not in TITLES:
            problems.append(f"field 'held.{i}.award': unknown title {h.award!r} (one of {', '.join(TITLES)})")
        if h.kind not in KINDS:
            problems.append(f"field 'held.{i}.kind': expected one of {', '.join(KINDS)}, got {h.kind!r}")
    for i, inn in enumerate(m.innovations):
        if inn.kind not in ("sang-kien", "de-tai"):
            problems.append(f"field 'innovations.{i}.kind': expected sang-kien or de-tai, got {inn.kind!r}")
        if inn.level is not None and inn.level not in LEVELS:
            problems.append(f"field 'innovations.{i}.level': expected one of {', '.join(LEVELS)}, got {inn.level!r}")
    if m.gender not in (None, "nam", "nu"):
        problems.append(f"field 'gender': expected nam or nu, got {m.gender!r}")
    if problems:
        raise ValueError("; ".join(problems))
    return Record(
        subject=m.subject,
        current_year=m.current_year or current_year,
        pending_years=tuple(m.pending_years),
        target_year=m.target_year,
        ratings=tuple(sorted(m.ratings.items())),
        held=tuple(Held(h.award, h.year, h.kind) for h in m.held),
        innovations=tuple(
            Innovation(i.kind, i.level, i.year, i.count, i.used_for, i.recognised, i.refused, tuple(i.years), i.vague)
            for i in m.innovations
        ),
        no_innovations=m.no_innovations,
        disciplines=tuple(Discipline(d.year, d.end_year, d.level, d.pending) for d in m.disciplines),
        maternity_years=tuple(m.maternity_years),
        sick_years=tuple(m.sick_years),
        service_years=m.service_years,
        gender=m.gender,
        new_recruit_months=m.new_recruit_months,
        round_anniversary=m.round_anniversary,
        anniversary_years=m.anniversary_years,
        htxs_count=m.htxs_count,
        rating_floors=tuple(m.rating_floors),
        cstd_bo_consecutive=m.cstd_bo_consecutive,
        members=m.members,
        ldtt_members=m.ldtt_members,
        ldtt_share=m.ldtt_share,
        all_members_complete=m.all_members_complete,
        member_disciplined=m.member_disciplined,
        member_discipline_untold=m.member_discipline_untold,
        under_inspection=m.under_inspection,
        cstdcs_members=m.cstdcs_members,
        leads_cluster=m.leads_cluster,
        founded_years=m.founded_years,
        vague_titles=tuple(m.vague_titles),
        unsure_years=tuple(m.unsure_years),
        retired=m.retired,
        routes=tuple(m.routes),
    )
