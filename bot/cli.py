"""Command line: the only place that turns errors into exit codes and prints."""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from bot.assembly import build_answerer
from bot.calendar.deadlines import calendar_of
from bot.config import Config, find_config_path, load_config
from bot.core.answers import Reply
from bot.core.checks import (
    check_collisions,
    check_coverage,
    check_documents,
    check_lengths,
    check_synonym_keys,
    law_coverage,
)
from bot.core.coverage import coverage_lines
from bot.core.errors import ConfigError, KnowledgeError, StorageError, TdktError
from bot.core.evaluation import DEFAULT_SET, evaluate, load_labelled
from bot.core.knowledge import Knowledge, load_knowledge

EXIT_OK, EXIT_FAIL, EXIT_USAGE = 0, 1, 2


def _print_reply(reply: Reply, as_json: bool) -> None:
    if as_json:
        print(json.dumps(reply.to_json(), ensure_ascii=False), flush=True)
    else:
        print(reply.message, end="\n\n", flush=True)


def cmd_ask(args: argparse.Namespace, config: Config) -> int:
    """Answer one question, or one per line of stdin."""
    answerer = build_answerer(config)
    questions = [" ".join(args.question)] if args.question else (line.rstrip("\n") for line in sys.stdin)
    for question in questions:
        if not question.strip():
            continue
        if args.explain:
            from bot.core.explain import explain

            print(explain(answerer, question), end="\n\n", flush=True)
        _print_reply(answerer.ask(question, lang=args.lang), args.json)
    return EXIT_OK


def cmd_chat(args: argparse.Namespace, config: Config) -> int:
    """Interactive chat in the terminal; a number picks a suggestion."""
    answerer = build_answerer(config)
    print(answerer.text("greeting", args.lang or "vi"), "\n(Ctrl+D hoặc /thoat để thoát)\n", flush=True)
    offered: list[str] = []
    while True:
        try:
            question = input("> ").strip()
        except (EOFError, KeyboardInterrupt):
            print()
            return EXIT_OK
        if question in {"/thoat", "/quit", "/exit"}:
            return EXIT_OK
        if question.isdigit() and 0 < int(question) <= len(offered):
            entry = answerer.knowledge.entries[offered[int(question) - 1]]
            from bot.core.render import to_plain

            print(to_plain(answerer.entry_parts(entry, args.lang or "vi")), end="\n\n", flush=True)
            continue
        if not question:
            continue
        reply = answerer.ask(question, lang=args.lang)
        offered = [s.entry.id for s in reply.suggestions]
        _print_reply(reply, False)


def cmd_check(args: argparse.Namespace, config: Config) -> int:
    """Validate every knowledge file; list all problems."""
    today = dt.date.today()
    try:
        answerer = build_answerer(config)
    except KnowledgeError as exc:
        _print_problems(exc.problems)
        return EXIT_FAIL
    knowledge = answerer.knowledge
    if args.review:
        return _review(knowledge, args.review)
    if args.coverage:
        return _coverage(knowledge)
    document_problems, document_warnings = check_documents(knowledge, today)
    problems = (
        check_lengths(answerer, today)
        + check_synonym_keys(knowledge)
        + document_problems
        + check_coverage(knowledge)
        + check_collisions(answerer)
    )
    calendar = calendar_of(knowledge)
    warnings = (calendar.warnings(today) if calendar else []) + document_warnings
    for warning in warnings:
        print(f"warning: {warning}")
    if problems:
        _print_problems(problems)
        return EXIT_FAIL
    faq = sum(1 for e in knowledge.entries.values() if e.award_id is None)
    print(
        f"knowledge OK ({knowledge.version}): {faq} FAQ entries, {len(knowledge.awards)} awards, "
        f"{len(knowledge.entries) - faq} catalogue answers, {len(knowledge.topics)} topics"
    )
    return EXIT_OK


