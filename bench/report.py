"""Benchmark of the organiser report: 100,000 synthetic logged questions, then fetch, aggregate and render.

Run: .venv/bin/python bench/report.py [--rows 100000] [--days 30] [--keep DB] [--strict]
Prints the time of each phase (target: under 5 s in total) and how well unanswered wordings were grouped
against the known subject each synthetic wording was made from.
"""

from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import os
import random
import sys
import tempfile
import time
from collections import Counter, defaultdict
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bot.assembly import wire_answerer
from bot.config import BUNDLED_KNOWLEDGE
from bot.core.answers import Answerer
from bot.core.knowledge import load_knowledge
from bot.core.normalize import fold
from bot.core.records import ANSWER, CHOICE_NONE, FALLBACK, SMALLTALK, SUGGEST, LoggedQuestion
from bot.review.report_render import render_chart_png, render_csv, render_html, render_text
from bot.review.reports import cluster_wordings, generate, is_unanswered
from bot.storage.database import Storage

NOW = dt.datetime(2026, 11, 23, 9, 30, tzinfo=dt.UTC)
TARGET_SECONDS = 5.0

# Out-of-scope subjects staff ask a TĐKT bot about, each in five question frames: 200 distinct wordings that
# share their frames across subjects, the hard case for grouping by wording.
SUBJECTS = (
    "hộ chiếu", "thẻ bảo hiểm y tế", "đăng ký xe máy", "lương tháng 13", "nghỉ phép năm", "giá vàng",
    "vé máy bay công tác", "thẻ căn cước", "sổ hộ khẩu", "giấy khai sinh", "bằng lái xe", "thuế thu nhập cá nhân",
    "phụ cấp độc hại", "bảo hiểm thất nghiệp", "thẻ đảng viên", "vé tàu tết", "đăng ký kết hôn", "visa đi nhật",
    "lịch nghỉ lễ", "wifi cơ quan", "máy in tầng 3", "phòng họp lớn", "căng tin", "bãi đỗ xe", "thẻ ra vào",
    "email công vụ", "chữ ký số", "khám sức khỏe định kỳ", "đồng phục", "công đoàn phí", "quỹ từ thiện",
    "học bổng thạc sĩ", "chứng chỉ tiếng anh b1", "thi nâng ngạch", "xe công", "công tác phí", "nhà công vụ",
    "tiền điện thoại", "máy chấm công", "phần mềm văn phòng điện tử",
)  # fmt: skip
FRAMES = ("làm {s} ở đâu", "thủ tục {s} thế nào", "{s} cần giấy tờ gì", "{s} bao giờ có", "hỏi về {s}")
FILLERS_BEFORE = ("cho em hỏi", "anh chị ơi", "ad ơi", "cho mình hỏi", "xin hỏi")
FILLERS_AFTER = ("ạ", "vậy", "nhé", "với ạ", "?")
SMALLTALK_TEXTS = ("xin chào", "chào bot", "cảm ơn", "cam on nhieu", "hello", "ok", "tạm biệt")


def _strip_accents(text: str) -> str:
    return fold(text)


def _typo(text: str, rng: random.Random) -> str:
    """Swap two adjacent letters of one word, as a hurried thumb does."""
    words = text.split()
    long_words = [i for i, w in enumerate(words) if len(w) >= 4]
    if not long_words:
        return text
    i = rng.choice(long_words)
    j = rng.randrange(len(words[i]) - 1)
    w = words[i]
    words[i] = w[:j] + w[j + 1] + w[j] + w[j + 2 :]
    return " ".join(words)


def _noisy(text: str, rng: random.Random) -> str:
    if rng.random() < 0.25:
        text = f"{rng.choice(FILLERS_BEFORE)} {text[0].lower()}{text[1:]}"
    if rng.random() < 0.25:
        text = f"{text.rstrip('?')} {rng.choice(FILLERS_AFTER)}"
    if rng.random() < 0.1:
        text = _typo(text, rng)
    if rng.random() < 0.4:
        text = _strip_accents(text)
    if rng.random() < 0.2:
        text = text.lower()
    return text


class Clock:
    """Wall and process CPU time of consecutive phases."""

    def __init__(self) -> None:
        self.laps: list[tuple[str, float, float]] = []
        self._wall, self._cpu = time.perf_counter(), time.process_time()

    def lap(self, name: str) -> None:
        wall, cpu = time.perf_counter(), time.process_time()
        self.laps.append((name, wall - self._wall, cpu - self._cpu))
        self._wall, self._cpu = wall, cpu


