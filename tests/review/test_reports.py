"""Tests for bot/reports.py and bot/report_render.py over a seeded question log (real SQLite under tmp_path)."""

from __future__ import annotations

import base64
import csv
import dataclasses
import datetime as dt
import io
import itertools
from pathlib import Path

import pytest
import yaml

from bot.assembly import wire_answerer
from bot.core.normalize import Normalizer
from bot.core.records import ANSWER, CHOICE_NONE, FALLBACK, SMALLTALK, SUGGEST, LoggedQuestion
from bot.review.report_render import (
    CSV_COLUMNS,
    render_alternates_yaml,
    render_chart_png,
    render_csv,
    render_html,
    render_summary,
    render_text,
)
from bot.review.reports import (
    ConfirmedWording,
    Report,
    build_report,
    cluster_wordings,
    make_style_of,
    period,
    text_key,
)
from bot.storage.database import Storage

NOW = dt.datetime(2026, 11, 23, 10, 0, tzinfo=dt.UTC)
START = dt.datetime(2026, 11, 17, tzinfo=dt.UTC)
END = NOW
USERS = ("key-alice-0001", "key-binh-0002", "key-chi-0003")
TITLES = {"bang-khen.ho-so": "Hồ sơ đề nghị Bằng khen gồm những gì?", "cstdcs.tieu-chuan": "Tiêu chuẩn CSTĐCS?"}
FILLERS = ("cho em hỏi", "ạ", "vậy", "là", "của", "gì")  # as in knowledge/synonyms.yaml stopwords
# In-scope phrasings, as the knowledge supplies: the same question frames around award names.
BACKGROUND = tuple(
    frame.format(award)
    for award in (
        "Bằng khen",
        "Giấy khen",
        "Huân chương Lao động",
        "Chiến sĩ thi đua",
        "Cờ thi đua",
        "Lao động tiên tiến",
    )
    for frame in ("{} cần giấy tờ gì", "nộp hồ sơ {} ở đâu", "thủ tục {} thế nào", "{} bao giờ có", "hỏi về {}")
)
_normalize = Normalizer()
_ids = itertools.count(1)


def _q(
    text: str,
    status: str,
    *,
    day: int = 0,
    entry: str | None = None,
    choice: str | None = None,
    feedback: int | None = None,
    latency: float = 100.0,
    lang: str = "vi",
    user: int = 0,
) -> tuple[str, LoggedQuestion]:
    """A log row asked `day` days before NOW, with its ref."""
    question = LoggedQuestion(
        asked_at=NOW - dt.timedelta(days=day, minutes=next(_ids)),
        user_key=USERS[user],
        chat_type="private",
        lang=lang,
        text=text,
        normalized=_normalize(text).text,
        status=status,
        entry_id=entry,
        score=75.0 if status == ANSWER else 50.0,
        suggestions=(entry, "cstdcs.tieu-chuan") if status == SUGGEST and entry else (),
        choice=choice,
        feedback=feedback,
        knowledge_version="test",
        latency_ms=latency,
    )
    return f"ref{next(_ids)}", question


