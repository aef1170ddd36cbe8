"""Eligibility evaluator: a table of records × awards with verdicts derived from the articles (issue 13).

Articles: Luật TĐKT 2022 Điều 21 (CSTĐ toàn quốc), 22 (CSTĐ cấp Bộ), 23 (CSTĐ cơ sở), 24 (LĐTT), 26 (Cờ thi đua cấp
Bộ), 27 (TTLĐXS), 28 (TTLĐTT), 44 k1 e (HCLĐ hạng Ba), 73 k1 b (Bằng khen TTg), 74 k1 d + TT 25/2025/TT-BKHCN Điều 7
(Bằng khen cấp Bộ); NĐ 152/2025 Điều 4 k3 (đột xuất/chuyên đề no basis), k4 (discipline), k5 (maternity counts).
Current year 2026; a title not listed for a year was not held.
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest

from bot.core.criteria import load_criteria
from bot.core.eligibility import (
    FAILS,
    MEETS,
    UNKNOWN,
    Discipline,
    Held,
    Innovation,
    Record,
    evaluate,
    record_from_data,
)
from bot.core.errors import KnowledgeError

KNOWLEDGE = Path(__file__).resolve().parents[2] / "knowledge"
CRITERIA = load_criteria(KNOWLEDGE / "criteria.yaml")


def R(  # a short record builder for the table
    cs=(),
    ldtt=(),
    bo=(),
    bk=(),
    ttg=(),
    ratings=None,
    sk=(),
    **kw,
) -> Record:
    held = [Held("cstd-co-so", y) for y in cs] + [Held("lao-dong-tien-tien", y) for y in ldtt]
    held += [Held("cstd-bo", y) for y in bo]
    held += [Held("bang-khen-bo", y, k) for y, k in bk]
    held += [Held("bang-khen-thu-tuong", y, k) for y, k in ttg]
    held += list(kw.pop("held", ()))
    inns = [Innovation(kind, level, year, count) for kind, level, year, count in sk]
    return Record(
        current_year=2026,
        held=tuple(held),
        ratings=tuple(sorted((ratings or {}).items())),
        innovations=tuple(inns),
        **kw,
    )


def htt(a: int, b: int, **override: str) -> dict[int, str]:
    out = {y: "HTT" for y in range(a, b + 1)}
    out.update({int(k[1:]): v for k, v in override.items()})
    return out


SK_BO = ("sang-kien", "bo", 2025, 1)
SK_CS = ("sang-kien", "co-so", 2025, 1)
SK_TQ = ("sang-kien", "toan-quoc", 2025, 1)
CT, DX, CD = "cong-trang", "dot-xuat", "chuyen-de"
NO_SK = {"no_innovations": True}

CASES = [
    # ---- Lao động tiên tiến (Điều 24 k1; TT 15/2025/TT-BNV: not recruited < 6 months) -------------------------
    ("ldtt-htt", "lao-dong-tien-tien", R(ratings={2025: "HTT"}), MEETS),
    ("ldtt-htxs", "lao-dong-tien-tien", R(ratings={2025: "HTXS"}), MEETS),
    ("ldtt-ht", "lao-dong-tien-tien", R(ratings={2025: "HT"}), FAILS),
    ("ldtt-kht", "lao-dong-tien-tien", R(ratings={2025: "KHT"}), FAILS),
    ("ldtt-no-rating", "lao-dong-tien-tien", R(target_year=2025), UNKNOWN),
    ("ldtt-pending", "lao-dong-tien-tien", R(pending_years=(2026,)), UNKNOWN),
    ("ldtt-recruit-4m", "lao-dong-tien-tien", R(ratings={2026: "HTT"}, new_recruit_months=4), FAILS),
    ("ldtt-recruit-5m", "lao-dong-tien-tien", R(ratings={2026: "HTT"}, new_recruit_months=5), FAILS),
    ("ldtt-recruit-6m", "lao-dong-tien-tien", R(ratings={2026: "HTT"}, new_recruit_months=6), MEETS),
    ("ldtt-maternity-rated", "lao-dong-tien-tien", R(ratings={2025: "HTT"}, maternity_years=(2025,)), MEETS),
    ("ldtt-maternity-unrated", "lao-dong-tien-tien", R(maternity_years=(2026,), pending_years=(2026,)), UNKNOWN),
    ("ldtt-sick", "lao-dong-tien-tien", R(ratings={2025: "HTT"}, sick_years=(2025,)), UNKNOWN),
    ("ldtt-review", "lao-dong-tien-tien", R(ratings={2025: "HTT"}, disciplines=(Discipline(pending=True),)), FAILS),
    ("ldtt-disc-year", "lao-dong-tien-tien", R(ratings={2025: "HTT"}, disciplines=(Discipline(2025),)), FAILS),
    ("ldtt-disc-before", "lao-dong-tien-tien", R(ratings={2025: "HTT"}, disciplines=(Discipline(2023),)), MEETS),
    ("ldtt-disc-now", "lao-dong-tien-tien", R(ratings={2025: "HTT"}, disciplines=(Discipline(2026),)), FAILS),
    # ---- CSTĐ cơ sở (Điều 23: LĐTT standard and HTXS or sáng kiến/đề tài) -------------------------------------
    ("cs-htxs", "cstd-co-so", R(ratings={2025: "HTXS"}), MEETS),
    ("cs-htt-sk", "cstd-co-so", R(ratings={2025: "HTT"}, sk=[SK_CS]), MEETS),
    # a sáng kiến told without its recognition ("có 1 sáng kiến"): Điều 23 k2 needs one the unit recognised
    ("cs-htt-sk-nolevel", "cstd-co-so", R(ratings={2025: "HTT"}, sk=[("sang-kien", None, 2025, 1)]), UNKNOWN),
    ("cs-htt-detai", "cstd-co-so", R(ratings={2025: "HTT"}, sk=[("de-tai", "co-so", 2025, 1)]), MEETS),
    ("cs-htt-nothing", "cstd-co-so", R(ratings={2025: "HTT"}, **NO_SK), FAILS),
    ("cs-htt-untold", "cstd-co-so", R(ratings={2025: "HTT"}), UNKNOWN),
    ("cs-htt-sk-other-year", "cstd-co-so", R(ratings={2025: "HTT"}, sk=[("sang-kien", "co-so", 2023, 1)]), FAILS),
    ("cs-ht-sk", "cstd-co-so", R(ratings={2025: "HT"}, sk=[SK_CS]), FAILS),
    ("cs-pending", "cstd-co-so", R(pending_years=(2026,), sk=[("sang-kien", "co-so", 2026, 1)]), UNKNOWN),
    ("cs-recruit", "cstd-co-so", R(ratings={2026: "HTXS"}, new_recruit_months=3), FAILS),
    ("cs-maternity", "cstd-co-so", R(ratings={2025: "HTXS"}, maternity_years=(2025,)), MEETS),
    # ---- CSTĐ cấp Bộ (Điều 22: 03 lần liên tục CSTĐCS + sáng kiến/đề tài recognised at ministry level) ---------
    ("bo-3-skbo", "cstd-bo", R(cs=(2023, 2024, 2025), sk=[SK_BO]), MEETS),
    ("bo-3-detai-bo", "cstd-bo", R(cs=(2023, 2024, 2025), sk=[("de-tai", "bo", None, 1)]), MEETS),
    ("bo-3-sktq", "cstd-bo", R(cs=(2023, 2024, 2025), sk=[SK_TQ]), MEETS),
    ("bo-4-skbo", "cstd-bo", R(cs=(2022, 2023, 2024, 2025), sk=[SK_BO]), MEETS),
    ("bo-2-skbo", "cstd-bo", R(cs=(2024, 2025), sk=[SK_BO]), FAILS),
    ("bo-gap", "cstd-bo", R(cs=(2022, 2023, 2025), ldtt=(2024,), sk=[SK_BO]), FAILS),
    ("bo-gap-early", "cstd-bo", R(cs=(2021, 2023, 2024), sk=[SK_BO]), FAILS),
    ("bo-3-skcs", "cstd-bo", R(cs=(2023, 2024, 2025), sk=[SK_CS]), FAILS),
    ("bo-3-sk-nolevel", "cstd-bo", R(cs=(2023, 2024, 2025), sk=[("sang-kien", None, None, 1)]), UNKNOWN),
    ("bo-3-no-sk-told", "cstd-bo", R(cs=(2023, 2024, 2025)), UNKNOWN),
    ("bo-3-no-sk", "cstd-bo", R(cs=(2023, 2024, 2025), **NO_SK), FAILS),
    ("bo-2-pending", "cstd-bo", R(cs=(2024, 2025), sk=[SK_BO], pending_years=(2026,)), UNKNOWN),
    ("bo-1-pending", "cstd-bo", R(cs=(2025,), sk=[SK_BO], pending_years=(2026,)), FAILS),
    ("bo-maternity-cs", "cstd-bo", R(cs=(2023, 2024, 2025), maternity_years=(2024,), sk=[SK_BO]), MEETS),
    ("bo-maternity-untold", "cstd-bo", R(cs=(2023, 2025), maternity_years=(2024,), sk=[SK_BO]), UNKNOWN),
    ("bo-disc-in-run", "cstd-bo", R(cs=(2023, 2024, 2025), sk=[SK_BO], disciplines=(Discipline(2024),)), FAILS),
    ("bo-disc-before", "cstd-bo", R(cs=(2023, 2024, 2025), sk=[SK_BO], disciplines=(Discipline(2021),)), MEETS),
    ("bo-review", "cstd-bo", R(cs=(2023, 2024, 2025), sk=[SK_BO], disciplines=(Discipline(pending=True),)), FAILS),
    ("bo-old-run", "cstd-bo", R(cs=(2019, 2020, 2021), ldtt=(2022, 2023, 2024, 2025), sk=[SK_BO]), UNKNOWN),
    # ---- CSTĐ toàn quốc (Điều 21: 02 lần liên tục CSTĐ cấp Bộ + nationwide sáng kiến) -----------------------
    ("tq-2-consec", "cstd-toan-quoc", R(bo=(None, None), cstd_bo_consecutive=True, sk=[SK_TQ]), MEETS),
    ("tq-cycles", "cstd-toan-quoc", R(bo=(2021, 2024), sk=[SK_TQ]), MEETS),
    ("tq-1", "cstd-toan-quoc", R(bo=(2024,), sk=[SK_TQ]), FAILS),
    ("tq-2-skbo", "cstd-toan-quoc", R(bo=(2021, 2024), sk=[SK_BO]), FAILS),
    ("tq-2-unclear", "cstd-toan-quoc", R(bo=(2018, 2024), sk=[SK_TQ]), UNKNOWN),
    ("tq-2-no-sk-told", "cstd-toan-quoc", R(bo=(2021, 2024)), UNKNOWN),
    # ---- Bằng khen cấp Bộ, individual (Điều 74 k1 d; TT 25 Điều 7 k1 d, đ) ----------------------------------
    ("bkb-2cs-2sk", "bang-khen-bo", R(cs=(2024, 2025), sk=[("sang-kien", "co-so", 2025, 2)]), MEETS),
    (
        "bkb-2htxs-2sk",
        "bang-khen-bo",
        R(ratings={2024: "HTXS", 2025: "HTXS"}, sk=[("sang-kien", None, None, 2)]),
        UNKNOWN,  # "2 sáng kiến" alone: not told they were recognised (TT 25/2025 Điều 7 k1 d)
    ),
    (
        "bkb-2htxs-2sk-recognised",
        "bang-khen-bo",
        replace(
            R(ratings={2024: "HTXS", 2025: "HTXS"}), innovations=(Innovation("sang-kien", None, None, 2, None, True),)
        ),
        MEETS,
    ),
    (
        "cs-htt-sk-recognised-nolevel",
        "cstd-co-so",
        replace(R(ratings={2025: "HTT"}), innovations=(Innovation("sang-kien", None, 2025, 1, None, True),)),
        MEETS,
    ),
    (
        "cstdbo-recognised-nolevel",
        "cstd-bo",
        replace(R(cs=(2023, 2024, 2025)), innovations=(Innovation("sang-kien", None, 2025, 1, None, True),)),
        UNKNOWN,
    ),
    ("bkb-2cs-2detai", "bang-khen-bo", R(cs=(2024, 2025), sk=[("de-tai", "co-so", None, 2)]), MEETS),
    ("bkb-2cs-2sk-nolevel", "bang-khen-bo", R(cs=(2024, 2025), sk=[("sang-kien", None, 2025, 2)]), UNKNOWN),
    ("bkb-2cs-1sk", "bang-khen-bo", R(cs=(2024, 2025), sk=[SK_CS]), FAILS),
    ("bkb-2cs-sk+detai", "bang-khen-bo", R(cs=(2024, 2025), sk=[SK_CS, ("de-tai", "co-so", 2025, 1)]), UNKNOWN),
    ("bkb-2cs-untold", "bang-khen-bo", R(cs=(2024, 2025)), UNKNOWN),
    ("bkb-gap", "bang-khen-bo", R(cs=(2023, 2025), ldtt=(2024,), sk=[("sang-kien", "co-so", None, 2)]), FAILS),
    ("bkb-1cs-1htxs", "bang-khen-bo", R(cs=(2025,), ratings={2024: "HTT"}, sk=[("sang-kien", None, None, 2)]), FAILS),
    (
        "bkb-sk-used-for-cstdcs",
        "bang-khen-bo",
        Record(
            held=(Held("cstd-co-so", 2024), Held("cstd-co-so", 2025)),
            innovations=(Innovation("sang-kien", "co-so", 2025, 2, used_for="cstd-co-so"),),
        ),
        FAILS,
    ),
    (
        "bkb-disc",
        "bang-khen-bo",
        R(cs=(2024, 2025), sk=[("sang-kien", "co-so", 2025, 2)], disciplines=(Discipline(2024),)),
        FAILS,
    ),
    (
        "bkb-route-e",
        "bang-khen-bo",
        R(ratings=htt(2021, 2025, y2023="HTXS"), service_years=12, round_anniversary=True, **NO_SK),
        MEETS,
    ),
    (
        "bkb-route-e-woman-8",
        "bang-khen-bo",
        R(ratings=htt(2021, 2025, y2024="HTXS"), service_years=8, gender="nu", round_anniversary=True, **NO_SK),
        MEETS,
    ),
    (
        "bkb-route-e-man-8",
        "bang-khen-bo",
        R(ratings=htt(2021, 2025, y2024="HTXS"), service_years=8, gender="nam", round_anniversary=True, **NO_SK),
        FAILS,
    ),
    (
        "bkb-route-e-no-htxs",
        "bang-khen-bo",
        R(ratings=htt(2021, 2025), service_years=12, round_anniversary=True, **NO_SK),
        FAILS,
    ),
    (
        "bkb-route-e-no-anniv",
        "bang-khen-bo",
        R(ratings=htt(2021, 2025, y2023="HTXS"), service_years=12, **NO_SK),
        FAILS,
    ),
    # ---- Bằng khen cấp Bộ, collective (TT 25 Điều 7 k3 d, đ) -----------------------------------------------
    ("bkbt-2htxs", "bang-khen-bo-tap-the", R(subject="collective", ratings={2024: "HTXS", 2025: "HTXS"}), MEETS),
    (
        "bkbt-2ttldxs",
        "bang-khen-bo-tap-the",
        R(
            subject="collective",
            held=(Held("tap-the-lao-dong-xuat-sac", 2024), Held("tap-the-lao-dong-xuat-sac", 2025)),
        ),
        MEETS,
    ),
    ("bkbt-1htxs", "bang-khen-bo-tap-the", R(subject="collective", ratings={2024: "HTT", 2025: "HTXS"}), FAILS),
    (
        "bkbt-10y",
        "bang-khen-bo-tap-the",
        R(subject="collective", ratings=htt(2021, 2025), founded_years=15, round_anniversary=True),
        MEETS,
    ),
    (
        "bkbt-8y",
        "bang-khen-bo-tap-the",
        R(subject="collective", ratings=htt(2021, 2025), founded_years=8, round_anniversary=True),
        FAILS,
    ),
    # ---- Bằng khen TTg (Điều 73 k1 b; NĐ 152 Điều 4 k3) ---------------------------------------------------
    ("ttg-ok", "bang-khen-thu-tuong", R(bk=[(2019, CT)], ratings=htt(2020, 2025), cs=(2021, 2022, 2024)), MEETS),
    # the 5 years run up to the proposal (2026): a run that stops in 2024 with 2025 untold is not known to reach it
    (
        "ttg-run-stops-before-proposal",
        "bang-khen-thu-tuong",
        R(bk=[(2019, CT)], ratings=htt(2020, 2024), cs=(2021, 2022, 2024)),
        UNKNOWN,
    ),
    (
        "ttg-last-year-ht",
        "bang-khen-thu-tuong",
        R(bk=[(2019, CT)], ratings=htt(2020, 2025, y2025="HT"), cs=(2021, 2022, 2024)),
        FAILS,
    ),
    ("ttg-6y", "bang-khen-thu-tuong", R(bk=[(2019, CT)], ratings=htt(2020, 2025), cs=(2020, 2022, 2025)), MEETS),
    ("ttg-4y", "bang-khen-thu-tuong", R(bk=[(2021, CT)], ratings=htt(2022, 2025), cs=(2022, 2023, 2025)), FAILS),
    (
        "ttg-4y-pending",
        "bang-khen-thu-tuong",
        R(bk=[(2021, CT)], ratings=htt(2022, 2025), cs=(2022, 2023, 2025), pending_years=(2026,)),
        UNKNOWN,
    ),
    ("ttg-2cs", "bang-khen-thu-tuong", R(bk=[(2019, CT)], ratings=htt(2020, 2024), cs=(2021, 2023)), FAILS),
    ("ttg-dot-xuat", "bang-khen-thu-tuong", R(bk=[(2019, DX)], ratings=htt(2020, 2024), cs=(2020, 2022, 2024)), FAILS),
    ("ttg-chuyen-de", "bang-khen-thu-tuong", R(bk=[(2018, CD)], ratings=htt(2019, 2025), cs=(2020, 2022, 2024)), FAILS),
    ("ttg-no-bk", "bang-khen-thu-tuong", R(ratings=htt(2020, 2024), cs=(2021, 2022, 2024)), FAILS),
    (
        "ttg-ht-year",
        "bang-khen-thu-tuong",
        R(bk=[(2019, CT)], ratings=htt(2020, 2024, y2022="HT"), cs=(2021, 2023, 2024)),
        FAILS,
    ),
    (
        "ttg-rating-untold",
        "bang-khen-thu-tuong",
        R(bk=[(2019, CT)], ratings={2020: "HTT"}, cs=(2021, 2022, 2024)),
        UNKNOWN,
    ),
    (
        "ttg-disc",
        "bang-khen-thu-tuong",
        R(bk=[(2019, CT)], ratings=htt(2020, 2025), cs=(2021, 2023, 2025), disciplines=(Discipline(2022),)),
        FAILS,
    ),
    ("ttg-collective", "bang-khen-thu-tuong-tap-the", R(subject="collective", ratings=htt(2020, 2025)), UNKNOWN),
    # ---- HCLĐ hạng Ba (Điều 44 k1 e) ------------------------------------------------------------------------
    (
        "hcld-ok",
        "huan-chuong-lao-dong",
        R(ttg=[(2019, CT)], ratings=htt(2020, 2025, y2022="HTXS"), cs=(2021, 2023, 2025)),
        MEETS,
    ),
    (
        "hcld-no-htxs",
        "huan-chuong-lao-dong",
        R(ttg=[(2019, CT)], ratings=htt(2020, 2025), cs=(2021, 2023, 2025)),
        FAILS,
    ),
    (  # "HTT trở lên" every year: whether one was HTXS is not told
        "hcld-floor-htxs-unknown",
        "huan-chuong-lao-dong",
        R(ttg=[(2019, CT)], ratings=htt(2020, 2025), rating_floors=tuple(range(2020, 2026)), cs=(2021, 2023, 2025)),
        UNKNOWN,
    ),
    (
        "bkb-route-e-floor-htxs-unknown",
        "bang-khen-bo",
        R(
            ratings=htt(2021, 2025),
            rating_floors=tuple(range(2021, 2026)),
            service_years=16,
            round_anniversary=True,
            **NO_SK,
        ),
        UNKNOWN,
    ),
    (
        "hcld-4y",
        "huan-chuong-lao-dong",
        R(ttg=[(2021, CT)], ratings=htt(2022, 2025, y2023="HTXS"), cs=(2022, 2023, 2025)),
        FAILS,
    ),
    (
        "hcld-dot-xuat",
        "huan-chuong-lao-dong",
        R(ttg=[(2019, DX)], ratings=htt(2020, 2025, y2022="HTXS"), cs=(2021, 2023, 2025)),
        FAILS,
    ),
    (
        "hcld-only-bkbo",
        "huan-chuong-lao-dong",
        R(bk=[(2019, CT)], ratings=htt(2020, 2025, y2022="HTXS"), cs=(2021, 2023, 2025)),
        FAILS,
    ),
    # ---- TTLĐTT (Điều 28 k1: HTT, ≥ 70 % LĐTT, nobody disciplined ≥ cảnh cáo) ------------------------------
    (
        "tt-70",
        "tap-the-lao-dong-tien-tien",
        R(subject="collective", ratings={2025: "HTT"}, members=10, ldtt_members=7),
        MEETS,
    ),
    (
        "tt-69",
        "tap-the-lao-dong-tien-tien",
        R(subject="collective", ratings={2025: "HTT"}, members=100, ldtt_members=69),
        FAILS,
    ),
    ("tt-69pct", "tap-the-lao-dong-tien-tien", R(subject="collective", ratings={2025: "HTT"}, ldtt_share=0.69), FAILS),
    ("tt-70pct", "tap-the-lao-dong-tien-tien", R(subject="collective", ratings={2025: "HTT"}, ldtt_share=0.70), MEETS),
    (
        "tt-2of3",
        "tap-the-lao-dong-tien-tien",
        R(subject="collective", ratings={2025: "HTT"}, members=3, ldtt_members=2),
        FAILS,
    ),
    (
        "tt-canh-cao",
        "tap-the-lao-dong-tien-tien",
        R(subject="collective", ratings={2025: "HTT"}, ldtt_share=0.9, member_disciplined=True),
        FAILS,
    ),
    ("tt-ht", "tap-the-lao-dong-tien-tien", R(subject="collective", ratings={2025: "HT"}, ldtt_share=0.9), FAILS),
    ("tt-share-untold", "tap-the-lao-dong-tien-tien", R(subject="collective", ratings={2025: "HTT"}), UNKNOWN),
    # ---- TTLĐXS (Điều 27: HTXS, 100 % complete, ≥ 70 % LĐTT, ≥ 1 CSTĐCS) ------------------------------------
    (
        "xs-ok",
        "tap-the-lao-dong-xuat-sac",
        R(subject="collective", ratings={2025: "HTXS"}, ldtt_share=0.8, all_members_complete=True, cstdcs_members=2),
        MEETS,
    ),
    (
        "xs-69",
        "tap-the-lao-dong-xuat-sac",
        R(subject="collective", ratings={2025: "HTXS"}, ldtt_share=0.69, all_members_complete=True, cstdcs_members=2),
        FAILS,
    ),
    (
        "xs-htt",
        "tap-the-lao-dong-xuat-sac",
        R(subject="collective", ratings={2025: "HTT"}, ldtt_share=0.9, all_members_complete=True, cstdcs_members=1),
        FAILS,
    ),
    (
        "xs-no-cstdcs",
        "tap-the-lao-dong-xuat-sac",
        R(subject="collective", ratings={2025: "HTXS"}, ldtt_share=0.9, all_members_complete=True, cstdcs_members=0),
        FAILS,
    ),
    (
        "xs-cstdcs-untold",
        "tap-the-lao-dong-xuat-sac",
        R(subject="collective", ratings={2025: "HTXS"}, ldtt_share=0.9, all_members_complete=True),
        UNKNOWN,
    ),
    (
        "xs-not-all",
        "tap-the-lao-dong-xuat-sac",
        R(subject="collective", ratings={2025: "HTXS"}, ldtt_share=0.9, all_members_complete=False, cstdcs_members=1),
        FAILS,
    ),
    # ---- Cờ thi đua cấp Bộ (Điều 26: standards unverified → never meets) ----------------------------------
    ("co-leads", "co-thi-dua-bo", R(subject="collective", ratings={2025: "HTXS"}, leads_cluster=True), UNKNOWN),
    ("co-not-leads", "co-thi-dua-bo", R(subject="collective", ratings={2025: "HTXS"}, leads_cluster=False), FAILS),
    ("co-untold", "co-thi-dua-bo", R(subject="collective", ratings={2025: "HTXS"}), UNKNOWN),
]


def test_table_is_large() -> None:
    assert len(CASES) >= 80
    assert len({c[0] for c in CASES}) == len(CASES)


@pytest.mark.parametrize(("name", "award", "record", "expected"), CASES, ids=[c[0] for c in CASES])
def test_verdict(name: str, award: str, record: Record, expected: str) -> None:
    verdict = evaluate(record, CRITERIA.awards[award], CRITERIA)
    marks = [(c.text, c.met, c.basis) for c in verdict.conditions]
    assert verdict.verdict == expected, marks


@pytest.mark.parametrize(("name", "award", "record", "expected"), CASES, ids=[c[0] for c in CASES])
def test_never_meets_with_an_unknown_condition(name: str, award: str, record: Record, expected: str) -> None:
    verdict = evaluate(record, CRITERIA.awards[award], CRITERIA, "en")
    if verdict.verdict == MEETS:
        assert all(c.met is True for c in verdict.conditions)
    if any(c.met is None for c in verdict.conditions) and verdict.verdict != FAILS:
        assert verdict.verdict == UNKNOWN
        assert verdict.missing, "an unknown verdict says what is missing"
    assert all(c.basis for c in verdict.conditions)
    assert verdict.caveat


def test_unverified_condition_is_always_unknown() -> None:
    award = CRITERIA.awards["co-thi-dua-bo"]
    standards = next(c for c in award.conditions if c.id == "standards")
    assert standards.verified is False
    verdict = evaluate(R(subject="collective", leads_cluster=True), award, CRITERIA)
    result = next(c for c in verdict.conditions if c.id == "standards")
    assert result.met is None


def test_every_award_of_the_issue_has_criteria_with_articles() -> None:
    wanted = {
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
    }
    assert wanted <= {a.catalogue for a in CRITERIA.awards.values()}
    assert {a.subject for a in CRITERIA.awards.values() if a.catalogue == "bang-khen-bo"} == {
        "individual",
        "collective",
    }
    for award in CRITERIA.awards.values():
        for condition in award.conditions:
            assert condition.article, (award.id, condition.id)


def test_bad_criteria_file_lists_problems(tmp_path: Path) -> None:
    path = tmp_path / "criteria.yaml"
    path.write_text(
        "caveats: {vi: a, en: b}\nawards:\n  - id: x\n    catalogue: nope\n    name: {vi: a, en: b}\n"
        "    subject: individual\n    conditions:\n      - id: c\n        text: {vi: a, en: b}\n"
        "        check: {type: no_such_check}\n",
        encoding="utf-8",
    )
    with pytest.raises(KnowledgeError) as err:
        load_criteria(path, award_ids={"cstd-bo"})
    text = "\n".join(err.value.problems)
    assert "unknown check type" in text and "no award 'nope'" in text


def test_record_from_data_and_errors() -> None:
    record = record_from_data(
        {"held": [{"award": "cstd-co-so", "year": 2024}], "ratings": {2024: "HTXS"}, "innovations": [{"level": "bo"}]},
        2026,
    )
    assert record.held[0].award == "cstd-co-so" and record.rating(2024) == "HTXS"
    with pytest.raises(ValueError, match=r"ratings\.2024"):
        record_from_data({"ratings": {2024: "GOOD"}}, 2026)
    with pytest.raises(ValueError, match="unknown title"):
        record_from_data({"held": [{"award": "huy-chuong"}]}, 2026)
    with pytest.raises(ValueError, match="nonsense"):
        record_from_data({"nonsense": 1}, 2026)


def test_bk_bo_sang_kien_used_for_the_grassroots_titles_do_not_count_again() -> None:
    """Điều 74 k1 d: the 02 sáng kiến are besides those already used for the CSTĐCS titles (Bộ Nội vụ answer,
    news.laodong.vn …-1432533.ldo, facts B §3.9; CV 5007/BNV-TĐKT III.5.c, facts A3.2)."""
    used = Innovation("sang-kien", "co-so", None, 2, "cstd-co-so")
    base = {"held": (Held("cstd-co-so", 2024), Held("cstd-co-so", 2025)), "ratings": ((2024, "HTT"), (2025, "HTT"))}
    cases = [
        (Record(innovations=(used,), no_innovations=True, **base), FAILS),
        (Record(innovations=(used, Innovation("sang-kien", "co-so", 2025, 2)), **base), MEETS),
    ]
    for record, expected in cases:
        assert evaluate(record, CRITERIA.awards["bang-khen-bo"], CRITERIA).verdict == expected


def test_never_meets_on_a_story_naming_several_people() -> None:
    award = CRITERIA.awards["cstd-bo"]
    rec = R(cs=(2023, 2024, 2025), sk=[SK_BO])
    assert evaluate(rec, award, CRITERIA).verdict == MEETS
    v = evaluate(replace(rec, people=("tung", "mai")), award, CRITERIA)
    assert v.verdict == UNKNOWN and v.missing


def test_a_sang_kien_counts_once_across_titles_and_forms() -> None:
    """CV 5007/BNV-TĐKT III.5.c (facts A3.2, A2 §4): one used for a form counts for nothing else, one used for a title
    not for a form; a further title may still rest on it (not expressly barred)."""
    cstd_bo, bk_bo = CRITERIA.awards["cstd-bo"], CRITERIA.awards["bang-khen-bo"]
    cs3 = R(cs=(2023, 2024, 2025)).held
    for used_for, award, expected in [
        ("bang-khen-bo", cstd_bo, FAILS),
        ("bang-khen-thu-tuong", cstd_bo, FAILS),
        ("cstd-co-so", cstd_bo, MEETS),
        (None, cstd_bo, MEETS),
        ("bang-khen-bo", bk_bo, FAILS),
    ]:
        inn = Innovation("sang-kien", "bo", 2024, 2, used_for)
        rec = Record(held=cs3, innovations=(inn,), ratings=((2024, "HTT"), (2025, "HTT")))
        assert evaluate(rec, award, CRITERIA).verdict == expected, (used_for, award.id)


def test_refused_and_out_of_window_sang_kien_do_not_count() -> None:
    award = CRITERIA.awards["bang-khen-bo"]
    base = R(cs=(2024, 2025)).held
    refused = Innovation("sang-kien", None, 2025, 2, refused=True)
    listed = Innovation("sang-kien", "co-so", None, 2, years=(2019, 2020))
    half = Innovation("sang-kien", "co-so", None, 2, years=(2023, 2025))
    assert evaluate(Record(held=base, innovations=(refused,)), award, CRITERIA).verdict == FAILS
    assert evaluate(Record(held=base, innovations=(listed,)), award, CRITERIA).verdict == FAILS
    assert evaluate(Record(held=base, innovations=(half,)), award, CRITERIA).verdict == FAILS
    inside = Innovation("sang-kien", "co-so", None, 2, years=(2024, 2025))
    assert evaluate(Record(held=base, innovations=(inside,)), award, CRITERIA).verdict == MEETS


def test_an_inspection_under_way_and_a_members_untold_discipline() -> None:
    """NĐ 152/2025 Điều 4 k4 (facts A2 §2.2): no award, no proposal while an inspection on signs of violation runs;
    Luật 2022 Điều 28 k1 c: a member disciplined at cảnh cáo or above rules a TTLĐTT out: an untold form is unknown."""
    award = CRITERIA.awards["tap-the-lao-dong-tien-tien"]
    rec = Record(subject="collective", ratings=((2025, "HTT"),), members=10, ldtt_members=9, member_disciplined=False)
    assert evaluate(rec, award, CRITERIA).verdict == MEETS
    v = evaluate(replace(rec, under_inspection=True), award, CRITERIA)
    assert v.verdict == FAILS and "thanh tra" in v.conditions[-1].basis
    v = evaluate(replace(rec, member_disciplined=None, member_discipline_untold=True), award, CRITERIA)
    assert v.verdict == UNKNOWN and v.missing
    ruled_out = replace(rec, member_disciplined=True, member_discipline_untold=False)
    assert evaluate(ruled_out, award, CRITERIA).verdict == FAILS


def test_a_title_told_with_a_vague_count_is_unknown_in_every_year() -> None:
    award = CRITERIA.awards["bang-khen-thu-tuong"]
    base = R(bk=[(2020, CT)], ratings=htt(2021, 2025))
    assert evaluate(base, award, CRITERIA).verdict == FAILS  # no CSTĐCS told: none held
    v = evaluate(replace(base, vague_titles=("cstd-co-so",)), award, CRITERIA)
    assert v.verdict == UNKNOWN and v.missing


def test_the_long_service_route_is_unknown_only_when_raised() -> None:
    """Luật 2022 Điều 44 k1 g; NĐ 152/2025 Điều 21: the tenure table was read only in part (facts B §3.11)."""
    award = CRITERIA.awards["huan-chuong-lao-dong"]
    none = Record(current_year=2026)
    assert evaluate(none, award, CRITERIA).verdict == FAILS
    v = evaluate(replace(none, routes=("long-service",)), award, CRITERIA)
    assert v.verdict == UNKNOWN and any("Vụ Tổ chức cán bộ" in m for m in v.missing)
    merit = R(ttg=[(2019, CT)], ratings={**htt(2020, 2024), 2022: "HTXS"}, cs=(2020, 2022, 2024))
    assert evaluate(merit, award, CRITERIA).verdict == MEETS
    assert evaluate(replace(merit, routes=("long-service",)), award, CRITERIA).verdict == MEETS


def test_never_meets_with_a_circumstance_left_unread() -> None:
    award = CRITERIA.awards["cstd-bo"]
    rec = R(cs=(2023, 2024, 2025), sk=[SK_BO])
    assert evaluate(rec, award, CRITERIA).verdict == MEETS
    v = evaluate(replace(rec, unread=("inspection",)), award, CRITERIA)
    assert v.verdict == UNKNOWN and any("thanh tra" in m for m in v.missing)
    assert evaluate(replace(rec, unread=("use",), innovations=()), award, CRITERIA).verdict != MEETS


def test_never_meets_with_a_limitation_left_after_a_contrast() -> None:
    award = CRITERIA.awards["cstd-bo"]
    rec = R(cs=(2023, 2024, 2025), sk=[SK_BO])
    v = evaluate(replace(rec, unread=("contrast",)), award, CRITERIA)
    assert v.verdict == UNKNOWN and any("nhưng" in m for m in v.missing)


def test_a_year_the_teller_does_not_know_is_neither_held_nor_missing() -> None:
    """Luật 2022 Điều 22 k1: 03 lần liên tục CSTĐCS; a middle year not known leaves the run unknown, not failed."""
    award = CRITERIA.awards["cstd-bo"]
    rec = R(cs=(2023, 2025), sk=[SK_BO])
    assert evaluate(rec, award, CRITERIA).verdict == FAILS
    assert evaluate(replace(rec, unsure_years=(2024,)), award, CRITERIA).verdict == UNKNOWN
    # a year told as unknown outside the run changes nothing
    rec = R(cs=(2023, 2024, 2025), sk=[SK_BO])
    assert evaluate(replace(rec, unsure_years=(2020,)), award, CRITERIA).verdict == MEETS
    # Bằng khen cấp Bộ: HTXS 2024 known, 2025 not known: the 2-year HTXS run is unknown, not failed
    bk = CRITERIA.awards["bang-khen-bo"]
    two = [("sang-kien", "co-so", 2025, 2)]
    assert evaluate(R(ratings={2024: "HTXS", 2025: "HTT"}, sk=two), bk, CRITERIA).verdict == FAILS
    v = evaluate(R(ratings={2024: "HTXS"}, sk=two, unsure_years=(2025,)), bk, CRITERIA)
    assert v.verdict == UNKNOWN


def test_a_vague_number_of_innovations_is_unknown_not_one() -> None:
    """Luật 2022 Điều 74 k1 d / TT 25/2025 Điều 7 k1 d: 02 sáng kiến; "mấy sáng kiến" does not say whether 2."""
    award = CRITERIA.awards["bang-khen-bo"]
    one = R(cs=(2024, 2025), sk=[("sang-kien", "co-so", None, 1)])
    assert evaluate(one, award, CRITERIA).verdict == FAILS
    vague = replace(one, innovations=(Innovation("sang-kien", "co-so", None, 1, vague=True),))
    v = evaluate(vague, award, CRITERIA)
    assert v.verdict == UNKNOWN and v.missing
    # enough sáng kiến told by number besides: the vague ones change nothing
    enough = replace(vague, innovations=(*vague.innovations, Innovation("sang-kien", "co-so", 2025, 2)))
    assert evaluate(enough, award, CRITERIA).verdict == MEETS
    # CSTĐ cấp Bộ needs one at the Bộ's level: some told at the unit's level are too low however many, some of an
    # untold level may be the one
    bo = CRITERIA.awards["cstd-bo"]
    low = R(cs=(2023, 2024, 2025), sk=())
    low = replace(low, innovations=(Innovation("sang-kien", "co-so", None, 1, vague=True),))
    assert evaluate(low, bo, CRITERIA).verdict == FAILS
    untold = replace(low, innovations=(Innovation("sang-kien", None, None, 1, vague=True),))
    assert evaluate(untold, bo, CRITERIA).verdict == UNKNOWN


def test_record_from_data_reads_the_new_fields() -> None:
    rec = record_from_data({"unsure_years": [2024], "innovations": [{"level": "co-so", "vague": True}]}, 2026)
    assert rec.unsure_years == (2024,) and rec.innovations[0].vague is True


@pytest.mark.parametrize(
    ("years", "verdict"), [(30, MEETS), (20, MEETS), (None, MEETS), (25, UNKNOWN), (13, FAILS), (22, FAILS)]
)
def test_a_round_anniversary_by_its_number(years: int | None, verdict: str) -> None:
    """TT 25/2025/TT-BKHCN Điều 7 k3 đ: at a round-year anniversary. A number ending in 0 is round under any reading;
    one ending in 5 is not verified as round; 13, 22 are round under none."""
    award = CRITERIA.for_award("bang-khen-bo", "collective")
    assert award is not None
    rec = Record(subject="collective", current_year=2026, ratings=tuple(htt(2021, 2025).items()), founded_years=30)
    rec = replace(rec, round_anniversary=True, anniversary_years=years)
    assert evaluate(rec, award, CRITERIA).verdict == verdict
    # the individual route too (a woman with 9 years, 5 years HTT with one HTXS)
    person = R(ratings=htt(2021, 2025, y2023="HTXS"), service_years=9, gender="nu", round_anniversary=True)
    person = replace(person, anniversary_years=years)
    assert evaluate(person, CRITERIA.awards["bang-khen-bo"], CRITERIA).verdict == verdict


def test_never_meets_for_someone_already_retired() -> None:
    """Facts A3.1: the current rule for retirees is unverified; a record that otherwise meets stays unknown."""
    award = CRITERIA.awards["huan-chuong-lao-dong"]
    rec = R(ttg=[(2017, CT)], ratings={**htt(2018, 2022), 2020: "HTXS"}, cs=(2018, 2020, 2022))
    assert evaluate(rec, award, CRITERIA).verdict == MEETS
    v = evaluate(replace(rec, retired=True), award, CRITERIA)
    assert v.verdict == UNKNOWN and any("nghỉ hưu" in m for m in v.missing)
    # a record that fails still fails
    assert evaluate(replace(rec, retired=True, held=()), award, CRITERIA).verdict == FAILS
