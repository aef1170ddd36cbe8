"""Every reload (/tailai, the admin's attach and undo, the handoff's attach and publish) builds the new answerer in a
worker thread and swaps it in with one assignment; the event loop keeps answering meanwhile.

In process, with the build replaced by a slow stand-in; tests/telegram/test_reload_e2e.py does the same with the
real bot and a real rebuild of the index.
"""

from __future__ import annotations

import ast
import asyncio
import threading
import time
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest

import bot.telegram.handlers as handlers_module
from bot.config import Config, load_config
from bot.core.errors import KnowledgeError
from bot.storage.database import Storage
from bot.storage.question_log import QuestionLog
from bot.telegram.admin_handlers import AdminHandlers
from bot.telegram.handlers import Handlers, Services
from bot.telegram.handoff_handlers import HandoffHandlers
from bot.telegram.limits import SlidingWindowLimit

TELEGRAM_LAYER = Path(handlers_module.__file__).parent
BUILD_SECONDS = 0.4


def make_handlers(tmp_path: Path, answerer: Any) -> Handlers:
    config = load_config(None, env={})
    storage = Storage(tmp_path / "q.sqlite3")
    services = Services(
        config=config,
        answerer=answerer,
        storage=storage,
        question_log=QuestionLog(storage),
        user_secret="test",
        flood=SlidingWindowLimit(100, 60.0),
        alerts=SlidingWindowLimit(1, 3600.0),
    )
    return Handlers(services)


class SlowBuild:
    """Stands in for build_answerer: takes BUILD_SECONDS in the calling thread, then returns a new answerer."""

    def __init__(self, fail: bool = False) -> None:
        self.fail = fail
        self.threads: list[str] = []
        self.built: list[Any] = []

    def __call__(self, config: Config) -> Any:
        self.threads.append(threading.current_thread().name)
        time.sleep(BUILD_SECONDS)
        if self.fail:
            raise KnowledgeError(["faq/x.yaml: broken"])
        fresh = SimpleNamespace(version=len(self.built) + 1)
        self.built.append(fresh)
        return fresh


async def answered_during(handlers: Handlers, reload: Any) -> list[Any]:
    """Run `reload` and, until it ends, "answer" a question every 20 ms; return the answerer each one saw."""
    seen: list[Any] = []
    task = asyncio.create_task(reload())
    while not task.done():
        seen.append(handlers.answerer)
        await asyncio.sleep(0.02)
    await task
    return seen


def slow_handlers(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> tuple[Any, SimpleNamespace, SlowBuild]:
    """Handlers over a stand-in answerer whose rebuild takes BUILD_SECONDS."""
    old = SimpleNamespace(version=0)
    handlers = make_handlers(tmp_path, old)
    build = SlowBuild()
    monkeypatch.setattr(handlers_module, "build_answerer", build)
    return handlers, old, build


async def test_a_reload_builds_in_a_thread_and_the_loop_keeps_answering(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    handlers, old, build = slow_handlers(tmp_path, monkeypatch)
    seen = await answered_during(handlers, handlers.rebuild)
    assert build.threads and build.threads[0] != threading.main_thread().name
    # With the build on the event loop there would be one turn, not one every 20 ms of the 0.4 s build.
    assert len(seen) >= 8, len(seen)
    assert all(answerer is old for answerer in seen)  # the old version until the swap, nothing in between
    assert handlers.answerer is build.built[0]


async def test_a_broken_knowledge_keeps_the_current_answerer(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    old = SimpleNamespace(version=0)
    handlers = make_handlers(tmp_path, old)
    monkeypatch.setattr(handlers_module, "build_answerer", SlowBuild(fail=True))
    with pytest.raises(KnowledgeError):
        await handlers.rebuild()
    assert handlers.answerer is old


async def test_reloads_run_one_at_a_time_and_the_last_one_wins(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    handlers = make_handlers(tmp_path, SimpleNamespace(version=0))
    build = SlowBuild()
    monkeypatch.setattr(handlers_module, "build_answerer", build)
    started = time.monotonic()
    await asyncio.gather(handlers.rebuild(), handlers.rebuild())
    assert time.monotonic() - started >= 2 * BUILD_SECONDS * 0.9  # serialised by reload_lock
    assert handlers.answerer is build.built[-1]


async def test_the_admin_and_handoff_reloads_go_through_the_same_rebuild(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    handlers, _, build = slow_handlers(tmp_path, monkeypatch)
    admin, handoff = AdminHandlers(handlers), HandoffHandlers(handlers)
    for reload in (admin._reload, handoff.reload):
        before = handlers.answerer
        seen = await answered_during(handlers, reload)
        assert len(seen) >= 8 and all(answerer is before for answerer in seen)
        assert handlers.answerer is build.built[-1]
    assert len(build.built) == 2
    assert all(name != threading.main_thread().name for name in build.threads)


def test_only_rebuild_locked_swaps_the_answerer() -> None:
    """A reload written elsewhere (an assignment to `.answerer`) could build on the event loop: one place only."""
    found = []
    for path in sorted(TELEGRAM_LAYER.glob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for function in ast.walk(tree):
            if not isinstance(function, ast.FunctionDef | ast.AsyncFunctionDef):
                continue
            for node in ast.walk(function):
                targets = node.targets if isinstance(node, ast.Assign) else []
                if any(isinstance(t, ast.Attribute) and t.attr == "answerer" for t in targets):
                    found.append(f"{path.name}:{function.name}")
    assert sorted(set(found)) == ["handlers.py:rebuild_locked"], found
