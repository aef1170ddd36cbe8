"""The HTML report opens offline in a real browser (headless Chromium) with its charts drawn."""

from __future__ import annotations

import datetime as dt
import os
import re
import shutil
import signal
import subprocess
from pathlib import Path

import pytest

from bot.core.records import ANSWER, CHOICE_NONE, FALLBACK, SUGGEST, LoggedQuestion
from bot.review.report_render import render_html
from bot.review.reports import build_report, make_style_of

NOW = dt.datetime(2026, 11, 23, 10, 0, tzinfo=dt.UTC)
TIMEOUT = 90  # seconds per browser run; a first start on a cold CI runner is slow
# Counts the images the browser actually decoded, after load, into attributes --dump-dom shows.
PROBE = (
    "<script>window.addEventListener('load',function(){var s=document.images,n=0;"
    "for(var i=0;i<s.length;i++){if(s[i].complete&&s[i].naturalWidth>0&&s[i].naturalHeight>0)n++;}"
    "document.body.setAttribute('data-images',String(s.length));"
    "document.body.setAttribute('data-loaded',String(n));});</script>"
)
FLAGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
)


def _chromium() -> str:
    found = shutil.which("chromium") or ("/usr/bin/chromium" if Path("/usr/bin/chromium").exists() else None)
    if found is None:
        pytest.fail("chromium is not installed: run `apt-get install -y chromium` (Debian) or `make browser`")
    return found


def _questions() -> list[LoggedQuestion]:
    rows = [
        ("Bằng khen cần hồ sơ gì?", ANSWER, "bang-khen.ho-so", None, 0),
        ("bk can gi", SUGGEST, "bang-khen.ho-so", "bang-khen.ho-so", 1),
        ("làm hộ chiếu ở đâu", FALLBACK, None, None, 2),
        ("lam ho chieu o dau", SUGGEST, "ho-so-ca-nhan", CHOICE_NONE, 3),
        ("<b>giá vàng</b> & 'xổ số'", FALLBACK, None, None, 5),
    ]
    return [
        _logged(text, status, entry, choice, NOW - dt.timedelta(days=day, hours=1), f"key{i}", latency_ms=100.0 + i)
        for i, (text, status, entry, choice, day) in enumerate(rows)
    ]


def _logged(
    text: str, status: str, entry: str | None, choice: str | None, when: dt.datetime, user: str, **extra: object
) -> LoggedQuestion:
    """A logged question from a private chat in Vietnamese, scored 60."""
    return LoggedQuestion(when, user, "private", "vi", text, text.lower(), status, entry, 60.0, choice=choice, **extra)


def _run(browser: str, profile: Path, *args: str) -> subprocess.CompletedProcess[str]:
    """Run chromium in its own process group, so a timeout also ends its helper processes."""
    command = [browser, *FLAGS, f"--user-data-dir={profile}", *args]
    with subprocess.Popen(
        command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, start_new_session=True
    ) as process:
        try:
            out, err = process.communicate(timeout=TIMEOUT)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.communicate()
            pytest.fail(f"chromium did not finish within {TIMEOUT} s: {' '.join(args)}")
    return subprocess.CompletedProcess(command, process.returncode, out, err)


def test_html_report_renders_with_its_charts_in_chromium(tmp_path: Path) -> None:
    browser = _chromium()
    report = build_report(
        _questions(),
        start=NOW - dt.timedelta(days=7),
        end=NOW,
        closest=lambda text: ("ho-so-ca-nhan", "Hồ sơ cá nhân gồm gì?", 40.0),
        style_of=make_style_of(None),
    )
    page = render_html(report)
    assert "<script" not in page  # the shipped page has no script; only the test adds the probe
    html_path = tmp_path / "report.html"
    html_path.write_text(page.replace("</body>", PROBE + "</body>"), encoding="utf-8")
    url = html_path.as_uri()

    dom = _run(browser, tmp_path / "profile-dom", "--virtual-time-budget=10000", "--dump-dom", url)
    assert dom.returncode == 0, dom.stderr[-2000:]
    body = re.search(r"<body([^>]*)>", dom.stdout)
    assert body is not None, dom.stdout[:2000]
    images = re.search(r'data-images="(\d+)"', body.group(1))
    loaded = re.search(r'data-loaded="(\d+)"', body.group(1))
    assert images and loaded, f"the probe did not run: {body.group(0)}"
    assert int(images.group(1)) == 3
    assert int(loaded.group(1)) == 3, "some charts did not decode"
    assert "câu hỏi chưa trả lời được" in dom.stdout  # Vietnamese survives the round trip (charset)
    assert "&lt;b&gt;giá vàng&lt;/b&gt; &amp; 'xổ số'" in dom.stdout  # user text stays text
    assert "<b>giá vàng</b>" not in dom.stdout

    shot = tmp_path / "page.png"
    run = _run(browser, tmp_path / "profile-shot", f"--screenshot={shot}", "--window-size=1200,2000", url)
    assert run.returncode == 0, run.stderr[-2000:]
    png = shot.read_bytes()
    assert png.startswith(b"\x89PNG")
    assert (int.from_bytes(png[16:20], "big"), int.from_bytes(png[20:24], "big")) == (1200, 2000)


