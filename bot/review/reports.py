"""Organiser review: aggregates the question log into a Report (pure; no SQL, no transport)."""

from __future__ import annotations

import datetime as dt
import math
from collections import Counter, defaultdict
from collections.abc import Callable, Collection, Mapping, Sequence
from dataclasses import dataclass
from itertools import pairwise
from typing import TYPE_CHECKING

from rapidfuzz import fuzz, process

from bot.core.match_types import MatchSettings
from bot.core.normalize import fold, has_diacritics, tokenize
from bot.core.phrases import Phrases, strip
from bot.core.records import ANSWER, CHOICE_NONE, FALLBACK, STATUSES, SUGGEST, LoggedQuestion

if TYPE_CHECKING:
    from bot.core.answers import Answerer
    from bot.core.language import LanguageDetector
    from bot.core.match_types import Scored
    from bot.storage.database import Storage

Closest = Callable[[str], tuple[str, str, float] | None]
Outside = Callable[[str], bool]  # whether a wording is another domain's question (hộ chiếu, giá vàng …)
StyleOf = Callable[[str], str]
STYLES = ("diacritics", "no_diacritics", "english")

# Cosine of idf-weighted word and word-pair sets (0-1) for two wordings to share a cluster.
CLUSTER_SIMILARITY = 0.4
CONTAINMENT_WEIGHT = 0.75  # a wording wholly inside another scores this much
IDF_PRIOR = 50  # pseudo-wordings added to the idf count
MAX_CANDIDATES = 30  # leaders compared per feature probed
INDEX_FEATURES = 6  # rarest shared features of a wording through which it finds candidate leaders
CLUSTER_CAP = 5000  # distinct wordings clustered (most frequent first); rarer ones are counted, not shown
TYPO_RARE = 2  # a syllable seen at most this often may be a typo ...
TYPO_FREQUENT = 10  # ... of one seen at least this often
TYPO_SIMILARITY = 80.0  # rapidfuzz ratio between the two
MAX_CLUSTERS = 50  # clusters of TĐKT questions kept in a report
MAX_NOISE = 20  # clusters of other domains' questions kept: they need a glance, not knowledge work
# Clusters looked up at most, largest first (a lookup ranks the example): noise must not crowd real gaps out of
# the report, and the cost stays bounded when most unanswered questions are noise.
EXAMINED = MAX_CLUSTERS + 2 * MAX_NOISE
MAX_MEMBERS = 20  # member wordings kept per cluster
# People (distinct pseudonymous users) who must have chosen an entry for a wording before the report offers it for
# learned.yaml: one tap is one person's guess, and a wrong phrasing teaches the matcher a wrong answer.
MIN_CONFIRMATIONS = 2
# The closest entry shown for an unanswered cluster is the one the matcher itself would suggest: below its
# suggestion threshold a "closest" entry is noise (giá vàng → "Có những loại Huân chương nào?" at 30).
CLOSEST_FLOOR = MatchSettings().suggest_threshold


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
    texts: tuple[str, ...]  # distinct wordings (by text_key), most frequent first (capped); texts[0] is the example
    closest: ClosestEntry | None  # None also when the best entry scores below the matcher's suggestion threshold
    outside: bool = False  # another domain's question (hộ chiếu, giá vàng): noise, not a gap in the knowledge


@dataclass(frozen=True, slots=True)
class ConfirmedWording:
    """One wording users chose an entry for among the suggestions."""

    text: str
    picks: int  # times it was chosen for the entry
    people: int  # distinct users who chose it
    disliked: int  # picks whose answer then got 👎

    @property
    def pasteable(self) -> bool:
        """Enough people chose it and nobody disliked the answer they got: worth proposing for learned.yaml."""
        return self.people >= MIN_CONFIRMATIONS and not self.disliked


@dataclass(frozen=True, slots=True)
class ConfirmedPhrasings:
    """Wordings users confirmed by choosing this entry among the suggestions."""

    entry_id: str
    title: str
    count: int
    phrasings: tuple[ConfirmedWording, ...]  # distinct by normalised text, most frequent first

    @property
    def pasteable(self) -> tuple[str, ...]:
        return tuple(w.text for w in self.phrasings if w.pasteable)


