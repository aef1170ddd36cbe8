"""Organiser review: aggregates the question log into a Report (pure; no SQL, no transport)."""

from __future__ import annotations

import datetime as dt
import math
from collections import Counter, defaultdict
from collections.abc import Callable, Collection, Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from rapidfuzz import fuzz, process

from bot.normalize import fold, has_diacritics, tokenize
from bot.records import ANSWER, CHOICE_NONE, FALLBACK, STATUSES, SUGGEST, LoggedQuestion

if TYPE_CHECKING:
    from bot.answers import Answerer
    from bot.language import LanguageDetector
    from bot.storage import Storage

Closest = Callable[[str], tuple[str, str, float] | None]
StyleOf = Callable[[str], str]
STYLES = ("diacritics", "no_diacritics", "english")

# token_set_ratio of folded texts: variants of one question score 70-100, unrelated ones share only
# "ở đâu" / "bao nhiêu" and stay under 55.
CLUSTER_SIMILARITY = 65.0
# Distinct wordings clustered one by one against the leaders; rarer ones beyond this cap are only
# attached to an existing cluster in one vectorised pass, so 100k unanswered rows stay fast.
CLUSTER_CAP = 3000
MAX_CLUSTERS = 50  # clusters kept in a report (closest entry looked up for each)
MAX_MEMBERS = 20  # member wordings kept per cluster


@dataclass(frozen=True, slots=True)
class DayCount:
    """Questions asked on one local day, per status."""

    day: dt.date
    counts: Mapping[str, int]

    @property
    def total(self) -> int:
        return sum(self.counts.values())


@dataclass(frozen=True, slots=True)
class EntryCount:
    """An entry users were served (answered, or chosen from suggestions)."""

    entry_id: str
    title: str
    count: int
    share: float  # of all questions in the period


@dataclass(frozen=True, slots=True)
class ClosestEntry:
    entry_id: str
    question: str
    score: float


@dataclass(frozen=True, slots=True)
class Cluster:
    """Unanswered questions of similar wording."""

    key: str  # folded wording of the leader
    example: str  # the most frequent raw wording
    count: int
    texts: tuple[str, ...]  # distinct raw wordings, most frequent first (capped)
    closest: ClosestEntry | None


@dataclass(frozen=True, slots=True)
class ConfirmedPhrasings:
    """Wordings users confirmed by choosing this entry among the suggestions."""

    entry_id: str
    title: str
    count: int
    phrasings: tuple[str, ...]  # distinct by normalised text, most frequent first


@dataclass(frozen=True, slots=True)
class Feedback:
    entry_id: str
    title: str
    up: int
    down: int


@dataclass(frozen=True, slots=True)
class Report:
    """Everything an organiser reviews for one period; holds no user ids, only counts."""

    start: dt.datetime
    end: dt.datetime
    total: int
    users: int  # distinct pseudonymous users
    per_day: tuple[DayCount, ...]
    status_counts: Mapping[str, int]
    top_entries: tuple[EntryCount, ...]
    unanswered_total: int
    clusters: tuple[Cluster, ...]
    clusters_omitted: int  # unanswered questions in clusters beyond MAX_CLUSTERS or not clustered
    dismissed_hidden: int  # unanswered questions hidden because an organiser dismissed their cluster
    confirmed: tuple[ConfirmedPhrasings, ...]
    feedback: tuple[Feedback, ...]
    styles: Mapping[str, int]
    latency_median_ms: float
    latency_p95_ms: float


def text_key(text: str) -> str:
    """Folded word sequence used to compare wordings (duplicates, dismissed clusters)."""
    return fold(" ".join(tokenize(text)))


def served_entry(question: LoggedQuestion) -> str | None:
    """The entry whose answer the user read: the answer, or the suggestion they chose."""
    if question.status == ANSWER:
        return question.entry_id
    if question.status == SUGGEST and question.choice and question.choice != CHOICE_NONE:
        return question.choice
    return None


def is_unanswered(question: LoggedQuestion) -> bool:
    """Fallback, or suggestions the user rejected with "none of these"."""
    return question.status == FALLBACK or (question.status == SUGGEST and question.choice == CHOICE_NONE)


def make_style_of(detector: LanguageDetector | None) -> StyleOf:
    """Style of a question: English (by the detector), else with or without Vietnamese diacritics."""

    def style_of(text: str) -> str:
        if detector is not None and detector.detect(text) == "en":
            return "english"
        return "diacritics" if has_diacritics(text) else "no_diacritics"

    return style_of