SEED = [
    # answered: bang-khen.ho-so ×4 (👍 2, 👎 1), cstdcs.tieu-chuan ×2
    _q("Bằng khen cần hồ sơ gì?", ANSWER, entry="bang-khen.ho-so", feedback=1, latency=80),
    _q("ho so bang khen gom nhung gi", ANSWER, entry="bang-khen.ho-so", feedback=1, day=1, latency=90, user=1),
    _q("Hồ sơ đề nghị bằng khen", ANSWER, entry="bang-khen.ho-so", feedback=-1, day=2, latency=110, user=2),
    _q("what documents for bang khen", ANSWER, entry="bang-khen.ho-so", day=2, lang="en", latency=120),
    _q("tiêu chuẩn chiến sĩ thi đua cơ sở", ANSWER, entry="cstdcs.tieu-chuan", day=3, latency=70),
    _q("tieu chuan cstdcs", ANSWER, entry="cstdcs.tieu-chuan", day=3, latency=60, user=1),
    # suggestions the users resolved: two wordings of one question (same normalised text), one other
    _q("bk cần gì", SUGGEST, entry="bang-khen.ho-so", choice="bang-khen.ho-so", feedback=1, latency=150),
    _q("bk can gi", SUGGEST, entry="bang-khen.ho-so", choice="bang-khen.ho-so", day=1, latency=160, user=2),
    _q("điều kiện để được CSTĐ", SUGGEST, entry="bang-khen.ho-so", choice="cstdcs.tieu-chuan", latency=140),
    # a suggestion nobody picked: neither served nor unanswered
    _q("khen thưởng đột xuất", SUGGEST, entry="bang-khen.ho-so", day=4, latency=130),
    # unanswered: 3 wordings of hộ chiếu (one via "none of these"), 2 of nghỉ hưu, 1 lone
    _q("làm hộ chiếu ở đâu", FALLBACK, latency=200),
    _q("lam ho chieu o dau vay", FALLBACK, day=1, latency=210, user=1),
    _q("cho em hỏi làm hộ chiếu", SUGGEST, entry="bang-khen.ho-so", choice=CHOICE_NONE, day=5, latency=220),
    _q("tuổi nghỉ hưu của nữ là bao nhiêu", FALLBACK, day=2, latency=190),
    _q("nghi huu tuoi bao nhieu", FALLBACK, day=3, latency=180, user=2),
    _q("giá vàng hôm nay", FALLBACK, day=1, latency=170),
    _q("xin chào", SMALLTALK, day=1, latency=50),
    # outside the period: before START and at END
    _q("làm hộ chiếu ở đâu", FALLBACK, day=7, latency=999),
]
AFTER = (
    "refafter",
    LoggedQuestion(END, USERS[0], "private", "vi", "sau giờ", "sau giờ", FALLBACK, None, 0.0, latency_ms=999),
)


def fake_closest(text: str) -> tuple[str, str, float] | None:
    """Entry nearest to a text, as the matcher would say: hộ chiếu under the suggestion floor, nghỉ hưu over it."""
    if "chieu" in text_key(text):
        return "ho-so-ca-nhan", "Hồ sơ cá nhân gồm gì?", 41.5
    if "huu" in text_key(text):
        return "nghi-huu", "Khen thưởng khi nghỉ hưu?", 52.0
    return None


def fake_outside(text: str) -> bool:
    """Other domains' questions, as the matcher would say: hộ chiếu and giá vàng."""
    return any(word in text_key(text) for word in ("chieu", "vang"))


async def _seeded(tmp_path: Path) -> list[LoggedQuestion]:
    storage = await Storage(tmp_path / "log.sqlite3").open()
    try:
        await storage.write_batch([*SEED, AFTER], [])
        return await storage.questions_since(START - dt.timedelta(days=30))
    finally:
        await storage.close()


def _report(questions: list[LoggedQuestion], **kwargs: object) -> Report:
    return build_report(
        questions,
        start=START,
        end=END,
        closest=fake_closest,
        style_of=make_style_of(None),
        titles=TITLES,
        fillers=FILLERS,
        **kwargs,  # type: ignore[arg-type]
    )


@pytest.fixture
async def questions(tmp_path: Path) -> list[LoggedQuestion]:
    return await _seeded(tmp_path)


async def test_totals_days_and_statuses(questions: list[LoggedQuestion]) -> None:
    report = _report(questions)
    assert len(questions) == len(SEED) + 1
    assert report.total == 17
    assert report.users == 3
    assert report.status_counts == {ANSWER: 6, SUGGEST: 5, FALLBACK: 5, SMALLTALK: 1}
    assert [d.day for d in report.per_day] == [dt.date(2026, 11, 17) + dt.timedelta(days=i) for i in range(7)]
    assert [d.total for d in report.per_day] == [0, 1, 1, 3, 3, 5, 4]
    assert report.per_day[0].counts == {}
    assert report.per_day[-1].counts == {ANSWER: 1, SUGGEST: 2, FALLBACK: 1}


