"""The eval report: question-length bands, the real-* section and the new label fields (issue 12)."""

from __future__ import annotations

from pathlib import Path
from types import SimpleNamespace

import pytest

from bot.core.errors import KnowledgeError
from bot.core.evaluation import Labelled, band_of, evaluate, load_labelled
from bot.core.records import ANSWER

FALLBACK = "fallback"


class FakeAnswerer:
    """Answers from a table question -> (status, entry id); anything else falls back."""

    def __init__(self, table: dict[str, tuple[str, str | None]]) -> None:
        self.table = table

    def ask(self, question: str) -> SimpleNamespace:
        status, entry_id = self.table.get(question, (FALLBACK, None))
        top = SimpleNamespace(entry_id=entry_id, score=80.0) if entry_id else None
        entry = SimpleNamespace(id=entry_id) if entry_id else None
        return SimpleNamespace(
            status=status, entry=entry, score=80.0 if entry_id else 0.0,
            result=SimpleNamespace(top=top), suggestions=(),
        )


def q(n: int, tag: str = "x") -> str:
    """A question of exactly n characters."""
    return (tag + " " * n)[:n - 1] + "?"


def item(question: str, expect: tuple[str, ...] = (), source: str = "real-dev-a.yaml", **kw) -> Labelled:
    return Labelled(question, frozenset(expect), kw.pop("style", "real"), source, **kw)


def test_band_boundaries() -> None:
    assert band_of(q(1)) == "<= 120"
    assert band_of(q(120)) == "<= 120"
    assert band_of(q(121)) == "121-300"
    assert band_of(q(300)) == "121-300"
    assert band_of(q(301)) == "> 300"
    assert band_of(q(1200)) == "> 300"


def test_report_counts_each_band_and_prints_it() -> None:
    short_ok, mid_ok, mid_bad, long_bad = q(50, "a"), q(200, "b"), q(250, "c"), q(400, "d")
    answerer = FakeAnswerer({
        short_ok: (ANSWER, "e1"), mid_ok: (ANSWER, "e2"), mid_bad: (ANSWER, "other"), long_bad: (FALLBACK, None),
    })
    items = [item(short_ok, ("e1",)), item(mid_ok, ("e2",)), item(mid_bad, ("e3",)), item(long_bad, ("e4",))]
    report = evaluate(answerer, items)
    assert (report.bands["<= 120"].total, report.bands["<= 120"].correct) == (1, 1)
    assert (report.bands["121-300"].total, report.bands["121-300"].correct) == (2, 1)
    assert (report.bands["> 300"].total, report.bands["> 300"].correct) == (1, 0)
    text = "\n".join(report.lines())
    assert "per question length" in text
    for name in ("<= 120", "121-300", "> 300"):
        assert any(line.startswith(name) for line in report.lines()), name


def test_out_of_scope_questions_are_banded_separately() -> None:
    long_oos, answered_oos = q(350, "n"), q(60, "m")
    answerer = FakeAnswerer({answered_oos: (ANSWER, "e1")})
    report = evaluate(answerer, [item(long_oos), item(answered_oos)])
    assert (report.bands_oos["> 300"].total, report.bands_oos["> 300"].correct) == (1, 1)
    assert (report.bands_oos["<= 120"].total, report.bands_oos["<= 120"].correct) == (1, 0)
    assert not report.bands  # nothing in scope
    # real out-of-scope items share the out_of_scope style row, so "in scope" stays in scope
    assert report.styles["out_of_scope"].total == 2 and "real" not in report.styles


def test_real_section_long_in_scope_uncovered_and_out_of_scope() -> None:
    short_ok, long_ok, long_bad, uncovered, oos = q(80, "a"), q(150, "b"), q(160, "c"), q(130, "u"), q(90, "o")
    answerer = FakeAnswerer({
        short_ok: (ANSWER, "e1"), long_ok: (ANSWER, "e2"), long_bad: (ANSWER, "e9"),
        uncovered: (ANSWER, "neighbour"),
    })
    items = [
        item(short_ok, ("e1",)), item(long_ok, ("e2",)), item(long_bad, ("e3",)),
        item(uncovered, covered=False, wanted="cấp lại hiện vật"), item(oos),
        item(q(70, "w"), ("e1",), source="writers-a.yaml", style="diacritics"),  # not a real-* file
    ]
    report = evaluate(answerer, items)
    real = report.real["real-dev-a.yaml"]
    assert (real.in_scope.correct, real.in_scope.total) == (2, 4)  # the uncovered item counts as wrong
    assert (real.long.correct, real.long.total) == (1, 3)
    assert (real.out_of_scope.correct, real.out_of_scope.total) == (1, 1)
    assert (real.uncovered, real.uncovered_answered) == (1, 1)
    assert dict(real.wanted) == {"cấp lại hiện vật": 1}
    assert set(report.real) == {"real-dev-a.yaml"}
    text = "\n".join(report.lines())
    assert "in scope answered with an entry that addresses the asked point: 2/4 = 50.0%" in text
    assert "longer than 120 characters: 1/3 = 33.3%" in text
    assert "out of scope not answered: 1/1 = 100.0%" in text
    assert "cấp lại hiện vật" in text


