"""Wires the python-telegram-bot Application: handlers, lifecycle of the services, polling or webhook."""

from __future__ import annotations

import asyncio
import gc
import logging
import secrets
import ssl
import sys
from collections.abc import Awaitable, Callable, Coroutine, Iterable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import httpx
from telegram import BotCommand, Update
from telegram.error import InvalidToken, NetworkError, TelegramError
from telegram.ext import (
    AIORateLimiter,
    Application,
    ApplicationBuilder,
    BaseHandler,
    CallbackQueryHandler,
    CommandHandler,
    ConversationHandler,
    MessageHandler,
    filters,
)
from telegram.request import HTTPXRequest

from bot.assembly import build_answerer
from bot.config import Config
from bot.core.answers import Answerer
from bot.storage.database import Storage
from bot.storage.question_log import QuestionLog
from bot.telegram.admin_handlers import AdminHandlers
from bot.telegram.admin_handlers import install as install_admin
from bot.telegram.admin_handlers import schedule as schedule_admin
from bot.telegram.announce_handlers import AnnounceHandlers
from bot.telegram.announce_handlers import install as install_announce
from bot.telegram.announce_handlers import schedule as schedule_announce
from bot.telegram.calendar_handlers import CalendarHandlers
from bot.telegram.calendar_handlers import install as install_calendar
from bot.telegram.calendar_handlers import schedule as schedule_calendar
from bot.telegram.eligibility_handlers import install as install_eligibility
from bot.telegram.handlers import ENGLISH_COMMANDS, Handlers, Services
from bot.telegram.handoff_handlers import HandoffHandlers
from bot.telegram.handoff_handlers import install as install_handoff
from bot.telegram.handoff_handlers import schedule as schedule_handoff
from bot.telegram.limits import SlidingWindowLimit
from bot.telegram.reminder_handlers import ReminderHandlers
from bot.telegram.reminder_handlers import install as install_reminders
from bot.telegram.reminder_handlers import schedule as schedule_reminders

log = logging.getLogger(__name__)

# Aliases left out of the command menu, which would otherwise list most commands twice.
MENU_HIDDEN = ENGLISH_COMMANDS | {"trogiup"}

CONCURRENT_UPDATES = 64
# httpx walks every pooled connection on each request; a small pool keeps that cheap under load.
CONNECTION_POOL_SIZE = 16
POOL_TIMEOUT = 10.0
# The cyclic collector's thresholds once the bot runs (the default first one is 700 allocations; see post_init).
GC_THRESHOLDS = (20_000, 10, 10)

# Extra lifecycle steps other features plug in (reminders schedule their jobs here).
StartupHook = Callable[[Application, Services], Awaitable[None]]


class RedactToken(logging.Filter):
    """Replaces the bot token wherever it would appear in a log line."""

    def __init__(self, token: str) -> None:
        super().__init__()
        self.token = token

    def filter(self, record: logging.LogRecord) -> bool:
        if self.token:
            message = record.getMessage()
            if self.token in message:
                record.msg, record.args = message.replace(self.token, "<token>"), None
            if record.exc_info and record.exc_info[1] is not None and self.token in str(record.exc_info[1]):
                record.exc_text = logging.Formatter().formatException(record.exc_info).replace(self.token, "<token>")
        return True


