"""Command line: the only place that turns errors into exit codes and prints."""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import gc
import json
import os
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from bot.assembly import build_answerer
from bot.calendar.deadlines import calendar_of
from bot.config import Config, find_config_path, load_config
from bot.core.answers import Answerer, Reply
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
from bot.review.drafts import DraftError, check_drafts, drafts_path

EXIT_OK, EXIT_FAIL, EXIT_USAGE = 0, 1, 2


def _print_reply(reply: Reply, as_json: bool) -> None:
    if as_json:
        print(json.dumps(reply.to_json(), ensure_ascii=False), flush=True)
    else:
        print(reply.display, end="\n\n", flush=True)


def cmd_ask(args: argparse.Namespace, config: Config) -> int:
    """Answer one question, or one per line of stdin."""
    if not args.question and sys.stdin.isatty():
        print("Gõ câu hỏi, mỗi dòng một câu (Ctrl+D để kết thúc), hoặc: python -m bot ask \"câu hỏi\"", file=sys.stderr)
    answerer = build_answerer(config)
    answerer.logs_questions = False
    questions = [" ".join(args.question)] if args.question else (line.rstrip("\n") for line in sys.stdin)
    for question in questions:
        if not question.strip():
            continue
        if args.explain:
            from bot.core.explain import explain

            print(explain(answerer, question), end="\n\n", flush=True)
        _print_reply(answerer.ask(question, lang=args.lang), args.json)
    return EXIT_OK


def _chat_command(answerer: Answerer, command: str, lang: str) -> tuple[str, list[str]] | None:
    """The bot's browsing commands in the terminal: /chude, /hoso AWARD, /help. None: not one of them."""
    from bot.core.render import checklist_parts, to_plain

    name, _, rest = command.partition(" ")
    knowledge = answerer.knowledge
    if name in {"/help", "/start", "/huongdan"}:
        return answerer.text("help", lang), []
    if name in {"/chude", "/topics"}:
        lines, offered = [], []
        for topic in knowledge.topics:
            lines.append(f"\n{(topic.title.en if lang == 'en' else None) or topic.title.vi}")
            for entry in knowledge.entries.values():
                if entry.topic == topic.id and entry.award_id is None:
                    offered.append(entry.id)
                    lines.append(f"  {len(offered)}. {answerer.title(entry, lang)}")
        return "\n".join(lines).strip(), offered
    if name in {"/hoso", "/dossier"}:
        award_id = answerer.matcher.find_award(rest) if rest.strip() else None
        if award_id is None:
            names = ", ".join(a.name for a in knowledge.awards)
            return f"Gõ /hoso và tên khen thưởng, ví dụ /hoso bằng khen bộ. Có: {names}.", []
        parts = checklist_parts(knowledge, award_id, lang, dt.date.today())
        return "\n\n".join(to_plain(p) for p in parts), []
    return None


def _line_editing() -> None:
    # Arrow keys and history for input(); without readline (Windows) plain input still works.
    with contextlib.suppress(ImportError):
        import readline  # noqa: F401


def cmd_chat(args: argparse.Namespace, config: Config) -> int:
    """Interactive chat in the terminal; a number picks a suggestion; /chude, /hoso and /help work as in the bot."""
    _line_editing()
    print("đang nạp dữ liệu…", end="\r", flush=True)
    answerer = build_answerer(config)
    answerer.logs_questions = False
    print(" " * 20, end="\r")
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
        if question.startswith("/"):
            handled = _chat_command(answerer, question, args.lang or "vi")
            if handled is not None:
                text, offered = handled
                print(text, end="\n\n", flush=True)
                continue
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
        if reply.eligibility is not None and reply.eligibility.dossier is not None:
            offered = [reply.eligibility.dossier.id]
            print(f"1. {answerer.title(reply.eligibility.dossier, args.lang or reply.lang)}\n", flush=True)


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
    try:
        warnings += check_drafts(drafts_path(config.knowledge.path))  # drafts are not served: a warning each
    except DraftError as exc:
        problems.append(str(exc))
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
    if args.eligibility:
        from bot.core.eligibility_eval import DEFAULT_ELIGIBILITY_SET, evaluate_stories, load_stories

        stories = evaluate_stories(answerer, load_stories(Path(chosen) if chosen else DEFAULT_ELIGIBILITY_SET))
        for line in stories.lines():
            print(line)
        if stories.misses:
            print(f"\nmisses ({len(stories.misses)}):")
            for miss in stories.misses:
                print(f"  {miss}")
        return EXIT_OK
    report = evaluate(answerer, load_labelled(Path(chosen) if chosen else DEFAULT_SET))
    for line in report.lines():
        print(line)
    if report.misses:
        print(f"\nmisses ({len(report.misses)}):")
        for miss in report.misses:
            print(f"  {miss}")
    return EXIT_OK


