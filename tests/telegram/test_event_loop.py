"""The bot's event loop: uvloop's when configured and installed, asyncio's otherwise (bot.telegram.app)."""

from __future__ import annotations

import asyncio
import importlib.util
import sys
from collections.abc import Iterator

import pytest

from bot.telegram.app import install_event_loop


@pytest.fixture
def restore_loop() -> Iterator[list[asyncio.AbstractEventLoop]]:
    """The loops a test installs are closed and unset afterwards."""
    installed: list[asyncio.AbstractEventLoop] = []
    yield installed
    for loop in installed:
        loop.close()
    asyncio.set_event_loop(None)


def _runs(loop: asyncio.AbstractEventLoop) -> None:
    """The installed loop is the thread's loop and runs a coroutine."""
    assert asyncio.get_event_loop_policy().get_event_loop() is loop

    async def running() -> asyncio.AbstractEventLoop:
        await asyncio.sleep(0)
        return asyncio.get_running_loop()

    assert loop.run_until_complete(running()) is loop


@pytest.mark.skipif(importlib.util.find_spec("uvloop") is None, reason="uvloop is not installed here")
def test_uvloop_when_asked_and_installed(restore_loop: list[asyncio.AbstractEventLoop]) -> None:
    import uvloop

    loop = install_event_loop(True)
    restore_loop.append(loop)
    assert isinstance(loop, uvloop.Loop)
    _runs(loop)


def test_asyncio_loop_when_uvloop_is_off(restore_loop: list[asyncio.AbstractEventLoop]) -> None:
    loop = install_event_loop(False)
    restore_loop.append(loop)
    assert type(loop).__module__.startswith("asyncio.")
    _runs(loop)


def test_asyncio_loop_when_uvloop_is_missing(
    restore_loop: list[asyncio.AbstractEventLoop], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setitem(sys.modules, "uvloop", None)  # import uvloop raises ImportError
    loop = install_event_loop(True)
    restore_loop.append(loop)
    assert type(loop).__module__.startswith("asyncio.")
    _runs(loop)