LAYOUT_PROBE = (
    "<script>window.addEventListener('load',function(){var b=document.body,out=[];"
    "['unanswered','outside','feedback','phrasings','top','status','per-day'].forEach(function(id){"
    "var e=document.getElementById(id);out.push(id+':'+(e?Math.round(e.getBoundingClientRect().top+scrollY):-1));});"
    "b.setAttribute('data-tops',out.join(','));"
    "b.setAttribute('data-height',String(document.documentElement.scrollHeight));"
    "var t=b.innerText;['bang-khen.','entry-0','ho-so-ca-nhan'].forEach(function(s,i){"
    "b.setAttribute('data-id'+i,String(t.indexOf(s)));});});</script>"
)


def _busy_month() -> list[LoggedQuestion]:
    """What the issue saw: 50 entries answered over 30 mostly-quiet days, then the unanswered questions."""
    rows: list[tuple[str, str, str | None, str | None, int, int, int | None]] = []
    for i in range(50):
        rows.append((f"câu hỏi số {i} về bằng khen", ANSWER, f"entry-{i}", None, i % 3, i % 5, None))
    rows += [
        ("hồ sơ bằng khen thủ tướng nộp khi nào", ANSWER, "entry-1", None, 1, 1, -1),
        ("tiêu chuẩn cstđ cấp bộ khi có 3 năm cstđ cơ sở", FALLBACK, None, None, 2, 1, None),
        ("3 nam cstd co so thi len cstd bo duoc khong", FALLBACK, None, None, 3, 2, None),
        ("làm hộ chiếu ở đâu", FALLBACK, None, None, 4, 1, None),
        ("giá vàng hôm nay", FALLBACK, None, None, 5, 2, None),
        ("bk cần gì", SUGGEST, "entry-2", "entry-2", 1, 1, None),  # one person's tap: not pasteable
        ("mẫu báo cáo thành tích", SUGGEST, "entry-4", "entry-4", 1, 1, None),  # two people's: pasteable
        ("mau bao cao thanh tich", SUGGEST, "entry-4", "entry-4", 2, 2, None),
    ]
    return [
        _logged(
            text,
            status,
            entry,
            choice,
            NOW - dt.timedelta(days=day, hours=1, minutes=i),
            f"key{user}",
            feedback=feedback,
            latency_ms=100.0,
        )
        for i, (text, status, entry, choice, day, user, feedback) in enumerate(rows)
    ]


def _busy_closest(text: str) -> tuple[str, str, float] | None:
    if "cstd" in text or "cstđ" in text:
        return "entry-3", "Tiêu chuẩn Chiến sĩ thi đua cấp Bộ là gì?", 61.0
    return "ho-so-ca-nhan", "Hồ sơ cá nhân gồm gì?", 38.0  # under the suggestion floor: not shown


def test_html_report_puts_what_needs_action_first_in_chromium(tmp_path: Path) -> None:
    browser = _chromium()
    report = build_report(
        _busy_month(),
        start=NOW - dt.timedelta(days=30),
        end=NOW,
        closest=_busy_closest,
        outside=lambda text: "hộ chiếu" in text or "vàng" in text,
        style_of=make_style_of(None),
        titles={f"entry-{i}": f"Tiêu đề mục số {i}" for i in range(50)},
    )
    html_path = tmp_path / "report.html"
    html_path.write_text(render_html(report).replace("</body>", LAYOUT_PROBE + "</body>"), encoding="utf-8")
    dom = _run(
        browser,
        tmp_path / "profile",
        "--window-size=1200,2000",
        "--virtual-time-budget=10000",
        "--dump-dom",
        html_path.as_uri(),
    )
    assert dom.returncode == 0, dom.stderr[-2000:]
    body = re.search(r"<body([^>]*)>", dom.stdout)
    assert body is not None and "data-tops" in body.group(1), dom.stdout[:2000]
    attrs = dict(re.findall(r'(data-[\w-]+)="([^"]*)"', body.group(1)))
    tops = {k: int(v) for k, v in (pair.split(":") for pair in attrs["data-tops"].split(","))}
    # Unanswered first, near the top of the page; then noise, 👎, phrasings; figures and the day list last.
    assert 0 < tops["unanswered"] < 300, tops
    order = ["unanswered", "outside", "feedback", "phrasings", "top", "status", "per-day"]
    assert [tops[k] for k in order] == sorted(tops[k] for k in order), tops
    assert int(attrs["data-height"]) > 2900  # the page is as long as the issue's: what moved is the order
    # Entry titles, not ids (ids only on hover); no closest entry under the floor.
    assert attrs["data-id0"] == attrs["data-id1"] == attrs["data-id2"] == "-1"
    assert "Tiêu đề mục số 1" in dom.stdout and "Tiêu chuẩn Chiến sĩ thi đua cấp Bộ là gì?" in dom.stdout
    assert "Hồ sơ cá nhân gồm gì?" not in dom.stdout
    unanswered, outside = dom.stdout.split('id="outside"')[0], dom.stdout.split('id="outside"')[1]
    assert "tiêu chuẩn cstđ cấp bộ" in unanswered and "hộ chiếu" not in unanswered
    assert "làm hộ chiếu ở đâu" in outside.split('id="feedback"')[0]
    # 👎 with what was asked; the paste block asks for a review and holds back one person's tap.
    assert "«hồ sơ bằng khen thủ tướng nộp khi nào»" in dom.stdout
    assert "Xem lại từng dòng trước khi dán" in dom.stdout and "Review each line before pasting" in dom.stdout
    phrasings = dom.stdout.split('id="phrasings"')[1].split('id="top"')[0]
    assert "mẫu báo cáo thành tích" in phrasings and "bk cần gì" not in phrasings