def synthesize(answerer: Answerer, rows: int, days: int, seed: int = 7) -> tuple[list[LoggedQuestion], dict[str, str]]:
    """A realistic mix of log rows, and the subject each unanswered wording was made from."""
    rng = random.Random(seed)
    entries = list(answerer.knowledge.entries.values())
    popular = rng.sample(entries, min(30, len(entries)))  # a few entries draw most questions
    users = [f"{rng.getrandbits(80):020x}" for _ in range(3000)]
    normalized: dict[str, str] = {}
    subject_of: dict[str, str] = {}
    out: list[LoggedQuestion] = []
    span = days * 86400
    for _ in range(rows):
        roll = rng.random()
        entry = rng.choice(popular) if rng.random() < 0.6 else rng.choice(entries)
        suggestions: tuple[str, ...] = ()
        choice = None
        entry_id: str | None = entry.id
        lang = "vi"
        if roll < 0.58:
            status, score = ANSWER, rng.uniform(68, 100)
            if entry.phrasings_en and rng.random() < 0.05:
                text, lang = rng.choice(entry.phrasings_en), "en"
            else:
                text = _noisy(rng.choice(entry.phrasings_vi), rng)
        elif roll < 0.75:
            status, score = SUGGEST, rng.uniform(45, 68)
            others = rng.sample(entries, 2)
            suggestions = (entry.id, others[0].id, others[1].id)
            pick = rng.random()
            if pick < 0.55:
                text = _noisy(rng.choice(entry.phrasings_vi), rng)
                choice = rng.choice(suggestions)
            elif pick < 0.85:
                subject = rng.choice(SUBJECTS)
                text = _noisy(rng.choice(FRAMES).format(s=subject), rng)
                subject_of[text] = subject
                choice = CHOICE_NONE
            else:
                text = _noisy(rng.choice(entry.phrasings_vi), rng)
        elif roll < 0.95:
            status, score, entry_id = FALLBACK, rng.uniform(0, 45), None
            subject = rng.choice(SUBJECTS)
            text = _noisy(rng.choice(FRAMES).format(s=subject), rng)
            subject_of[text] = subject
        else:
            status, score, entry_id = SMALLTALK, 0.0, None
            text = rng.choice(SMALLTALK_TEXTS)
        if text not in normalized:
            normalized[text] = answerer.matcher.normalize(text).text
        served = status == ANSWER or (choice not in (None, CHOICE_NONE))
        out.append(
            LoggedQuestion(
                asked_at=NOW - dt.timedelta(seconds=rng.randrange(span)),
                user_key=rng.choice(users),
                chat_type="private" if rng.random() < 0.9 else "group",
                lang=lang,
                text=text,
                normalized=normalized[text],
                status=status,
                entry_id=entry_id,
                score=score,
                suggestions=suggestions,
                choice=choice,
                feedback=rng.choice((1, 1, 1, -1)) if served and rng.random() < 0.1 else None,
                knowledge_version=answerer.knowledge.version,
                latency_ms=rng.lognormvariate(3.5, 0.6),
            )
        )
    return out, subject_of


def grouping_quality(questions: list[LoggedQuestion], subject_of: dict[str, str], answerer: Answerer) -> str:
    """Purity (rows whose cluster's main subject is theirs) and how many clusters each subject spread over."""
    rows = [q for q in questions if is_unanswered(q)]
    counts = Counter(fold(q.normalized) for q in rows)
    subject_rows: dict[str, Counter[str]] = defaultdict(Counter)
    for q in rows:
        subject_rows[fold(q.normalized)][subject_of[q.text]] += 1
    started = time.perf_counter()
    background = [p for e in answerer.knowledge.entries.values() for p in (*e.phrasings_vi, *e.phrasings_en)]
    groups, rest = cluster_wordings(counts, answerer.knowledge.stopwords, background)
    took = time.perf_counter() - started
    pure = 0
    spread: dict[str, set[str]] = defaultdict(set)
    big = 0
    for leader, keys in groups:
        mix: Counter[str] = Counter()
        for key in keys:
            mix.update(subject_rows[key])
        pure += mix.most_common(1)[0][1]
        if sum(mix.values()) >= 20:  # clusters an organiser would look at
            big += 1
            for subject, n in mix.items():
                if n >= 0.2 * sum(mix.values()):
                    spread[subject].add(leader)
    per_subject = sum(len(v) for v in spread.values()) / max(len(spread), 1)
    return (
        f"{len(rows)} unanswered rows, {len(counts)} distinct wordings ({len(SUBJECTS)} subjects ×"
        f" {len(FRAMES)} frames + noise) → {len(groups)} clusters ({big} with ≥ 20 rows) in {took:.2f} s;"
        f" purity {100 * pure / len(rows):.1f}%, {per_subject:.2f} large clusters per subject, {len(rest)} beyond cap"
    )