def _review(knowledge: Knowledge, query: str) -> int:
    """`check --review DOCUMENT`: every entry that cites the document, so it can be rewritten when it changes."""
    from bot.core.citations import entries_citing

    if knowledge.documents is None:
        print(f"error: no documents.yaml in {knowledge.path}", file=sys.stderr)
        return EXIT_FAIL
    found = knowledge.documents.find(query)
    if not found:
        print(f"error: no document matching {query!r} in documents.yaml", file=sys.stderr)
        return EXIT_FAIL
    for doc in found:
        cites = entries_citing(knowledge, knowledge.documents, [doc])
        entries = list(dict.fromkeys(c.entry_id for c in cites if c.entry_id))
        until = f", in force until {doc.in_force_until.isoformat()}" if doc.in_force_until else ""
        print(f"{doc.short_title} [{doc.id}] ({doc.status}{until}): cited by {len(entries)} entries")
        for cite in cites:
            print(f"  {cite.where}: field '{cite.field}': {cite.resolved.citation}")
    return EXIT_OK


def _coverage(knowledge: Knowledge) -> int:
    """`check --coverage`: the articles of the Law (and known articles of the decree) no entry covers."""
    coverage = law_coverage(knowledge)
    if coverage is None:
        print(f"error: no documents.yaml or law-coverage.yaml in {knowledge.path}", file=sys.stderr)
        return EXIT_FAIL
    for line in coverage_lines(coverage):
        print(line)
    covered = sum(1 for a in coverage.articles if a.covered)
    print(f"covered: {covered} of {len(coverage.articles)} listed articles")
    if coverage.problems:
        _print_problems(coverage.problems)
        return EXIT_FAIL
    return EXIT_OK


def _print_problems(problems: Sequence[str]) -> None:
    print(f"knowledge check failed: {len(problems)} problem(s)", file=sys.stderr)
    for problem in problems:
        print(f"  - {problem}", file=sys.stderr)


def cmd_eval(args: argparse.Namespace, config: Config) -> int:
    """Run a labelled question set and print accuracy per style and the misses."""
    answerer = build_answerer(config)
    chosen = args.file_option or args.file
    report = evaluate(answerer, load_labelled(Path(chosen) if chosen else DEFAULT_SET))
    for line in report.lines():
        print(line)
    if report.misses:
        print(f"\nmisses ({len(report.misses)}):")
        for miss in report.misses:
            print(f"  {miss}")
    return EXIT_OK


def cmd_run(args: argparse.Namespace, config: Config) -> int:
    """Run the Telegram bot (long polling, or webhook when configured)."""
    if not config.telegram.has_token():
        print(
            "error: no Telegram bot token configured: set telegram.token in the config file or the environment "
            "variable TDKT_BOT_TOKEN (the token @BotFather gave you, like 123456:ABC...)",
            file=sys.stderr,
        )
        return EXIT_USAGE
    from bot.telegram.app import run_bot

    return run_bot(config, startup_hooks=tuple(hook() for hook in _STARTUP_HOOKS))


def cmd_start(args: argparse.Namespace, config: Config) -> int:
    """The main job: the Telegram bot when a token is configured, otherwise the terminal chat."""
    if config.telegram.has_token():
        return cmd_run(args, config)
    print("(no Telegram token configured: starting the terminal chat)\n", flush=True)
    args.lang = None
    return cmd_chat(args, config)


def cmd_deadlines(args: argparse.Namespace, config: Config) -> int:
    """List upcoming deadlines, as text or JSON, or write them to an iCalendar file."""
    import json as _json
    from zoneinfo import ZoneInfo

    from bot.calendar.deadline_text import deadlines_text
    from bot.calendar.deadlines import upcoming
    from bot.calendar.ics_export import calendar_to_ics

    knowledge = load_knowledge(config.knowledge.path, config.knowledge.deadlines)
    calendar = calendar_of(knowledge)
    if calendar is None:
        print(f"error: no deadlines.yaml in {config.knowledge.path}", file=sys.stderr)
        return EXIT_FAIL
    if args.days < 1:
        print("error: --days must be at least 1", file=sys.stderr)
        return EXIT_USAGE
    now = dt.datetime.now(ZoneInfo(config.reminders.timezone))
    found = upcoming(calendar, now.date(), args.days)
    if args.ics:
        data = calendar_to_ics(found, config.reminders.lead_days, lang=args.lang, now=now)
        Path(args.ics).write_bytes(data)
        print(f"wrote {len(found)} events to {args.ics}")
    elif args.json:
        print(
            _json.dumps(
                [
                    {"id": o.deadline.id, "title": o.deadline.title(args.lang), "date": o.date.isoformat()}
                    for o in found
                ],
                ensure_ascii=False,
            )
        )
    else:
        print(deadlines_text(knowledge, calendar, now.date(), args.days, args.lang))
    return EXIT_OK