def cmd_eligibility(args: argparse.Namespace, config: Config) -> int:
    """Check a record file against an award's criteria."""
    import yaml

    from bot.core.eligibility import evaluate, record_from_data
    from bot.core.eligibility_render import eligibility_text, to_plain
    from bot.core.record_reader import describe_record

    knowledge = load_knowledge(config.knowledge.path)
    criteria = knowledge.criteria
    if criteria is None:
        print(f"error: no criteria.yaml in {config.knowledge.path}", file=sys.stderr)
        return EXIT_USAGE
    try:
        data = yaml.safe_load(Path(args.record).read_text(encoding="utf-8"))
        record = record_from_data(data, dt.date.today().year)
    except FileNotFoundError:
        print(f"error: record file not found: {args.record}", file=sys.stderr)
        return EXIT_USAGE
    except (yaml.YAMLError, UnicodeDecodeError) as exc:
        print(f"error: {args.record}: not valid YAML: {str(exc).splitlines()[0]}", file=sys.stderr)
        return EXIT_USAGE
    except ValueError as exc:
        print(f"error: {args.record}: {exc}", file=sys.stderr)
        return EXIT_USAGE
    award = criteria.get(args.award) or criteria.for_award(args.award, record.subject)
    if award is None:
        ids = ", ".join(criteria.awards)
        print(f"error: unknown award {args.award!r}; known awards: {ids}", file=sys.stderr)
        return EXIT_USAGE
    verdict = evaluate(record, award, criteria, args.lang)
    understood = describe_record(record, args.lang)
    if args.json:
        out = verdict.to_json(understood)
        out["missing"] = list(verdict.missing)
        print(json.dumps(out, ensure_ascii=False))
    else:
        dossier = knowledge.entries.get(award.dossier) if award.dossier else None
        title = (dossier.question_en if dossier and args.lang == "en" else None) or (
            dossier.question_vi if dossier else None
        )
        print(to_plain(eligibility_text(verdict, understood, title), args.lang))
    return EXIT_OK


def cmd_run(args: argparse.Namespace, config: Config) -> int:
    """Run the Telegram bot (long polling, or webhook when configured)."""
    if not config.telegram.has_token():
        print(
            f"error: {config.telegram.token_problem()}: set telegram.token in the config file or the environment "
            "variable TDKT_BOT_TOKEN (the token @BotFather gave you, like 123456:ABC...)",
            file=sys.stderr,
        )
        return EXIT_USAGE
    # Start-up builds ~150,000 long-lived objects (python-telegram-bot's classes, the knowledge, the index) and
    # next to no cyclic garbage (~1,000 objects): the collector walking them again and again cost ~90 ms before
    # the first poll. post_init freezes what start-up built and turns the collector back on.
    gc.disable()
    run_bot = _bot_runner(webhooks=config.telegram.webhook.enabled)
    return run_bot(config, startup_hooks=tuple(hook() for hook in _STARTUP_HOOKS))


def _bot_runner(webhooks: bool) -> Callable[..., int]:
    """bot.telegram.app's run_bot. Polling, python-telegram-bot is imported without tornado: it imports its webhook
    server whenever tornado is installed (~25 ms of the start), and a polling bot never serves one. Only when this
    process has imported neither yet; tornado stays importable afterwards."""
    if webhooks or "tornado" in sys.modules or "telegram.ext" in sys.modules:
        from bot.telegram.app import run_bot

        return run_bot
    sys.modules["tornado"] = None  # type: ignore[assignment]  # `import tornado` raises ImportError meanwhile
    try:
        from bot.telegram.app import run_bot
    finally:
        if "tornado" in sys.modules and sys.modules["tornado"] is None:
            del sys.modules["tornado"]
    return run_bot


def cmd_start(args: argparse.Namespace, config: Config) -> int:
    """The main job: the Telegram bot when a token is configured, otherwise the terminal chat."""
    if config.telegram.has_token():
        return cmd_run(args, config)
    print(f"({config.telegram.token_problem()}: starting the terminal chat)\n", flush=True)
    args.lang = None
    return cmd_chat(args, config)