async def test_days_follow_the_given_timezone(questions: list[LoggedQuestion]) -> None:
    hanoi = dt.timezone(dt.timedelta(hours=7))
    start, end = period(NOW, 7, hanoi)
    assert start == dt.datetime(2026, 11, 16, 17, tzinfo=dt.UTC)
    report = build_report(questions, start=start, end=end, closest=fake_closest, style_of=make_style_of(None), tz=hanoi)
    assert [d.day for d in report.per_day][-1] == dt.date(2026, 11, 23)
    assert len(report.per_day) == 7
    assert sum(d.total for d in report.per_day) == report.total


async def test_top_entries_count_answers_and_chosen_suggestions(questions: list[LoggedQuestion]) -> None:
    top = _report(questions).top_entries
    assert [(e.entry_id, e.count) for e in top] == [("bang-khen.ho-so", 6), ("cstdcs.tieu-chuan", 3)]
    assert top[0].share == pytest.approx(6 / 17)
    assert top[0].title == TITLES["bang-khen.ho-so"]


async def test_unanswered_clusters(questions: list[LoggedQuestion]) -> None:
    report = _report(questions)
    assert report.unanswered_total == 6
    assert [c.count for c in report.clusters] == [3, 2, 1]
    passport, retirement, lone = report.clusters
    assert set(passport.texts) == {"làm hộ chiếu ở đâu", "lam ho chieu o dau vay", "cho em hỏi làm hộ chiếu"}
    assert passport.example == passport.texts[0]
    assert passport.closest is None  # 41.5: under the matcher's suggestion threshold (45), no "closest" shown
    assert set(retirement.texts) == {"tuổi nghỉ hưu của nữ là bao nhiêu", "nghi huu tuoi bao nhieu"}
    assert retirement.closest is not None and retirement.closest.entry_id == "nghi-huu"
    assert retirement.closest.score == 52.0
    assert lone.texts == ("giá vàng hôm nay",)
    assert report.clusters_omitted == 0 and report.dismissed_hidden == 0


@pytest.mark.parametrize("wording", ["Làm hộ chiếu ở đâu?", "xin hỏi làm hộ chiếu ở đâu nhỉ"])
async def test_dismissed_clusters_are_hidden(questions: list[LoggedQuestion], wording: str) -> None:
    report = _report(questions, dismissed={text_key(wording)})
    assert [c.count for c in report.clusters] == [2, 1]
    assert report.dismissed_hidden == 3
    assert report.unanswered_total == 6
    assert report.clusters_omitted == 0


async def test_confirmed_phrasings_and_alternates(questions: list[LoggedQuestion]) -> None:
    report = _report(questions)
    assert [(c.entry_id, c.count, c.phrasings) for c in report.confirmed] == [
        ("bang-khen.ho-so", 2, (ConfirmedWording("bk cần gì", picks=2, people=2, disliked=0),)),
        ("cstdcs.tieu-chuan", 1, (ConfirmedWording("điều kiện để được CSTĐ", picks=1, people=1, disliked=0),)),
    ]
    snippet = render_alternates_yaml(report)
    # One person's single tap is not enough to teach the matcher: only the wording two people chose is offered.
    assert yaml.safe_load(snippet) == {"phrasings": {"bang-khen.ho-so": ["bk cần gì"]}}
    assert snippet.startswith("# Xem lại từng dòng trước khi dán") and "Review each line before pasting" in snippet


async def test_feedback_styles_and_latency(questions: list[LoggedQuestion]) -> None:
    report = _report(questions)
    assert [(f.entry_id, f.up, f.down) for f in report.feedback] == [("bang-khen.ho-so", 3, 1)]
    assert report.styles == {"diacritics": 11, "no_diacritics": 5, "english": 1}  # English: as logged
    latencies = sorted(q.latency_ms for _, q in SEED[:-1])
    assert report.latency_median_ms == latencies[8] == 140
    assert report.latency_p95_ms == 220  # nearest rank: ceil(0.95 * 17) = 17th of 17


