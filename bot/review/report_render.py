"""Renders a Report as console text, chat summary, CSV, YAML alternates, PNG charts and one offline HTML page."""

from __future__ import annotations

import base64
import csv
import html
import io
import json
from collections.abc import Sequence

from matplotlib.axes import Axes
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.ticker import MaxNLocator

from bot.core.records import ANSWER, FALLBACK, SMALLTALK, STATUSES, SUGGEST, LoggedQuestion
from bot.review.reports import MIN_CONFIRMATIONS, Cluster, Report

STATUS_LABELS = {
    ANSWER: "trả lời (answered)",
    SUGGEST: "gợi ý (suggested)",
    FALLBACK: "không trả lời được (fallback)",
    SMALLTALK: "chào hỏi (small talk)",
}
STYLE_LABELS = {
    "diacritics": "có dấu (with diacritics)",
    "no_diacritics": "không dấu (without diacritics)",
    "english": "tiếng Anh (English)",
}
STATUS_COLOURS = {ANSWER: "#2e7d32", SUGGEST: "#f9a825", FALLBACK: "#c62828", SMALLTALK: "#90a4ae"}
CSV_COLUMNS = (
    "time_utc",
    "status",
    "entry",
    "score",
    "text",
    "suggestions",
    "choice",
    "feedback",
    "lang",
    "latency_ms",
)
TOP = 10  # rows of top entries, clusters and feedback in text output
HTML_ROWS = 40  # rows of the top-entry and feedback tables in the HTML report
PHRASINGS_SHOWN = 15  # confirmed phrasings shown per entry (the rest are in the CSV)


def _pct(part: int, whole: int) -> str:
    return f"{100 * part / whole:.1f}%" if whole else "0%"


def _period(report: Report) -> str:
    if not report.per_day:
        return ""
    return f"{report.per_day[0].day:%d/%m/%Y} – {report.per_day[-1].day:%d/%m/%Y}"


REVIEW_VI = "Xem lại từng dòng trước khi dán: chỉ gồm cách hỏi được ít nhất {n} người chọn và không bị 👎 sau khi chọn."
REVIEW_EN = "Review each line before pasting: only wordings at least {n} people chose, never followed by 👎."


def review_note(separator: str = " ") -> str:
    """The warning over the paste block, in Vietnamese then English."""
    return REVIEW_VI.format(n=MIN_CONFIRMATIONS) + separator + f"({REVIEW_EN.format(n=MIN_CONFIRMATIONS)})"


def _of_them_noise(report: Report) -> str:
    noise = report.noise_omitted
    return f" (trong đó {noise} câu ngoài phạm vi TĐKT / {noise} outside TĐKT)" if noise else ""


def _cluster_lines(clusters: Sequence[Cluster]) -> list[str]:
    lines = []
    for number, cluster in enumerate(clusters, 1):
        near = cluster.closest
        lines.append(f"  {number}. [{cluster.count}] {cluster.example}")
        if near is not None:
            lines.append(f"       gần nhất (closest): {near.question} ({near.score:.0f})")
        lines += [f"       · {text}" for text in cluster.texts[1:4]]
    return lines