def make_closest(answerer: Answerer) -> Closest:
    """Closest existing entry of a text by the live matcher: (entry id, its question, score)."""

    def closest(text: str) -> tuple[str, str, float] | None:
        ranked = answerer.matcher.rank(answerer.matcher.normalize(text))
        if not ranked:
            return None
        top = ranked[0]
        return top.entry_id, answerer.knowledge.entries[top.entry_id].question_vi, top.score

    return closest


def _percentile(ordered: Sequence[float], fraction: float) -> float:
    """Nearest-rank percentile of an ascending sequence (0 when empty)."""
    if not ordered:
        return 0.0
    rank = max(1, math.ceil(round(fraction * len(ordered), 9)))  # round: 0.95 * 20 must stay 19
    return float(ordered[min(rank, len(ordered)) - 1])


def _median(ordered: Sequence[float]) -> float:
    if not ordered:
        return 0.0
    mid = len(ordered) // 2
    return float(ordered[mid]) if len(ordered) % 2 else (ordered[mid - 1] + ordered[mid]) / 2


def _best_wording(wordings: Counter[str]) -> str:
    """The most frequent raw wording; on a tie the one with diacritics, as FAQ phrasings are written."""
    return min(wordings, key=lambda t: (-wordings[t], not has_diacritics(t), t))


def _days(start: dt.datetime, end: dt.datetime, tz: dt.tzinfo) -> list[dt.date]:
    first = start.astimezone(tz).date()
    last = (end - dt.timedelta(microseconds=1)).astimezone(tz).date()
    return [first + dt.timedelta(days=i) for i in range((last - first).days + 1)]


def cluster_wordings(
    counts: Mapping[str, int], similarity: float = CLUSTER_SIMILARITY, cap: int = CLUSTER_CAP
) -> tuple[list[tuple[str, list[str]]], list[str]]:
    """Greedy leader clustering of distinct folded wordings; return (leader, members) and unclustered keys.

    Wordings are visited most frequent first; each joins the first leader it resembles, else leads a new
    cluster. One-word wordings never lead others: token_set_ratio would find them inside any longer text.
    """
    ordered = sorted(counts, key=lambda k: (-counts[k], k))
    head, tail = ordered[:cap], ordered[cap:]
    leaders: list[str] = []
    members: dict[str, list[str]] = {}
    for key in head:
        found = None
        if leaders:
            found = process.extractOne(
                key, leaders, scorer=fuzz.token_set_ratio, processor=None, score_cutoff=similarity
            )
        if found is not None and " " in key:
            members[found[0]].append(key)
            continue
        members[key] = [key]
        if " " in key:
            leaders.append(key)
    unclustered: list[str] = []
    if tail and leaders:
        # One multi-threaded matrix pass: the tail only joins clusters, it never starts new ones.
        scores = process.cdist(tail, leaders, scorer=fuzz.token_set_ratio, processor=None, workers=-1)
        best = scores.argmax(axis=1)
        for row, key in enumerate(tail):
            column = int(best[row])
            if " " in key and scores[row, column] >= similarity:
                members[leaders[column]].append(key)
            else:
                unclustered.append(key)
    else:
        unclustered = list(tail)
    return list(members.items()), unclustered


def _clusters(
    unanswered: Sequence[LoggedQuestion], closest: Closest, dismissed: Collection[str]
) -> tuple[tuple[Cluster, ...], int, int]:
    by_key: Counter[str] = Counter()
    raw: dict[str, Counter[str]] = defaultdict(Counter)
    for question in unanswered:
        key = fold(question.normalized) or text_key(question.text)
        by_key[key] += 1
        raw[key][question.text.strip()] += 1
    groups, unclustered = cluster_wordings(by_key)
    omitted = sum(by_key[k] for k in unclustered)
    hidden = 0
    sized: list[tuple[int, str, list[str]]] = []
    for leader, keys in groups:
        total = sum(by_key[k] for k in keys)
        hit = bool(dismissed) and any(k in dismissed or any(text_key(t) in dismissed for t in raw[k]) for k in keys)
        if hit:
            hidden += total
        else:
            sized.append((total, leader, keys))
    sized.sort(key=lambda item: (-item[0], item[1]))
    out: list[Cluster] = []
    for total, leader, keys in sized[:MAX_CLUSTERS]:
        wordings: Counter[str] = Counter()
        for k in keys:
            wordings.update(raw[k])
        texts = tuple(sorted(wordings, key=lambda t: (-wordings[t], not has_diacritics(t), t)))
        found = closest(texts[0])
        near = ClosestEntry(*found) if found is not None else None
        out.append(Cluster(leader, texts[0], total, texts[:MAX_MEMBERS], near))
    omitted += sum(total for total, _, _ in sized[MAX_CLUSTERS:])
    return tuple(out), omitted, hidden