def test_nearest_rank_p95_on_twenty_values() -> None:
    rows = [
        LoggedQuestion(
            NOW - dt.timedelta(minutes=i + 1), "k", "cli", "vi", "x y", "x y", ANSWER, "e", 80.0, latency_ms=i
        )
        for i in range(1, 21)
    ]
    report = build_report(rows, start=START, end=END, closest=fake_closest, style_of=lambda _: "diacritics")
    assert report.latency_p95_ms == 19
    assert report.latency_median_ms == 10.5


def test_empty_period() -> None:
    report = build_report([], start=START, end=END, closest=fake_closest, style_of=make_style_of(None))
    assert report.total == 0 and report.clusters == () and report.latency_p95_ms == 0
    assert len(report.per_day) == 7
    assert "0" in render_text(report)
    assert render_html(report).startswith("<!DOCTYPE html>")
    assert render_chart_png(report, 7).startswith(b"\x89PNG")


def test_cluster_wordings_is_deterministic() -> None:
    counts = {"ho chieu": 5, "lam ho chieu o dau": 3, "ho chieu cong vu": 2, "ok": 4, "ok con": 1}
    groups, rest = cluster_wordings(counts)
    assert groups == [
        ("ho chieu", ["ho chieu", "lam ho chieu o dau", "ho chieu cong vu"]),
        ("ok", ["ok", "ok con"]),
    ]
    assert rest == []
    assert cluster_wordings(dict(reversed(counts.items()))) == (groups, rest)


def test_shared_question_frames_do_not_merge_subjects() -> None:
    counts = {
        "lam ho chieu o dau": 4,
        "lam the bhyt o dau": 3,
        "thu tuc lam ho chieu the nao": 2,
        "the bhyt can giay to gi": 2,
        "ho chieu can giay to gi": 1,
    }
    groups = dict(cluster_wordings(counts, FILLERS, BACKGROUND)[0])
    for members in groups.values():  # "ở đâu", "cần giấy tờ gì" are frames: never the reason to group
        assert len({"ho chieu" in m for m in members}) == 1
    assert groups["lam ho chieu o dau"] == ["lam ho chieu o dau", "thu tuc lam ho chieu the nao"]
    assert groups["lam the bhyt o dau"] == ["lam the bhyt o dau"]


def test_typos_of_frequent_words_are_forgiven() -> None:
    counts = {"lam ho chieu o dau": 30, "ho chieu het han": 12, "lam ho chiue o dau": 1, "hoc chieu het han": 1}
    groups = dict(cluster_wordings(counts)[0])
    assert sorted(map(len, groups.values())) == [2, 2]


def test_wordings_beyond_the_cap_are_counted_not_clustered() -> None:
    counts = {"ho chieu cong vu": 10, "gia vang hom nay": 9, "lam ho chieu cong vu": 1, "xo so mien bac": 1}
    groups, rest = cluster_wordings(counts, cap=2)
    assert dict(groups) == {"ho chieu cong vu": ["ho chieu cong vu"], "gia vang hom nay": ["gia vang hom nay"]}
    assert rest == ["lam ho chieu cong vu", "xo so mien bac"]


async def test_text_and_summary_show_no_user_keys(questions: list[LoggedQuestion]) -> None:
    report = _report(questions)
    week = render_text(report)
    summary = render_summary(report, report)
    html = render_html(report)
    csv_text = render_csv(report, questions).decode("utf-8-sig")
    for output in (week, summary, html, csv_text):
        assert not any(user in output for user in USERS)
    assert "làm hộ chiếu ở đâu" in week and "bang-khen.ho-so" in week
    assert "17 câu, 3 người hỏi" in summary


