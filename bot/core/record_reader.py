# ruff: noqa: E501  (long regular expressions of the vocabulary read better on one line)
"""Read a record (titles, ratings, sáng kiến … by year) and the award asked about from free text.

Works on accent-folded, lowercased text (bot.core.normalize), so Vietnamese with or without diacritics, the usual
abbreviations (CSTĐCS, LĐTT, BK, BKTTg, HTXS, HTT, SK, HCLĐ …) and English all meet the same patterns. Pure.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from itertools import pairwise

from bot.core.eligibility import Discipline, Held, Innovation, Record, kind_name, title_name
from bot.core.needles import needles
from bot.core.normalize import canonical_text, fold

# ---- vocabulary (folded) ------------------------------------------------------------------------------------------

_AWARDS: list[tuple[str, str]] = [
    (
        "huan-chuong-lao-dong",
        r"huan chuong lao dong(?: hang (?:ba|3|iii))?|\bhcld(?: ?hang ba| ?h3| ?hang 3)?\b|\bhc ld\b"
        r"|(?:third[- ]class )?labou?r (?:order|medal)(?:,? (?:third|3rd) class)?",
    ),
    (
        "bang-khen-thu-tuong",
        r"bang khen (?:cua )?(?:thu tuong|ttg)(?: chinh phu)?|\bbk ?ttg\b|\bbkttg\b|\bbk thu tuong\b|\bbktt\b"
        r"|bang khen (?:cua )?chinh phu|prime minister'?s? (?:certificate|diploma)(?: of merit)?"
        r"|\bpm'?s? certificate(?: of merit)?|certificate of merit (?:of|from) the prime minister",
    ),
    (
        "cstd-toan-quoc",
        r"(?:chien si thi dua|\bcstd) toan quoc|\bcstdtq\b|national(?:[- ]level)? emulation (?:fighter|soldier)",
    ),
    (
        "cstd-bo",
        r"(?:chien si thi dua|\bcstd) (?:cap )?(?:bo|nganh|tinh)\b(?: (?:khcn|kh&cn|khoa hoc va cong nghe))?"
        r"|\bcstdb\b|\bcstd cb\b|(?:minist(?:ry|erial)|provincial)(?:[- ]level)? emulation (?:fighter|soldier)"
        r"|emulation (?:fighter|soldier) (?:at|of) (?:the )?ministry(?: level)?",
    ),
    (
        "cstd-co-so",
        r"(?:chien si thi dua|\bcstd) (?:cap )?(?:co so|cs)\b|\bcstdcs\b|\bcstd-cs\b"
        r"|(?:grassroots|base|unit)(?:[- ]level)? emulation (?:fighter|soldier)s?"
        r"|emulation (?:fighter|soldier) at (?:the )?(?:grassroots|base|unit)(?: level)?",
    ),
    ("tap-the-lao-dong-xuat-sac", r"tap the lao dong xuat sac|\bttldxs\b|excellent labou?r collective"),
    ("tap-the-lao-dong-tien-tien", r"tap the lao dong tien tien|\bttldtt\b|advanced labou?r collective"),
    ("co-thi-dua-bo", r"co thi dua (?:cap |cua )?bo\b|\bco thi dua\b|ministry emulation flag|emulation flag"),
    (
        "bang-khen-bo",
        r"bang khen (?:cap |cua )?bo(?: truong)?\b|\bbk ?(?:cap )?bo\b|\bbkb\b"
        r"|minister'?s certificate(?: of merit)?|ministry(?:[- ]level)? certificate(?: of merit)?"
        r"|certificate of merit (?:of|from) the minist(?:er|ry)",
    ),
    ("lao-dong-tien-tien", r"lao dong tien tien|\bldtt\b|advanced (?:worker|labou?rer)s?"),
    ("giay-khen", r"giay khen|certificate of commendation"),
    ("cstd-co-so", r"chien si thi dua|\bcstd\b|emulation fighters?"),  # bare: the grassroots title
    ("bang-khen-bo", r"bang khen|\bbk\b|certificates? of merit"),  # bare: the ministry's
]
_RATINGS: list[tuple[str, str]] = [
    ("KHT", r"khong hoan thanh(?: nhiem vu)?|\bkht\b|did not complete|failed to complete"),
    (
        "HTXS",
        r"hoan thanh xuat sac(?: nhiem vu)?|\bhtxs\b|\bhtxsnv\b|(?:xep loai|danh gia|loai|muc) xuat sac"
        r"|rated (?:as )?(?:excellent|outstanding)|(?:excellent|outstanding) (?:rating|completion)|excellently"
        # "năm 2020 xuất sắc", "2023: xuất sắc": a year's rating told by the word alone
        r"|(?<=\d\d\d\d )(?:: )?xuat sac\b(?! nhat)",
    ),
    (
        "HTT",
        r"hoan thanh tot(?: nhiem vu)?|\bhtt\b|\bhttnv\b|complet(?:ed|ing) (?:\w+ )?tasks? well|tasks? (?:were |was )?completed well"
        r"|rated (?:as )?good\b"
        r"|good (?:rating|completion)",
    ),
    # "2021 chỉ hoàn thành", "xếp loại hoàn thành": completed, not well nor excellently (HTNV)
    (
        "HT",
        r"hoan thanh nhiem vu|\bht\b|\bhtnv\b|completed (?:the |my |her |his )?tasks?\b"
        r"|\b(?:chi|xep loai|muc|loai) hoan thanh\b(?! tot| xuat sac| nhiem vu)|(?<=\d\d\d\d )(?:: )?hoan thanh\b(?! tot| xuat sac| nhiem vu)",
    ),
]
_INNOVATION = re.compile(
    r"(?:(?<!\d)(\d{1,2}|mot|hai|ba|bon|one|two|three|four)\s+(?:[a-z]+(?:-[a-z]+)?\s+)?)?(?:sang kien|\bsk\b|de tai\b|de an\b|nhiem vu (?:khoa hoc|kh)"
    r"|cong trinh (?:khoa hoc|nghien cuu)|initiatives?|innovations?|research (?:tasks?|projects?)|projects?)"
)
_NO_INNOVATION = re.compile(
    r"(?:khong|chua|ko|k) (?:co )?(?:sang kien|sk|de tai)|no (?:initiative|innovation|research)|without (?:an? )?"
    r"(?:initiative|innovation)"
)
_NEGATED_LIST = re.compile(
    r"(?:khong|chua|ko|no|without|not)\s+(?:co\s+|have\s+|any\s+)?(?:\w+\s+)?(?:sang kien|\bsk\b|de tai|de an|initiatives?|innovations?)"
    r"\s*(?:,|hay|hoac|va|cung|or|and|nor)\s*(?:\w+\s+)?$"
)
_LEVELS = [
    ("toan-quoc", r"toan quoc|ca nuoc|national|nationwide"),
    (
        "bo",
        r"cap bo|pham vi bo|toan bo\b|toan nganh|cap nganh|bo truong cong nhan|bo cong nhan|\bbo\b|ministry|ministerial"
        r"|minister",
    ),
    # the province: the tier of Điều 22 (CSTĐ bộ, ban, ngành, tỉnh), but for a province's title, not the Ministry's
    ("tinh", r"toan tinh|pham vi (?:toan )?tinh|cap tinh|ubnd (?:cap )?tinh|uy ban nhan dan (?:cap )?tinh|provincial|province"),
    (
        "co-so",
        r"co so|don vi|\bcs\b|cap (?:phong|vu|cuc|vien|truong|trung tam)|unit|grassroots|local|department"
        r"|(?:cuc|vu|vien) truong|thu truong (?:co quan|don vi)|trong (?:cuc|vien|vu|trung tam|truong|phong)\b"
        r"|(?:cua|cap|pham vi|trong|giam doc|lanh dao|hoi dong(?: sang kien)?) (?:toan )?so\b(?! (?:do|nay|cac|nhung|luong|lan|tien|nam|it))"
        # the council of a unit ("Hội đồng sáng kiến của Trung tâm"): the unit's recognition
        r"|(?:hoi dong|\bhd) ?(?:sang kien|sk)(?: cua| cap)? (?:trung tam|vien|cuc|vu|truong|co quan)\b",
    ),
]
_NUMBERS = {
    "mot": 1, "hai": 2, "ba": 3, "bon": 4, "tu": 4, "nam": 5, "sau": 6, "bay": 7, "tam": 8, "chin": 9, "muoi": 10,
    "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9, "ten": 10,
    "twice": 2, "thrice": 3,
}  # fmt: skip
_NUM = r"(\d{1,2}|mot|hai|ba|bon|tu|nam|sau|bay|tam|chin|muoi|one|two|three|four|five|six|seven|eight|nine|ten)"
_YEAR = r"(?:19|20)\d\d"
_RANGE = re.compile(
    rf"(?:tu (?:nam )?|from |since )?\b({_YEAR})\s*(?:-|–|—|den|toi|to|through|until|till)\s*(?:nam )?\b({_YEAR}|nay|now|hien nay)\b"
    rf"|(?:tu (?:nam )?|since )\b({_YEAR})\b(?: (?:den|toi) (?:nay|hien nay))?"
)
_SINGLE_YEAR = re.compile(rf"\b({_YEAR})\b")
_RELATIVE = [
    # "mấy năm nay", "vài năm nay": a vague stretch of years, not the current one
    (0, re.compile(r"(?<!may )(?<!vai )(?<!nhung )(?<!nhieu )\bnam nay\b|\bthis year\b|\bnam hien tai\b")),
    (1, re.compile(r"\bnam ngoai\b|\bnam truoc\b|\bnam qua\b|\blast year\b|\bnam vua qua\b|\bnam roi\b")),
    (2, re.compile(r"\bnam kia\b|\bthe year before last\b")),
]
_COUNT = re.compile(
    rf"\b{_NUM}\s*(?:nam|lan|years?|times?)\s*(?:lien tuc|lien tiep|lien|lien nhau|in a row|consecutive(?:ly)?|running)"
    rf"(?:\s*gan (?:nhat|day))?|\b{_NUM}\s+consecutive\s+(?:years?|times?)|\b(twice|thrice)\s+in a row"
    rf"|\b{_NUM}\s*nam\s*(?:gan (?:day|nhat)|vua qua|lien ke) (?:lien tuc )?"
    rf"|(?:the )?(?:last|past) {_NUM} years\b"
    rf"|\b{_NUM}\s*(?:nam|lan)\s+(?=(?:dat|duoc|la)\b)|\b{_NUM}\s+times\b"
)
_NEGATION = re.compile(r"(?:khong|chua|chang|ko|not|never|no|nhung khong)\s+(?:\w+\s+){0,2}$")
_KINDS = [
    ("dot-xuat", r"dot xuat|\bdx\b|sudden|ad[- ]hoc|extraordinary"),
    ("chuyen-de", r"chuyen de|theo dot|thematic|\bcampaign\b|phong trao chuyen de"),
    ("cong-trang", r"cong trang|for merit|tong ket nam|hang nam"),
]
_QUESTION = re.compile(
    # "có đạt TTLĐTT năm 2025 không?": "có đạt … không" asks whether the title is reached
    r"du dieu kien|du tieu chuan|dat tieu chuan|dat dieu kien|\bdu\b(?! lieu)|co duoc|\bco dat\b|duoc (?:de nghi|xet|tang|nhan|len|khen)"
    r"|co the (?:duoc )?(?:de nghi|xet|dang ky|len|nhan)|de nghi|xet tang|\bxet\b|(?<!tro )\blen\b|dang ky|\bxin\b|de xuat|\btrinh\b"
    r"|duoc (?:khong|ko|k|hong)\b|(?:lam|lap|chuan bi) ho so|eligib|qualif|nominat|propos|apply for|enough (?:for|to)|can (?:i|she|he|we|they|our|the|my)\b|(?:can|could) it be\b"
    r"|could (?:i|she|he|we)\b|am i\b|is (?:she|he|our|my|the)\b|do (?:i|we)\b|does (?:she|he|our|the)\b"
    r"|\bget\b|\breceive\b"
)
_ASKED_TRIGGER = re.compile(
    r"(?:de nghi|xet|tang|len|nhan|dang ky|dieu kien|tieu chuan|duoc|du|dat|\bfor\b|\bget\b|\breceive\b|\bto\b"
    r"|\bthe\b|\ba\b)\s*(?:\S+\s+){0,3}$"
)
_QUESTION_END = re.compile(r"\?|\b(?:khong|chua|ko|k|hong|ko a|khong a|chua a|duoc khong)\s*[.?!]*\s*$")
_PLAIN = re.compile(
    r"tieu chuan .*(?:la gi|gom|nhu the nao|the nao|ra sao)|(?:la gi|gom nhung gi|nhu the nao|bao nhieu nam|may nam"
    r"|may lan|bao nhieu lan)\s*\??$|what (?:are|is) the (?:criteria|requirements)|how many years"
)
_COLLECTIVE = re.compile(
    r"\b(?:tap the|phong (?:toi|chung toi|em|minh|cua toi|cua em)|don vi (?:toi|chung toi|em|minh|nay|cua toi|cua em)"
    r"|co quan (?:toi|chung toi|em|minh)|to (?:toi|chung toi)|khoa (?:toi|chung toi)|our (?:unit|team|department|division|office|centre|center)"
    r"|the unit\b|collective|(?:thanh vien|members?|nguoi|can bo|vien chuc|cbcc|staff)\b.*(?:dat|dat danh hieu|are|were) (?:ldtt|lao dong tien tien|advanced))"
)
_MEMBERS = re.compile(
    r"\b(\d{1,4})\s*(?:nguoi|thanh vien|can bo|cbcc|cbccvc|vien chuc|nhan vien|dong chi|members?|staff|people|employees)\b"
    r"|\b(?:team|unit|department|division|office|centre|center|group) of (\d{1,4})\b"
)
_LDTT_COUNT = re.compile(
    r"\b(\d{1,4})\s*(?:(?:/|of|out of|tren|trong so)\s*(\d{1,4}))?\s*(?:(?:so )?(?:nguoi|thanh vien|can bo|vien chuc|dong chi)|members?|people|staff)?\s*"
    r"(?:of (?:them|whom)\s*)?(?:deu\s*)?(?:dat|duoc|are|were|la|got)?\s*(?:danh hieu\s*)?(?:ldtt|lao dong tien tien|advanced workers?)"
)
_PERCENT = re.compile(r"(\d{1,3}(?:[.,]\d+)?)\s*(?:%|phan tram|percent)")
_DISCIPLINE = re.compile(
    r"ky luat|khien trach|canh cao|ha bac|cach chuc|giang chuc|buoc thoi viec|disciplin|reprimand|\bwarning\b|demot"
)
_DISCIPLINE_PENDING = re.compile(
    r"(?:dang|bi) (?:bi )?(?:xem xet|xet) (?:xu ly )?ky luat|dang bi (?:thanh tra|dieu tra|kiem tra)|under (?:a )?"
    r"(?:disciplinary )?(?:review|investigation)|(?:being|is) (?:considered|reviewed) for discipline|pending discipline"
)
_NO_DISCIPLINE = re.compile(
    r"(?:khong|chua|chua tung|khong ai|khong co ai|khong co nguoi nao|khong co thanh vien nao|no one|nobody|never|no|not)"
    r"\s+(?:\w+\s+){0,3}(?:bi )?(?:ky luat|disciplin|khien trach|canh cao|reprimand|warn)"  # "không ai bị cảnh cáo"
)
_MEMBER_WORD = re.compile(
    r"thanh vien|\bmot nguoi\b|\b1 nguoi\b|\bco nguoi\b|dong chi|member|nhan vien|can bo|vien chuc|staff"
    # "có 1 bạn trong phòng", "một anh", "a colleague", "one of us": a person of the collective
    r"|\b(?:1|mot|co|hai|2) (?:ban|anh|chi|em)\b|dong nghiep|colleague|one of (?:us|them|our)"
)
# "vài lần", "mấy lần", "nhiều lần", "several times": a count not told
_VAGUE_COUNT = re.compile(
    r"\b(?:vai|may|nhieu|mot so|mot vai|dang|several|a few|many|some)\s+(?:lan|nam|times|years)\s*(?:dat|duoc|la|as)?\s*(?:danh hieu\s*)?$"
)
_LONG_SERVICE = re.compile(
    r"qua trinh cong hien|cong hien lau dai|long[- ]service|(?:lifetime|long[- ]standing) (?:of )?(?:contribution|service)"
)


_RETIRING = re.compile(r"nghi huu|ve huu|retir")
_YEARS_IN_POST = re.compile(
    r"giu chuc|(?:pho )?(?:vu|cuc|tong cuc|vien) truong \d{1,2} nam|(?:giam doc|chanh van phong|truong phong) \d{1,2} nam"
    r"|\d{1,2} years as (?:deputy |vice )?(?:director|head|chief)"
)


# "đã nghỉ hưu", "nghỉ hưu năm 2023", "nghỉ hưu từ tháng 6/2025", "retired in 2024", "has retired"
_RETIRED = re.compile(
    rf"\bda (?:nghi huu|ve huu)\b|\b(?:nghi huu|ve huu)(?: (?:tu|vao|nam|thang|ngay|tu thang|tu nam))* (?:\d{{1,2}} ?[/-] ?)*({_YEAR})"
    rf"|\b({_YEAR}),? (?:[a-z]+ ){{0,3}}(?:nghi huu|ve huu)\b|\b(?:has|had|is|was) (?:already )?retired\b|\bretired (?:in|on|since|from)\b(?: \w+)?(?: \d{{1,2}},?)? ?({_YEAR})?"
)


def _retired(f: str, current_year: int) -> bool:
    """Told as already retired (a year of retirement before the current one, "đã nghỉ hưu", "has retired"); "sắp nghỉ
    hưu", "sang năm nghỉ hưu", "retires in 2027" are not. The current rule for proposals after retirement was not
    verified (facts A3.1), so such a record never "meets"."""
    for m in _RETIRED.finditer(f):
        year = next((g for g in m.groups() if g), None)
        if re.search(r"\b(?:sap|se|sang nam|du kien|chuan bi|will|to)\s+(?:\w+\s+)?$", f[max(0, m.start() - 20) : m.start()]):
            continue
        if year is None or int(year) < current_year:
            return True
    return False


def _routes_raised(f: str) -> tuple[str, ...]:
    """The routes a story asks to be taken: "theo quá trình cống hiến", "for long service" (Luật 2022 Điều 44 k1 g), or
    a leader's years in post told at retirement (NĐ 152/2025 Điều 9 k2: such proposals go up at retirement)."""
    raised = _LONG_SERVICE.search(f) or (_RETIRING.search(f) and _YEARS_IN_POST.search(f))
    return ("long-service",) if raised else ()