@dataclass(frozen=True, slots=True)
class Feedback:
    entry_id: str
    title: str
    up: int
    down: int
    disliked: tuple[str, ...] = ()  # what was asked when the answer got 👎 (distinct wordings, most frequent first)


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
    closest_floor: float = CLOSEST_FLOOR  # a cluster's closest entry is shown from this score
    noise_omitted: int = 0  # of clusters_omitted: in other domains' clusters beyond MAX_NOISE

    @property
    def gaps(self) -> tuple[Cluster, ...]:
        """Unanswered clusters within TĐKT: what the knowledge lacks."""
        return tuple(c for c in self.clusters if not c.outside)

    @property
    def noise(self) -> tuple[Cluster, ...]:
        """Unanswered clusters of other domains' questions (passport, weather, gold prices)."""
        return tuple(c for c in self.clusters if c.outside)


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
    return make_lookups(answerer)[0]


def make_lookups(answerer: Answerer) -> tuple[Closest, Outside]:
    """The closest entry of a text and whether it is another domain's question, from one ranking per text (cached:
    the 7- and 30-day reports share most clusters)."""
    matcher = answerer.matcher
    rankings: dict[str, list[Scored]] = {}

    def ranked(text: str) -> list[Scored]:
        if text not in rankings:
            rankings[text] = matcher.rank(matcher.normalize(text), english=_english(text))
        return rankings[text]

    def _english(text: str) -> bool:
        return answerer.languages.detect(text) == "en"

    def closest(text: str) -> tuple[str, str, float] | None:
        found = ranked(text)
        if not found:
            return None
        top = found[0]
        return top.entry_id, answerer.knowledge.entries[top.entry_id].question_vi, top.score

    def outside(text: str) -> bool:
        return matcher.outside_domain(text, _english(text), ranked(text))

    return closest, outside


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


def _typo_map(token_counts: Counter[str]) -> dict[str, str]:
    """Rare syllables mapped to a much more frequent look-alike (chiue → chieu), by rapidfuzz ratio."""
    frequent = sorted(t for t, n in token_counts.items() if n >= TYPO_FREQUENT)
    if not frequent:
        return {}
    fixes: dict[str, str] = {}
    for token, n in token_counts.items():
        if n <= TYPO_RARE and len(token) >= 4 and not token.isdigit():
            found = process.extractOne(token, frequent, scorer=fuzz.ratio, processor=None, score_cutoff=TYPO_SIMILARITY)
            if found is not None and token_counts[found[0]] >= 5 * n:
                fixes[token] = found[0]
    return fixes


def _features(tokens: Sequence[str]) -> frozenset[str]:
    return frozenset([*tokens, *(f"{a}_{b}" for a, b in pairwise(tokens))])