async def test_csv_has_bom_and_reads_back(questions: list[LoggedQuestion]) -> None:
    report = _report(questions)
    data = render_csv(report, questions)
    assert data.startswith(b"\xef\xbb\xbf")
    rows = list(csv.DictReader(io.StringIO(data.decode("utf-8-sig"), newline="")))
    assert tuple(rows[0]) == CSV_COLUMNS
    assert len(rows) == report.total
    by_text = {row["text"]: row for row in rows}
    assert by_text["tuổi nghỉ hưu của nữ là bao nhiêu"]["status"] == FALLBACK
    row = by_text["bk cần gì"]
    assert (row["choice"], row["feedback"], row["suggestions"]) == (
        "bang-khen.ho-so",
        "+1",
        "bang-khen.ho-so cstdcs.tieu-chuan",
    )
    assert by_text["Bằng khen cần hồ sơ gì?"]["latency_ms"] == "80"


async def test_html_embeds_charts_and_escapes_text(tmp_path: Path) -> None:
    rows = [*SEED, _q('<script>alert("x")</script> & hộ chiếu', FALLBACK)]
    questions = [q for _, q in rows]
    report = _report(questions)
    page = render_html(report)
    assert page.count('<img class="chart"') == 3
    for chunk in page.split('src="data:image/png;base64,')[1:]:
        assert base64.b64decode(chunk.split('"', 1)[0]).startswith(b"\x89PNG")
    assert "<script>" not in page
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; hộ chiếu" in page
    assert "http://" not in page and "https://" not in page  # nothing to fetch: the page opens offline


def test_chart_png_for_chat() -> None:
    report = _report([q for _, q in SEED])
    png = render_chart_png(report, 7)
    assert png.startswith(b"\x89PNG")
    width = int.from_bytes(png[16:20], "big")
    height = int.from_bytes(png[20:24], "big")
    assert (width, height) == (640, 360)


async def test_generate_with_the_real_answerer(tmp_path: Path) -> None:
    from bot.core.errors import KnowledgeError
    from bot.core.knowledge import load_knowledge
    from bot.review.reports import generate

    try:
        answerer = wire_answerer(load_knowledge(Path(__file__).resolve().parents[2] / "knowledge"))
    except KnowledgeError as exc:
        pytest.skip(f"the shipped knowledge does not load yet: {exc.problems[:1]}")
    storage = await Storage(tmp_path / "log.sqlite3").open()
    try:
        await storage.write_batch([*SEED, AFTER], [])
        report, fetched = await generate(storage, days=7, now=NOW, answerer=answerer)
    finally:
        await storage.close()
    assert report.total == 17 and len(fetched) == 17
    assert [c.count for c in report.clusters] == [3, 2, 1]
    for cluster in report.clusters:
        if cluster.closest is not None:
            assert cluster.closest.entry_id in answerer.knowledge.entries
            assert cluster.closest.question == answerer.knowledge.entries[cluster.closest.entry_id].question_vi
    # By the matcher's domain checks all three are other domains' questions (the retirement age is labour law).
    assert [(c.example, c.outside) for c in report.clusters] == [
        ("cho em hỏi làm hộ chiếu", True),
        ("tuổi nghỉ hưu của nữ là bao nhiêu", True),
        ("giá vàng hôm nay", True),
    ]
    floor = answerer.matcher.settings.suggest_threshold
    assert all(c.closest is None or c.closest.score >= floor for c in report.clusters)
    assert report.styles["english"] >= 1  # "what documents for bang khen"
    assert report.top_entries[0].title == "bang-khen.ho-so"  # not an entry of the shipped knowledge: id shown