def build_report(
    questions: Sequence[LoggedQuestion],
    *,
    start: dt.datetime,
    end: dt.datetime,
    closest: Closest,
    style_of: StyleOf,
    titles: Mapping[str, str] | None = None,
    dismissed: Collection[str] = (),
    tz: dt.tzinfo = dt.UTC,
) -> Report:
    """Aggregate the questions asked in [start, end); days are counted in `tz`."""
    titles = titles or {}
    inside = [q for q in questions if start <= q.asked_at < end]
    days = _days(start, end, tz)
    per_day: dict[dt.date, Counter[str]] = {day: Counter() for day in days}
    status_counts: Counter[str] = Counter({status: 0 for status in STATUSES})
    served: Counter[str] = Counter()
    thumbs: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    confirmed: dict[str, Counter[str]] = defaultdict(Counter)
    confirmed_text: dict[tuple[str, str], Counter[str]] = defaultdict(Counter)
    style_cache: dict[str, str] = {}  # the same wordings recur; the detector is the slow part
    styles: Counter[str] = Counter({style: 0 for style in STYLES})
    unanswered: list[LoggedQuestion] = []
    for q in inside:
        day = q.asked_at.astimezone(tz).date()
        per_day.setdefault(day, Counter())[q.status] += 1
        status_counts[q.status] += 1
        entry_id = served_entry(q)
        if entry_id is not None:
            served[entry_id] += 1
            if q.feedback:
                thumbs[entry_id][0 if q.feedback > 0 else 1] += 1
        if q.status == SUGGEST and entry_id is not None:
            key = text_key(q.text)
            confirmed[entry_id][key] += 1
            confirmed_text[(entry_id, key)][q.text.strip()] += 1
        if is_unanswered(q):
            unanswered.append(q)
        style = style_cache.get(q.text)
        if style is None:
            style = style_cache[q.text] = style_of(q.text)
        styles[style] += 1
    total = len(inside)
    latencies = sorted(q.latency_ms for q in inside)
    clusters, omitted, hidden = _clusters(unanswered, closest, set(dismissed))
    return Report(
        start=start,
        end=end,
        total=total,
        users=len({q.user_key for q in inside}),
        per_day=tuple(DayCount(day, dict(per_day[day])) for day in sorted(per_day)),
        status_counts=dict(status_counts),
        top_entries=tuple(
            EntryCount(e, titles.get(e, e), n, n / total)
            for e, n in sorted(served.items(), key=lambda kv: (-kv[1], kv[0]))
        ),
        unanswered_total=len(unanswered),
        clusters=clusters,
        clusters_omitted=omitted,
        dismissed_hidden=hidden,
        confirmed=tuple(
            ConfirmedPhrasings(
                e,
                titles.get(e, e),
                sum(c.values()),
                tuple(
                    _best_wording(confirmed_text[(e, k)]) for k, _ in sorted(c.items(), key=lambda kv: (-kv[1], kv[0]))
                ),
            )
            for e, c in sorted(confirmed.items(), key=lambda kv: (-sum(kv[1].values()), kv[0]))
        ),
        feedback=tuple(
            Feedback(e, titles.get(e, e), up, down)
            for e, (up, down) in sorted(thumbs.items(), key=lambda kv: (-(kv[1][0] + kv[1][1]), kv[0]))
        ),
        styles=dict(styles),
        latency_median_ms=_median(latencies),
        latency_p95_ms=_percentile(latencies, 0.95),
    )


def period(now: dt.datetime, days: int, tz: dt.tzinfo = dt.UTC) -> tuple[dt.datetime, dt.datetime]:
    """The last `days` local calendar days up to `now`: today counts as the first."""
    today = now.astimezone(tz).date()
    first = dt.datetime.combine(today - dt.timedelta(days=days - 1), dt.time(), tzinfo=tz)
    return first.astimezone(dt.UTC), now


async def generate(
    storage: Storage,
    *,
    days: int,
    now: dt.datetime,
    answerer: Answerer,
    dismissed: Collection[str] = (),
    tz: dt.tzinfo = dt.UTC,
) -> tuple[Report, list[LoggedQuestion]]:
    """Fetch the last `days` days from storage and build their report; also return the questions (for CSV)."""
    start, end = period(now, days, tz)
    questions = [q for q in await storage.questions_since(start) if q.asked_at < end]
    titles = {e.id: e.question_vi for e in answerer.knowledge.entries.values()}
    report = build_report(
        questions,
        start=start,
        end=end,
        closest=make_closest(answerer),
        style_of=make_style_of(answerer.languages),
        titles=titles,
        dismissed=dismissed,
        tz=tz,
    )
    return report, questions
