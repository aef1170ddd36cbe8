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
        LoggedQuestion(
            NOW - dt.timedelta(days=day, hours=1),
            f"key{i}",
            "private",
            "vi",
            text,
            text.lower(),
            status,
            entry,
            60.0,
            choice=choice,
            latency_ms=100.0 + i,
        )
        for i, (text, status, entry, choice, day) in enumerate(rows)
    ]


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
    assert "Chưa trả lời được" in dom.stdout  # Vietnamese survives the round trip (charset)
    assert "&lt;b&gt;giá vàng&lt;/b&gt; &amp; 'xổ số'" in dom.stdout  # user text stays text
    assert "<b>giá vàng</b>" not in dom.stdout

    shot = tmp_path / "page.png"
    run = _run(browser, tmp_path / "profile-shot", f"--screenshot={shot}", "--window-size=1200,2000", url)
    assert run.returncode == 0, run.stderr[-2000:]
    png = shot.read_bytes()
    assert png.startswith(b"\x89PNG")
    assert (int.from_bytes(png[16:20], "big"), int.from_bytes(png[20:24], "big")) == (1200, 2000)