async def test_generate_many_fetches_once_for_seven_and_thirty_days(tmp_path: Path) -> None:
    from types import SimpleNamespace
    from typing import Any, cast

    from bot.core.match_types import MatchSettings
    from bot.review.reports import generate_many

    matcher = SimpleNamespace(
        normalize=lambda text: text,
        rank=lambda normalized, english=False: [],
        settings=MatchSettings(),
        outside_domain=lambda text, english, ranked: False,
    )
    knowledge = SimpleNamespace(entries={}, stopwords=FILLERS)
    languages = SimpleNamespace(detect=lambda text: "vi")
    answerer = cast(Any, SimpleNamespace(knowledge=knowledge, matcher=matcher, languages=languages))
    storage = await Storage(tmp_path / "log.sqlite3").open()
    calls = 0
    fetch = storage.questions_since

    async def counted(since: dt.datetime) -> list[LoggedQuestion]:
        nonlocal calls
        calls += 1
        return await fetch(since)

    storage.questions_since = counted  # type: ignore[method-assign]
    try:
        await storage.write_batch([*SEED, AFTER], [])
        (week, week_rows), (month, month_rows) = await generate_many(
            storage, days=[7, 30], now=NOW, answerer=answerer, dismissed={"gia vang hom nay"}
        )
    finally:
        await storage.close()
    assert calls == 1
    assert (week.total, len(week_rows), len(week.per_day)) == (17, 17, 7)
    assert (month.total, len(month_rows), len(month.per_day)) == (18, 18, 30)
    assert [c.count for c in week.clusters] == [3, 2] and week.dismissed_hidden == 1
    assert [c.count for c in month.clusters] == [4, 2]
    assert render_summary(week, month).splitlines()[1:3] == [
        "7 ngày: 17 câu, 3 người hỏi, trả lời ngay 35.3%, chưa trả lời được 6",
        "30 ngày: 18 câu, 3 người hỏi, trả lời ngay 33.3%, chưa trả lời được 7",
    ]


@pytest.mark.parametrize("text", ['=HYPERLINK("http://x.example","bấm")', "+1+1", "-2+3", "@SUM(A1)", "\tsau tab"])
async def test_csv_neutralises_formula_injection(text: str) -> None:
    """A question that looks like a formula stays text in Excel: the cell starts with an apostrophe."""
    _, question = _q(text, FALLBACK)
    report = _report([question])
    rows = list(csv.DictReader(io.StringIO(render_csv(report, [question]).decode("utf-8-sig"), newline="")))
    assert rows[0]["text"] == "'" + text


def _row(text: str, status: str, *, normalized: str | None = None, user: int = 0, **kwargs: object) -> LoggedQuestion:
    _, question = _q(text, status, user=user, **kwargs)  # type: ignore[arg-type]
    if normalized is not None:
        question = dataclasses.replace(question, normalized=normalized)
    return question


def test_a_wording_is_counted_in_one_cluster_only() -> None:
    """The same words logged under two normalisers (two knowledge versions), and spelt with other capitals or
    punctuation, are one wording of one cluster."""
    rows = [
        _row("giá vàng hôm nay", FALLBACK, normalized="gia vang hom nay"),
        _row("giá vàng hôm nay", FALLBACK, normalized="gia vang ngay nay"),  # an older normaliser's reading
        _row("Giá vàng hôm nay?", FALLBACK, normalized="tygia vangbac"),
        _row("làm hộ chiếu ở đâu", FALLBACK),
    ]
    report = _report(rows)
    seen = [text_key(t) for c in report.clusters for t in c.texts]
    assert len(seen) == len(set(seen)), [c.texts for c in report.clusters]
    gold = next(c for c in report.clusters if "vàng" in c.example)
    assert gold.count == 3 and gold.texts == ("giá vàng hôm nay",)
    assert sum(c.count for c in report.clusters) == report.unanswered_total == 4


