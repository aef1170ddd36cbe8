"""`python -m bot --config FILE run` in a subprocess, for the end-to-end tests (shared by both e2e modules)."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

from emulator import BotApiEmulator

REPO = Path(__file__).resolve().parent.parent
# A ceiling, not a wait: start-up builds the matcher's index when the cache is cold, which took 20–28 s on this
# 2-core machine under load (and failed at a 30 s ceiling); a bot that starts sooner is used at once.
START_TIMEOUT = 90.0


def clean_env() -> dict[str, str]:
    """The subprocess environment: no TDKT_* settings leaking in; PTB's timedelta mode (no 429 warning)."""
    clean = {k: v for k, v in os.environ.items() if not k.startswith("TDKT_")}
    clean["PTB_TIMEDELTA"] = "1"
    return clean


class BotProcess:
    """The bot run against an emulator from a config file; stdout and stderr go to `log`."""

    def __init__(self, emu: BotApiEmulator, config: Path, log: Path | None = None) -> None:
        self.emu, self.config = emu, config
        self.log = log or config.parent / "bot.log"
        self.proc: subprocess.Popen[bytes] | None = None

    def start(self) -> BotProcess:
        """Start the bot and wait until it long-polls the emulator."""
        with self.log.open("wb") as out:  # the child keeps its own descriptor
            self.proc = subprocess.Popen(
                [sys.executable, "-m", "bot", "--config", str(self.config), "run"],
                cwd=REPO, env=clean_env(), stdin=subprocess.DEVNULL, stdout=out, stderr=out,
            )
        proc = self.proc
        try:
            self.emu.wait_for(lambda: proc.poll() is not None or self.emu.is_polling, START_TIMEOUT,
                              description="the bot to start polling")
        except AssertionError:
            self.kill()
            raise AssertionError(f"the bot did not start polling:\n{self.output()}") from None
        if proc.poll() is not None:
            raise AssertionError(f"the bot exited with {proc.returncode} at start:\n{self.output()}")
        return self

    def output(self) -> str:
        return self.log.read_text(encoding="utf-8", errors="replace") if self.log.exists() else ""

    def wait_output(self, needle: str, timeout: float = 10.0) -> None:
        deadline = time.monotonic() + timeout
        while needle not in self.output():
            if time.monotonic() > deadline or not self.alive():
                raise AssertionError(f"{needle!r} not in the bot's output after {timeout}s:\n{self.output()}")
            time.sleep(0.05)

    def alive(self) -> bool:
        return self.proc is not None and self.proc.poll() is None

    def stop(self, timeout: float = 20.0) -> int:
        """SIGTERM, then the exit code (killed and failed after `timeout`)."""
        assert self.proc is not None
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
        try:
            return self.proc.wait(timeout)
        except subprocess.TimeoutExpired:
            self.kill()
            raise AssertionError(f"the bot did not stop within {timeout}s of SIGTERM:\n{self.output()}") from None

    def kill(self) -> None:
        if self.proc is not None and self.proc.poll() is None:
            self.proc.kill()
            self.proc.wait(10)