class RetryingRateLimiter(AIORateLimiter):
    """AIORateLimiter (which retries 429s) that also retries a request on a bare NetworkError (5xx, reset).

    Not retried: BadRequest and TimedOut (subclasses of NetworkError), since a timed-out send may have been
    delivered; a 5xx Telegram did process would be sent twice, the lesser evil against a lost answer.
    """

    def __init__(self, *args: Any, network_retries: int = 3, retry_delay: float = 0.5, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.network_retries = network_retries
        self.retry_delay = retry_delay

    async def process_request(
        self,
        callback: Callable[..., Coroutine[Any, Any, bool | dict[str, Any] | list[dict[str, Any]]]],
        args: Any,
        kwargs: dict[str, Any],
        endpoint: str,
        data: dict[str, Any],
        rate_limit_args: int | None,
    ) -> bool | dict[str, Any] | list[dict[str, Any]]:
        for attempt in range(self.network_retries + 1):
            try:
                return await super().process_request(callback, args, kwargs, endpoint, data, rate_limit_args)
            except NetworkError as exc:
                if type(exc) is not NetworkError or attempt == self.network_retries:
                    raise
                log.warning("%s failed (%s); retry %d of %d", endpoint, exc, attempt + 1, self.network_retries)
                await asyncio.sleep(self.retry_delay * 2**attempt)
        raise AssertionError("unreachable")


def configure_logging(config: Config) -> None:
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    handler.addFilter(RedactToken(config.telegram.token))
    handler.addFilter(_no_bootstrap_traceback)
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(config.log_level)
    # Every Bot API URL contains the token; httpx logs URLs at INFO.
    logging.getLogger("httpx").setLevel(logging.WARNING)
    logging.getLogger("httpcore").setLevel(logging.WARNING)
    logging.getLogger("apscheduler").setLevel(logging.WARNING)


def _no_bootstrap_traceback(record: logging.LogRecord) -> bool:
    """python-telegram-bot logs a failed start-up with three chained tracebacks; run_bot prints the cause in one
    line instead, so the record keeps its message and loses the traceback."""
    if record.name.startswith("telegram.ext") and "Bootstrap" in record.getMessage():
        record.exc_info = None
        record.exc_text = None
    return True


def user_secret(config: Config) -> str:
    """The HMAC secret for user keys: from config/env, else one generated once and kept beside the database."""
    if config.storage.user_key_secret:
        return config.storage.user_key_secret
    path = Path(f"{config.storage.path}.secret")
    if path.exists():
        return path.read_text(encoding="utf-8").strip()
    path.parent.mkdir(parents=True, exist_ok=True)
    secret = secrets.token_hex(32)
    path.write_text(secret, encoding="utf-8")
    path.chmod(0o600)
    return secret


def _in_background(work: Callable[[], ssl.SSLContext]) -> Future[ssl.SSLContext]:
    """Start `work` in a thread of its own and return its future."""
    executor = ThreadPoolExecutor(1, thread_name_prefix="startup")
    future = executor.submit(work)
    executor.shutdown(wait=False)
    return future


def http_clients(tls: ssl.SSLContext) -> tuple[HTTPXRequest, HTTPXRequest]:
    """The HTTP clients for Bot API calls and for getUpdates (the builder's defaults, our pool settings), sharing
    one TLS context: each would otherwise load the CA bundle again (about 25-45 ms of start-up each)."""
    verify = {"verify": tls}
    calls = HTTPXRequest(connection_pool_size=CONNECTION_POOL_SIZE, pool_timeout=POOL_TIMEOUT, httpx_kwargs=verify)
    return calls, HTTPXRequest(connection_pool_size=1, httpx_kwargs=verify)


def build_application(
    config: Config, answerer: Answerer | None = None, startup_hooks: tuple[StartupHook, ...] = ()
) -> Application:
    """Build the Application; services open in post_init and close in post_shutdown."""
    # Loading the CA bundle runs without the GIL: in a thread, it overlaps building the answerer.
    tls = _in_background(httpx.create_ssl_context)
    answerer = answerer or build_answerer(config)
    storage = Storage(config.storage.path)
    services = Services(
        config=config,
        answerer=answerer,
        storage=storage,
        question_log=QuestionLog(storage, config.storage.flush_interval),
        user_secret=user_secret(config),
        flood=SlidingWindowLimit(config.limits.questions_per_minute, 60.0),
        alerts=SlidingWindowLimit(max(config.limits.admin_alerts_per_hour, 1), 3600.0),
    )
    handlers = Handlers(services)
    reminders: ReminderHandlers | None = None
    admin: AdminHandlers | None = None
    calendar: CalendarHandlers | None = None
    announce: AnnounceHandlers | None = None
    handoff: HandoffHandlers | None = None

    async def post_init(app: Application) -> None:
        commands = asyncio.create_task(_set_commands(app, answerer))  # a round trip, meanwhile the database opens
        try:
            await storage.open()
        except BaseException:
            commands.cancel()
            raise
        await commands
        services.question_log.start()
        if calendar is not None:
            await schedule_calendar(app, calendar)
        if reminders is not None:
            await schedule_reminders(app, reminders)
        if admin is not None:
            await schedule_admin(app, admin)
        if announce is not None:
            await schedule_announce(app, announce)  # after the reminder ledger's reconciliation
        if handoff is not None:
            await schedule_handoff(app, handoff)
        for hook in startup_hooks:
            await hook(app, services)
        # The matcher's index is hundreds of thousands of long-lived objects; keep the cyclic garbage collector
        # from walking them again and again while requests allocate. (No gc.collect() first: start-up leaves no
        # cyclic garbage worth it, and a full collection over the index took ~50 ms before the first poll.)
        gc.freeze()
        # Each question allocates thousands of objects (matching, PTB's requests and replies), nearly all freed by
        # reference counting; at the default threshold the young generation was collected every question or two.
        gc.set_threshold(*GC_THRESHOLDS)
        gc.enable()  # cmd_run turned it off for start-up
        log.info(
            "bot started: knowledge %s, database %s, event loop %s",
            answerer.knowledge.version,
            storage.path,
            type(asyncio.get_running_loop()).__module__.split(".")[0],
        )

    async def post_shutdown(app: Application) -> None:
        await services.question_log.stop()
        await storage.close()
        log.info("bot stopped: %d questions written to the log", services.question_log.written)

    calls, updates = http_clients(tls.result())
    builder = (
        ApplicationBuilder()
        .token(config.telegram.token)
        .base_url(config.telegram.base_url)
        .base_file_url(config.telegram.base_file_url)
        .rate_limiter(RetryingRateLimiter(overall_max_rate=config.telegram.overall_max_rate, max_retries=5))
        .concurrent_updates(CONCURRENT_UPDATES)
        .request(calls)
        .get_updates_request(updates)
        .post_init(post_init)
        .post_shutdown(post_shutdown)
    )
    app = builder.build()
    app.bot_data["services"] = services
    app.bot_data["handlers"] = handlers
    _add_handlers(app, handlers)
    reminders = install_reminders(app, handlers)
    admin = install_admin(app, handlers)
    calendar = install_calendar(app, handlers)
    announce = install_announce(app, handlers)
    install_eligibility(app, handlers)
    handoff = install_handoff(app, handlers)
    handlers.handoff_row = handoff.ask_row
    handlers.before_forget.append(lambda key: handoff.forget(app.bot, key))
    app.bot_data["handoff"] = handoff
    handlers.known_commands = frozenset(_command_names(h for group in app.handlers.values() for h in group))
    return app


def _add_handlers(app: Application, h: Handlers) -> None:
    new_messages = filters.UpdateType.MESSAGE  # an edited question is answered once, by h.edited
    app.add_handler(CommandHandler("start", h.start, filters=new_messages))
    app.add_handler(CommandHandler(["help", "trogiup"], h.help, filters=new_messages))
    app.add_handler(CommandHandler(["chude", "topics"], h.topics, filters=new_messages))
    app.add_handler(CommandHandler(["hoso", "dossier"], h.dossier, filters=new_messages))
    app.add_handler(CommandHandler(["tailai", "reload"], h.reload, filters=new_messages))
    app.add_handler(CommandHandler(["xoadulieu", "forgetme"], h.forget, filters=new_messages))
    app.add_handler(CallbackQueryHandler(h.button))
    app.add_handler(MessageHandler(new_messages & filters.TEXT & ~filters.COMMAND, h.text))
    app.add_handler(MessageHandler(new_messages & ~filters.TEXT & ~filters.StatusUpdate.ALL, h.non_text))
    app.add_handler(MessageHandler(filters.UpdateType.EDITED_MESSAGE & filters.TEXT & ~filters.COMMAND, h.edited))
    app.add_handler(MessageHandler(new_messages & filters.COMMAND, h.unknown_command), group=1)
    app.add_error_handler(h.error)


async def _set_commands(app: Application, answerer: Answerer) -> None:
    """One menu entry per command, under its Vietnamese name (most officers run Telegram in English, and the name
    sets the reply language); the English names still work when typed. English descriptions for the default."""
    commands = [c for c in answerer.knowledge.commands if c.command not in MENU_HIDDEN]
    await asyncio.gather(
        app.bot.set_my_commands([BotCommand(c.command, c.vi) for c in commands], language_code="vi"),
        app.bot.set_my_commands([BotCommand(c.command, c.en.removesuffix(" (Vietnamese name)")) for c in commands]),
    )


def run_bot(config: Config, startup_hooks: tuple[StartupHook, ...] = ()) -> int:
    """Run until SIGINT/SIGTERM; return the exit code."""
    configure_logging(config)
    install_event_loop(config.telegram.uvloop)
    app = build_application(config, startup_hooks=startup_hooks)
    allowed = [Update.MESSAGE, Update.EDITED_MESSAGE, Update.CALLBACK_QUERY]
    try:
        _run(app, config, allowed)
    except (NetworkError, InvalidToken) as exc:
        # One line, not a page of tracebacks: which host could not be reached, and why.
        host = urlsplit(config.telegram.base_url).netloc or config.telegram.base_url
        cause = exc.message if isinstance(exc, TelegramError) else str(exc)
        print(f"error: cannot start the bot: Telegram at {host} refused or could not be reached: {cause}",
              file=sys.stderr)
        return 1
    return 0


def install_event_loop(use_uvloop: bool) -> asyncio.AbstractEventLoop:
    """Set the main thread's event loop, which run_polling and run_webhook then use: uvloop's when asked for and
    installed (its C transports and scheduling make python-telegram-bot's and httpx's work per request cheaper),
    else asyncio's own (the start-up log line names it)."""
    loop: asyncio.AbstractEventLoop | None = None
    if use_uvloop:
        try:
            import uvloop
        except ImportError:  # not installed (Windows, or a trimmed install): asyncio's loop
            log.info("uvloop is not installed: running on asyncio's event loop")
        else:
            loop = uvloop.new_event_loop()
    if loop is None:
        loop = asyncio.new_event_loop()
    asyncio.set_event_loop(loop)
    return loop


def _run(app: Application, config: Config, allowed: list[str]) -> None:
    webhook = config.telegram.webhook
    if webhook.enabled:
        app.run_webhook(
            listen=webhook.listen,
            port=webhook.port,
            url_path=webhook.url_path,
            webhook_url=webhook.url or None,
            secret_token=webhook.secret_token or None,
            allowed_updates=allowed,
        )
    else:
        app.run_polling(timeout=int(config.telegram.poll_timeout), allowed_updates=allowed, poll_interval=0.0)


def _command_names(registered: Iterable[BaseHandler[Any, Any, Any]]) -> Iterator[str]:
    """Every command a handler answers, those inside a conversation (/dudieukien, /huy) included."""
    for handler in registered:
        if isinstance(handler, CommandHandler):
            yield from handler.commands
        elif isinstance(handler, ConversationHandler):
            inner = [*handler.entry_points, *handler.fallbacks, *(h for hs in handler.states.values() for h in hs)]
            yield from _command_names(inner)