def cmd_deadlines(args: argparse.Namespace, config: Config) -> int:
    """List upcoming deadlines, as text or JSON, or write them to an iCalendar file."""
    import json as _json
    from zoneinfo import ZoneInfo

    from bot.calendar.deadline_text import deadlines_text
    from bot.calendar.deadlines import upcoming
    from bot.calendar.ics_export import calendar_to_ics
    from bot.calendar.managed import merge
    from bot.storage.database import read_managed_dates

    knowledge = load_knowledge(config.knowledge.path, config.knowledge.deadlines)
    managed = read_managed_dates(config.storage.path)
    if calendar_of(knowledge) is None and not managed:
        print(f"error: no deadlines.yaml in {config.knowledge.path}", file=sys.stderr)
        return EXIT_FAIL
    calendar = merge(calendar_of(knowledge), managed)
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
                    {"id": o.deadline.id, "title": o.deadline.title(args.lang), "date": o.date.isoformat(),
                     "source": o.deadline.source}
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
    calendar_of(knowledge)  # a broken deadlines.yaml fails here; managed dates alone are a calendar too
    from bot.telegram.reminder_send import remind_once

    result = asyncio.run(remind_once(config, knowledge, at, dry_run=args.dry_run))
    for chat_id, text in result.messages:
        first = text.strip().splitlines()[0]
        print(f"{'would send' if args.dry_run else 'sent'} to {chat_id}: {first}")
    print(result.summary(dry_run=args.dry_run))
    # A user who blocked the bot is an expected event (the subscription is deactivated), not a failed run.
    return EXIT_OK if result.failed - result.deactivated == 0 else EXIT_FAIL


def cmd_calendar(args: argparse.Namespace, config: Config) -> int:
    """The year's dates managed by the organisers, as /lich does in chat: list, add, change, remove."""
    import asyncio
    import getpass
    from zoneinfo import ZoneInfo

    from bot.calendar import organiser
    from bot.calendar.managed import DateInput, parse_date
    from bot.storage.database import Storage

    knowledge = load_knowledge(config.knowledge.path, config.knowledge.deadlines)
    now = dt.datetime.now(ZoneInfo(config.reminders.timezone))
    by = f"terminal:{getattr(args, 'by', None) or getpass.getuser()}"

    def given() -> DateInput:
        when = parse_date(args.date) if getattr(args, "date", None) else None
        bad = args.date and not when
        problems = (f"{args.date} không phải là một ngày (dạng 2027-01-15 hoặc 15/01/2027)",) if bad else ()
        return DateInput(when, args.title, args.topic, args.source, args.details, problems)

    async def run() -> int:
        storage = await Storage(config.storage.path).open()
        try:
            if args.action == "list":
                items = await organiser.listing(storage, knowledge, now.date())
                for item in items:
                    print(organiser.listed_line(item))
                if args.history:
                    for change in await storage.calendar_history(limit=args.history):
                        shown = change.after or change.before
                        print(f"{change.at.astimezone(now.tzinfo):%Y-%m-%d %H:%M} {change.by} {change.action} "
                              f"{change.deadline_id}: {organiser.date_line(shown) if shown else ''}")
                if not items:
                    print("(no upcoming dates: add the ones of the Bộ's guidance with `calendar add`)")
                return EXIT_OK
            if args.action == "add":
                saved = await organiser.add_date(storage, knowledge, given(), by, now)
                print(f"added {saved.deadline_id}: {organiser.date_line(saved)}")
                return EXIT_OK
            current, _ = await organiser.find(storage, knowledge, args.number, now.date())
            if args.action == "remove":
                removed = await organiser.remove_date(storage, current, by, now)
                print(f"removed {removed.deadline_id}: {organiser.date_line(removed)}")
                return EXIT_OK
            after = organiser.changed(current, given(), knowledge, now.date())
            saved = await organiser.change_date(storage, knowledge, current, after, by, now)
            print(f"changed {saved.deadline_id}: {organiser.date_line(current)} -> {organiser.date_line(saved)}")
            return EXIT_OK
        except organiser.CalendarInputError as exc:
            for problem in exc.problems:
                print(f"error: {problem}", file=sys.stderr)
            return EXIT_USAGE
        finally:
            await storage.close()

    return asyncio.run(run())


