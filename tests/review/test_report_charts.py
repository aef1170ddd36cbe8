"""The report's charts (bot/review/report_render.py): count axes start at 0, empty ones say so, legends fit."""

from __future__ import annotations

import datetime as dt

import pytest
from matplotlib.axes import Axes
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure

from bot.core.records import ANSWER, FALLBACK, SUGGEST, LoggedQuestion
from bot.review.report_render import NO_DATA, per_day_figure, status_figure, top_figure
from bot.review.reports import Report, build_report, make_style_of

NOW = dt.datetime(2026, 11, 23, 10, 0, tzinfo=dt.UTC)
CHAT = (6.4, 3.6)  # /thongke's chart
PAGE = (10, 3.8)  # the HTML report's chart


def _report(rows: list[LoggedQuestion]) -> Report:
    return build_report(
        rows,
        start=NOW - dt.timedelta(days=30),
        end=NOW,
        closest=lambda _: None,
        style_of=make_style_of(None),
        titles={"e0": "Tiêu chuẩn Huân chương Lao động hạng Ba đối với cá nhân là gì?"},
    )


EMPTY = _report([])
ZERO_DAYS = _report(  # questions on 2 of 30 days: 28 days count nothing
    [
        LoggedQuestion(NOW - dt.timedelta(hours=i + 1), "k", "private", "vi", "x", "x", status, "e0", 80.0)
        for i, status in enumerate([ANSWER, ANSWER, SUGGEST, FALLBACK, ANSWER])
    ]
)


def _drawn(figure: Figure) -> Figure:
    FigureCanvasAgg(figure).draw()
    return figure


def _count_axis(figure: Figure, horizontal: bool) -> tuple[tuple[float, float], list[float], Axes]:
    axes = figure.axes[0]
    low, high = axes.get_xlim() if horizontal else axes.get_ylim()
    ticks = axes.get_xticks() if horizontal else axes.get_yticks()
    return (low, high), [t for t in ticks if low <= t <= high], axes


FIGURES = [
    pytest.param(lambda r: per_day_figure(r, 30, CHAT), False, id="per-day-chat"),
    pytest.param(lambda r: per_day_figure(r, None, PAGE), False, id="per-day-page"),
    pytest.param(status_figure, True, id="status"),
    pytest.param(top_figure, True, id="top-entries"),
]


@pytest.mark.parametrize(("make", "horizontal"), FIGURES)
def test_an_empty_chart_counts_from_zero_and_says_no_data(make, horizontal: bool) -> None:  # type: ignore[no-untyped-def]
    (low, high), ticks, axes = _count_axis(_drawn(make(EMPTY)), horizontal)
    assert low == 0 and high >= 1  # matplotlib alone centres zero bars on 0: -0.055 to 0.055
    assert ticks and min(ticks) >= 0 and all(t == int(t) for t in ticks)
    assert NO_DATA in [text.get_text() for text in axes.texts]


@pytest.mark.parametrize(("make", "horizontal"), FIGURES)
def test_a_chart_with_counts_starts_at_zero_above_the_largest(make, horizontal: bool) -> None:  # type: ignore[no-untyped-def]
    (low, high), ticks, axes = _count_axis(_drawn(make(ZERO_DAYS)), horizontal)
    assert low == 0 and high >= 3  # 3 answers of e0 on the largest bar
    assert min(ticks) >= 0
    assert NO_DATA not in [text.get_text() for text in axes.texts]


@pytest.mark.parametrize("size", [CHAT, PAGE], ids=["chat", "page"])
@pytest.mark.parametrize("report", [EMPTY, ZERO_DAYS], ids=["empty", "some"])
def test_the_status_legend_lies_inside_the_image(size: tuple[float, float], report: Report) -> None:
    figure = _drawn(per_day_figure(report, 30, size))
    [legend] = figure.legends
    box = legend.get_window_extent(figure.canvas.get_renderer())  # type: ignore[attr-defined]
    image = figure.bbox
    assert image.x0 <= box.x0 and box.x1 <= image.x1, (box, image)  # was -14 to 654 px on the 640 px chat chart
    assert image.y0 <= box.y0 and box.y1 <= image.y1, (box, image)
    assert len(legend.get_texts()) == 4


def test_top_entries_are_labelled_by_title() -> None:
    figure = _drawn(top_figure(ZERO_DAYS))
    labels = [label.get_text() for label in figure.axes[0].get_yticklabels()]
    assert labels == ["Tiêu chuẩn Huân chương Lao động hạng Ba đối với…"]