_CYCLE_WORD = re.compile(r"(?:\bdot|chu ky|\bcycle|\bterm)\s*(?:tu\s*|from\s*)?$")


def _cycle_ends(f: str, m: Mention, awards: list[Mention], groups: list[YearGroup]) -> list[int]:
    """A title told by its cycles ("CSTĐ cấp Bộ hai đợt liên tiếp, đợt 2020–2022 và đợt 2023–2025", "for the 2019-2021
    term"): each range named as a đợt / giai đoạn / cycle, in the title's sentence before the next award, is one title,
    dated by the range's last year; not one title a year. A year told before the range is the title's own ("Bằng khen
    năm 2020, tổng kết giai đoạn 2018–2019": a period of work, not a cycle)."""
    end = min([_sentence_end(f, m.end)] + [a.start for a in awards if a.start > m.end])
    first_single = next((g.start for g in groups if m.end <= g.start < end and len(g.years) == 1), end)
    end = min(end, first_single)
    ranges = [g for g in groups if m.end <= g.start < end and len(g.years) > 1]
    if ranges and re.search(r"\b(?:dot|cycles?|terms?|chu ky)\b", f[m.end : ranges[0].start]):
        return [g.years[-1] for g in ranges]  # "2 đợt liên tục (2019-2021, 2022-2024)"
    return [
        g.years[-1]
        for g in groups
        if m.end <= g.start < end
        and len(g.years) > 1
        and (_CYCLE_WORD.search(f, max(0, g.start - 14), g.start) or re.match(r"\s*(?:cycle|term)\b", f[g.end :]))
    ]


# a grade given to a sáng kiến or đề tài by its council ("nghiệm thu, xếp loại xuất sắc", "Hội đồng đánh giá xuất sắc")
_GRADE_OF_A_WORK = re.compile(r"(?:nghiem thu|hoi dong(?! thi dua)|\bhd\b|council|committee)(?:[^.;!?,]{0,35}|\s*,\s*)$")
# "mấy năm nay", "mấy năm gần đây", "những năm qua", "in recent years": a stretch of years not told
_VAGUE_SPAN = re.compile(
    r"\b(?:may|vai|nhung|nhieu) nam (?:nay|qua|vua qua|lien|lien tuc)\b|\bnam (?:gan day|tro lai day)\b|\bmany years\b|\b(?:in )?(?:recent|the past few|the last few) years\b"
)
_VAGUE_AFTER = re.compile(r"\s*(?:(?:vai|may|nhieu|mot so|mot vai) lan\b|(?:several|a few|many|a number of) times\b)")
# "Is she eligible?", "propose her for …", "đề nghị cho chị ấy": the one asked about is a person
_ASKED_OF_A_PERSON = re.compile(
    r"\b(?:is|can|could|does|would) (?:she|he)\b|\b(?:propose|nominate|recommend) (?:her|him)\b|\bcho (?:anh|chi|ong|ba|co) ay\b"
)
_FRACTIONS = {"nua": 0.5, "half": 0.5, "halves": 0.5, "thirds": 3, "third": 3, "quarters": 4, "quarter": 4, "fourths": 4, "fifths": 5, "tenths": 10}
_FRACTION = re.compile(
    rf"\b(?:(?:mot )?nua|(?:one )?half)\b|\b{_NUM}\s+phan\s+{_NUM}\b|\b{_NUM}[- ](thirds?|quarters?|fourths|fifths|tenths)\b"
)


def _fraction_share(f: str) -> float | None:
    """A share of members told as a fraction next to the LĐTT title ("ba phần tư số người đạt LĐTT", "two thirds of us
    were voted Advanced Workers", "một nửa"): X phần Y is X/Y."""
    for m in _FRACTION.finditer(f):
        if re.search(r"\b(?:hon|tren|gan|khoang|chung|xap xi|more than|over|almost|nearly|about|around|under|duoi)\s*$", f[max(0, m.start() - 12) : m.start()]):
            return None  # "hơn một nửa", "nearly two thirds": a bound, not the share
        near = f[m.end() : m.end() + 50]
        title = re.search(r"ldtt|lao dong tien tien|advanced", near)
        if title is None or re.search(r"[.;!?]", near[: title.start()]):
            continue
        if m.group(1) and m.group(2):
            num, den = _num(m.group(1)), _num(m.group(2))
        elif m.group(3):
            num, den = _num(m.group(3)), int(_FRACTIONS[m.group(4)])
        else:
            num, den = 1, 2
        if num and den and 0 < num <= den:
            return num / den
    return None


# "Từng người: 2 HTXS, 3 HTT, 1 HTNV": members' ratings told by count
_MEMBER_RATING = re.compile(
    rf"\b{_NUM}\s*(?:nguoi|thanh vien|members?)?\s*(?:dat |xep loai |rated )?"
    r"(khong hoan thanh(?: nhiem vu)?|\bkht\b|hoan thanh xuat sac|\bhtxs(?:nv)?\b|hoan thanh tot|\bhtt(?:nv)?\b|hoan thanh nhiem vu|\bhtnv\b|\bht\b)"
)


def _member_ratings_complete(f: str, members: int | None) -> bool | None:
    """Members' ratings told by count in one sentence ("2 HTXS, 3 HTT, 1 HTNV" of 6): every member completed when the
    counts make up the head count with none "không hoàn thành"; any KHT is a member who did not; else not told."""
    if not members:
        return None
    for sent in re.finditer(r"[^.!?\n]+", f):
        pairs = [(_num(m.group(1)) or 0, m.group(2)) for m in _MEMBER_RATING.finditer(sent.group())]
        if len(pairs) < 2:
            continue
        if any(n and re.match(r"khong|kht", r) for n, r in pairs):
            return False
        if sum(n for n, _ in pairs) == members:
            return True
    return None


_MEMBER_FORM_HIGH = re.compile(r"canh cao|ha bac|cach chuc|buoc thoi viec|giang chuc|warning|demot|dismiss")
_MEMBER_FORM_LOW = re.compile(r"khien trach|reprimand")


def _member_discipline_form(f: str, clause: tuple[int, int]) -> bool | None:
    """A member's discipline in a collective's story, by its form in the sentence: cảnh cáo or above True (the
    collective is ruled out, Luật 2022 Điều 28 k1 c), khiển trách False, a form not told (or told as not known) None."""
    sentence = f[clause[0] : _sentence_end(f, clause[0])]
    denied = re.compile(r"(?:khong|chua|no one|nobody|not|never)\s+(?:\w+\s+){0,3}$")
    high = [m for m in _MEMBER_FORM_HIGH.finditer(sentence) if not denied.search(sentence, 0, m.start())]
    if high:
        return True  # "có 1 người bị cảnh cáo"; "không ai bị cảnh cáo" is no such member
    return False if _MEMBER_FORM_LOW.search(sentence) else None
_MATERNITY = re.compile(r"thai san|nghi sinh|sinh con|sinh em be|maternity|gave birth|had a baby")
_SICK = re.compile(r"nghi om|om dai ngay|om nang|dieu tri benh|nam vien|sick leave|long illness|in hospital")
_RECRUIT = re.compile(
    r"moi (?:duoc )?(?:tuyen dung|tuyen|vao (?:co quan|lam|nganh|don vi))|newly recruited|just (?:joined|recruited)"
    r"|recruited|moi chuyen (?:den|ve)|moi ve (?:co quan|don vi|nganh|phong|lam|cong tac)|\b(?:vao|ve) lam (?=tu thang|since|from|(?:tu |ngay |tu ngay )?\d{1,2}/\d{1,2}/(?:19|20)\d\d)|\b(?:lam|lam viec|cong tac)(?: o| tai)? (?:[a-z]+ ){0,3}(?:moi )?duoc \d{1,2} thang\b"
    r"|joined (?:the |our |this )?(?:ministry|unit|agency|department|office|institute|centre|center|team)|tuyen dung (?:vao|ve|tu|ngay|thang)|(?:bat dau|duoc nhan vao) (?:lam viec|cong tac|di lam)|started (?:work(?:ing)?|my job) (?:here|at|in)\b"
)
_MONTH_NAMES = {
    m: i + 1
    for i, m in enumerate(
        ("january", "february", "march", "april", "may", "june", "july", "august", "september", "october", "november", "december")
    )
}
_MONTHS = re.compile(rf"\b{_NUM}\s*(?:thang|months?)\b")


# The day a recruit started, told as a date: "on 1 October 2026", "1 October 2026", "ngày 01/10/2026", "từ 1/10/2026"
_RECRUIT_DATE = re.compile(
    rf"\b(?:on |from |since )?(?:the )?\d{{1,2}}(?:st|nd|rd|th)? (?:of )?({'|'.join(_MONTH_NAMES)})\b,? ({_YEAR})"
    rf"|\b(?:on |from |since )?({'|'.join(_MONTH_NAMES)}) \d{{1,2}}(?:st|nd|rd|th)?,? ({_YEAR})"
    rf"|\b(?:ngay |tu |tu ngay |from |on )?\d{{1,2}} ?[/-] ?(\d{{1,2}}) ?[/-] ?({_YEAR})"
)


def _new_recruit_months(f: str, current_year: int) -> int | None:
    """Months a newly recruited person has worked in the current year, when the story says they were recruited: from
    the month they started ("từ tháng 8", "since August", or a date right after the cue, "recruited … on 1 October
    2026", "tuyển dụng ngày 01/10/2026": 13 − month, the starting month counted whole) or a number of months told ("mới được 4 tháng"). A start in an earlier year is no
    months of this one; "dưới 6 tháng" is strictly under the number."""
    cue = _RECRUIT.search(f)
    if cue is None:
        return None
    since = re.search(rf"(?:tu|since|from|in|vao|tuyen dung|tuyen) thang (\d{{1,2}})\b(?:\s*(?:/|-|nam)\s*({_YEAR}))?", f) or re.search(
        rf"(?:since|from|in) ({'|'.join(_MONTH_NAMES)})\b(?:,? ({_YEAR}))?", f
    )
    if since is None and (dated := _RECRUIT_DATE.search(f, cue.start(), cue.end() + 60)):  # the date the cue tells
        month_word, year = next((dated.group(i), dated.group(i + 1)) for i in (1, 3, 5) if dated.group(i))
        month = _MONTH_NAMES.get(month_word) or int(month_word)
        return 13 - month if int(year) == current_year and 1 <= month <= 12 else None
    if since and since.group(2) and int(since.group(2)) != current_year:
        since = None  # "từ tháng 8/2024": recruited in an earlier year, not months of this one
    mm = _MONTHS.search(f)
    month = (_MONTH_NAMES.get(since.group(1)) or int(since.group(1))) if since else 0
    if since and 1 <= month <= 12:
        return 13 - month
    if mm and mm.group(1) != "tu":
        months = _num(mm.group(1))
        # "dưới 6 tháng", "chưa đủ 6 tháng": strictly under the number, not the number itself (audit11: the
        # question "mới tuyển dụng dưới 6 tháng" was read as 6 months and the check ticked as met)
        if months and _UNDER_BEFORE.search(f, 0, mm.start()):
            months -= 1
        return months
    return None