def cluster_wordings(
    counts: Mapping[str, int],
    fillers: Collection[str] = (),
    background: Collection[str] = (),
    similarity: float = CLUSTER_SIMILARITY,
    cap: int = CLUSTER_CAP,
) -> tuple[list[tuple[str, list[str]]], list[str]]:
    """Greedy leader clustering of distinct folded wordings; return (leader, members) and unclustered keys.

    Two wordings are similar when the words and word pairs they share carry most of their weight, where a
    feature's weight is its rarity (idf) among the distinct wordings: question frames ("ở đâu", "cần giấy tờ")
    recur across subjects and weigh little, the subject ("hộ chiếu") weighs much. `background` texts (the
    knowledge's own phrasings) add to the counts, so frames are known as frames even in a small sample.
    Wordings are visited most frequent first and join the most similar leader, else lead a new cluster;
    candidate leaders are found through an index of the wording's rarest features, so the cost stays near
    linear in distinct wordings.
    """
    phrases = Phrases({tuple(text_key(f).split()): "" for f in fillers if text_key(f)})
    ordered = sorted(counts, key=lambda k: (-counts[k], k))
    head, tail = ordered[:cap], ordered[cap:]
    words = {key: strip(key.split(), phrases)[0] or key.split() for key in head}
    token_counts: Counter[str] = Counter()
    for key, tokens in words.items():
        for token in tokens:
            token_counts[token] += counts[key]
    fixes = _typo_map(token_counts)
    features: dict[str, frozenset[str]] = {}
    df: Counter[str] = Counter()
    for key, tokens in words.items():
        features[key] = _features([fixes.get(t, t) for t in tokens])
        df.update(features[key])
    seen = Counter(df)  # only features of the wordings themselves can be shared
    background_keys = {text_key(text) for text in background}
    for key in background_keys:
        df.update(f for f in _features(strip(key.split(), phrases)[0]) if f in seen)
    # The prior keeps weights flat on a small sample, where the subject itself is the most common word.
    n = len(head) + len(background_keys) + IDF_PRIOR
    idf = {f: math.log(n / (d + 1)) for f, d in df.items()}
    weight = {f: w * w for f, w in idf.items()}
    norms: dict[str, float] = {}
    index: dict[str, list[str]] = defaultdict(list)
    members: dict[str, list[str]] = {}
    for key in head:
        mine = features[key]
        norm = math.sqrt(sum(map(weight.__getitem__, mine))) or 1.0
        # A feature only this wording has cannot be shared; of the others the rarest find the right leaders.
        probes = sorted((f for f in mine if seen[f] > 1), key=lambda f: (-idf[f], f))[:INDEX_FEATURES]
        # Leaders are indexed most frequent first; capping each list bounds the worst case (all-frame wordings).
        candidates = dict.fromkeys(leader for f in probes for leader in index.get(f, ())[:MAX_CANDIDATES])
        best, best_score = None, similarity
        for leader in candidates:
            shared = sum(map(weight.__getitem__, mine & features[leader]))
            # Containment lets a bare "hộ chiếu" join "làm hộ chiếu ở đâu", which cosine alone undervalues.
            score = max(shared / (norm * norms[leader]), CONTAINMENT_WEIGHT * shared / min(norm, norms[leader]) ** 2)
            if score > best_score or (best is None and score >= best_score):
                best, best_score = leader, score
        if best is not None:
            members[best].append(key)
            continue
        members[key] = [key]
        norms[key] = norm
        for f in mine:
            index[f].append(key)
    return list(members.items()), tail


def _ranked_wordings(wordings: Mapping[str, Counter[str]]) -> list[tuple[str, int]]:
    """(best raw wording, count) per text_key, most frequent first: "Làm hộ chiếu ở đâu?" and "làm hộ chiếu ở đâu"
    are one wording."""
    rows = [(_best_wording(raw), sum(raw.values())) for raw in wordings.values()]
    rows.sort(key=lambda row: (-row[1], not has_diacritics(row[0]), row[0]))
    return rows