def cmd_report(args: argparse.Namespace, config: Config) -> int:
    """Organiser report over the question log: text, CSV (UTF-8 with BOM) or one self-contained HTML file."""
    import asyncio
    from zoneinfo import ZoneInfo

    from bot.core.handoff import HandoffStats
    from bot.core.records import LoggedQuestion
    from bot.review.handoff_report import handoff_counts
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

    async def build() -> tuple[Report, list[LoggedQuestion], HandoffStats]:
        storage = await Storage(config.storage.path).open()
        now = dt.datetime.now(dt.UTC)
        try:
            report, questions = await generate(
                storage,
                days=args.days,
                now=now,
                answerer=answerer,
                dismissed=dismissed,
                tz=ZoneInfo(config.reminders.timezone),
            )
            return report, questions, await handoff_counts(storage, config.knowledge.path, args.days, now)
        finally:
            await storage.close()

    report, questions, tickets = asyncio.run(build())
    if args.format == "csv":
        data = render_csv(report, questions)
    elif args.format == "html":
        data = render_html(report).encode()
    else:
        text = render_text(report)
        if config.handoff.enabled or tickets.opened or tickets.open_now:  # counts only, never a question's text
            text = text.rstrip("\n") + "\n\n" + tickets.line() + "\n"
        data = text.encode()
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


def _report_days(value: str) -> int:
    days = int(value)
    if not 1 <= days <= 3650:
        raise argparse.ArgumentTypeError(f"--days must be between 1 and 3650, got {days}")
    return days


class _Parser(argparse.ArgumentParser):
    """Names an unknown option as such ("--bogus" is not "a missing command")."""

    def error(self, message: str) -> None:  # type: ignore[override]
        unknown = [a for a in sys.argv[1:] if a.startswith("--") and a.split("=")[0] not in self._option_string_actions]
        if "required: command" in message and unknown:
            message = f"unrecognized option: {unknown[0]} (see python -m bot --help)"
        super().error(message)


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="tdkt-bot", description="Hỏi đáp thi đua, khen thưởng (TĐKT).")
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
    ev.add_argument(
        "--eligibility",
        action="store_true",
        help="verdict accuracy of the eligibility check on a story set (default: tests/eval/eligibility/)",
    )
    ev.set_defaults(func=cmd_eval)

    elig = sub.add_parser("eligibility", help="check a record (YAML file) against an award's criteria")
    elig.add_argument("award", help="award id, e.g. cstd-bo, bang-khen-thu-tuong, tap-the-lao-dong-tien-tien")
    elig.add_argument("--record", required=True, metavar="FILE.yaml", help="the record: titles, ratings … by year")
    elig.add_argument("--json", action="store_true", help="one JSON object {award, verdict, understood, conditions}")
    elig.add_argument("--lang", choices=["vi", "en"], default="vi")
    elig.set_defaults(func=cmd_eligibility)

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

    cal = sub.add_parser("calendar", help="the year's dates set by the Bộ's guidance: list, add, change, remove")
    cal_sub = cal.add_subparsers(dest="action", required=True)
    cal_list = cal_sub.add_parser("list", help="upcoming dates, numbered as /lich numbers them")
    cal_list.add_argument("--history", type=int, default=0, metavar="N", help="also the last N changes")
    for name, helptext in (("add", "add a date (its source document is required)"), ("change", "change date N")):
        action = cal_sub.add_parser(name, help=helptext)
        if name == "change":
            action.add_argument("number", help="the number /lich or `calendar list` shows (or the date's id)")
        action.add_argument("date", nargs="?" if name == "change" else None, help="YYYY-MM-DD or DD/MM/YYYY")
        action.add_argument("title", nargs="?", help="what is due")
        action.add_argument("--source", required=name == "add",
                            help="the document that set the date, e.g. 'Công văn số 123/BKHCN-TCCB'")
        action.add_argument("--topic", help="topic id from topics.yaml (default quy-trinh)")
        action.add_argument("--details", help="what to send, to whom")
        action.add_argument("--by", help="who makes the change (default: your login name)")
    cal_remove = cal_sub.add_parser("remove", help="remove date N (its reminders stop)")
    cal_remove.add_argument("number", help="the number /lich or `calendar list` shows (or the date's id)")
    cal_remove.add_argument("--by", help="who makes the change (default: your login name)")
    cal.set_defaults(func=cmd_calendar)

    report = sub.add_parser("report", help="organiser report over the question log")
    report.add_argument("--days", type=_report_days, default=30, help="how many days back (1-3650, default 30)")
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
    gc.enable()  # `python -m bot` imports with it off (bot/__main__.py); cmd_run turns it off again
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