def test_real_totals_add_up_over_files() -> None:
    a, b = q(130, "a"), q(140, "b")
    answerer = FakeAnswerer({a: (ANSWER, "e1")})
    report = evaluate(answerer, [item(a, ("e1",)), item(b, ("e2",), source="real-dev-b.yaml")])
    total = report.real_total()
    assert (total.in_scope.correct, total.in_scope.total, total.long.total) == (1, 2, 2)
    assert "all real-*" in "\n".join(report.lines())


def _write(tmp_path: Path, body: str, name: str = "real-x.yaml") -> Path:
    path = tmp_path / name
    path.write_text(body, encoding="utf-8")
    return path


def test_loader_reads_the_new_fields(tmp_path: Path) -> None:
    path = _write(tmp_path, """
- q: "Tôi bị mất bằng khen, xin cấp lại thế nào?"
  expect: []
  covered: false
  wanted: "cấp lại hiện vật"
  style: real
  topic: cap-lai
  source: "https://example.org/a"
  date: 2016-05-26
- q: "Nâng lương trước hạn thế nào?"
  expect: null
  style: real
  source: "https://example.org/b"
  date: "2021-08"
- q: "Tiêu chuẩn bằng khen bộ?"
  expect: bang-khen-bo.tieu-chuan
  style: real
  date: 2024
""")
    lost, salary, award = load_labelled(path)
    assert lost.in_scope and not lost.covered and lost.wanted == "cấp lại hiện vật" and lost.date == "2016-05-26"
    assert lost.url == "https://example.org/a" and lost.topic == "cap-lai" and lost.real
    assert not salary.in_scope and salary.bucket == "out_of_scope" and salary.date == "2021-08"
    assert award.in_scope and award.bucket == "real" and award.date == "2024"


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ('- {q: "a?", expect: x, style: real, sorce: "http://x"}', "unknown field"),
        ('- {q: "a?", expect: [], covered: false, style: real}', "needs 'expect: []' and a 'wanted'"),
        ('- {q: "a?", expect: x, covered: false, wanted: "t", style: real}', "needs 'expect: []'"),
        ('- {q: "a?", expect: x, wanted: "t", style: real}', "only for items with 'covered: false'"),
        ('- {q: "a?", expect: null, covered: "no", style: real}', "'covered' must be true or false"),
        ('- {q: "a?", expect: [], covered: false, wanted: t, style: out_of_scope}', "cannot be 'covered: false'"),
        ('- {q: "a?", expect: [1, 2], style: real}', "'expect' must be"),
        ('- {q: "a?", expect: x, style: reel}', "needs 'q' (text) and 'style'"),
    ],
)
def test_loader_rejects_bad_items(tmp_path: Path, body: str, message: str) -> None:
    with pytest.raises(KnowledgeError) as caught:
        load_labelled(_write(tmp_path, body))
    assert any(message in problem for problem in caught.value.problems), caught.value.problems


def test_ordinary_sets_are_not_real(tmp_path: Path) -> None:
    (ordinary,) = load_labelled(_write(tmp_path, '- {q: "a?", expect: x, style: diacritics}', "writers-z.yaml"))
    assert not ordinary.real and ordinary.covered and ordinary.in_scope


def test_cli_eval_takes_a_file_as_argument_or_option(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from bot.cli import main

    path = _write(tmp_path, '- {q: "thủ tục đăng ký kết hôn", expect: null, style: real, source: "http://x"}\n')
    for argv in (["eval", str(path)], ["eval", "--file", str(path)]):
        assert main(argv) == 0
        out = capsys.readouterr().out
        assert "per question length" in out
        assert "real-x.yaml:" in out and "out of scope not answered: 1/1 = 100.0%" in out