def _clusters(
    unanswered: Sequence[LoggedQuestion],
    closest: Closest,
    outside: Outside,
    closest_floor: float,
    dismissed: Collection[str],
    fillers: Collection[str],
    background: Collection[str],
) -> tuple[tuple[Cluster, ...], int, int, int]:
    """(clusters kept, questions omitted, questions in dismissed clusters, of the omitted those in other domains')."""
    by_key: Counter[str] = Counter()
    # cluster key → text_key of a wording → its raw spellings. A wording is counted under one key only, the first
    # one it was seen with: logged under two knowledge versions, its normalised text may differ, and it must not
    # then show up in two clusters.
    raw: dict[str, dict[str, Counter[str]]] = defaultdict(dict)
    key_of: dict[str, str] = {}  # text_key → cluster key
    wording_of: dict[str, str] = {}  # raw text → text_key (the same texts recur; tokenising is the slow part)
    for question in unanswered:
        wording = wording_of.get(question.text)
        if wording is None:
            wording = wording_of[question.text] = text_key(question.text)
        key = key_of.get(wording)
        if key is None:
            key = key_of[wording] = fold(question.normalized) or wording
        by_key[key] += 1
        raw[key].setdefault(wording, Counter())[question.text.strip()] += 1
    # Dismissed wordings take part with no questions of their own: a cluster that takes one in is hidden,
    # even when this period's users worded the same question a little differently.
    for key in dismissed:
        by_key.setdefault(key, 0)
    groups, unclustered = cluster_wordings(by_key, fillers, background)
    omitted = sum(by_key[k] for k in unclustered)
    hidden = 0
    sized: list[tuple[int, str, list[str]]] = []
    for leader, keys in groups:
        total = sum(by_key[k] for k in keys)
        if not total:
            continue
        hit = bool(dismissed) and any(k in dismissed or any(w in dismissed for w in raw.get(k, ())) for k in keys)
        if hit:
            hidden += total
        else:
            sized.append((total, leader, keys))
    sized.sort(key=lambda item: (-item[0], item[1]))
    out: list[Cluster] = []
    noise_omitted = 0
    kept = {False: 0, True: 0}  # gaps, noise
    limit = {False: MAX_CLUSTERS, True: MAX_NOISE}
    for total, leader, keys in sized[:EXAMINED]:
        if kept[False] >= MAX_CLUSTERS:
            omitted += total
            continue
        merged: dict[str, Counter[str]] = {}
        for k in keys:
            merged.update(raw[k])
        texts = tuple(text for text, _ in _ranked_wordings(merged))
        noise = outside(texts[0])
        if kept[noise] >= limit[noise]:
            omitted += total
            noise_omitted += total
            continue
        kept[noise] += 1
        found = closest(texts[0])
        near = ClosestEntry(*found) if found is not None and found[2] >= closest_floor else None
        out.append(Cluster(leader, texts[0], total, texts[:MAX_MEMBERS], near, noise))
    omitted += sum(total for total, _, _ in sized[EXAMINED:])
    return tuple(out), omitted, hidden, noise_omitted