async def run(rows: int, days: int, keep: Path | None) -> float:
    started = time.perf_counter()
    answerer = wire_answerer(load_knowledge(BUNDLED_KNOWLEDGE))
    print(f"knowledge: {len(answerer.knowledge.entries)} entries ({time.perf_counter() - started:.2f} s)")
    started = time.perf_counter()
    questions, subject_of = synthesize(answerer, rows, days)
    print(f"synthesised {len(questions)} questions in {time.perf_counter() - started:.2f} s")
    with tempfile.TemporaryDirectory() as tmp:
        path = keep or Path(tmp) / "bench.sqlite3"
        storage = await Storage(path).open()
        try:
            started = time.perf_counter()
            for i in range(0, len(questions), 5000):
                await storage.write_batch([(f"b{i + j}", q) for j, q in enumerate(questions[i : i + 5000])], [])
            print(f"wrote {await storage.count_questions()} rows to {path} in {time.perf_counter() - started:.2f} s")

            # What `python -m bot report --days N` does: fetch, aggregate, render text, CSV and HTML.
            # Wall and CPU time both: on a shared, loaded machine the wall clock also counts waiting for a core.
            clock = Clock()
            await storage.questions_since(NOW - dt.timedelta(days=days))
            clock.lap("(fetch alone, storage.questions_since)")
            report, fetched = await generate(storage, days=days, now=NOW, answerer=answerer)
            clock.lap("generate: fetch + build_report")
        finally:
            await storage.close()
    text = render_text(report)
    clock.lap("render_text")
    data = render_csv(report, fetched)
    clock.lap("render_csv")
    page = render_html(report)
    clock.lap("render_html (3 charts)")
    chart = render_chart_png(report, 7)
    clock.lap("render_chart_png (chat, apart)")
    # The report command: generate, text, CSV, HTML (the fetch alone and the chat chart are measured apart).
    counted = [lap for lap in clock.laps if not lap[0].startswith("(") and "apart" not in lap[0]]
    total = sum(wall for _, wall, _ in counted)
    total_cpu = sum(cpu for _, _, cpu in counted)
    print(
        f"\nreport over {days} days: {report.total} questions, {report.users} users, "
        f"{report.unanswered_total} unanswered in {len(report.clusters)} clusters shown"
        f" (+{report.clusters_omitted} in smaller ones)"
    )
    print(
        f"outputs: text {len(text)} chars, CSV {len(data) / 1e6:.1f} MB, HTML {len(page) / 1e3:.0f} kB,"
        f" chat chart {len(chart) / 1e3:.0f} kB"
    )
    print(f"phases ({'wall':>6} {'cpu':>6}):")
    for name, wall, cpu in clock.laps:
        print(f"  {name:<40} {wall:6.2f} {cpu:6.2f} s")
    verdict = "OK" if total < TARGET_SECONDS else "SLOW"
    print(f"  {'total':<40} {total:6.2f} {total_cpu:6.2f} s  (target < {TARGET_SECONDS:.0f} s wall: {verdict})")
    print(f"  load average now: {' '.join(f'{x:.1f}' for x in os.getloadavg())} on {os.cpu_count()} cores")
    print("\nclustering: " + grouping_quality(fetched, subject_of, answerer))
    print("\ntop clusters:")
    for cluster in report.clusters[:8]:
        near = f" → {cluster.closest.entry_id} ({cluster.closest.score:.0f})" if cluster.closest else ""
        print(f"  [{cluster.count:>5}] {cluster.example}{near}")
    return total


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--days", type=int, default=30)
    parser.add_argument("--keep", type=Path, help="write the synthetic log to this SQLite file and keep it")
    parser.add_argument("--strict", action="store_true", help="exit 1 when the report takes longer than the target")
    args = parser.parse_args()
    total = asyncio.run(run(args.rows, args.days, args.keep))
    return 1 if args.strict and total >= TARGET_SECONDS else 0


if __name__ == "__main__":
    sys.exit(main())