def test_other_domains_questions_are_kept_apart_from_gaps(questions: list[LoggedQuestion]) -> None:
    report = _report(questions, outside=fake_outside)
    assert [c.example for c in report.gaps] == ["tuổi nghỉ hưu của nữ là bao nhiêu"]
    assert {c.example for c in report.noise} == {"cho em hỏi làm hộ chiếu", "giá vàng hôm nay"}
    text = render_text(report)
    assert text.index("tuổi nghỉ hưu") < text.index("Ngoài phạm vi TĐKT") < text.index("giá vàng hôm nay")
    summary = render_summary(report, report)
    assert "giá vàng" not in summary and "(+ 4 câu ngoài phạm vi TĐKT)" in summary


def test_thumbs_down_show_what_was_asked(questions: list[LoggedQuestion]) -> None:
    report = _report(questions)
    [feedback] = report.feedback
    assert (feedback.down, feedback.disliked) == (1, ("Hồ sơ đề nghị bằng khen",))
    assert "👎 «Hồ sơ đề nghị bằng khen»" in render_text(report)
    assert "hỏi: «Hồ sơ đề nghị bằng khen»" in render_summary(report, report)


def test_picks_followed_by_a_thumbs_down_are_not_offered_for_learned_yaml() -> None:
    rows = [  # three people chose cstdcs for "điều kiện cstđ", one disliked the answer; two chose bằng khen for "bk"
        _row("điều kiện cstđ", SUGGEST, entry="bang-khen.ho-so", choice="cstdcs.tieu-chuan", user=0),
        _row("điều kiện cstđ", SUGGEST, entry="bang-khen.ho-so", choice="cstdcs.tieu-chuan", user=1),
        _row("dieu kien cstd", SUGGEST, entry="bang-khen.ho-so", choice="cstdcs.tieu-chuan", feedback=-1, user=2),
        _row("bk cần gì", SUGGEST, entry="bang-khen.ho-so", choice="bang-khen.ho-so", user=0),
        _row("bk can gi", SUGGEST, entry="bang-khen.ho-so", choice="bang-khen.ho-so", user=0),  # the same person
        _row("bk cần gì", SUGGEST, entry="bang-khen.ho-so", choice="bang-khen.ho-so", user=1),
    ]
    report = _report(rows)
    assert yaml.safe_load(render_alternates_yaml(report)) == {"phrasings": {"bang-khen.ho-so": ["bk cần gì"]}}
    by_entry = {c.entry_id: c.phrasings for c in report.confirmed}
    assert by_entry["cstdcs.tieu-chuan"] == (ConfirmedWording("điều kiện cstđ", picks=3, people=3, disliked=1),)
    assert by_entry["bang-khen.ho-so"] == (ConfirmedWording("bk cần gì", picks=3, people=2, disliked=0),)
    one_person = _report(rows[3:5])
    assert render_alternates_yaml(one_person) == ""  # two taps by one person are one opinion
    assert "Chưa có cách hỏi nào đủ 2 người xác nhận" in render_html(one_person)


def test_noise_does_not_crowd_gaps_out_of_the_report(monkeypatch: pytest.MonkeyPatch) -> None:
    import bot.review.reports as reports

    monkeypatch.setattr(reports, "MAX_CLUSTERS", 2)
    monkeypatch.setattr(reports, "MAX_NOISE", 1)
    monkeypatch.setattr(reports, "EXAMINED", 5)
    subjects = ["hộ chiếu", "giá vàng", "thuế đất", "cstđ cơ sở", "bằng khen bộ", "huy hiệu"]  # the largest first
    rows = [_row(subject, FALLBACK) for i, subject in enumerate(subjects) for _ in range(10 - i)]
    report = _report(rows, outside=lambda text: text in subjects[:3])
    assert [c.example for c in report.gaps] == ["cstđ cơ sở", "bằng khen bộ"]  # before: none, three noise first
    assert [c.example for c in report.noise] == ["hộ chiếu"]
    assert report.clusters_omitted == 9 + 8 + 5  # giá vàng, thuế đất: over the noise cap; huy hiệu: not examined
    assert report.noise_omitted == 9 + 8
    assert "(trong đó 17 câu ngoài phạm vi TĐKT / 17 outside TĐKT)" in render_html(report)