def render_text(report: Report) -> str:
    """A readable console report: what needs action (unanswered, 👎, phrasings to add) first, then the figures."""
    lines = [
        f"Báo cáo câu hỏi (question report) {_period(report)}",
        f"Tổng số câu hỏi (questions): {report.total}  ·  người hỏi (distinct users): {report.users}",
        f"Thời gian trả lời (latency): trung vị (median) {report.latency_median_ms:.0f} ms,"
        f" p95 {report.latency_p95_ms:.0f} ms",
        "",
        f"Câu hỏi chưa trả lời được (unanswered): {report.unanswered_total}",
    ]
    lines += _cluster_lines(report.gaps[:TOP]) or ["  (không có / none)"]
    if report.noise:
        noise = sum(c.count for c in report.noise)
        lines += ["", f"Ngoài phạm vi TĐKT (outside TĐKT, e.g. passport, weather): {noise}"]
        lines += [f"  [{c.count}] {c.example}" for c in report.noise[:TOP]]
    if report.clusters_omitted:
        lines.append(f"  … và {report.clusters_omitted} câu khác (more, not shown){_of_them_noise(report)}")
    if report.dismissed_hidden:
        lines.append(f"  ({report.dismissed_hidden} câu thuộc nhóm đã bỏ qua / in dismissed clusters)")
    lines += ["", "Phản hồi 👍/👎 (feedback):"]
    for f in report.feedback[:TOP]:
        lines.append(f"  👍 {f.up:>4}  👎 {f.down:>4}  {f.title}")
        lines += [f"       👎 «{text}»" for text in f.disliked[:3]]
    if not report.feedback:
        lines.append("  (không có / none)")
    pasteable = render_alternates_yaml(report, PHRASINGS_SHOWN, 2 * TOP)
    if pasteable:
        lines += ["", "Cách hỏi người dùng đã xác nhận (confirmed phrasings) — dán vào knowledge/learned.yaml:"]
        lines += ["  " + line for line in pasteable.splitlines()]
    lines += ["", "Hỏi nhiều nhất (most asked entries):"]
    lines += [f"  {e.count:>6}  {100 * e.share:5.1f}%  {e.title}" for e in report.top_entries[:TOP]] or [
        "  (không có / none)"
    ]
    lines += ["", "Theo trạng thái (by status):"]
    lines += [
        f"  {STATUS_LABELS.get(s, s):<34} {n:>7}  {_pct(n, report.total):>6}" for s, n in report.status_counts.items()
    ]
    lines += ["", "Kiểu gõ (writing style):"]
    lines += [f"  {STYLE_LABELS.get(s, s):<34} {n:>7}  {_pct(n, report.total):>6}" for s, n in report.styles.items()]
    lines += ["", "Theo ngày (per day):"]
    lines += [
        f"  {d.day:%d/%m/%Y}  {d.total:>6}  " + "  ".join(f"{s}={d.counts.get(s, 0)}" for s in STATUSES)
        for d in report.per_day
    ]
    return "\n".join(lines) + "\n"


def render_summary(report_7: Report, report_30: Report) -> str:
    """A short chat message comparing the last 7 and 30 days."""
    lines = ["📊 Thống kê câu hỏi"]
    for label, report in (("7 ngày", report_7), ("30 ngày", report_30)):
        answered = report.status_counts.get(ANSWER, 0)
        lines.append(
            f"{label}: {report.total} câu, {report.users} người hỏi, trả lời ngay {_pct(answered, report.total)},"
            f" chưa trả lời được {report.unanswered_total}"
        )
    if report_7.top_entries:
        lines += ["", "Hỏi nhiều nhất (7 ngày):"]
        lines += [f"{i}. {e.title} — {e.count}" for i, e in enumerate(report_7.top_entries[:5], 1)]
    if report_7.gaps:
        lines += ["", "Chưa trả lời được (7 ngày):"]
        lines += [f"{i}. «{c.example}» — {c.count}" for i, c in enumerate(report_7.gaps[:5], 1)]
    if report_7.noise:
        lines.append(f"(+ {sum(c.count for c in report_7.noise)} câu ngoài phạm vi TĐKT)")
    down = [f for f in report_7.feedback if f.down]
    if down:
        lines += ["", "👎 nhiều nhất (7 ngày):"]
        for f in sorted(down, key=lambda f: -f.down)[:3]:
            lines.append(f"• {f.title} — 👎 {f.down} / 👍 {f.up}")
            lines += [f"   hỏi: «{text}»" for text in f.disliked[:2]]
    lines += [
        "",
        f"Thời gian trả lời: trung vị {report_7.latency_median_ms:.0f} ms, p95 {report_7.latency_p95_ms:.0f} ms",
    ]
    return "\n".join(lines)