def build_report(
    questions: Sequence[LoggedQuestion],
    *,
    start: dt.datetime,
    end: dt.datetime,
    closest: Closest,
    style_of: StyleOf,
    titles: Mapping[str, str] | None = None,
    dismissed: Collection[str] = (),
    fillers: Collection[str] = (),
    background: Collection[str] = (),
    tz: dt.tzinfo = dt.UTC,
    outside: Outside | None = None,
    closest_floor: float = CLOSEST_FLOOR,
) -> Report:
    """Aggregate the questions asked in [start, end); days are counted in `tz`.

    Questions logged as English count as English; `style_of` classifies the others. `fillers` (the
    knowledge's stopwords) are ignored when grouping unanswered wordings, and `background` (its phrasings)
    tells common question words from subjects. `outside` marks the clusters of other domains' questions; a
    closest entry scoring below `closest_floor` is not shown.
    """
    titles = titles or {}
    inside = [q for q in questions if start <= q.asked_at < end]
    days = _days(start, end, tz)
    per_day: dict[dt.date, Counter[str]] = {day: Counter() for day in days}
    status_counts: Counter[str] = Counter({status: 0 for status in STATUSES})
    served: Counter[str] = Counter()
    thumbs: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    confirmed: dict[str, Counter[str]] = defaultdict(Counter)
    confirmed_text: dict[tuple[str, str], Counter[str]] = defaultdict(Counter)
    confirmed_people: dict[tuple[str, str], set[str]] = defaultdict(set)
    confirmed_disliked: Counter[tuple[str, str]] = Counter()
    disliked: dict[str, dict[str, Counter[str]]] = defaultdict(dict)  # entry → text_key → raw spellings
    style_cache: dict[str, str] = {}  # the same wordings recur and Unicode normalisation is the slow part
    keys: dict[str, str] = {}
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
            if q.feedback and q.feedback < 0:
                key = keys.get(q.text) or keys.setdefault(q.text, text_key(q.text))
                disliked[entry_id].setdefault(key, Counter())[q.text.strip()] += 1
        if q.status == SUGGEST and entry_id is not None:
            key = keys.get(q.text) or keys.setdefault(q.text, text_key(q.text))
            confirmed[entry_id][key] += 1
            confirmed_text[(entry_id, key)][q.text.strip()] += 1
            confirmed_people[(entry_id, key)].add(q.user_key)
            if q.feedback and q.feedback < 0:
                confirmed_disliked[(entry_id, key)] += 1
        if is_unanswered(q):
            unanswered.append(q)
        # The language logged at ask time already says English; style_of tells the accented from the unaccented.
        style = "english" if q.lang == "en" else style_cache.get(q.text)
        if style is None:
            style = style_cache[q.text] = style_of(q.text)
        styles[style] += 1
    total = len(inside)
    latencies = sorted(q.latency_ms for q in inside)
    clusters, omitted, hidden, noise_omitted = _clusters(
        unanswered, closest, outside or (lambda _: False), closest_floor, set(dismissed), fillers, background
    )
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
                    ConfirmedWording(
                        _best_wording(confirmed_text[(e, k)]),
                        n,
                        len(confirmed_people[(e, k)]),
                        confirmed_disliked[(e, k)],
                    )
                    for k, n in sorted(c.items(), key=lambda kv: (-kv[1], kv[0]))
                ),
            )
            for e, c in sorted(confirmed.items(), key=lambda kv: (-sum(kv[1].values()), kv[0]))
        ),
        feedback=tuple(
            Feedback(
                e, titles.get(e, e), up, down, tuple(t for t, _ in _ranked_wordings(disliked.get(e, {}))[:MAX_MEMBERS])
            )
            for e, (up, down) in sorted(thumbs.items(), key=lambda kv: (-(kv[1][0] + kv[1][1]), kv[0]))
        ),
        styles=dict(styles),
        latency_median_ms=_median(latencies),
        latency_p95_ms=_percentile(latencies, 0.95),
        closest_floor=closest_floor,
        noise_omitted=noise_omitted,
    )


def period(now: dt.datetime, days: int, tz: dt.tzinfo = dt.UTC) -> tuple[dt.datetime, dt.datetime]:
    """The last `days` local calendar days up to `now`: today counts as the first."""
    today = now.astimezone(tz).date()
    first = dt.datetime.combine(today - dt.timedelta(days=days - 1), dt.time(), tzinfo=tz)
    return first.astimezone(dt.UTC), now


async def generate_many(
    storage: Storage,
    *,
    days: Sequence[int],
    now: dt.datetime,
    answerer: Answerer,
    dismissed: Collection[str] = (),
    tz: dt.tzinfo = dt.UTC,
) -> list[tuple[Report, list[LoggedQuestion]]]:
    """Reports for several periods ending at `now` (e.g. 7 and 30 days) from one fetch of the longest."""
    start, _ = period(now, max(days), tz)
    fetched = [q for q in await storage.questions_since(start) if q.asked_at < now]
    titles = {e.id: e.question_vi for e in answerer.knowledge.entries.values()}
    background = [p for e in answerer.knowledge.entries.values() for p in (*e.phrasings_vi, *e.phrasings_en)]
    closest, outside = make_lookups(answerer)
    floor = answerer.matcher.settings.suggest_threshold
    out = []
    for count in days:
        first, end = period(now, count, tz)
        questions = [q for q in fetched if q.asked_at >= first]
        report = build_report(
            questions,
            start=first,
            end=end,
            closest=closest,
            outside=outside,
            closest_floor=floor,
            style_of=make_style_of(None),  # the logged language already marks English questions
            titles=titles,
            dismissed=dismissed,
            fillers=answerer.knowledge.stopwords,
            background=background,
            tz=tz,
        )
        out.append((report, questions))
    return out


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
    [(report, questions)] = await generate_many(
        storage, days=[days], now=now, answerer=answerer, dismissed=dismissed, tz=tz
    )
    return report, questions