def cmd_remind(args: argparse.Namespace, config: Config) -> int:
    """Run one reminder pass as if it were --at, with the configured database and Bot API."""
    import asyncio
    from zoneinfo import ZoneInfo

    tz = ZoneInfo(config.reminders.timezone)
    if args.at:
        try:
            at = dt.datetime.fromisoformat(args.at)
        except ValueError:
            print(f"error: --at expects an ISO date-time such as 2026-12-03T08:00, got {args.at!r}", file=sys.stderr)
            return EXIT_USAGE
        at = at.replace(tzinfo=tz) if at.tzinfo is None else at.astimezone(tz)
    else:
        at = dt.datetime.now(tz)
    if not args.dry_run and not config.telegram.has_token():
        print("error: sending reminders needs telegram.token (or use --dry-run)", file=sys.stderr)
        return EXIT_USAGE
    knowledge = load_knowledge(config.knowledge.path, config.knowledge.deadlines)
    if calendar_of(knowledge) is None:
        print(f"error: no deadlines.yaml in {config.knowledge.path}", file=sys.stderr)
        return EXIT_FAIL
    from bot.telegram.reminder_send import remind_once

    result = asyncio.run(remind_once(config, knowledge, at, dry_run=args.dry_run))
    for chat_id, text in result.messages:
        first = text.strip().splitlines()[0]
        print(f"{'would send' if args.dry_run else 'sent'} to {chat_id}: {first}")
    print(result.summary())
    # A user who blocked the bot is an expected event (the subscription is deactivated), not a failed run.
    return EXIT_OK if result.failed - result.deactivated == 0 else EXIT_FAIL


def cmd_report(args: argparse.Namespace, config: Config) -> int:
    """Organiser report over the question log: text, CSV (UTF-8 with BOM) or one self-contained HTML file."""
    import asyncio
    from zoneinfo import ZoneInfo

    from bot.core.records import LoggedQuestion
    from bot.review.learned import load_dismissed
    from bot.review.report_render import render_csv, render_html, render_text
    from bot.review.reports import Report, generate
    from bot.storage.database import Storage

    if args.days < 1:
        print("error: --days must be at least 1", file=sys.stderr)
        return EXIT_USAGE
    if not config.storage.path.exists():
        print(f"error: no question log at {config.storage.path} (storage.path)", file=sys.stderr)
        return EXIT_FAIL
    answerer = build_answerer(config)
    dismissed = load_dismissed(config.knowledge.path / "learned.yaml")

    async def build() -> tuple[Report, list[LoggedQuestion]]:
        storage = await Storage(config.storage.path).open()
        try:
            return await generate(
                storage,
                days=args.days,
                now=dt.datetime.now(dt.UTC),
                answerer=answerer,
                dismissed=dismissed,
                tz=ZoneInfo(config.reminders.timezone),
            )
        finally:
            await storage.close()

    report, questions = asyncio.run(build())
    if args.format == "csv":
        data = render_csv(report, questions)
    elif args.format == "html":
        data = render_html(report).encode()
    else:
        data = render_text(report).encode()
    if args.out:
        Path(args.out).write_bytes(data)
        print(f"wrote {args.out}")
    else:
        sys.stdout.buffer.write(data)
        sys.stdout.flush()
    return EXIT_OK


