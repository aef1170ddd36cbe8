"""Benchmark: questions answered per second by the bot and by a minimal PTB echo bot, over the Bot API emulator.

Run: .venv/bin/python bench/throughput.py [--questions 500] [--users 50] [--rounds 1]

Both bots are subprocesses polling the same emulator (in this process), one after the other: the bot through its
real entry point (`python -m bot --config FILE run`), the echo bot built here with the same ApplicationBuilder
settings (token, base URLs, rate limiter class and settings, concurrent updates, polling arguments). Telegram's
broadcast limit is set high (telegram.overall_max_rate) so the limiter is not the bottleneck, and the bot's flood
limit too. K simulated users each keep one question in flight (send, wait for the reply, send the next), so the
reply latency of every question is exact: from pushing the update to the emulator receiving the sendMessage.
The questions are the labelled evaluation set (tests/eval/questions.yaml), a realistic mix of answers,
suggestions and fallbacks. Prints both throughputs, the ratio bot/echo (target >= 0.6, issue 17), p50/p95 latency
and the load average (the machine may be shared: compare ratios from one run, not absolute figures across runs).
"""

from __future__ import annotations

import argparse
import os
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(REPO / "tests"))

import emulator as emulator_module  # noqa: E402  (tests/emulator/, stdlib only)

from bot.assembly import build_answerer, wire_answerer  # noqa: E402
from bot.core.evaluation import DEFAULT_SET, load_labelled  # noqa: E402
from bot.telegram.app import CONCURRENT_UPDATES  # noqa: E402

TOKEN = "1000000001:AAbench0123456789abcdef0123456789"
OVERALL_MAX_RATE = 100_000.0
POLL_TIMEOUT = 10
TARGET_RATIO = 0.6  # issue 17
USER_BASE = 500_000_000


# --------------------------------------------------------------------------- the echo bot (run as a subprocess)


def run_reference_bot(base_url: str, base_file_url: str, handler: Any, uvloop: bool = False) -> int:
    """Run a PTB bot built with the real bot's ApplicationBuilder settings, answering text with `handler`.

    On asyncio's event loop (python-telegram-bot's default), or on uvloop as the bot's `telegram.uvloop` does.
    """
    import httpx
    from telegram import Update
    from telegram.ext import ApplicationBuilder, MessageHandler, filters

    from bot.telegram.app import RetryingRateLimiter, http_clients, install_event_loop

    if uvloop:
        install_event_loop(True)

    calls, updates = http_clients(httpx.create_ssl_context())
    app = (
        ApplicationBuilder()
        .token(TOKEN)
        .base_url(base_url)
        .base_file_url(base_file_url)
        .rate_limiter(RetryingRateLimiter(overall_max_rate=OVERALL_MAX_RATE, max_retries=5))
        .concurrent_updates(CONCURRENT_UPDATES)
        .request(calls)  # the bot's own HTTP clients: pool size and timeouts
        .get_updates_request(updates)
        .build()
    )
    app.add_handler(MessageHandler(filters.UpdateType.MESSAGE & filters.TEXT & ~filters.COMMAND, handler))
    app.run_polling(timeout=POLL_TIMEOUT, allowed_updates=[Update.MESSAGE, Update.CALLBACK_QUERY], poll_interval=0.0)
    return 0