def _yaml_string(text: str) -> str:
    """A double-quoted YAML scalar (JSON strings are valid YAML)."""
    return json.dumps(" ".join(text.split()), ensure_ascii=False)


def render_alternates_yaml(report: Report, per_entry: int | None = None, entries: int | None = None) -> str:
    """Confirmed phrasings worth adding, in the knowledge/learned.yaml format (the most frequent first); "" if none.

    Only wordings MIN_CONFIRMATIONS people chose and none disliked afterwards; the first line says to review them.
    """
    chosen = [item for item in report.confirmed if item.pasteable][:entries]
    if not chosen:
        return ""
    lines = [f"# {line}" for line in review_note("\n").splitlines()] + ["phrasings:"]
    for item in chosen:
        lines.append(f"  {item.entry_id}:  # {item.count}× — {' '.join(item.title.split())}")
        pasteable = item.pasteable
        shown = pasteable[:per_entry]
        lines += [f"    - {_yaml_string(text)}" for text in shown]
        if len(shown) < len(pasteable):
            lines.append(f"    # … {len(pasteable) - len(shown)} more (CSV export)")
    return "\n".join(lines) + "\n"


def held_back(report: Report) -> int:
    """Confirmed wordings left out of the paste block: too few people chose them, or the answer got 👎."""
    return sum(1 for item in report.confirmed for w in item.phrasings if not w.pasteable)


FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(text: str) -> str:
    """A user's text as a spreadsheet shows it, never as a formula (=HYPERLINK(…) and friends): a leading = + - @,
    tab or carriage return gets an apostrophe in front, which Excel and LibreOffice treat as "this is text"."""
    return "'" + text if text.startswith(FORMULA_START) else text