def cmd_backup(args: argparse.Namespace, config: Config) -> int:
    """Consistent online copy of the database (SQLite backup API), safe while the bot runs."""
    import asyncio

    from bot.storage.database import Storage

    if not config.storage.path.exists():
        print(f"error: no database at {config.storage.path} (storage.path)", file=sys.stderr)
        return EXIT_FAIL

    async def copy() -> None:
        storage = await Storage(config.storage.path).open()
        try:
            await storage.backup(Path(args.file))
        finally:
            await storage.close()

    asyncio.run(copy())
    print(f"backed up {config.storage.path} to {args.file}")
    return EXIT_OK


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="tdkt-bot", description="Hỏi đáp thi đua, khen thưởng (TĐKT).")
    parser.add_argument("--config", metavar="PATH", help="config file (default: $TDKT_CONFIG, then ./config.yaml)")
    parser.add_argument("--no-cache", action="store_true", help=_NO_CACHE_HELP)
    sub = parser.add_subparsers(dest="command", required=True)

    ask = sub.add_parser("ask", help="answer a question (or one per line of stdin)")
    ask.add_argument("--json", action="store_true", help="one JSON object per line")
    ask.add_argument("--lang", choices=["vi", "en"], help="answer language (default: detected)")
    ask.add_argument("--explain", action="store_true", help="show how the question was read and ranked")
    ask.add_argument("question", nargs="*", help="the question; read stdin when absent")
    ask.set_defaults(func=cmd_ask)

    chat = sub.add_parser("chat", help="interactive chat in the terminal")
    chat.add_argument("--lang", choices=["vi", "en"])
    chat.set_defaults(func=cmd_chat)

    check = sub.add_parser("check", help="validate the knowledge files")
    mode = check.add_mutually_exclusive_group()
    mode.add_argument("--review", metavar="DOCUMENT", help="list every entry citing a document (e.g. 152/2025)")
    mode.add_argument("--coverage", action="store_true", help="print the articles of the Law no entry covers")
    check.set_defaults(func=cmd_check)

    ev = sub.add_parser("eval", help="accuracy on a labelled question set")
    ev.add_argument("file", nargs="?", help="question set or folder of sets (default: tests/eval/)")
    ev.add_argument("--file", dest="file_option", metavar="PATH", help="the same, as an option (e.g. a held-out set)")
    ev.set_defaults(func=cmd_eval)

    deadlines = sub.add_parser("deadlines", help="upcoming deadlines (text, --json or --ics FILE)")
    deadlines.add_argument("--json", action="store_true", help="one JSON array of {id, title, date}")
    deadlines.add_argument("--days", type=int, default=90, help="how many days ahead (default 90)")
    deadlines.add_argument("--ics", metavar="FILE", help="write an iCalendar file with an alarm at each lead day")
    deadlines.add_argument("--lang", choices=["vi", "en"], default="vi")
    deadlines.set_defaults(func=cmd_deadlines)

    remind = sub.add_parser("remind", help="run one reminder pass now or --at a moment")
    remind.add_argument("--at", metavar="ISO-DATETIME", help="act as if it were this moment (local time zone)")
    remind.add_argument("--dry-run", action="store_true", help="show what would be sent; send and record nothing")
    remind.set_defaults(func=cmd_remind)

    report = sub.add_parser("report", help="organiser report over the question log")
    report.add_argument("--days", type=int, default=30, help="how many days back (default 30)")
    report.add_argument("--format", choices=["text", "csv", "html"], default="text")
    report.add_argument("--out", metavar="FILE", help="write to FILE instead of standard output")
    report.set_defaults(func=cmd_report)

    backup = sub.add_parser("backup", help="consistent copy of the database while the bot runs")
    backup.add_argument("file", help="the new file to write")
    backup.set_defaults(func=cmd_backup)

    run = sub.add_parser("run", help="run the Telegram bot")
    run.set_defaults(func=cmd_run)

    start = sub.add_parser("start", help="the bot with a token configured, else the terminal chat")
    start.set_defaults(func=cmd_start)

    for register in _EXTRA_COMMANDS:
        register(sub)
    for command in sub.choices.values():  # also after the command: `ask --no-cache`
        command.add_argument("--no-cache", action="store_true", default=argparse.SUPPRESS, help=_NO_CACHE_HELP)
    return parser


_NO_CACHE_HELP = "build the index from the knowledge, neither reading nor writing the compiled index cache"


# Commands of the Telegram, reminder and report layers register themselves here (imported lazily).
_EXTRA_COMMANDS: list[Callable[[argparse._SubParsersAction], None]] = []  # type: ignore[type-arg]
# Factories of startup hooks for the Telegram application (reminder scheduling).
_STARTUP_HOOKS: list[Callable[[], Any]] = []


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        config = load_config(find_config_path(args.config, dict(os.environ), Path.cwd()))
    except ConfigError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return EXIT_USAGE
    if args.no_cache:
        config = config.model_copy(update={"knowledge": config.knowledge.model_copy(update={"cache": False})})
    try:
        return int(args.func(args, config))
    except KnowledgeError as exc:
        _print_problems(exc.problems)
        return EXIT_FAIL
    except (StorageError, TdktError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return EXIT_FAIL
    except BrokenPipeError:
        return EXIT_OK


if __name__ == "__main__":
    sys.exit(main())