def run_echo_bot(base_url: str, base_file_url: str, uvloop: bool = False) -> int:
    """A minimal PTB bot built like the real one, echoing every text message."""
    from telegram import Update
    from telegram.ext import ContextTypes

    async def echo(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        if update.effective_message and update.effective_message.text:
            await update.effective_message.reply_text(update.effective_message.text)

    return run_reference_bot(base_url, base_file_url, echo, uvloop)


def run_replay_bot(base_url: str, base_file_url: str, replies_file: str) -> int:
    """The same PTB bot, sending for each question the very reply the real bot sends, looked up, not computed.

    Its cost is python-telegram-bot's for messages as rich as the bot's (HTML, keyboards, long text); the bot's
    extra cost over it is what matching and logging add.
    """
    import json

    from telegram import InlineKeyboardMarkup, Update
    from telegram.ext import ContextTypes

    replies = json.loads(Path(replies_file).read_text(encoding="utf-8"))

    async def replay(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        message = update.effective_message
        if message is None or message.text is None:
            return
        for chunk in replies[message.text]:
            markup = InlineKeyboardMarkup.de_json(chunk["markup"], context.bot) if chunk["markup"] else None
            await message.reply_text(chunk["text"], parse_mode=chunk["parse_mode"], reply_markup=markup)

    return run_reference_bot(base_url, base_file_url, replay)


def precompute_replies(questions: Sequence[str], path: Path) -> None:
    """The messages the bot sends for each question (text, parse mode, keyboard), for the replay bot."""
    import html
    import json

    from bot.config import load_config
    from bot.core.records import ANSWER, SUGGEST
    from bot.core.render import split_html, to_html
    from bot.telegram import keyboards as kb

    config = load_config(None, env={})
    answerer = build_answerer(config)
    out: dict[str, list[dict[str, Any]]] = {}
    for question in questions:
        reply = answerer.ask(question)
        ref = "bench-ref"
        if reply.status == ANSWER and reply.entry is not None and reply.parts is not None:
            chunks = split_html(to_html(reply.parts))
            markup = kb.answer_keyboard(answerer, reply.entry, ref, reply.lang).to_dict()
            out[question] = [
                {"text": c, "parse_mode": "HTML", "markup": markup if i == len(chunks) - 1 else None}
                for i, c in enumerate(chunks)
            ]
        elif reply.status == SUGGEST:
            markup = kb.suggestion_keyboard(reply.suggestions, ref, answerer.text("suggest_none", reply.lang)).to_dict()
            out[question] = [{"text": answerer.text("suggest_intro", reply.lang), "parse_mode": None, "markup": markup}]
        else:
            out[question] = [{"text": html.unescape(reply.message), "parse_mode": None, "markup": None}]
    path.write_text(json.dumps(out, ensure_ascii=False), encoding="utf-8")


# --------------------------------------------------------------------------- driver


@dataclass
class Result:
    name: str
    questions: int
    seconds: float
    latencies: list[float]
    cpu_seconds: float | None = None  # the bot process's user+system CPU during the measurement

    @property
    def cpu_ms_per_question(self) -> float | None:
        return None if self.cpu_seconds is None else self.cpu_seconds * 1000 / self.questions

    @property
    def per_second(self) -> float:
        return self.questions / self.seconds

    def percentile(self, fraction: float) -> float:
        ordered = sorted(self.latencies)
        return ordered[min(len(ordered) - 1, round(fraction * (len(ordered) - 1)))]


def start_emulator() -> ClosedLoopEmulator:
    emu = ClosedLoopEmulator(TOKEN)
    emu.start()
    return emu


def cpu_seconds(pid: int) -> float | None:
    """User+system CPU time of a process (Linux /proc), None elsewhere."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return None
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def start_process(args: list[str], emu: ClosedLoopEmulator, log: Path) -> subprocess.Popen[bytes]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("TDKT_")}
    with log.open("wb") as out:
        proc = subprocess.Popen([sys.executable, *args], cwd=REPO, env=env, stdout=out, stderr=out)
    emu.wait_for(lambda: proc.poll() is not None or emu.is_polling, 60, description="the bot to start polling")
    if proc.poll() is not None:
        raise SystemExit(f"bot exited at start:\n{log.read_text(errors='replace')}")
    return proc


def stop_process(proc: subprocess.Popen[bytes]) -> None:
    proc.send_signal(signal.SIGTERM)
    try:
        proc.wait(30)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait(10)


class ClosedLoopEmulator(emulator_module.BotApiEmulator):
    """The emulator, plus simulated users who send their next question the moment a reply reaches "Telegram".

    Pairing happens inside the emulator's request handler, so a slow driver thread cannot add latency.
    """

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._loop_lock = threading.Lock()
        self._queue: Iterator[str] = iter(())
        self._pushed_at: dict[int, float] = {}
        self.latencies: list[float] = []
        self.last_reply = 0.0
        self.unpaired = 0
        self.finished = threading.Event()
        self._expected = 0

    def run_loop(self, questions: Sequence[str], chats: Sequence[int], timeout: float = 120.0) -> tuple[float, float]:
        """Send `questions` from `chats`, one in flight per chat; return (start, time of the last reply)."""
        with self._loop_lock:
            self._queue = iter(questions)
            self._pushed_at.clear()
            self.latencies = []
            self._expected = len(questions)
            self.finished.clear()
        started = time.time()
        for chat in chats:
            self._next(chat)
        if not self.finished.wait(timeout):
            raise SystemExit(f"only {len(self.latencies)} of {len(questions)} replies within {timeout}s")
        return started, self.last_reply

    def _next(self, chat: int) -> None:
        with self._loop_lock:
            question = next(self._queue, None)
            if question is None:
                return
            self._pushed_at[chat] = time.time()
        self.send_text(chat, question)

    def _api_sendmessage(self, params: dict[str, Any]) -> dict[str, Any]:
        result = super()._api_sendmessage(params)
        now = time.time()
        chat = int(params["chat_id"])
        with self._loop_lock:
            pushed = self._pushed_at.pop(chat, None)
            if pushed is None:
                self.unpaired += 1
                return result
            self.latencies.append(now - pushed)
            self.last_reply = now
            if len(self.latencies) == self._expected:
                self.finished.set()
        self._next(chat)
        return result


def drive(emu: ClosedLoopEmulator, questions: Sequence[str], users: int, user_base: int) -> Result:
    """K users, one question in flight each; returns elapsed time and per-question latency."""
    started, last = emu.run_loop(questions, [user_base + i for i in range(users)])
    if emu.rejected:
        raise SystemExit(f"requests refused by the emulator: {[(r.method, r.description) for r in emu.rejected]}")
    if emu.unpaired:
        raise SystemExit(f"{emu.unpaired} replies came without a question in flight (a reply in several messages?)")
    return Result("", len(questions), last - started, list(emu.latencies))


def measure(
    name: str,
    args: list[str],
    emu: ClosedLoopEmulator,
    questions: Sequence[str],
    users: int,
    warmup: int,
    log: Path,
    user_base: int,
) -> Result:
    proc = start_process(args, emu, log)
    try:
        drive(emu, questions[:warmup], min(users, warmup), user_base)  # first-use costs out of the figures
        cpu_before = cpu_seconds(proc.pid)
        result = drive(emu, questions, users, user_base + users)
        cpu_after = cpu_seconds(proc.pid)
    finally:
        stop_process(proc)
    result.name = name
    if cpu_before is not None and cpu_after is not None:
        result.cpu_seconds = cpu_after - cpu_before
    return result


def single_message_questions(questions: list[str]) -> list[str]:
    """The questions the bot answers in one message (the driver pairs one reply with one question)."""
    from bot.config import BUNDLED_KNOWLEDGE
    from bot.core.knowledge import load_knowledge
    from bot.core.render import split_html, to_html

    answerer = wire_answerer(load_knowledge(BUNDLED_KNOWLEDGE))
    kept = []
    for question in questions:
        reply = answerer.ask(question)
        if reply.parts is None or len(split_html(to_html(reply.parts))) == 1:
            kept.append(question)
    return kept


CONTENDERS = ("bot", "bot-asyncio", "echo", "echo-uvloop", "replay")
DEFAULT_CONTENDERS = ("bot", "echo", "replay")


def print_ratio(
    results: dict[str, list[Result]], best: dict[str, Result], bot_name: str, echo_name: str, label: str, rounds: int
) -> None:
    """The throughput ratio of two contenders (best rounds, and per round), and their CPU-bound ratio."""
    bot, echo = best.get(bot_name), best.get(echo_name)
    if bot is None or echo is None:
        return
    target = f" (target >= {TARGET_RATIO})" if echo_name == "echo" else ""
    print(f"  ratio {label}: {bot.per_second / echo.per_second:.2f}{target}")
    if rounds > 1:
        ratios = [b.per_second / e.per_second for b, e in zip(results[bot_name], results[echo_name], strict=True)]
        listed = ", ".join(f"{r:.2f}" for r in ratios)
        print(f"    per round: {listed} (median {statistics.median(ratios):.2f})")
    cpu_bot, cpu_echo = bot.cpu_ms_per_question, echo.cpu_ms_per_question
    if cpu_bot and cpu_echo:
        line = f"    CPU-bound (its CPU per question ÷ the bot's, insensitive to other load): {cpu_echo / cpu_bot:.2f}"
        bots = [c for r in results[bot_name] if (c := r.cpu_ms_per_question) is not None]
        echos = [c for r in results[echo_name] if (c := r.cpu_ms_per_question) is not None]
        if rounds > 1 and bots and echos:
            line += f" (best rounds), {statistics.median(echos) / statistics.median(bots):.2f} (medians)"
        print(line)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--questions", type=int, default=500)
    parser.add_argument("--users", type=int, default=50)
    parser.add_argument("--rounds", type=int, default=1, help="alternate bot/echo this many times; report the best")
    parser.add_argument("--warmup", type=int, default=50)
    parser.add_argument(
        "--only",
        nargs="+",
        choices=CONTENDERS,
        help="run only these contenders (default: bot, echo, replay); bot-asyncio is the bot with telegram.uvloop "
        "off, echo-uvloop the echo bot on uvloop",
    )
    parser.add_argument("--profile", metavar="DIR", help="run both bots under cProfile, writing bot.prof and echo.prof")
    parser.add_argument("--echo-bot", nargs=2, metavar=("BASE_URL", "BASE_FILE_URL"), help=argparse.SUPPRESS)
    parser.add_argument("--echo-uvloop", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--replay-bot", nargs=3, metavar=("BASE_URL", "BASE_FILE_URL", "FILE"), help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.echo_bot:
        return run_echo_bot(*args.echo_bot, uvloop=args.echo_uvloop)
    if args.replay_bot:
        return run_replay_bot(*args.replay_bot)

    labelled = single_message_questions([item.question for item in load_labelled(DEFAULT_SET)])
    questions = [labelled[i % len(labelled)] for i in range(args.questions)]
    echo_questions = [f"echo {i}: {q}" for i, q in enumerate(questions)]
    results: dict[str, list[Result]] = {name: [] for name in CONTENDERS}
    with tempfile.TemporaryDirectory(prefix="tdkt-bench-") as tmp:
        root = Path(tmp)
        emu = start_emulator()
        try:
            configs = {}
            for name, uvloop in (("config.yaml", True), ("config-asyncio.yaml", False)):
                configs[name] = root / name
                configs[name].write_text(
                    yaml.safe_dump(
                        {
                            "telegram": {
                                "token": TOKEN,
                                "base_url": emu.base_url,
                                "base_file_url": emu.base_file_url,
                                "poll_timeout": POLL_TIMEOUT,
                                "overall_max_rate": OVERALL_MAX_RATE,
                                "uvloop": uvloop,
                            },
                            "storage": {"path": str(root / "bench.sqlite3"), "user_key_secret": "bench"},
                            "limits": {"questions_per_minute": 100_000},
                        }
                    ),
                    encoding="utf-8",
                )
            bot_args = ["-m", "bot", "--config", str(configs["config.yaml"]), "run"]
            bot_asyncio_args = ["-m", "bot", "--config", str(configs["config-asyncio.yaml"]), "run"]
            echo_args = [str(Path(__file__).resolve()), "--echo-bot", emu.base_url, emu.base_file_url]
            replies = root / "replies.json"
            if not args.only or "replay" in args.only:
                precompute_replies(sorted(set(questions)), replies)
            replay_args = [str(Path(__file__).resolve()), "--replay-bot", emu.base_url, emu.base_file_url, str(replies)]
            if args.profile:
                Path(args.profile).mkdir(parents=True, exist_ok=True)
                bot_args = ["-m", "cProfile", "-o", str(Path(args.profile) / "bot.prof"), *bot_args]
                echo_args = ["-m", "cProfile", "-o", str(Path(args.profile) / "echo.prof"), *echo_args]
            base = USER_BASE
            for round_no in range(args.rounds):
                contenders = (
                    ("bot", bot_args, questions),
                    ("bot-asyncio", bot_asyncio_args, questions),
                    ("echo", echo_args, echo_questions),
                    ("echo-uvloop", [*echo_args, "--echo-uvloop"], echo_questions),
                    ("replay", replay_args, questions),
                )
                for name, run_args, qs in contenders:
                    if name not in (args.only or DEFAULT_CONTENDERS):
                        continue
                    log = root / f"{name}-{round_no}.log"
                    results[name].append(measure(name, run_args, emu, qs, args.users, args.warmup, log, base))
                    base += 10 * args.users
        finally:
            emu.stop()

    best = {name: max(runs, key=lambda r: r.per_second) for name, runs in results.items() if runs}
    print(
        f"{args.questions} questions from {args.users} users (one in flight each), concurrent_updates="
        f"{CONCURRENT_UPDATES}, best of {args.rounds} round(s), {os.cpu_count()} CPUs, load average "
        + " ".join(f"{x:.2f}" for x in os.getloadavg())
    )
    for result in best.values():
        cpu = result.cpu_ms_per_question
        print(
            f"  {result.name:11}: {result.per_second:7.1f} questions/s  ({result.seconds:.2f} s)  latency p50 "
            f"{result.percentile(0.5) * 1000:6.1f} ms  p95 {result.percentile(0.95) * 1000:6.1f} ms  "
            f"mean {statistics.fmean(result.latencies) * 1000:6.1f} ms"
            + ("" if cpu is None else f"  CPU {cpu:.2f} ms/question")
        )
    if args.rounds > 1:
        for name, runs in results.items():
            if runs:
                listed = ", ".join(
                    f"{r.per_second:.1f}/s" + ("" if (c := r.cpu_ms_per_question) is None else f" ({c:.2f} ms)")
                    for r in runs
                )
                cpus = [r.cpu_ms_per_question for r in runs if r.cpu_ms_per_question is not None]
                median = f"; CPU median {statistics.median(cpus):.2f} ms/question" if cpus else ""
                print(f"  {name} rounds: {listed}{median}")
    for bot_name, echo_name, label in (
        ("bot", "echo", "bot/echo"),
        ("bot", "echo-uvloop", "bot/echo-uvloop (both on uvloop: the bot's own work, not the runtime)"),
        ("bot-asyncio", "echo", "bot-asyncio/echo (both on asyncio's loop)"),
    ):
        print_ratio(results, best, bot_name, echo_name, label, args.rounds)
    bot, replay = best.get("bot"), best.get("replay")
    if bot is not None and replay is not None:
        print(f"  ratio bot/replay (same replies, no matching or logging): {bot.per_second / replay.per_second:.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