_SERVICE = re.compile(
    r"(?:cong tac|lam viec|da co|tham nien|served|worked|working)\D{0,20}?\b(\d{1,2})\s*(?:nam|years?)"
    # "worked at the ministry for 7 years", "công tác tại Viện Nghiên cứu được 12 năm": a longer place, no award in it
    r"|(?:cong tac|lam viec|served|worked|working)\s(?:(?!bang khen|chien si|cstd|certificate|emulation)\D){0,40}?\b(\d{1,2})\s*(?:nam|years?)"
    r"|\b(\d{1,2})\s*(?:nam|years?)\s*(?:cong tac|lam viec|tham nien|of service|in the ministry|at the ministry)"
)
_WORD_NUMBERS = {"eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14, "fifteen": 15, "sixteen": 16, "seventeen": 17, "eighteen": 18, "nineteen": 19, "twenty": 20}
_SERVICE_WORDS = re.compile(
    rf"\b({_NUM[1:-1].split('|', 1)[1]}|{'|'.join(_WORD_NUMBERS)})\s*(?:nam|years?)\s*(?:'s )?(?:of service|cong tac|lam viec|tham nien|in the ministry|at the ministry|in the sector|in the ministry's units|trong bo|trong nganh)"
)
# Service told by its start year ("công tác ở Sở từ 2010", "vào ngành năm 2008", "vào cơ quan từ 2020", "joined our institute in 2019"): the
# years from it to the current year, counted low (the month is not told), never past a range that ends before now.
_SERVICE_SINCE = re.compile(
    rf"(?:cong tac|lam viec|\blam)\s(?:[a-z]+\s){{0,4}}?tu (?:nam )?({_YEAR})"
    rf"|vao (?:nganh|bo|vien|cuc|vu|so|co quan|don vi|trung tam)\b(?:\s[a-z]+){{0,3}}?\s(?:tu )?(?:nam )?({_YEAR})"
    rf"|joined (?:the |our |this |my )?(?:ministry|institute|department|unit|centre|center|agency|office|sector)\b"
    rf"(?:\s[a-z]+){{0,3}}?\s(?:in|since) ({_YEAR})"
    rf"|(?:have|has) (?:been )?work(?:ed|ing) (?:at|in|for) (?:[a-z']+\s){{0,4}}?since ({_YEAR})"
    rf"(?!\s*(?:-|den|toi|to|until|through)\s*(?:nam\s*)?{_YEAR})"
)
_FEMALE = re.compile(r"\b(?:chi ay|co ay|ba ay|em ay|nu\b|nu gioi|phu nu|she|her|woman|female|mrs|ms)\b")
_MALE = re.compile(r"\b(?:anh ay|ong ay|chu ay|nam gioi|\bhe\b|his|him|man\b|male|mr)\b")
_ANNIVERSARY = re.compile(r"ky niem|nam tron|anniversary|ngay thanh lap|ngay truyen thong")
_ANNIVERSARY_NUMBER = re.compile(
    r"\bky niem (?:lan thu )?(\d{1,3}) nam\b|\b(\d{1,3})(?:st|nd|rd|th)? (?:year )?anniversary\b|\banniversary of (\d{1,3}) years\b"
)


def _anniversary_number(f: str) -> int | None:
    """The anniversary a proposal is for, when its number is told ("kỷ niệm 20 năm thành lập", "its 30th anniversary");
    whether it is a round year is judged in the check (eligibility._anniversary)."""
    m = _ANNIVERSARY_NUMBER.search(f)
    return int(next(g for g in m.groups() if g)) if m else None
_FOUNDED = re.compile(
    # "thành lập tháng 9 năm 1996", "thành lập ngày 15/9/1996", "founded in September 1996": the year after the day
    rf"thanh lap (?:duoc |da )?(\d{{1,3}}) nam|thanh lap (?:vao |tu )?(?:(?:ngay )?\d{{1,2}} ?[/-] ?\d{{1,2}} ?[/-] ?"
    rf"|(?:ngay \d{{1,2}} )?thang \d{{1,2}}(?: ?[/-] ?| nam )|nam )?({_YEAR})"
    rf"|founded (?:in |on )?(?:(?:\d{{1,2}} )?(?:{'|'.join(_MONTH_NAMES)})(?: \d{{1,2}},?)? )?({_YEAR})"
    rf"|founded (\d{{1,3}}) years|(\d{{1,3}}) nam thanh lap"
)
_LEADS = re.compile(
    r"dan dau (?:cum|khoi)|dung dau (?:cum|khoi)|nhat (?:cum|khoi)|(?:lead(?:s|ing)?|led) (?:the |its |our )?(?:[\w']+ ){0,2}(?:emulation )?(?:cluster|block)|top of (?:the |its |our )?(?:cluster|block)"
)
# "xếp thứ hai trong cụm": a rank in the cluster other than the first is not leading it
_RANKED = re.compile(
    r"(?:xep|dung|dat|duoc) (?:thu|hang|vi tri|giai) (nhat|mot|1|hai|ba|tu|nam|sau|nhi|\d{1,2})\b (?:\w+ ){0,3}(?:cum|khoi)\b"
    r"|(?:ranked|came|placed|finished|voted|rated|chosen|elected) (?:as )?(first|1st|second|2nd|third|3rd|\w+th) (?:[\w']+ ){0,4}(?:cluster|block)"
)
_NOT_LEADS = re.compile(r"(?:khong|chua|not|did not|does not|doesn't|didn't) (?:\w+ ){0,2}(?:dan dau|dung dau|lead)")
_ALL_COMPLETE = re.compile(
    r"100 ?% (?:\w+ ){0,3}(?:hoan thanh|completed|htnv\b|ht\b|htt\b|htxs\b)"
    r"|\b(\d{1,4}) ?/ ?\1 (?:nguoi|thanh vien|can bo|members?)? ?(?:deu )?(?:hoan thanh|htnv\b|ht\b|htt\b|htxs\b|completed)|tat ca (?:\w+ ){0,3}(?:deu )?hoan thanh|(?:all|every)(?: \d{1,4}| of the| of our| the)? (?:members?|staff|people|employees|of us) "
    r"(?:\w+ ){0,2}completed"
    # "cả 12 người đều hoàn thành nhiệm vụ trở lên": every member, told by "cả" and the head count
    r"|\bca (?:\d{1,4} )?(?:nguoi|thanh vien|can bo|vien chuc) (?:deu )?(?:hoan thanh|htnv\b|ht\b|htt\b|htxs\b)"
)
_NOT_ALL_COMPLETE = re.compile(
    r"(?:\d+|mot|co) (?:nguoi|thanh vien|can bo|vien chuc|member)s? (?:\w+ ){0,2}(?:khong|chua) (?:hoan thanh|htnv\b|ht\b)"
    r"|(?:one|a|\d+) members? (?:did not|didn't|failed to) complete"
)
# "không có ai đạt CSTĐCS", "không người nào trong phòng được CSTĐCS", "none of us was a grassroots emulation fighter",
# "nobody was voted …": no member holds the grassroots title
_NO_CSTDCS_MEMBER = re.compile(
    r"khong (?:co )?(?:ai|nguoi nao|ca nhan nao|thanh vien nao|dong chi nao)\b(?: \w+){0,3}? (?:dat |duoc )?(?:danh hieu )?(?:cstd|chien si thi dua)"
    r"|\b(?:none of (?:us|them|the (?:\w+ )?(?:members|staff))|no one|nobody|no (?:member|staff member|one of us))\b"
    r"(?: (?:was|were|is|are|got|became|received|has been|had been|won|voted|named|recognised|recognized|as)){1,3}"
    r" (?:a |an )?(?:grassroots|base|unit)(?:[- ]level)? emulation (?:fighter|soldier)"
)
# "HTT trở lên", "completed tasks well or better": a floor, not the rating itself
_FLOOR = re.compile(r"\s*(?:nhiem vu\s*)?(?:tro len|or (?:better|above|higher)|and above)")
_ALL_YEARS = re.compile(
    r"\bdeu\b|cac nam|moi nam|hang nam|nam nao cung|every year|each year|all (?:the |those )?years|both years|ca hai nam"
)
_PENDING = re.compile(
    r"chua (?:binh xet|danh gia|xep loai|xet|co ket qua|duoc xet|co ket qua)|dang cho (?:ket qua|xet)|du kien|se duoc"
    r"|chua (?:hop|to chuc|tien hanh) (?:\w+ ){0,3}(?:danh gia|xep loai|binh xet)"
    r"|hy vong|chac (?:se|cung)|not (?:yet )?(?:rated|assessed|reviewed)|pending|expect|hope"
    r"|(?:has|have|was|were) not (?:yet )?been (?:done|rated|assessed|held|made|given)|not (?:been )?done yet|not yet (?:done|held|out)"
)
# A percent followed by a completion ("100% hoàn thành nhiệm vụ", "100% HTNV", "100% completed") is not the LĐTT share
_COMPLETION_AFTER = re.compile(r"\s*(?:(?:thanh vien|can bo|nguoi|members?|staff|of (?:the )?\w+) )?(?:hoan thanh|htnv\b|htxs\b|htt\b|ht\b|complet)")
# In a collective's story "1 người chỉ hoàn thành nhiệm vụ", "100% HTNV": a rating whose subject is members, not the unit
_MEMBER_SUBJECT = re.compile(
    r"(?:(?<!\bof )\b(?:\d{1,4}|mot|hai|ba|bon|nam|co|cac|moi|one|two|three|\d{1,4} of the)\s*(?:nguoi|thanh vien|can bo|vien chuc|dong chi"
    r"|nhan vien|cbcc|members?|people|staff)|\d{1,3} ?%(?: \w+)?|tat ca (?:\w+ )?(?:thanh vien|moi nguoi|can bo))(?:\s+\w+){0,3}\s*$"
)
_CONSECUTIVE_BO = re.compile(r"lien tuc|lien tiep|\blien\b|in a row|consecutive")
# a clause that goes on with the recognition of what the previous one told ("…, đều do Hội đồng … công nhận")
# ("…, nhưng cả hai đều được công nhận từ năm 2020": a "but" that goes on about them too)
_CONTINUES = re.compile(
    # "…, nhưng chỉ ở phạm vi cơ sở", "but only within the unit": the scope of what was just told
    r"[,\s]*(?:nhung|but)\s+(?:chi|only)\s+(?:(?:o|trong|tai|in|at)\s+)?(?:pham vi|within|across)\b|"
    r"[,\s]*(?:(?:nhung|but|va|and)\s+)?(?:(?:deu|ca hai|tat ca|va|both|they|chung) )?(?:do|duoc|da duoc|deu duoc|(?:da )?nghiem thu|(?:da )?(?:dung|su dung)|which|were|recognised|recognized|approved|accepted|used)\b"
)
_USED_FOR = re.compile(r"(?:da )?dung (?:de |khi |vao viec )?(?:xet|lam|cho|de nghi)|used (?:for|to|when)")
# "mỗi năm dùng 1 sáng kiến cơ sở để xét CSTĐCS": the verb before the mention, the purpose after it
_USED_VERB = re.compile(r"(?<!ap )\b(?:dung|su dung|used|counted)\b")  # "áp dụng" (applied) is not "dùng" (used)
_USED_PURPOSE = re.compile(r"\b(?:de|cho|khi|lam can cu|lam co so|for|to get|to obtain|towards|when)\b")
# "đó là 2 sáng kiến …", "sáng kiến đó/này/trên …", "these initiatives": one already told, not a new one
_REFERENCE_BEFORE = re.compile(
    r"\b(?:(?:do|day|chung|these|those|they|both) (?:la|deu la|are|were)|these|those|the same) (?:\w+ )?$"
    # "cả 2 sáng kiến đều đã dùng …", "tất cả các sáng kiến", "both initiatives": all of those told
    r"|\b(?:ca|tat ca(?: cac)?|both(?: of)?(?: the)?|all(?: of)?(?: the)?) $"
)
_REFERENCE_AFTER = re.compile(r"\s*(?:do|nay|tren|ay|noi tren)\b")
# "(chỉ) ở phạm vi cơ sở", "trong phạm vi toàn Bộ", "across the ministry": the scope recognised, said outright
_SCOPE = re.compile(
    r"\bpham vi (?:toan )?(co so|don vi|bo|nganh|quoc gia|ca nuoc|quoc|tinh)\b"
    r"|\b(?:within|across) (?:the |its |our )?(unit|department|ministry|sector|country|nation|province)\b"
)
_SCOPE_LEVEL = {"co so": "co-so", "don vi": "co-so", "unit": "co-so", "department": "co-so", "bo": "bo", "nganh": "bo",
                "ministry": "bo", "sector": "bo", "quoc gia": "toan-quoc", "ca nuoc": "toan-quoc", "quoc": "toan-quoc",
                "country": "toan-quoc", "nation": "toan-quoc", "tinh": "tinh", "province": "tinh"}  # fmt: skip


# a head of a Sở, Cục, Vụ or Viện recognises at the grassroots tier ("the Director of the provincial Department of …")
_UNIT_HEAD = re.compile(
    r"\b(?:giam doc|director|head) (?:of )?(?:the )?(?:provincial |city )?(?:so|department|unit|centre|center|institute)\b"
)


def _scope_told(after: str) -> tuple[str, re.Match[str]] | None:
    """A sáng kiến's scope said outright wins over who recognised it: "được Bộ trưởng công nhận nhưng chỉ ở phạm vi cơ
    sở" is the unit's level, "được Hội đồng … công nhận có hiệu quả trong phạm vi toàn Bộ" the Bộ's; and a unit's head
    as the one who recognised it is the unit's level even in a province ("the Director of the provincial Department")."""
    m = _SCOPE.search(after)
    if m:
        return _SCOPE_LEVEL[m.group(1) or m.group(2)], m
    head = _UNIT_HEAD.search(after)
    return ("co-so", head) if head else None


# "đang chờ Hội đồng xét công nhận", "dự kiến nghiệm thu", "submitted for recognition": a recognition awaited
_PENDING_RECOGNITION = re.compile(
    r"\b(?:dang|con|van) (?:cho|doi)\b|\bcho (?:hoi dong|hd|xet|duyet|cong nhan|nghiem thu|ket qua)\b"
    r"|\b(?:sap|se|du kien|dang (?:duoc )?(?:xet|xem xet|tham dinh))\b[^.;!?]{0,40}?(?:cong nhan|nghiem thu)"
    r"|\b(?:awaiting|pending|waiting for|submitted for|to be (?:recogni[sz]ed|accepted|reviewed))\b"
)
# "ngoài 2 sáng kiến đó …", "besides those initiatives": the ones already told, not new ones
_BESIDES = re.compile(r"(?:\bngoai(?! ra)|\bbesides|apart from|other than|except(?: for)?)\s+(?:\w+\s+){0,2}$")


@dataclass(frozen=True, slots=True)
class Mention:
    kind: str  # award | rating | innovation
    value: str
    start: int
    end: int
    negated: bool = False


@dataclass(frozen=True, slots=True)
class YearGroup:
    years: tuple[int, ...]
    start: int
    end: int
    counted: int | None = None  # "3 năm liền": the count when no year was written
    relative: bool = False  # năm nay / năm ngoái


@dataclass(frozen=True, slots=True)
class Reading:
    """What was read from a question: the award asked about, the record, and whether it is an eligibility question."""

    award: str | None  # catalogue id of the award asked about
    record: Record
    is_eligibility: bool
    facts: int = 0  # how many record facts were read
    notes: tuple[str, ...] = field(default=())

    def understood(self, lang: str = "vi") -> str:
        return describe_record(self.record, lang)


def _prepare(text: str) -> str:
    folded = fold(canonical_text(text).lower())
    folded = folded.replace("–", "-").replace("—", "-").replace("&", "&")
    folded = re.sub(r"(?<=\d)\s*(?:,|và|va|and|&)\s*(?=(?:19|20)\d\d)", ", ", folded)
    return _table_counts(_english_numbers(re.sub(r"[ \t]+", " ", folded)))


# ("ten" is left out: folded Vietnamese "tên", a name)
_ENGLISH_NUMBERS = {"two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9, "eleven": 11}
_ENGLISH_NUMBERS |= {"twelve": 12, "thirteen": 13, "fourteen": 14, "fifteen": 15, "sixteen": 16, "seventeen": 17}
_ENGLISH_NUMBERS |= {"eighteen": 18, "nineteen": 19, "twenty": 20}
_ENGLISH_NUMBER = re.compile(rf"\b({'|'.join(_ENGLISH_NUMBERS)})\b(?=\s+(?!thirds?\b|quarters?\b|fifths?\b)[a-z])")


def _english_numbers(f: str) -> str:
    """English counts as digits ("eighteen staff were Advanced Workers", "two initiatives"), as the Vietnamese ones are
    usually written; "one" stays a word ("no one", "one of us"), and so does a fraction's numerator ("two thirds")."""
    return _ENGLISH_NUMBER.sub(lambda m: str(_ENGLISH_NUMBERS[m.group(1)]), f)


# "LĐTT: 6", "HTXS: 2, HTT: 5", "Số người: 8": a count pasted as "label: number" (not a year, not "2 năm")
_HEAD_COUNT_LABEL = r"so nguoi|tong so(?: nguoi| thanh vien| can bo)?|so thanh vien|so can bo|si so|quan so|members|staff|headcount"
_COUNTED_LABEL = (
    r"ldtt|lao dong tien tien|cstdcs|cstd co so|chien si thi dua co so|htxs(?:nv)?|htt(?:nv)?|htnv|kht|sk|sang kien|de tai"
    r"|hoan thanh xuat sac(?: nhiem vu)?|hoan thanh tot(?: nhiem vu)?|hoan thanh nhiem vu|khong hoan thanh(?: nhiem vu)?"
)
_TABLE_COUNT = re.compile(
    rf"(?<![\w/])({_HEAD_COUNT_LABEL}|{_COUNTED_LABEL})\s*:\s*(\d{{1,3}})\b(?!\s*(?:[/.,-]\s*\d|%|nam\b|lan\b|years?\b|times?\b|nguoi\b))"
)


def _table_counts(f: str) -> str:
    """A record pasted as lines of "label: number" ("Số người: 8", "HTXS: 2, HTT: 5, HTNV: 1", "LĐTT: 6", "CSTĐCS: 1")
    is read as the counts it tells, in the word order the rest of the reader knows ("8 nguoi", "2 htxs", "6 ldtt").
    A year after the colon ("CSTĐCS: 2023, 2024") or a count of years ("HTXS: 2 năm") is left as it is."""
    def count_first(m: re.Match[str]) -> str:
        label = "nguoi" if re.fullmatch(_HEAD_COUNT_LABEL, m.group(1)) else m.group(1)
        return f"{m.group(2)} {label}"

    return _TABLE_COUNT.sub(count_first, f)


def _num(word: str | None) -> int | None:
    if word is None:
        return None
    return int(word) if word.isdigit() else _NUMBERS.get(word)


def _compiled(patterns: list[tuple[str, str]]) -> list[tuple[str, re.Pattern[str], tuple[str, ...] | None]]:
    """Each pattern compiled, with its needles (bot.core.needles): a text holding none of them is not scanned."""
    return [(value, compiled, needles(compiled)) for value, pattern in patterns for compiled in (re.compile(pattern),)]


# Compiled once: every message is searched for awards (the re module's own cache is a lookup per pattern and call).
_AWARD_PATTERNS = _compiled(_AWARDS)
_RATING_PATTERNS = _compiled(_RATINGS)


def _find(
    patterns: list[tuple[str, re.Pattern[str], tuple[str, ...] | None]], text: str, kind: str, taken: list[tuple[int, int]]
) -> list[Mention]:
    found: list[Mention] = []
    for value, pattern, needed in patterns:
        # Most messages name no award: a pattern none of whose needles the text holds cannot match it.
        if needed is not None and not any(needle in text for needle in needed):
            continue
        for m in pattern.finditer(text):
            if any(m.start() < e and s < m.end() for s, e in taken):
                continue
            taken.append((m.start(), m.end()))
            negated = _NEGATION.search(text[max(0, m.start() - 25) : m.start()]) is not None
            found.append(Mention(kind, value, m.start(), m.end(), negated))
    return found


def _clauses(text: str) -> list[tuple[int, int]]:
    """Spans of clauses: sentences split at commas, keeping lists of years together."""
    spans: list[tuple[int, int]] = []
    for sent in re.finditer(r"[^.;!?\n]+[.;!?\n]*", text):
        pieces: list[tuple[int, int]] = []
        start = sent.start()
        for m in re.finditer(
            r"(?<!\d),|,(?!\s*(?:19|20)\d\d)|\bnhung\b|\bcon\b|\bbut\b|\bwhile\b|\bhowever\b", sent.group()
        ):
            pieces.append((start, sent.start() + m.start()))
            start = sent.start() + m.end()
        pieces.append((start, sent.end()))
        merged: list[tuple[int, int]] = []
        carry: int | None = None
        for s, e in pieces:
            chunk = text[s:e]
            # a clause of years alone ("2021 và 2022", "from 2021 to 2025,", "từ 2021 đến 2025,") belongs to the
            # clause that follows (or to the year list before it)
            only_years = re.fullmatch(
                rf"\s*(?:(?:va|and|&|nam|cac nam|from|since|tu|trong|in|giai doan|period)\s*)*{_YEAR}"
                rf"(?:\s*(?:-|–|—|den|toi|va|and|to|through|until)\s*(?:nam\s*)?{_YEAR})?\s*",
                chunk,
            )
            if only_years and merged and re.search(rf"{_YEAR}\s*$", text[merged[-1][0] : merged[-1][1]]):
                merged[-1] = (merged[-1][0], e)
                continue
            if only_years:
                carry = s if carry is None else carry
                continue
            merged.append((carry if carry is not None else s, e))
            carry = None
        if carry is not None:
            merged.append((carry, sent.end()))
        spans.extend(merged)
    return spans


def _year_groups(text: str, current: int, clauses: list[tuple[int, int]] | None = None) -> list[YearGroup]:
    groups: list[YearGroup] = []
    taken: list[tuple[int, int]] = []

    def add(years: list[int], s: int, e: int, counted: int | None = None, relative: bool = False) -> None:
        if any(s < te and ts < e for ts, te in taken):
            return
        taken.append((s, e))
        groups.append(YearGroup(tuple(sorted(set(years))), s, e, counted, relative))

    for m in _RANGE.finditer(text):
        if m.group(1):
            a = int(m.group(1))
            b = current - 1 if m.group(2) in ("nay", "now", "hien nay") else int(m.group(2))
        else:
            a, b = int(m.group(3)), current - 1
        if 0 <= b - a <= 40:
            add(list(range(a, b + 1)), m.start(), m.end())
    for m in _SINGLE_YEAR.finditer(text):
        add([int(m.group(1))], m.start(), m.end())
    for back, rx in _RELATIVE:
        for m in rx.finditer(text):
            add([current - back], m.start(), m.end(), relative=True)
    for m in _COUNT.finditer(text):
        n = next((_num(g) for g in m.groups() if g), None)
        if n and 1 <= n <= 15:
            consecutive = re.search(r"lien|in a row|consecutive|running|gan|vua qua|last|past", m.group(0)) is not None
            add([], m.start(), m.end(), counted=n if consecutive else -n)
    groups.sort(key=lambda g: g.start)
    singles = {id(g) for g in groups if len(g.years) == 1}
    # adjacent groups joined by commas or "và" form one list: "2020, 2021 và 2022"
    joined: list[YearGroup] = []
    for g in groups:
        if (
            joined
            and g.years
            and id(g) in singles
            and id(joined[-1]) in singles
            and (clauses is None or _clause_of(g.start, clauses) == _clause_of(joined[-1].start, clauses))
            # "2022 and again in 2025", "2022 và lại năm 2025": the same list
            and re.fullmatch(
                r"[\s,]*(?:va|and|&|nam|-)?[\s,]*(?:(?:again|also|lai|roi)\s+)?(?:(?:in|nam)\s*)?", text[joined[-1].end : g.start]
            )
        ):
            prev = joined[-1]
            joined[-1] = YearGroup(tuple(sorted(set(prev.years + g.years))), prev.start, g.end, None, prev.relative)
            singles.add(id(joined[-1]))
        else:
            joined.append(g)
    return joined


def _distance(m: Mention, g: YearGroup) -> int:
    if g.start >= m.end:
        return g.start - m.end
    if g.end <= m.start:
        return m.start - g.end + 1  # prefer the group that follows on a tie
    return 0


def _years_for(m: Mention, groups: list[YearGroup], clause: tuple[int, int]) -> YearGroup | None:
    inside = [g for g in groups if clause[0] <= g.start < clause[1]]
    if not inside:
        return None
    return min(inside, key=lambda g: _distance(m, g))


def _clause_of(pos: int, clauses: list[tuple[int, int]]) -> tuple[int, int]:
    for c in clauses:
        if c[0] <= pos < c[1]:
            return c
    return (pos, pos + 1)


def _expand(group: YearGroup | None, current: int, text: str, pending: set[int]) -> list[int]:
    if group is None:
        return []
    if group.years:
        return list(group.years)
    if group.counted and group.counted > 0:
        end = current - 1
        if re.search(r"ke ca nam nay|tinh ca nam nay|including this year", text):
            end = current
        return list(range(end - group.counted + 1, end + 1))
    return []


def read_record(text: str, current_year: int, criteria_subjects: dict[str, set[str]] | None = None) -> Reading:
    """Read the record told in `text` and the award asked about; `current_year` anchors "năm nay", "3 năm liền"."""
    return _read(_Awards(text), current_year, criteria_subjects)


def eligibility_reading(
    text: str, current_year: int, criteria_subjects: dict[str, set[str]] | None = None
) -> Reading | None:
    """`read_record(text, …)` when `text` asks about an award, else None: such a text is never an eligibility
    question, and the bot asks this of every message, so the record is not read for the many that name none."""
    found = _Awards(text)
    return None if found.asked is None else _read(found, current_year, criteria_subjects)


# A person named by a title and a capitalised name ("anh Tùng", "Chị Mai", "Mr Dung"), on the text as written.
_PERSON = re.compile(r"\b(?:anh|chị|ông|bà|cô|chú|đồng chí|mr|mrs|ms|miss)\.?\s+(\w+)", re.IGNORECASE)


def _people(text: str) -> tuple[str, ...]:
    """The distinct named people of a story, folded ("anh Tùng … Chị Mai": two records, maybe two people's)."""
    names = [m.group(1) for m in _PERSON.finditer(text) if m.group(1)[:1].isupper() and not m.group(1).isupper()]
    return tuple(dict.fromkeys(fold(n.lower()) for n in names))


_NARRATOR_FACT = re.compile(
    r"\bmy (?:own )?(?:initiatives?|innovations?|research|projects?)\b|(?:sang kien|de tai)(?: \w+){0,3} cua (?:toi|minh)\b"
)
_THIRD_PERSON = re.compile(
    r"\b(?:he|she|him|her|his)\b|\bmy (?:boss|colleague|director|manager|deputy|head|supervisor)\b|\b(?:anh|chi|ong|ba) ay\b"
)


def _with_narrator(people: tuple[str, ...], f: str) -> tuple[str, ...]:
    """"My boss … the Minister recognised my initiative": the teller's own fact in a story about someone else makes
    two people, the teller one of them."""
    if _NARRATOR_FACT.search(f) and (people or _THIRD_PERSON.search(f)):
        return (*people, "(teller)") if people else ("(other)", "(teller)")
    return people


# The bare names ("bằng khen", "certificate of merit", "chiến sĩ thi đua"): read as the Ministry's / the grassroots
# title only when nothing more exact is told.
_BARE_AWARD = re.compile(r"bang khen|\bbk\b|certificates? of merit|chien si thi dua|\bcstd\b|emulation fighters?")


def _glossed(mentions: list[Mention], f: str) -> list[Mention]:
    """A bare name glossed in brackets by an exact one ("a certificate of merit (giấy khen)") is that one; a name
    glossed by the same award ("Minister's certificate of merit (bằng khen cấp Bộ)") is one award, not two."""
    out = sorted(mentions, key=lambda m: m.start)
    drop: set[int] = set()
    for a, b in pairwise(out):
        if not re.fullmatch(r"\s*\(\s*", f[a.end : b.start]):
            continue
        if a.value == b.value:
            drop.add(id(b))
        elif _BARE_AWARD.fullmatch(f[a.start : a.end]) and not _BARE_AWARD.fullmatch(f[b.start : b.end]):
            drop.add(id(a))
    return [m for m in out if id(m) not in drop]


class _Awards:
    """The award mentions of a text (the first thing read: ratings inside their names are not ratings) and the
    one asked about."""

    def __init__(self, text: str) -> None:
        self.folded = _prepare(text)
        self.people = _people(text)
        self.taken: list[tuple[int, int]] = []
        self.mentions = _glossed(_find(_AWARD_PATTERNS, self.folded, "award", self.taken), self.folded)
        # With no award mention none is asked (_asked would only find that out).
        self.asked = _asked(self.folded, sorted(self.mentions, key=lambda m: m.start)) if self.mentions else None


@dataclass
class _Draft:
    """A record as it is read, stage by stage (_read): the text and its pieces, then what each stage finds."""

    f: str  # the folded text
    current_year: int
    clauses: list[tuple[int, int]]
    groups: list[YearGroup]
    awards: list[Mention]
    ratings: list[Mention]  # rating mentions
    innovations: list[re.Match[str]]  # sáng kiến / đề tài mentions
    asked: Mention | None
    subject: str = "individual"
    facts: int = 0  # how many record facts were read
    specific: int = 0  # facts tied to a year, a count or a number: what makes a question a record
    pending: set[int] = field(default_factory=set)  # years not yet rated
    target_year: int | None = None
    # titles
    held: list[Held] = field(default_factory=list)
    vague: set[str] = field(default_factory=set)
    cstd_bo_consecutive: bool | None = None
    cstdcs_members: int | None = None
    # ratings
    rating_pairs: dict[int, str] = field(default_factory=dict)
    htxs_count: int | None = None
    floors: set[int] = field(default_factory=set)  # years told as "HTT trở lên": HTT or HTXS
    fill_all: list[str] = field(default_factory=list)  # ratings told for every year ("năm nào cũng HTT")
    fill_floor: list[bool] = field(default_factory=list)
    # sáng kiến, discipline, the person
    inns: list[Innovation] = field(default_factory=list)
    no_innovations: bool = False
    disciplines: list[Discipline] = field(default_factory=list)
    member_disciplined: bool | None = None
    member_untold: bool = False
    maternity: list[int] = field(default_factory=list)
    sick: list[int] = field(default_factory=list)
    new_recruit: int | None = None
    service: int | None = None
    gender: str | None = None
    # a collective
    members: int | None = None
    ldtt_members: int | None = None
    share: float | None = None
    all_complete: bool | None = None
    leads: bool | None = None
    founded: int | None = None
    anniversary: bool | None = None
    anniversary_years: int | None = None


def _read(found: _Awards, current_year: int, criteria_subjects: dict[str, set[str]] | None) -> Reading:
    """The record told in a text, read in stages: the year groups and mentions, the years not yet rated, whose record
    it is (a person or a collective), the year asked about, then the titles held, the ratings, the sáng kiến, the
    disciplines, the person's circumstances, a collective's members, the ratings told for every year and the year a
    yearly title is judged on; last the Record and whether the text tells one (_reading)."""
    f, taken, awards = found.folded, found.taken, found.mentions
    clauses = _clauses(f)
    groups = _year_groups(f, current_year, clauses)
    # drop ratings inside award names ("tập thể lao động xuất sắc")
    ratings = _find(_RATING_PATTERNS, f, "rating", taken)
    innovations = _innovation_mentions(f, taken)
    awards.sort(key=lambda m: m.start)
    d = _Draft(f, current_year, clauses, groups, awards, ratings, innovations, found.asked)
    d.pending = _pending_current_year(f, groups, current_year)
    d.subject = _subject(f, d.asked, criteria_subjects)
    d.target_year = _target_told(d.asked, groups, clauses)
    _read_titles(d)
    _read_ratings(d)
    _read_innovations(d)
    _read_disciplines(d)
    _read_person(d)
    _read_collective(d)
    _fill_all_years(d)
    _settle_target_year(d)
    return _reading(d, found)


def _pending_current_year(f: str, groups: list[YearGroup], current_year: int) -> set[int]:
    """The current year when told as not yet rated ("năm nay chưa bình xét", "năm 2026 … đơn vị chưa họp đánh giá")."""
    pending: set[int] = set()
    if _PENDING.search(f):
        for g in groups:
            if g.relative and current_year in g.years:
                window = f[max(0, g.start - 40) : g.end + 60]
                if _PENDING.search(window):
                    pending.add(current_year)
            elif g.years == (current_year,):
                # "năm 2026 … đơn vị chưa họp đánh giá": the current year written out, not yet rated, in its sentence
                rest = re.match(r"[^.;!?\n]{0,80}", f[g.end :])
                if rest and _PENDING.search(rest.group()):
                    pending.add(current_year)
    return pending


def _subject(f: str, asked: Mention | None, criteria_subjects: dict[str, set[str]] | None) -> str:
    """Whose record the story tells: a collective when the award asked is only for collectives, or when it can be
    either and the story is about a unit ("phòng em có 20 người …", "our team"), not a person in it."""
    subject = "individual"
    if asked is not None:
        subjects = (criteria_subjects or {}).get(asked.value, {"individual"})
        personal = re.search(
            r"\b(?:anh|chi|ban|dong chi|co|chu|ong|ba) [a-z]+ (?:phong|ben|o|cua|da|duoc|dat|co)\b|\b(?:she|he|colleague|engineer|i)\b|\btoi (?:dat|duoc|co)\b",
            f,
        )
        # "our department" as the one the story is about, not where a person works ("the director of our department")
        collective_cue = re.search(
            r"\btap the\b|collective|(?<!\bof )(?<!\bin )(?<!\bat )(?<!\bfrom )(?<!\bfor )(?<!\bwith )(?<!\bto )"
            r"\bour (?:unit|team|department|division|office)\b",
            f,
        ) or (
            _COLLECTIVE.search(f) and (_MEMBERS.search(f) or _PERCENT.search(f) or _LEADS.search(f)) and not personal
        )
        if subjects == {"collective"} or ("collective" in subjects and collective_cue and not _ASKED_OF_A_PERSON.search(f)):
            subject = "collective"

    return subject


def _target_told(asked: Mention | None, groups: list[YearGroup], clauses: list[tuple[int, int]]) -> int | None:
    """The year written next to the award asked ("… có đủ LĐTT năm 2025 không")."""
    if asked is not None:
        group = _years_for(asked, groups, _clause_of(asked.start, clauses))
        if group is not None and group.years and len(group.years) == 1 and _distance(asked, group) < 30:
            return group.years[0]
    return None


def _read_titles(d: _Draft) -> None:
    """The titles held, each with its years (or a count), and a collective's members' CSTĐCS."""
    f, current_year, clauses, groups, awards, asked = d.f, d.current_year, d.clauses, d.groups, d.awards, d.asked
    held, vague, pending = d.held, d.vague, d.pending
    for m in awards:
        if m is asked or m.negated:
            continue
        clause = _clause_of(m.start, clauses)
        group = _years_for(m, groups, clause)
        if group is not None and group is _asked_group(asked, groups, clauses) and d.target_year is not None:
            group = None
        years = _expand(group, current_year, f, pending)
        kind = _kind_near(f, m, clause, awards)
        if d.subject == "collective" and m.value == "cstd-co-so":
            n = _count_before(f, m.start)
            d.cstdcs_members = n if n is not None else (d.cstdcs_members or 1)
            d.facts += 1
            continue
        cycles = [] if group is not None and len(group.years) == 1 else _cycle_ends(f, m, awards, groups)
        if cycles:  # "CSTĐ cấp Bộ đợt 2020–2022 và đợt 2023–2025": one title a cycle
            held.extend(Held(m.value, y, kind) for y in cycles)
            d.facts += 1
            continue
        if m.value == "cstd-bo" and group is not None and group.counted and not group.years:
            held.extend(Held("cstd-bo", None, kind) for _ in range(abs(group.counted)))
            if _CONSECUTIVE_BO.search(f[group.start : group.end]):
                d.cstd_bo_consecutive = True
            d.facts += 1
            continue
        if m.value == "lao-dong-tien-tien" and d.subject == "collective":
            continue  # a share of members, read below
        if years and group is not None and group.end <= m.start and _VAGUE_AFTER.match(f, m.end):
            years = []  # "… in 2020 and was a grassroots emulation fighter several times": the year is another fact's
        if years:
            held.extend(Held(m.value, y, kind) for y in years)
        elif _VAGUE_COUNT.search(f, max(0, m.start - 25), m.start) or _VAGUE_AFTER.match(f, m.end):
            vague.add(m.value)  # "được vài lần CSTĐCS", "CSTĐCS nhiều lần": how many, and which years, are not told
        else:
            count = _count_before(f, m.start)
            held.extend(Held(m.value, None, kind) for _ in range(count or 1))
            # "03 lần CSTĐ cơ sở để xét Bằng khen Thủ tướng có phải liên tục không?" names a requirement, not a record
            d.specific += int(bool(count and count > 1) and not _REQUIREMENT_AFTER.match(f, m.end))
        d.facts += 1


def _read_ratings(d: _Draft) -> None:
    """The ratings by year; those told for every year are kept in fill_all for _fill_all_years."""
    f, current_year, clauses, groups = d.f, d.current_year, d.clauses, d.groups
    ratings = d.ratings
    rating_pairs, floors, fill_all, fill_floor, pending = d.rating_pairs, d.floors, d.fill_all, d.fill_floor, d.pending
    rating_spans: dict[int, int] = {}
    for m in ratings:
        if m.negated:
            continue
        clause = _clause_of(m.start, clauses)
        if d.subject == "collective" and _MEMBER_SUBJECT.search(f[max(clause[0], m.start - 40) : m.start]):
            continue  # a member's rating; the members' shares are read below
        if _GRADE_OF_A_WORK.search(f, max(0, m.start - 45), m.start):
            continue  # "đề tài … nghiệm thu, xếp loại xuất sắc": the grade of the work, not the person's rating
        group = _years_for(m, groups, clause)
        years = _expand(group, current_year, f, pending)
        clause_text = f[clause[0] : clause[1]]
        floor = m.value == "HTT" and _FLOOR.match(f, m.end) is not None
        unplaced = re.search(
            rf"\b{_NUM}\s*(?:nam|years?)\s*(?:duoc |dat |la |rated )?$", f[max(0, m.start - 14) : m.start]
        )
        if unplaced and not (group is not None and group.years) and m.value == "HTXS":
            d.htxs_count = (d.htxs_count or 0) + (_num(unplaced.group(1)) or 1)
            d.specific += 1
            continue
        if not years and _VAGUE_SPAN.search(clause_text):
            d.facts += 1  # "mấy năm nay năm nào cũng HTT": which years is not told, none is filled
            continue
        if (
            not years
            or (_ALL_YEARS.search(clause_text) and group is not None and not group.years and not group.counted)
        ) and (_ALL_YEARS.search(clause_text) or not years):
            fill_all.append(m.value)
            fill_floor.append(floor)
            d.facts += 1
            continue
        for y in years:  # a rating told for one year wins over one told for a range ("2020–2025 HTT, 2022 HTXS")
            if y not in rating_spans or len(years) <= rating_spans[y]:
                rating_pairs[y] = m.value
                rating_spans[y] = len(years)
                (floors.add if floor else floors.discard)(y)
            d.specific += 1
        d.facts += 1


def _innovation_use(
    f: str, im: re.Match[str], after: str, clause: tuple[int, int], end: int, awards: list[Mention], asked: Mention | None
) -> str | None:
    """The title or award a sáng kiến was already used for: "đã dùng để xét CSTĐCS" after it, "dùng 1 sáng kiến để xét
    CSTĐCS" around it, "CSTĐCS 2024, 2025 nhờ 2 sáng kiến" before it, or an award named after a use verb
    (_used_for_award)."""
    if _USED_FOR.search(after) and re.search(r"cstd|co so|grassroots", after):
        return "cstd-co-so"
    title = next((a for a in awards if im.end() <= a.start < clause[1]), None)
    if (
        title is not None
        and title.value == "cstd-co-so"
        and _USED_PURPOSE.search(f[im.end() : title.start])
        and _USED_VERB.search(f[max(clause[0], im.start() - 25) : title.start])
    ):
        return "cstd-co-so"
    earlier = next((a for a in reversed(awards) if clause[0] <= a.end <= im.start()), None)
    if (
        earlier is not None
        and earlier.value == "cstd-co-so"
        and re.search(
            r"\b(?:nho|nho vao|nho co|dua tren|thanks to|based on|on the basis of)\s+(?:(?:my|his|her|their|our)\s+)?$",
            f[earlier.end : im.start()],
        )
    ):
        return "cstd-co-so"  # "CSTĐCS 2024, 2025 nhờ 2 sáng kiến": the sáng kiến the titles rest on
    return _used_for_award(f, im.end(), end, awards, asked)


# "…, đều được Hội đồng sáng kiến cơ sở công nhận", "both were recognised by the unit": said of every item listed
_SHARED_RECOGNITION = re.compile(
    r"\b(?:deu|ca hai|ca 2|ca ba|ca 3|tat ca|both|all(?: of them)?)\b[^.;!?]{0,60}?(?:cong nhan|nghiem thu|recogni[sz]ed|accepted|approved)"
)


def _share_recognition(f: str, inns: list[Innovation], told_at: list[re.Match[str]], awards: list[Mention]) -> None:
    """"Năm 2024 có 01 sáng kiến, năm 2025 có 01 sáng kiến, đều được Hội đồng sáng kiến cơ sở công nhận": a recognition
    said of all ("đều", "cả hai", "both") after the last of several sáng kiến in one sentence is each one's, when an
    earlier one was told without its own and no award is named in between."""
    for i in range(len(inns) - 1, 0, -1):
        last, at = inns[i], told_at[i]
        end = _sentence_end(f, at.end())
        shared = _SHARED_RECOGNITION.search(f, at.end(), end)
        if shared is None or not (last.recognised or last.level):
            continue
        for j in range(i - 1, -1, -1):
            first = inns[j]
            if _sentence_end(f, told_at[j].end()) != end or any(told_at[j].end() <= a.start < shared.start() for a in awards):
                break
            if first.level is None and not first.recognised and not first.refused:
                inns[j] = replace(first, level=last.level, recognised=True)


def _read_innovations(d: _Draft) -> None:
    """The sáng kiến and đề tài: level, year, count, earlier use, refusal, recognition."""
    f, current_year, clauses, groups, awards, asked = d.f, d.current_year, d.clauses, d.groups, d.awards, d.asked
    inns, innovations = d.inns, d.innovations
    d.no_innovations = bool(_NO_INNOVATION.search(f))
    told_at: list[re.Match[str]] = []  # the mention of each item of inns
    for im in innovations:
        if _NEGATION.search(f[max(0, im.start() - 20) : im.start()]) or _NEGATED_LIST.search(
            f[max(0, im.start() - 60) : im.start()]
        ):
            continue  # "không có sáng kiến hay đề tài nào": every item of a denied list is denied
        if _BESIDES.search(f[max(0, im.start() - 25) : im.start()]):
            continue  # "ngoài 2 sáng kiến đó": a reference to those already read
        clause = _clause_of(im.start(), clauses)
        # The level is read next to the mention, never from an award's name ("… có đủ CSTĐ cấp Bộ không").
        end = clause[1]
        if _CONTINUES.match(f, end):  # "có ba sáng kiến, đều do Hội đồng sáng kiến của Sở công nhận"
            # the clause after (past a "nhưng"; ", but" leaves an empty one between)
            nxt_end = next((c[1] for c in clauses if c[0] >= end and f[c[0] : c[1]].strip()), end)
            # only a recognition goes on about the sáng kiến ("…, được Bộ trưởng tặng Bằng khen" is about the person)
            # or its use ("…, đã dùng để xét CSTĐCS 2024 và 2025")
            if re.search(r"cong nhan|ap dung|nhan rong|nghiem thu|recogni[sz]|approved|accepted|applied|\bdung\b|\bused\b|pham vi|within|across", f[end:nxt_end]):
                end = nxt_end
        bounds = [a.start for a in awards if a.start >= im.end()] + [o.start() for o in innovations if o.start() >= im.end()]
        stop = min([end, im.end() + 90, *bounds])
        recognition = _RECOGNISED.search(f, im.end(), min([end, *bounds]))
        if recognition:  # "được Bộ trưởng công nhận có phạm vi … trên toàn quốc"
            stop = min([end, *bounds])  # the scope told after the recognition is the level recognised
        word = im.group(0)
        kind = "de-tai" if re.search(r"de tai|de an|nhiem vu|cong trinh|research|project", word) else "sang-kien"
        raw_after = f[im.end() : stop]
        after = _recognition_scope(raw_after, kind)
        if recognition and any(re.search(rx, scoped := _from_recogniser(after, recognition.start() - im.end())) for _, rx in _LEVELS):
            after = scoped  # a level told by or after who recognised it wins over the words of its topic
        person = re.search(
            r"(?:\b(?:duoc|da duoc|was|were)\s+(?:\w+\s+){0,3})?\b(?:tang|(?<!thi dua - )(?<!thi dua )khen|awarded|gave (?:him|her|me|us))\b"
            r"|\b(?:va|and)\s+(?:anh|chi|em|toi|ong|ba|he|she|i)\b",
            after,
        )
        if person:  # "… sáng kiến cấp cơ sở và được Bộ trưởng tặng …": who praised the person is no level of it
            after = after[: person.start()]
        awaited = _PENDING_RECOGNITION.search(raw_after, 0, len(after))  # (raw: a đề tài's "nghiệm thu" is blanked)
        if awaited:  # "đang chờ Hội đồng sáng kiến họp xét công nhận": what is awaited is no recognition yet
            after = after[: awaited.start()]
        cue = _QUESTION.search(after)
        if cue and not re.match(r"(?:duoc|dat)\b", after[cue.start() :]):
            after = after[: cue.start()]
        told = _scope_told(after) or next(((lv, hit) for lv, rx in _LEVELS if (hit := re.search(rx, after))), None)
        level = told[0] if told else None
        if told and re.search(r"\b(?:chua|khong|not|never)\b", raw_after[: told[1].start()]):
            level = None  # "sáng kiến chưa được Bộ công nhận": a recognition denied is no level
        if level is None:
            begin = max([clause[0], im.start() - 25] + [a.end for a in awards if a.end <= im.start()])
            level = next((lv for lv, rx in _LEVELS if re.search(rx, f[begin : im.start()])), None)
        if awaited and kind == "de-tai":
            level = None  # "đề tài cấp cơ sở … dự kiến tháng 12 mới nghiệm thu": its tier, not yet accepted
        near = f[max(clause[0], im.start() - 25) : im.end() + awaited.start() if awaited else stop]
        if told and level in ("bo", "toan-quoc") and _applied_not_recognised(near, after[: told[1].start()]):
            level = None  # "SK đang áp dụng trong toàn ngành": where it is applied, not a level it was recognised at
        if level == "tinh":
            # recognised by the province: the tier asked for a province's CSTĐ (or any lower title); for the
            # Ministry's CSTĐ whether it counts is not told, so the level stays unknown
            provincial = asked is not None and re.search(r"tinh|provinc", f[asked.start : asked.end])
            level = "bo" if provincial or (asked is not None and asked.value not in ("cstd-bo", "cstd-toan-quoc")) else None
        count = _num(im.group(1)) or 1
        mention = Mention("innovation", kind, im.start(), im.end())
        group = _years_for(mention, groups, (clause[0], end))  # with the clause that goes on about it
        year = group.years[0] if group is not None and len(group.years) == 1 and not group.relative else None
        if (
            group is not None
            and len(group.years) > 1
            and re.match(r"(?:tu|since)\b", f[group.start : group.end])
            and group.years[-1] >= current_year - 1
        ):
            year = group.years[0]  # "được công nhận từ năm 2021": recognised in 2021, in force since
        if group is not None and len(group.years) == 1 and group.relative:
            year = group.years[0]
        used = _innovation_use(f, im, after, clause, end, awards, asked)
        refused = _recognition_refused(f, im.end(), min([_sentence_end(f, im.end()), *bounds]))
        if refused:
            level = None
        if inns and (_REFERENCE_BEFORE.search(f[max(0, im.start() - 20) : im.start()]) or _REFERENCE_AFTER.match(f, im.end())):
            # "… 2 sáng kiến, nhưng đó là 2 sáng kiến đã dùng để xét CSTĐCS": what is said of those already told
            ranks = {"co-so": 0, "bo": 1, "toan-quoc": 2}
            both = [lv for lv in (inns[-1].level, level) if lv is not None]
            higher = max(both, key=ranks.__getitem__) if both else None
            inns[-1] = replace(
                inns[-1], level=higher, used_for=inns[-1].used_for or used, refused=inns[-1].refused or refused
            )
            continue
        # "2 sáng kiến được công nhận", "two accepted initiatives", "đề tài đã nghiệm thu": recognised, level untold
        said = _RECOGNISED.search(near)
        recognised = not refused and (
            level is not None
            or (
                said is not None
                and not re.search(r"\b(?:chua|khong|not|never)\b\s+(?:\w+\s+){0,2}$", near[: said.start()])
            )
        )
        # "2 SK được công nhận năm 2020 và 2021": as many years as sáng kiến, one a year (read against a window)
        listed = group.years if group is not None and not group.relative and len(group.years) == count > 1 else ()
        if group is None:  # "2 sáng kiến cấp cơ sở, một cái năm 2021, một cái năm 2022": their years told after
            later = _years_after(groups, end, min([_sentence_end(f, im.end()), *bounds]))
            if len(later) == count > 1:
                listed = tuple(later)
        vague_count = im.group(1) is None and _vague_quantity(f, im.start())
        inns.append(Innovation(kind, level, year, count, used, recognised, refused, listed, vague_count))
        told_at.append(im)
        d.facts += 1
    _share_recognition(f, inns, told_at, awards)


def _read_disciplines(d: _Draft) -> None:
    """Disciplines (year, form, a review pending) and, for a collective, its members' disciplines."""
    f, current_year, clauses, groups = d.f, d.current_year, d.clauses, d.groups
    pending = d.pending
    for m in _DISCIPLINE.finditer(f):
        before = f[max(0, m.start() - 40) : m.start() + 12]
        if _NO_DISCIPLINE.search(before):
            if d.subject == "collective":
                d.member_disciplined = False
            d.facts += 1
            continue
        clause = _clause_of(m.start(), clauses)
        clause_text = f[clause[0] : clause[1]]
        if d.subject == "collective" and _MEMBER_WORD.search(clause_text):
            form = _member_discipline_form(f, clause)
            if form is True:
                d.member_disciplined = True
            elif form is None:
                d.member_untold = True
            elif d.member_disciplined is None:
                d.member_disciplined = False
            d.facts += 1
            continue
        mention = Mention("discipline", "d", m.start(), m.end())
        group = _years_for(mention, groups, clause)
        years = _expand(group, current_year, f, pending)
        pending_review = bool(_DISCIPLINE_PENDING.search(f[max(0, m.start() - 40) : m.end() + 5]))
        level = next(
            (
                lv
                for lv, rx in (("khien-trach", "khien trach|reprimand"), ("canh-cao", r"canh cao|\bwarning\b"))
                if re.search(rx, clause_text)
            ),
            None,
        )
        if d.disciplines and d.disciplines[-1].year == (min(years) if years else None) and years:
            continue
        d.disciplines.append(
            Discipline(min(years) if years else None, max(years) if years else None, level, pending_review)
        )
        d.facts += 1
    d.disciplines = _dedupe(d.disciplines)


def _read_person(d: _Draft) -> None:
    """The person's circumstances: maternity and sick years, a recent recruitment, years of service, gender."""
    f, current_year, clauses, groups = d.f, d.current_year, d.clauses, d.groups
    pending = d.pending
    d.maternity = _years_near(_MATERNITY, f, groups, clauses, current_year, pending)
    d.sick = _years_near(_SICK, f, groups, clauses, current_year, pending)
    d.facts += len(d.maternity) + len(d.sick)
    d.new_recruit = _new_recruit_months(f, current_year)
    if d.new_recruit is not None:
        d.facts += 1
    sm = _SERVICE.search(f)
    wm = _SERVICE_WORDS.search(f)
    if sm:
        d.service = int(next(g for g in sm.groups() if g))
        d.facts += 1
    elif wm:  # "nine years in the ministry", "chín năm công tác"
        d.service = _WORD_NUMBERS.get(wm.group(1)) or _num(wm.group(1))
        d.facts += 1
    elif (since_m := _SERVICE_SINCE.search(f)) and not re.match(
        rf"\s*(?:-|den|toi|to|until|through)\s*(?:nam\s*)?{_YEAR}", f[since_m.end() :]
    ):
        start = int(next(g for g in since_m.groups() if g))
        if 0 <= current_year - start <= 45:
            d.service = current_year - start
            d.facts += 1
    d.gender = "nu" if _FEMALE.search(f) else "nam" if _MALE.search(f) else None


def _read_collective(d: _Draft) -> None:
    """A collective's members, LĐTT share, completion, cluster rank, founding; the anniversary for any subject."""
    f, current_year = d.f, d.current_year
    d.anniversary = True if _ANNIVERSARY.search(f) else None
    d.anniversary_years = _anniversary_number(f) if d.anniversary else None
    if d.subject == "collective":
        mm = next(
            (
                x
                for x in _MEMBERS.finditer(f)
                if not re.match(
                    r"\s*(?:(?:dat |duoc |la )?(?:danh hieu )?(?:cstd|chien si|ldtt|lao dong|advanced|of them)|(?:bi|was|were)\b)",
                    f[x.end() : x.end() + 25],
                )
            ),
            None,
        )
        lm = _LDTT_COUNT.search(f)
        if lm:
            d.ldtt_members = int(lm.group(1))
            if lm.group(2):
                d.members = int(lm.group(2))
            d.facts += 1
        if mm and d.members is None and (lm is None or mm.start() != lm.start()):
            d.members = int(mm.group(1) or mm.group(2))
            d.facts += 1
        best: tuple[int, float] | None = None
        for pm in _PERCENT.finditer(f):
            if _COMPLETION_AFTER.match(f, pm.end()):
                continue  # "40 người đạt LĐTT, 100% hoàn thành nhiệm vụ": a share of completion, not of LĐTT
            after = re.search(r"ldtt|lao dong tien tien|advanced", f[pm.end() : pm.end() + 30])
            if after and re.search(r"[,;.]|\bht|hoan thanh|complet", f[pm.end() : pm.end() + after.start()]):
                after = None  # "100% HTNV trở lên, 13/20 người LĐTT": the percent is of another fact
            before = re.search(
                r"(?:ldtt|lao dong tien tien|advanced workers?)\D{0,12}$", f[max(0, pm.start() - 30) : pm.start()]
            )
            dist = after.start() if after else (30 - before.end() + before.start() + 5 if before else None)
            if dist is not None and (best is None or dist < best[0]):
                best = (dist, float(pm.group(1).replace(",", ".")) / 100)
        if best is not None:
            d.share = best[1]
            d.facts += 1
        elif d.share is None and d.ldtt_members is None and (fraction := _fraction_share(f)) is not None:
            d.share = fraction
            d.facts += 1
        if d.ldtt_members is not None and d.members is not None and d.ldtt_members > d.members:
            d.ldtt_members = None
        if _NOT_ALL_COMPLETE.search(f) or re.search(r"(?:khong|chua|not) (?:\w+ ){0,2}100 ?%", f):
            d.all_complete = False
        elif _ALL_COMPLETE.search(f):
            d.all_complete = True
        else:
            d.all_complete = _member_ratings_complete(f, d.members)
        if d.all_complete is not None:
            d.facts += 1
        ranked = _RANKED.search(f)
        if _LEADS.search(f):
            d.leads = not _NOT_LEADS.search(f)
            d.facts += 1
        elif ranked:
            d.leads = (ranked.group(1) or ranked.group(2)) in ("nhat", "mot", "1", "first", "1st")
            d.facts += 1
        fm = _FOUNDED.search(f)
        if fm:
            if fm.group(2) or fm.group(3):
                d.founded = current_year - int(fm.group(2) or fm.group(3))
            else:
                d.founded = int(fm.group(1) or fm.group(4) or fm.group(5))
            d.facts += 1
        if _NO_CSTDCS_MEMBER.search(f):
            d.cstdcs_members = 0


def _fill_all_years(d: _Draft) -> None:
    """A rating told for every year ("năm nào cũng HTT") fills the years the record spans."""
    clauses, groups, asked = d.clauses, d.groups, d.asked
    held, rating_pairs, inns, floors = d.held, d.rating_pairs, d.inns, d.floors
    fill_all, fill_floor = d.fill_all, d.fill_floor
    for value, floor in zip(fill_all, fill_floor, strict=True):
        years = _span_years(held, rating_pairs, inns)
        if not years:
            explicit = [
                g for g in groups if g.years and not g.relative and g is not _asked_group(asked, groups, clauses)
            ]
            years = sorted({y for g in explicit for y in g.years})
        for y in years:
            if y not in rating_pairs:
                rating_pairs[y] = value
                if floor:
                    floors.add(y)


def _settle_target_year(d: _Draft) -> None:
    """The year a yearly title is judged on when none was written next to it; the current year, untold, is pending, and
    so is a year whose rating is told as not out yet."""
    current_year, groups, asked = d.current_year, d.groups, d.asked
    held, rating_pairs, pending = d.held, d.rating_pairs, d.pending
    if asked is not None and d.target_year is None and asked.value in _ANNUAL and not rating_pairs and not held:
        written = [y for g in groups if g.years and not g.relative for y in g.years if y <= current_year]
        # a collective's story tells its year with the members' results ("năm 2025 có 10 người đạt LĐTT")
        d.target_year = max(written) if d.subject == "collective" and written else current_year
    if (
        d.target_year is not None
        and d.target_year == current_year
        and d.target_year not in rating_pairs
        and not any(h.year == current_year for h in held)
    ):
        pending.add(current_year)
    pending |= _ratings_not_out(d.f, d.clauses, groups, d.ratings, d.target_year)  # past years too


def _reading(d: _Draft, found: _Awards) -> Reading:
    """The Record read, what was left unplaced, and whether the text tells a record (a fact tied to a year, a count or a
    number, or a route asked to be taken)."""
    f, clauses, groups, asked, current_year = d.f, d.clauses, d.groups, d.asked, d.current_year
    routes = _routes_raised(f)
    unsure = tuple(y for y in _unsure_years(f, groups, clauses) if y not in d.rating_pairs)
    record = Record(
        subject=d.subject,
        current_year=current_year,
        pending_years=tuple(sorted(d.pending)),
        target_year=d.target_year,
        ratings=tuple(sorted(d.rating_pairs.items())),
        held=tuple(d.held),
        innovations=tuple(d.inns),
        no_innovations=d.no_innovations,
        disciplines=tuple(d.disciplines),
        maternity_years=tuple(d.maternity),
        sick_years=tuple(d.sick),
        service_years=d.service,
        gender=d.gender,
        new_recruit_months=d.new_recruit,
        round_anniversary=d.anniversary,
        anniversary_years=d.anniversary_years,
        htxs_count=d.htxs_count,
        rating_floors=tuple(sorted(y for y in d.floors if d.rating_pairs.get(y) == "HTT")),
        cstd_bo_consecutive=d.cstd_bo_consecutive,
        members=d.members,
        ldtt_members=d.ldtt_members,
        ldtt_share=d.share,
        all_members_complete=d.all_complete,
        member_disciplined=d.member_disciplined,
        member_discipline_untold=d.member_untold and not d.member_disciplined,
        under_inspection=_inspection_under_way(f),
        vague_titles=tuple(sorted(d.vague)),
        unsure_years=unsure,
        routes=routes,
        cstdcs_members=d.cstdcs_members,
        leads_cluster=d.leads,
        founded_years=d.founded,
        people=_with_narrator(found.people, f),
        retired=_retired(f, current_year),
    )
    record = replace(record, unread=_unplaced_cues(f, record))
    d.facts += int(d.no_innovations)
    d.specific += sum(1 for h in d.held if h.year is not None) + len(d.disciplines) + len(d.maternity) + len(d.sick)
    d.specific += sum(
        v is not None
        # the year a collective was founded is a fact of its record ("Viện thành lập năm 2006, kỷ niệm 20 năm …")
        for v in (d.new_recruit, d.service, d.members, d.ldtt_members, d.share, d.all_complete, d.leads, d.cstdcs_members, d.founded)
    )
    d.specific += int(bool(d.cstd_bo_consecutive))
    # a sáng kiến told with its year and level ("năm nay 2026 em có 1 sáng kiến được cơ sở công nhận") is a record
    d.specific += sum(1 for i in d.inns if i.year is not None and i.level is not None)
    is_elig = asked is not None and (d.specific > 0 or bool(routes))
    return Reading(asked.value if asked else None, record, is_elig, d.facts, ())


_VAGUE_QUANTITY = re.compile(
    r"\b(?:may|vai|mot vai|mot so|nhieu|several|a few|a couple of|some|many|a number of|various)\s+$"
)


def _vague_quantity(f: str, start: int) -> bool:
    """A sáng kiến or đề tài told by a vague quantity ("anh có mấy sáng kiến nhỏ", "một số đề tài", "a few
    initiatives"): there is at least one, how many is not told (never read as one, nor as two)."""
    return _VAGUE_QUANTITY.search(f, max(0, start - 20), start) is not None


def _innovation_mentions(f: str, taken: list[tuple[int, int]]) -> list[re.Match[str]]:
    """The sáng kiến / đề tài told, without the council ("Hội đồng sáng kiến") and a topic inside one's description
    ("sáng kiến về phần mềm quản lý nhiệm vụ khoa học")."""
    kept: list[re.Match[str]] = []
    for m in _INNOVATION.finditer(f):
        if any(m.start() < e and s < m.end() for s, e in taken):
            continue
        if re.search(r"(?:hoi dong|\bhd|council|committee)(?: xet)?(?: cong nhan)?\s*$", f[max(0, m.start() - 25) : m.start()]):
            continue
        if kept and re.match(r"\s*(?:ve|about|on|nham|for)\b[^,.;]{0,45}$", f[kept[-1].end() : m.start()]):
            continue
        kept.append(m)
    return kept


_RECOGNISED = re.compile(r"cong nhan|nghiem thu|recogni[sz]|accepted|approved")
# a task's own tier above the unit ("đề tài cấp Bộ", "nhiệm vụ KH&CN cấp nhà nước"): who manages it
_TASK_TIER = re.compile(
    r"^[&a-z]*\s*(?:(?:kh&cn|khcn|cn|khoa hoc(?: va cong nghe)?|nghien cuu|kh)\s+){0,2}cap (?:bo|nha nuoc|quoc gia|tinh|nganh)\b"
)
# who accepted it: "được Hội đồng khoa học của Bộ nghiệm thu", "nghiệm thu cấp Bộ", "accepted by the ministry's council"
_ACCEPTANCE = re.compile(
    r"(?:hoi dong|\bhd)(?:\s+[a-z&]+){0,6}?\s+nghiem thu(?: (?:o |tai |cua )?(?:cap )?(?:bo|co so|nha nuoc|cs)\b)?"
    r"|nghiem thu(?: (?:o |tai )?cap (?:bo|nha nuoc))?|(?:accepted|approved) by (?:the )?(?:[\w']+ ){0,3}(?:council|committee|board)"
)


def _recognition_scope(after: str, kind: str) -> str:
    """The words after a mention that can tell the level its effect was recognised at. For a đề tài / nhiệm vụ its own
    tier above the unit ("đề tài cấp Bộ": the level that manages it) and who accepted it ("được Hội đồng khoa học của
    Bộ nghiệm thu") are not that level (Luật 2022 Điều 22 k2: the effect and scope are recognised by the Minister):
    they are blanked, positions kept. A sáng kiến's "cấp cơ sở" is its council's recognition and stays."""
    if kind != "de-tai":
        return after
    def blank(m: re.Match[str]) -> str:
        return " " * len(m.group())

    return _ACCEPTANCE.sub(blank, _TASK_TIER.sub(blank, after, count=1))


_AGENT = re.compile(r"\b(?:duoc|do|boi|by)\b")


def _from_recogniser(after: str, at: int) -> str:
    """"Sáng kiến về chia sẻ dữ liệu giữa các đơn vị … được Hội đồng … công nhận … toàn quốc": with a recognition told,
    the level is read from who recognised it onwards; the words before are the topic (blanked, positions kept)."""
    agent = next(reversed(list(_AGENT.finditer(after, 0, max(0, at)))), None)
    begin = agent.start() if agent is not None and at - agent.start() <= 70 else max(0, at - 30)
    return " " * begin + after[begin:]


_APPLIED = re.compile(r"\b(?:ap dung|trien khai|nhan rong|applied|used|implemented|rolled out|deployed|in use)\b")


def _applied_not_recognised(near: str, before_level: str) -> bool:
    """"SK đang áp dụng trong toàn ngành", "applied across the sector": a scope above the unit told only as where a
    sáng kiến is applied, with no recognition told near it, is not a level it was recognised at: the Bộ's and the
    national levels are recognised by the Minister or the council (Luật 2022 Điều 21 k2, Điều 22 k2), applying it is
    not recognising it. (Applied in the unit stays the unit's level.)"""
    return _APPLIED.search(before_level) is not None and _RECOGNISED.search(near) is None


# "bị đánh giá không đạt", "không được công nhận", "was rejected": the council refused it (not "chưa": not yet)
_REFUSED = re.compile(
    r"\b(?:bi\s+)?(?:danh gia|xep loai|cham|ket luan)\s+(?:la\s+)?khong dat\b|\bkhong (?:duoc )?(?:hoi dong\s+(?:[a-z]+\s+){0,3})?"
    r"(?:cong nhan|nghiem thu|thong qua)\b|\bbi (?:tu choi|loai|bac bo)\b|\b(?:was|were|been) (?:not (?:recogni[sz]ed|accepted|approved)"
    r"|rejected|refused|turned down)\b"
)
_LEVEL_WORD = re.compile(r"\s*(?:o |tai |trong |pham vi |in |at )?(?:cap|toan|bo\b|so\b|the ministry|ministry|national|cuc\b|vien\b)")


# "Thanh tra Bộ đang thanh tra trung tâm vì có dấu hiệu vi phạm", "the unit is under investigation"
_INSPECTION = re.compile(
    r"\b(?:dang|van dang|hien dang|con dang)\s+(?:bi\s+)?(?:\w+\s+){0,2}?(?:thanh tra|kiem tra|dieu tra|xac minh)\b"
    r"|\b(?:is|are|being|currently)\s+(?:currently\s+|still\s+)?(?:under\s+(?:an?\s+)?(?:inspection|investigation|audit)"
    r"|(?:being\s+)?(?:inspected|investigated))\b"
)
_INSPECTION_OPEN = re.compile(
    # "Đoàn kiểm tra … đang làm việc … về dấu hiệu sai phạm, chưa có kết luận", "đơn tố cáo chưa được giải quyết"
    r"(?:thanh tra|kiem tra|dieu tra|xac minh|dau hieu (?:vi pham|sai pham)|don (?:thu )?(?:khieu nai|to cao)|inspection|investigation|complaint)"
    r"[^.;!?]{0,90}?\b(?:chua (?:co )?ket luan|chua (?:duoc )?(?:giai quyet|xu ly|lam ro)|not (?:yet )?concluded|no conclusion yet)"
    r"|\b(?:doan|co quan) (?:thanh tra|kiem tra)[^.;!?]{0,40}\bdang\b"
)
_INSPECTION_CLOSED = re.compile(
    r"ket luan (?:la )?khong (?:co )?vi pham|da (?:co )?ket luan|da ket thuc|found no violation|was closed|cleared"
)


def _inspection_under_way(f: str) -> bool:
    """An inspection, investigation or check under way (not concluded): NĐ 152/2025 Điều 4 k4 (facts A2 §2.2) bars an
    award and a proposal until it finds no violation. Discipline reviews are read with the disciplines."""
    m = _INSPECTION.search(f) or _INSPECTION_OPEN.search(f)
    return m is not None and not _INSPECTION_CLOSED.search(f, m.start())


_NOT_OUT = re.compile(r"\bchua (?:co|ra|xong|biet)\b|\bnot (?:out|known|available|given) yet\b|\bnot yet (?:out|known|available|given)\b")
_RATING_WORD = re.compile(r"\b(?:xep loai|danh gia|ket qua danh gia|rated|rating|assessed|assessment)\b")


def _ratings_not_out(
    f: str, clauses: list[tuple[int, int]], groups: list[YearGroup], ratings: list[Mention], target: int | None
) -> set[int]:
    """Years whose rating is told as not out yet ("còn phòng được xếp loại mức nào thì chưa có kết quả", "năm 2025
    chưa có kết quả xếp loại", "the 2025 rating has not been given yet"), past years too: a clause naming a rating
    with a "not yet" and no rating of its own. Its single years, or the year asked about when it writes none."""
    out: set[int] = set()
    for start, end in clauses:
        clause = f[start:end]
        not_out = _PENDING.search(clause) or _NOT_OUT.search(clause)
        if not (_RATING_WORD.search(clause) and not_out) or _INNOVATION.search(clause):
            continue  # (a sáng kiến "chờ Hội đồng đánh giá" is read with the sáng kiến)
        if any(start <= m.start < end for m in ratings):
            continue  # "dự kiến HTXS": a rating told, read with the ratings
        inside = [g for g in groups if start <= g.start < end]
        if any(g.relative for g in inside):
            continue  # "năm nay chưa xếp loại": the current year, read with it
        years = {g.years[0] for g in inside if len(g.years) == 1}
        out |= years if years else ({target} if target is not None and not inside else set())
    return out


# "không nhớ", "không rõ", "không chắc", "I don't remember", "not sure": the teller does not know
_UNSURE = re.compile(
    # ("không biết", "I don't know" are left out: they open questions, "không biết em có đủ … không")
    r"\b(?:khong|chua|ko) (?:con )?(?:nho|ro|chac)\b|\b(?:do not|don't|can't|cannot|does not|doesn't) (?:remember|recall)\b"
    r"|\bnot (?:sure|certain)\b|\bunsure\b"
)


def _unsure_years(f: str, groups: list[YearGroup], clauses: list[tuple[int, int]]) -> tuple[int, ...]:
    """Years the teller says they do not know the result of ("còn năm 2024 em không nhớ rõ có được hay không", "I'm not
    sure about 2023"): the single years of a clause that tells such a doubt and is not about a sáng kiến or đề tài (its
    level or count is read with it). What such a year earned is unknown, neither held nor missing."""
    years: set[int] = set()
    for start, end in clauses:
        clause = f[start:end]
        if not _UNSURE.search(clause) or _INNOVATION.search(clause):
            continue
        years |= {g.years[0] for g in groups if start <= g.start < end and len(g.years) == 1 and not g.relative}
    return tuple(sorted(years))


def _years_after(groups: list[YearGroup], start: int, end: int) -> list[int]:
    """The single years written between `start` and `end` (the rest of a sentence about one mention)."""
    return sorted({g.years[0] for g in groups if start <= g.start < end and len(g.years) == 1 and not g.relative})


# Cues of circumstances that rule a proposal out, when they are told near what they are about.
_WORK = r"(?:sang kien|\bsk\b|de tai|de an\b|nhiem vu (?:kh|khoa hoc)|initiative|innovation|project|research|hoi dong|\bhd\b|council)"
_UNREAD_CUES = {
    "refusal": re.compile(
        _WORK + r"[^.;!?]{0,60}?(?:khong dat\b|khong (?:duoc )?(?:\w+ ){0,3}(?:cong nhan|thong qua|nghiem thu)|tu choi|bac bo|\brejected|turned down|refused|not (?:been )?(?:recogni[sz]ed|accepted|approved))"
    ),
    "use": re.compile(
        _WORK + r"[^.;!?]{0,60}?(?<!chua )(?<!khong )(?<!not )(?<!never )(?:\bda (?:duoc )?(?:dung|su dung|tinh)\b|lam can cu|\bused (?:for|to|as|when)|already (?:used|counted)|counted (?:for|towards))"
    ),
    "inspection": re.compile(
        r"(?<!cong tac o )(?<!cong tac tai )(?<!lam viec o )(?<!lam viec tai )(?<!works at )(?<!works in )(?<!khong bi )(?<!chua bi )(?<!khong co )"
        r"(?:thanh tra|kiem tra|dieu tra|khieu nai|to cao|inspect|investigat|\baudit|complaint)"
    ),
    # "…, nhưng năm 2024 chỉ hoàn thành nhiệm vụ", "but she has no initiative yet": a limitation told after a
    # contrast. No story the check says "meets" for in the labelled sets tells one (0 of 40), while 14 of the "fails"
    # and "unknown" ones do; a reading that still finds every condition met has likely missed what the limitation
    # says. "nhưng không bị kỷ luật" is no limitation: the reader reads the discipline.
    "contrast": re.compile(
        r"\b(?:nhung|tuy nhien|song|but|however|although|though|except|mac du|tru)\b[^.;!?]{0,60}?"
        r"\b(?:khong|chua|bi|not|no|never|chi|only|failed|didn't|wasn't|hasn't)\b"
        r"(?! (?:\w+ )?(?:ky luat|vi pham|disciplin))"
    ),
}


def _unplaced_cues(f: str, record: Record) -> tuple[str, ...]:
    """Circumstances the story tells in words the reader did not place in the record: a council refusing a sáng kiến,
    its earlier use, an inspection or a complaint, a limitation told after "nhưng" / "but". A record read without them could say "meets" wrongly, so
    evaluate() never gives "meets" while one is left (the story is then to be told plainly)."""
    inns = record.innovations
    left = []
    if _UNREAD_CUES["refusal"].search(f) and not any(i.refused for i in inns) and not re.search(r"\bchua (?:duoc )?(?:\w+ ){0,3}cong nhan", f):
        left.append("refusal")
    if _use_told_unplaced(f) and not any(i.used_for for i in inns):
        left.append("use")
    if _UNREAD_CUES["inspection"].search(f) and not record.under_inspection and not _INSPECTION_CLOSED.search(f):
        left.append("inspection")
    if not left and any(not _contrast_read(f, m, record) for m in _UNREAD_CUES["contrast"].finditer(f)):
        left.append("contrast")  # the catch-all, when no cue above says what it is
    return tuple(left)


_LIMITATION = re.compile(r"\b(?:khong|chua|chi|bi|not|no|never|only|failed|but|nhung)\b")


def _contrast_read(f: str, m: re.Match[str], record: Record) -> bool:
    """A limitation told after "nhưng" that the reader did place: "HTXS nhưng chưa có sáng kiến nào" is the record's
    no_innovations, with nothing more limited after it in the sentence."""
    if not record.no_innovations:
        return False
    end = _sentence_end(f, m.start())
    denial = _NO_INNOVATION.search(f, m.start(), end)
    if denial is None or denial.start() >= m.end():
        return False  # the contrast's own negation is not the one denying a sáng kiến
    rest = f[denial.end() : end]
    return _LIMITATION.search(re.sub(r"^\s*(?:nao|gi|ca|duoc (?:\w+ ){0,3}cong nhan)\b", "", rest)) is None


def _use_told_unplaced(f: str) -> bool:
    """An earlier use of a sáng kiến told ("sáng kiến đó đã dùng để xét CSTĐCS"), other than one set aside by "ngoài"
    ("ngoài các sáng kiến đã dùng để xét CSTĐCS, còn có 02 sáng kiến khác"): what is set aside is placed, the reader
    does not count it (see _BESIDES)."""
    return any(
        not _BESIDES.search(f, max(0, m.start() - 25), m.start()) for m in _UNREAD_CUES["use"].finditer(f)
    )


def _sentence_end(f: str, pos: int) -> int:
    m = re.compile(r"[.;!?\n]").search(f, pos)
    return m.start() if m else len(f)


def _recognition_refused(f: str, start: int, end: int) -> bool:
    """A sáng kiến told as refused in the rest of its sentence ("SK nộp Hội đồng nhưng bị đánh giá không đạt, không
    được công nhận"): it counts at no level. A refusal of one level ("không được công nhận cấp Bộ") refuses only that
    level and is read with the level."""
    for m in _REFUSED.finditer(f, start, end):
        if not _LEVEL_WORD.match(f, m.end()) and not re.search(r"(?:cap|bo|so|cuc|ministry)\s*$", f[max(start, m.start() - 12) : m.start()]):
            return True
    return False


# "… đã được dùng làm thành tích để nhận Bằng khen của Bộ trưởng năm 2025": the use, then the award it was used for
_USED_AS_BASIS = re.compile(r"(?<!ap )\b(?:dung|su dung|used|counted)\b|\blam (?:thanh tich|can cu|co so)\b|\bas the basis\b")


def _used_for_award(f: str, start: int, clause_end: int, awards: list[Mention], asked: Mention | None) -> str | None:
    """The award a sáng kiến was already used for, told after it ("sáng kiến đó đã được dùng làm thành tích để anh nhận
    Bằng khen của Bộ trưởng năm 2025", "it was used for her certificate of merit"). CV 5007/BNV-TĐKT III.5.c: a sáng
    kiến is the basis of one commendation. The award asked about is the proposal itself, not a use; "chưa dùng" is none."""
    award = next((a for a in awards if start <= a.start < clause_end), None)
    if award is None or award is asked or award.start - start > 90:
        return None
    between = f[start : award.start]
    verb = _USED_AS_BASIS.search(between)
    if verb is None or re.search(r"\b(?:chua|khong|not|never)\b\s+(?:\w+\s+){0,2}$", between[: verb.start()]):
        return None
    if verb.group().startswith("lam") or _USED_PURPOSE.search(between, verb.end()):
        return award.value
    return None


_ANNUAL = {"lao-dong-tien-tien", "cstd-co-so", "tap-the-lao-dong-tien-tien", "tap-the-lao-dong-xuat-sac"}


def _asked_group(asked: Mention | None, groups: list[YearGroup], clauses: list[tuple[int, int]]) -> YearGroup | None:
    if asked is None:
        return None
    group = _years_for(asked, groups, _clause_of(asked.start, clauses))
    if group is not None and _distance(asked, group) < 30 and len(group.years) == 1:
        return group
    return None


def _span_years(held: list[Held], ratings: dict[int, str], inns: list[Innovation]) -> list[int]:
    years = {h.year for h in held if h.year is not None} | set(ratings) | {i.year for i in inns if i.year}
    if not years:
        return []
    return list(range(min(years), max(years) + 1))  # type: ignore[type-var]


def _dedupe(items: list[Discipline]) -> list[Discipline]:
    out: list[Discipline] = []
    for d in items:
        if out and out[-1].year == d.year and out[-1].end_year == d.end_year:
            prev = out[-1]
            out[-1] = Discipline(prev.year, prev.end_year, prev.level or d.level, prev.pending or d.pending)
        else:
            out.append(d)
    return out


def _years_near(
    rx: re.Pattern[str],
    f: str,
    groups: list[YearGroup],
    clauses: list[tuple[int, int]],
    current: int,
    pending: set[int],
) -> list[int]:
    """The years of a circumstance (maternity, sick leave): those of its clause, else the one year its sentence tells
    ("Năm 2025 tôi HTT, nhưng nghỉ ốm dài ngày 4 tháng": 2025)."""
    years: set[int] = set()
    for m in rx.finditer(f):
        mention = Mention("x", "x", m.start(), m.end())
        group = _years_for(mention, groups, _clause_of(m.start(), clauses))
        if group is None or not group.years:
            start = max(f.rfind(c, 0, m.start()) for c in ".;!?\n") + 1
            told = {y for g in groups if start <= g.start < _sentence_end(f, m.end()) and len(g.years) == 1 for y in g.years}
            years.update(told if len(told) == 1 else ())
            continue
        years.update(_expand(group, current, f, pending))
    return sorted(years)


# "dưới / chưa đủ / under …" just before a number of months: strictly fewer months than the number.
_UNDER_BEFORE = re.compile(r"(?:duoi|under|less than|chua du|chua den|khong du|it hon)\s*$")

# A count of titles followed by what it is for ("… để xét", "… thì mới được") states a rule's requirement.
_REQUIREMENT_AFTER = re.compile(r"\s*(?:de (?:xet|duoc|de nghi)|thi moi (?:duoc|xet)|moi (?:duoc|du)|to (?:qualify|be))\b")


def _count_before(f: str, pos: int) -> int | None:
    m = re.search(
        rf"\b{_NUM}\s*(?:lan|times?|nguoi|ca nhan|dong chi|thanh vien|members?|people)?\s*(?:dat|duoc|la)?\s*$",
        f[max(0, pos - 25) : pos],
    )
    return _num(m.group(1)) if m else None


def _kind_near(f: str, m: Mention, clause: tuple[int, int], awards: Sequence[Mention] = ()) -> str:
    """The kind of an award (công trạng, đột xuất, chuyên đề): told next to it, else in the rest of its clause before
    another award ("Bằng khen Bộ năm 2020 của tôi là khen nhân dịp tổng kết phong trào thi đua chuyên đề"): the kind
    word nearest to it. Công trạng when none is told."""
    window = f[m.end : min(clause[1], m.end + 40)] + " " + f[max(clause[0], m.start - 15) : m.start]
    near = next((k for k, rx in _KINDS if re.search(rx, window)), None)
    if near is not None:
        return near
    end = min([clause[1], m.end + 110] + [a.start for a in awards if a.start > m.end])
    told = [(hit.start(), k) for k, rx in _KINDS if (hit := re.search(rx, f[m.end : end]))]
    return min(told)[1] if told else "cong-trang"


def _asked(f: str, awards: list[Mention]) -> Mention | None:
    """The award asked about: in the question sentence, the first award after the question cue."""
    sentences = [s for s in re.finditer(r"[^.;!?\n]+[.;!?\n]*", f)]
    candidates = [
        s
        for s in sentences
        if _QUESTION.search(s.group())
        and (
            _QUESTION_END.search(s.group())
            or re.search(
                # "Chị đủ CSTĐCS 2025 không, chị làm ở Cục từ 2016": the question closed by "không," mid-sentence
                r"du dieu kien|du tieu chuan|eligib|qualif|nominat|co duoc|duoc khong|da du|du chua|\b(?:khong|chua|ko)\s*,",
                s.group(),
            )
        )
    ]
    for sent in reversed(candidates):
        cue = None
        for m in _QUESTION.finditer(sent.group()):
            pos = sent.start() + m.start()
            before = [a for a in awards if a.start < pos]
            after = [a for a in awards if a.start >= pos and a.end <= sent.end()]
            if after:
                cue = after[0]
                break
            del before
        if cue is not None:
            return cue
    # no award after a cue: an award without years that is not told as held
    if candidates:
        return _asked_without_cue(f, awards)
    # "… one grassroots emulation fighter. Excellent Labour Collective?": a last short sentence naming an award, asked
    last = sentences[-1] if sentences else None
    if last is not None and last.group().rstrip().endswith("?") and len(last.group().split()) <= 6:
        return next((a for a in awards if last.start() <= a.start < last.end() and not a.negated), None)
    return None


_PROPOSED = re.compile(r"(?:de nghi|xet tang|de xuat|trinh|propos\w*|nominat\w*|recommend\w*)\s+(?:\S+\s+){0,2}$")


def _asked_without_cue(f: str, awards: list[Mention]) -> Mention | None:
    """The award asked about when the question sentence names none ("… Cục muốn đề nghị HCLĐ hạng Ba cho anh. Đủ điều
    kiện không?"): the one told as proposed ("đề nghị X", "propose … for X"), else the first not told as held; an
    award told as not held ("anh chưa có Bằng khen Thủ tướng") is a fact of the record, not the question, unless it is
    the only one."""
    proposed = [a for a in awards if not a.negated and _PROPOSED.search(f, max(0, a.start - 40), a.start)]
    if proposed:
        return proposed[0]
    loose = [
        a
        for a in awards
        if not re.search(
            r"(?:da duoc|da dat|duoc tang|dat|received|got|was|won|awarded)\s*(?:\S+\s*){0,2}$",
            f[max(0, a.start - 30) : a.start],
        )
    ]
    return next((a for a in loose if not a.negated), loose[0] if loose else None)


def describe_record(record: Record, lang: str = "vi") -> str:
    """One line: what was understood of the record, so the user can correct it."""
    en = lang == "en"
    parts: list[str] = []
    by_title: dict[tuple[str, str], list[int | None]] = {}
    for h in record.held:
        by_title.setdefault((h.award, h.kind), []).append(h.year)
    from bot.core.eligibility import _years_text  # the same year formatting as the conditions

    for (award, kind), years in by_title.items():
        known = [y for y in years if y is not None]
        name = title_name(award, lang)
        if kind != "cong-trang":
            name += f" ({kind_name(kind, lang)})"
        if known:
            parts.append(f"{name} {_years_text(known)}")
        else:
            parts.append(f"{name} ×{len(years)}" if len(years) > 1 else name)
    for award in record.vague_titles:
        parts.append(title_name(award, lang) + (" (vài lần, chưa rõ năm nào)" if not en else " (a few times, years not told)"))
    if record.cstd_bo_consecutive:
        parts.append("liên tục" if not en else "in a row")
    ratings: dict[str, list[int]] = {}
    for y, r in record.ratings:
        ratings.setdefault(r, []).append(y)
    for r, years in ratings.items():
        parts.append(f"{r} {_years_text(years)}")
    for inn in record.innovations:
        what = (
            ("sáng kiến" if inn.kind == "sang-kien" else "đề tài")
            if not en
            else ("initiative" if inn.kind == "sang-kien" else "research task")
        )
        level = {
            "co-so": ("cấp cơ sở", "unit level"),
            "bo": ("cấp Bộ", "ministry level"),
            "toan-quoc": ("toàn quốc", "national"),
        }
        lv = level[inn.level][1 if en else 0] if inn.level else ("chưa rõ cấp" if not en else "level not told")
        if inn.refused:
            lv = "không được công nhận" if not en else "not recognised"
        when = inn.year or ", ".join(map(str, inn.years))
        used = f", {'đã dùng cho' if not en else 'used for'} {title_name(inn.used_for, lang)}" if inn.used_for else ""
        count = ("mấy" if not en else "some") if inn.vague else str(inn.count)
        parts.append(f"{count} {what} {lv}" + (f" ({when}{used})" if when else f" ({used[2:]})" if used else ""))
    if record.htxs_count:
        parts.append(f"{record.htxs_count} năm HTXS" if not en else f"{record.htxs_count} HTXS year(s)")
    if record.no_innovations:
        parts.append("không có sáng kiến" if not en else "no initiative")
    for d in record.disciplines:
        if d.pending:
            parts.append("đang bị xem xét kỷ luật" if not en else "discipline review pending")
        else:
            when = f" {d.year}" if d.year else ""
            parts.append(("kỷ luật" if not en else "discipline") + (f" ({d.level})" if d.level else "") + when)
    if record.maternity_years:
        parts.append(("nghỉ thai sản " if not en else "maternity leave ") + ", ".join(map(str, record.maternity_years)))
    if record.sick_years:
        parts.append(("nghỉ ốm " if not en else "sick leave ") + ", ".join(map(str, record.sick_years)))
    if record.new_recruit_months is not None:
        parts.append(
            f"mới tuyển dụng {record.new_recruit_months} tháng"
            if not en
            else f"recruited {record.new_recruit_months} months ago"
        )
    if record.service_years is not None:
        parts.append(f"{record.service_years} năm công tác" if not en else f"{record.service_years} years' service")
    if record.members is not None:
        parts.append(f"{record.members} thành viên" if not en else f"{record.members} members")
    if record.ldtt_members is not None:
        parts.append(f"{record.ldtt_members} LĐTT")
    if record.ldtt_share is not None:
        parts.append(f"{round(record.ldtt_share * 100, 1):g}% LĐTT")
    if record.all_members_complete is not None:
        parts.append(
            ("100% hoàn thành nhiệm vụ" if record.all_members_complete else "có người không hoàn thành nhiệm vụ")
            if not en
            else ("every member completed" if record.all_members_complete else "a member did not complete")
        )
    if record.member_disciplined:
        parts.append("có thành viên bị kỷ luật từ cảnh cáo" if not en else "a member disciplined (cảnh cáo+)")
    if record.member_discipline_untold:
        parts.append("có thành viên bị kỷ luật, chưa rõ hình thức" if not en else "a member disciplined, form not told")
    if record.under_inspection:
        parts.append("đang bị thanh tra, kiểm tra" if not en else "under inspection or investigation")
    if record.cstdcs_members is not None:
        parts.append(f"{record.cstdcs_members} CSTĐ cơ sở")
    if record.leads_cluster is not None:
        parts.append(
            ("dẫn đầu cụm, khối" if record.leads_cluster else "không dẫn đầu cụm, khối")
            if not en
            else ("leads its cluster" if record.leads_cluster else "does not lead its cluster")
        )
    if record.founded_years is not None:
        parts.append(f"thành lập {record.founded_years} năm" if not en else f"founded {record.founded_years} years ago")
    if record.round_anniversary and record.anniversary_years is not None:
        n = record.anniversary_years
        parts.append(f"dịp kỷ niệm {n} năm" if not en else f"{n}th anniversary")
    elif record.round_anniversary:
        parts.append("dịp kỷ niệm năm tròn" if not en else "round anniversary")
    if record.retired:
        parts.append("đã nghỉ hưu" if not en else "retired")
    if "long-service" in record.routes:
        parts.append("xét theo quá trình cống hiến" if not en else "by long service")
    for y in record.unsure_years:
        parts.append(f"năm {y} chưa rõ kết quả" if not en else f"{y}: result not known")
    for y in record.pending_years:
        parts.append(f"năm {y} chưa bình xét" if not en else f"{y} not yet rated")
    if record.target_year is not None:
        parts.append(f"năm xét {record.target_year}" if not en else f"year asked about {record.target_year}")
    return "; ".join(parts) if parts else ("(chưa đọc được thành tích nào)" if not en else "(no record read)")