def render_csv(report: Report, questions: Sequence[LoggedQuestion]) -> bytes:
    """One row per question of the report's period; UTF-8 with BOM so Excel shows Vietnamese."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(CSV_COLUMNS)
    start, end = report.start, report.end
    feedback = {None: "", 1: "+1", -1: "-1"}
    writer.writerows(
        (
            q.asked_at.isoformat(timespec="seconds"),
            q.status,
            q.entry_id or "",
            round(q.score, 1),
            safe_cell(q.text),
            " ".join(q.suggestions),
            q.choice or "",
            feedback.get(q.feedback, q.feedback),
            q.lang,
            round(q.latency_ms),
        )
        for q in questions
        if start <= q.asked_at < end
    )
    return ("\ufeff" + out.getvalue()).encode("utf-8")


# -- charts ---------------------------------------------------------------------------------------------------


def _png(figure: Figure) -> bytes:
    buffer = io.BytesIO()
    FigureCanvasAgg(figure).print_png(buffer)
    return buffer.getvalue()


NO_DATA = "Không có dữ liệu (no data)"
LEGEND_WIDE = 8.0  # inches: a narrower figure puts the status legend on two rows, or it overflows the image


def _count_axis(axes: Axes, largest: int, *, horizontal: bool = False) -> None:
    """A count axis from 0 in whole numbers; with nothing counted it spans 0-1 and the plot says "no data"
    (matplotlib would centre zero-height bars on 0 and show negative ticks)."""
    axis = axes.xaxis if horizontal else axes.yaxis
    axis.set_major_locator(MaxNLocator(integer=True, nbins=5, min_n_ticks=1))
    (axes.set_xlim if horizontal else axes.set_ylim)(0, max(largest, 1) * (1.08 if largest else 1))
    if not largest:
        axes.text(0.5, 0.5, NO_DATA, transform=axes.transAxes, ha="center", va="center", color="#777")


def per_day_figure(report: Report, days: int | None, size: tuple[float, float]) -> Figure:
    """Questions per day, stacked by status, with the status legend below the plot."""
    shown = report.per_day[-days:] if days else report.per_day
    figure = Figure(figsize=size, dpi=100, layout="constrained")
    axes = figure.add_subplot()
    labels = [f"{d.day:%d/%m}" for d in shown]
    bottom = [0] * len(shown)
    for status in STATUSES:
        values = [d.counts.get(status, 0) for d in shown]
        axes.bar(labels, values, bottom=bottom, color=STATUS_COLOURS[status], label=STATUS_LABELS[status])
        bottom = [b + v for b, v in zip(bottom, values, strict=True)]
    axes.set_title("Câu hỏi mỗi ngày (questions per day)")
    _count_axis(axes, max(bottom, default=0))
    # Below the plot: inside it the legend would hide the bars of the first days.
    columns = len(STATUSES) if size[0] >= LEGEND_WIDE else 2
    figure.legend(loc="outside lower center", ncol=columns, fontsize=8, frameon=False)
    step = max(1, len(labels) // 12)  # keep day labels readable over 30 or 90 days
    axes.set_xticks(range(0, len(labels), step), labels[::step], rotation=45, fontsize=8)
    axes.spines[["top", "right"]].set_visible(False)
    return figure


def render_chart_png(report: Report, days: int = 7) -> bytes:
    """A compact chart for a chat message: questions per day by status over the last `days` days."""
    return _png(per_day_figure(report, days, (6.4, 3.6)))


def status_figure(report: Report) -> Figure:
    """How many questions ended in each status."""
    figure = Figure(figsize=(6.4, 2.4), dpi=100, layout="constrained")
    axes = figure.add_subplot()
    statuses = list(STATUSES)
    values = [report.status_counts.get(s, 0) for s in statuses]
    axes.barh([STATUS_LABELS[s] for s in statuses], values, color=[STATUS_COLOURS[s] for s in statuses])
    axes.invert_yaxis()
    axes.set_title("Trạng thái (status mix)")
    _count_axis(axes, max(values, default=0), horizontal=True)
    axes.spines[["top", "right"]].set_visible(False)
    return figure


CHART_TITLE = 48  # characters of an entry title on the chart's axis (the full title is in the table)


def _short(text: str, limit: int) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def top_figure(report: Report) -> Figure:
    """The most served entries, by title."""
    top = report.top_entries[:TOP]
    figure = Figure(figsize=(6.4, max(1.6, 0.35 * len(top) + 0.8)), dpi=100, layout="constrained")
    axes = figure.add_subplot()
    # Two entries may share a shortened title: a bar per position keeps them apart.
    axes.barh(range(len(top)), [e.count for e in top], color="#1565c0")
    axes.set_yticks(range(len(top)), [_short(e.title, CHART_TITLE) for e in top])
    axes.invert_yaxis()
    axes.set_title("Hỏi nhiều nhất (most asked entries)")
    _count_axis(axes, max((e.count for e in top), default=0), horizontal=True)
    axes.tick_params(axis="y", labelsize=8)
    axes.spines[["top", "right"]].set_visible(False)
    return figure


# -- HTML -----------------------------------------------------------------------------------------------------

_CSS = """
body{font-family:system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;margin:2rem auto;max-width:1100px;color:#222}
h1{font-size:1.5rem}h2{font-size:1.15rem;margin-top:2rem;border-bottom:1px solid #ddd}
table{border-collapse:collapse;width:100%;font-size:.9rem}td,th{border:1px solid #ddd;padding:.3rem .5rem;
text-align:left;vertical-align:top}th{background:#f3f3f3}td.n{text-align:right;white-space:nowrap}
img{max-width:100%;height:auto}pre{background:#f7f7f7;padding:.8rem;overflow:auto}.muted{color:#777}
.warn{background:#fff3cd;border-left:4px solid #f9a825;padding:.5rem .8rem}
"""


def _e(value: object) -> str:
    return html.escape(str(value), quote=True)


def _img(figure: Figure, alt: str) -> str:
    data = base64.b64encode(_png(figure)).decode("ascii")
    return f'<img class="chart" alt="{_e(alt)}" src="data:image/png;base64,{data}">'


def _table(headers: Sequence[str], rows: Sequence[Sequence[object]], numeric: frozenset[int] = frozenset()) -> str:
    if not rows:
        return '<p class="muted">Không có (none).</p>'
    head = "".join(f"<th>{_e(h)}</th>" for h in headers)
    body = "".join(
        "<tr>" + "".join(f"<td{' class=n' if i in numeric else ''}>{cell}</td>" for i, cell in enumerate(row)) + "</tr>"
        for row in rows
    )
    return f"<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"


def _more(total: int) -> str:
    hidden = total - HTML_ROWS
    return f'<p class="muted">… và {hidden} mục khác (more entries; see the CSV export).</p>' if hidden > 0 else ""


def _entry(entry_id: str, title: str) -> str:
    """An entry by its title; the id, which organisers need only for learned.yaml, shows on hover."""
    return f'<span title="{_e(entry_id)}">{_e(title)}</span>'


def _wordings(texts: Sequence[str]) -> str:
    first, rest = texts[0], texts[1:]
    more = "".join(f"<br><span class=muted>· {_e(t)}</span>" for t in rest)
    return f"<b>{_e(first)}</b>{more}"


def _unanswered_html(report: Report) -> list[str]:
    floor = f"{report.closest_floor:.0f}"
    parts = [
        '<h2 id="unanswered">Cần xử lý: câu hỏi chưa trả lời được (needs action: unanswered questions)</h2>',
        _table(
            ["Số câu", "Câu hỏi (các cách hỏi)", f"Mục gần nhất, từ {floor} điểm (closest entry, from score {floor})"],
            [
                (
                    c.count,
                    _wordings(c.texts),
                    (
                        f"{_entry(c.closest.entry_id, c.closest.question)} <span class=muted>({c.closest.score:.0f})"
                        "</span>"
                        if c.closest
                        else '<span class="muted">—</span>'
                    ),
                )
                for c in report.gaps
            ],
            frozenset({0}),
        ),
    ]
    if report.clusters_omitted or report.dismissed_hidden:
        parts.append(
            f'<p class="muted">Không hiển thị (not shown): {report.clusters_omitted} câu ngoài các nhóm lớn nhất'
            f"{_of_them_noise(report)},"
            f" {report.dismissed_hidden} câu thuộc nhóm đã bỏ qua (dismissed).</p>"
        )
    if report.noise:
        parts += [
            '<h2 id="outside">Ngoài phạm vi TĐKT (outside TĐKT: passport, weather …)</h2>',
            '<p class="muted">Câu hỏi của lĩnh vực khác, bot không trả lời là đúng; không phải thiếu sót của dữ liệu'
            " (other domains' questions: not gaps in the knowledge).</p>",
            _table(
                ["Số câu", "Câu hỏi (các cách hỏi)"],
                [(c.count, _wordings(c.texts)) for c in report.noise],
                frozenset({0}),
            ),
        ]
    return parts


def _feedback_html(report: Report) -> list[str]:
    rows = sorted(report.feedback, key=lambda f: (-f.down, -f.up, f.title))[:HTML_ROWS]
    return [
        '<h2 id="feedback">Phản hồi 👍/👎 (feedback), kèm câu đã hỏi khi bị 👎 (with what was asked)</h2>',
        _table(
            ["Mục", "Hữu ích 👍", "Chưa tốt 👎", "Câu đã hỏi khi bị 👎 (asked when marked 👎)"],
            [
                (_entry(f.entry_id, f.title), f.up, f.down, "<br>".join(f"«{_e(t)}»" for t in f.disliked) or "")
                for f in rows
            ],
            frozenset({1, 2}),
        ),
        _more(len(report.feedback)),
    ]


def _phrasings_html(report: Report) -> list[str]:
    snippet = render_alternates_yaml(report, PHRASINGS_SHOWN)
    left_out = held_back(report)
    parts = ['<h2 id="phrasings">Cách hỏi người dùng đã xác nhận (confirmed phrasings)</h2>']
    if snippet:
        parts += [
            f'<p class="warn"><b>{_e(review_note())}</b></p>',
            "<p>Sau đó dán vào <code>knowledge/learned.yaml</code> (then paste into learned.yaml):</p>",
            f"<pre>{_e(snippet)}</pre>",
        ]
    else:
        parts.append(f'<p class="muted">Chưa có cách hỏi nào đủ {MIN_CONFIRMATIONS} người xác nhận (none yet).</p>')
    if left_out:
        parts.append(
            f'<p class="muted">{left_out} cách hỏi chưa đưa vào: ít hơn {MIN_CONFIRMATIONS} người chọn, hoặc bị 👎'
            " sau khi chọn (left out: too few people, or followed by 👎).</p>"
        )
    return parts


def render_html(report: Report) -> str:
    """One self-contained page (charts embedded as PNG) that opens offline; every dynamic string escaped.

    What needs an organiser's action comes first: unanswered TĐKT questions, then other domains' noise, 👎 with
    what was asked, the phrasings to review; the figures and the day-by-day list follow.
    """
    n = report.total
    parts = [
        "<!DOCTYPE html>",
        '<html lang="vi"><head><meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>Báo cáo câu hỏi TĐKT {_e(_period(report))}</title><style>{_CSS}</style></head><body>",
        f"<h1>Báo cáo câu hỏi TĐKT <span class=muted>{_e(_period(report))}</span></h1>",
        f"<p>Tổng số câu hỏi (questions): <b>{n}</b> · người hỏi (distinct users): <b>{report.users}</b> ·"
        f" chưa trả lời được (unanswered): <b>{report.unanswered_total}</b> · thời gian trả lời (latency):"
        f" trung vị {report.latency_median_ms:.0f} ms, p95 {report.latency_p95_ms:.0f} ms</p>",
        *_unanswered_html(report),
        *_feedback_html(report),
        *_phrasings_html(report),
        '<h2 id="top">Hỏi nhiều nhất (most asked entries)</h2>',
        _img(top_figure(report), "Hỏi nhiều nhất") if report.top_entries else "",
        _table(
            ["Mục", "Số câu", "Tỉ lệ"],
            [(_entry(e.entry_id, e.title), e.count, f"{100 * e.share:.1f}%") for e in report.top_entries[:HTML_ROWS]],
            frozenset({1, 2}),
        ),
        _more(len(report.top_entries)),
        '<h2 id="status">Trạng thái (status mix)</h2>',
        _img(status_figure(report), "Trạng thái"),
        _table(
            ["Trạng thái", "Số câu", "Tỉ lệ"],
            [(_e(STATUS_LABELS.get(s, s)), c, _pct(c, n)) for s, c in report.status_counts.items()],
            frozenset({1, 2}),
        ),
        "<h2>Kiểu gõ (writing style)</h2>",
        _table(
            ["Kiểu", "Số câu", "Tỉ lệ"],
            [(_e(STYLE_LABELS.get(s, s)), c, _pct(c, n)) for s, c in report.styles.items()],
            frozenset({1, 2}),
        ),
        '<h2 id="per-day">Theo ngày (per day)</h2>',
        _img(per_day_figure(report, None, (10, 3.8)), "Câu hỏi mỗi ngày"),
        _table(
            ["Ngày", "Tổng", *(STATUS_LABELS[s] for s in STATUSES)],
            [(f"{d.day:%d/%m/%Y}", d.total, *(d.counts.get(s, 0) for s in STATUSES)) for d in report.per_day],
            frozenset(range(1, 2 + len(STATUSES))),
        ),
        "</body></html>",
    ]
    return "\n".join(p for p in parts if p)
