"""Startup times, measured in one run next to `python -c "import bot.cli"` (issue 17).

Run: .venv/bin/python bench/startup.py [--repeat N]
Prints, each the median of N runs (default 3): the import time; `ask` of one question cold (an empty compiled
index cache), warm (the cache filled) and with --no-cache; `check` cold and warm; the bot until its first
getUpdates against the test emulator, cold and warm; then the 10,000-entry synthetic knowledge of bench/matcher.py:
build time, the peak resident memory the build adds (ru_maxrss; tracemalloc, as bench/matcher.py reports it, makes
the build several times slower), the resident memory the index keeps, and p50/p95 per question.
bot/ is byte-compiled first and children keep bytecode caching on (as an installed package has it); every process
runs with a throw-away cache folder of its own. Beside each wall time: its CPU seconds (user +
system; for the bot, what it used until its first getUpdates), which a busy machine inflates far less, and the load
average at the start and the end.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import NamedTuple

import yaml

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))
QUESTION = "hồ sơ bk bộ"
TOKEN = "1000000003:AAbenchstartupbenchstartup0123456789"


def env() -> dict[str, str]:
    # Children cache their bytecode as an installed package does (pip compiles it at install): with
    # PYTHONDONTWRITEBYTECODE inherited, every run would compile bot/ afresh and every figure would include it.
    clean = {k: v for k, v in os.environ.items() if not k.startswith("TDKT_") and k != "PYTHONDONTWRITEBYTECODE"}
    clean["PYTHONPATH"] = str(ROOT)
    clean["PTB_TIMEDELTA"] = "1"
    return clean


class Timing(NamedTuple):
    """Wall seconds of a run and its CPU seconds (user + system): on a shared machine the wall time of a run
    doubles with the load while its CPU time barely moves."""

    wall: float
    cpu: float | None = None


def _children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def _process_cpu(pid: int) -> float | None:
    """User + system CPU seconds a running process has used so far (Linux /proc), None elsewhere."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return None
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def run(args: list[str], stdin: str = "") -> Timing:
    """Wall and CPU seconds of `python ARGS` from the repository folder."""
    started, cpu = time.perf_counter(), _children_cpu()
    done = subprocess.run(
        [sys.executable, *args], cwd=ROOT, env=env(), input=stdin.encode(), capture_output=True, check=False
    )
    elapsed = time.perf_counter() - started
    if done.returncode not in (0, 1):  # `check` exits 1 on warnings-free problems; both are a full run
        raise SystemExit(f"{args} failed ({done.returncode}):\n{done.stderr.decode()[-2000:]}")
    return Timing(elapsed, _children_cpu() - cpu)


def config_file(folder: Path, cache: Path, **telegram: object) -> Path:
    data: dict[str, object] = {"knowledge": {"path": str(ROOT / "knowledge"), "cache": str(cache)}}
    if telegram:
        data["telegram"] = telegram
        data["storage"] = {"path": str(folder / "q.sqlite3"), "user_key_secret": "bench"}
    path = folder / f"config-{len(list(folder.glob('config-*')))}.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    return path


def cold_and_warm(folder: Path, args: list[str], stdin: str = "") -> tuple[Timing, Timing]:
    """(cold, warm) seconds of `python -m bot --config C ARGS`: first with an empty cache, then with it filled."""
    cache = Path(tempfile.mkdtemp(dir=folder))
    config = config_file(folder, cache)
    cold = run(["-m", "bot", "--config", str(config), *args], stdin)
    warm = run(["-m", "bot", "--config", str(config), *args], stdin)
    return cold, warm


def until_polling(folder: Path, cache: Path, **telegram: object) -> Timing:
    """Seconds from starting `python -m bot run` to its first getUpdates on the emulator (`telegram`: more
    settings of that section)."""
    from emulator import BotApiEmulator

    emu = BotApiEmulator(TOKEN, bot_id=1000000003).start()
    config = config_file(
        folder, cache, token=emu.token, base_url=emu.base_url, base_file_url=emu.base_file_url, **telegram
    )
    log = (folder / "bot.log").open("wb")
    started = time.perf_counter()
    proc = subprocess.Popen(
        [sys.executable, "-m", "bot", "--config", str(config), "run"],
        cwd=ROOT, env=env(), stdin=subprocess.DEVNULL, stdout=log, stderr=log,
    )
    try:
        # is_polling: a getUpdates is waiting (a long poll is logged only once it returns).
        emu.wait_for(lambda: proc.poll() is not None or emu.is_polling, 120, description="getUpdates")
        elapsed = time.perf_counter() - started
        used = _process_cpu(proc.pid)
        if proc.poll() is not None:
            raise SystemExit(f"the bot exited: {(folder / 'bot.log').read_text(errors='replace')[-2000:]}")
        return Timing(elapsed, used)
    finally:
        proc.terminate()
        proc.wait(30)
        log.close()
        emu.stop()


SYNTHETIC = r"""
import json, resource, sys, time
sys.path.insert(0, sys.argv[1])
from pathlib import Path
from typing import NamedTuple
from bench.matcher import SYNTHETIC_ENTRIES, percentile, synthetic, timed
from bot.core.evaluation import DEFAULT_SET, load_labelled
from bot.core.knowledge import load_knowledge
from bot.core.matcher import Matcher

def resident():
    return int(open("/proc/self/statm").read().split()[1]) * 4096

knowledge = synthetic(load_knowledge(Path(sys.argv[1]) / "knowledge"), SYNTHETIC_ENTRIES)
queries = [item.question for item in load_labelled(DEFAULT_SET)][:200]
before = resident()
peak_before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024
started, cpu = time.perf_counter(), time.process_time()
matcher = Matcher(knowledge)
build, build_cpu = time.perf_counter() - started, time.process_time() - cpu
peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024 - max(before, peak_before)
after = resident()
times = timed(matcher.match, queries)
print(json.dumps({"build": build, "build_cpu": build_cpu, "peak": peak, "resident": after - before,
                  "resident_total": after, "p50": percentile(times, 0.5), "p95": percentile(times, 0.95)}))
"""


def synthetic_figures() -> dict[str, float]:
    done = subprocess.run(
        [sys.executable, "-c", SYNTHETIC, str(ROOT)], cwd=ROOT, env=env(), capture_output=True, check=True
    )
    return json.loads(done.stdout.decode().strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--no-synthetic", action="store_true", help="skip the 10,000-entry build")
    parser.add_argument("--only-synthetic", action="store_true", help="only the 10,000-entry build")
    parser.add_argument("--only-bot", action="store_true", help="only the import and the bot's start (no synthetic)")
    args = parser.parse_args()
    if args.only_synthetic:
        print_synthetic()
        return
    folder = Path(tempfile.mkdtemp(prefix="tdkt-startup-"))
    try:
        rows: dict[str, list[float]] = {}
        cpu: dict[str, list[float]] = {}
        load_before = os.getloadavg()

        def add(name: str, value: Timing) -> None:
            rows.setdefault(name, []).append(value.wall)
            if value.cpu is not None:
                cpu.setdefault(name, []).append(value.cpu)

        # The bytecode of bot/ compiled once beforehand, as `pip install` does: no run pays for compiling it.
        subprocess.run([sys.executable, "-m", "compileall", "-q", str(ROOT / "bot")], env=env(), check=True)
        for _ in range(args.repeat):
            add("import bot.cli", run(["-c", "import bot.cli"]))
            if not args.only_bot:
                cold, warm = cold_and_warm(folder, ["ask", "--json"], QUESTION + "\n")
                add("ask, cold (empty cache)", cold)
                add("ask, warm", warm)
                add("ask --no-cache", run(["-m", "bot", "--config", str(config_file(folder, folder)), "--no-cache",
                                           "ask", "--json"], QUESTION + "\n"))
            cache = Path(tempfile.mkdtemp(dir=folder))
            add("bot to first getUpdates, cold", until_polling(folder, cache))
            add("bot to first getUpdates, warm", until_polling(folder, cache))
            add("  the same, telegram.uvloop off", until_polling(folder, cache, uvloop=False))
        if not args.only_bot:
            cold, warm = cold_and_warm(folder, ["check"])
            add("check, cold", cold)
            add("check, warm", warm)

        medians = {name: statistics.median(values) for name, values in rows.items()}
        cpu_medians = {name: statistics.median(values) for name, values in cpu.items()}
        base, cpu_base = medians["import bot.cli"], cpu_medians["import bot.cli"]
        load_after = os.getloadavg()
        print(f"load average {load_before[0]:.2f} at the start, {load_after[0]:.2f} at the end")
        print(f"{'':<34}{'seconds':>9}{'× import':>10}{'CPU s':>8}{'× import':>10}"
              f"   (median of {args.repeat}; check: one run)")
        for name, value in medians.items():
            used = cpu_medians.get(name)
            cpu_text = f"{used:>8.2f}{used / cpu_base:>10.2f}" if used is not None else ""
            print(f"{name:<34}{value:>9.2f}{value / base:>10.2f}{cpu_text}")
        if not (args.no_synthetic or args.only_bot):
            print_synthetic()
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def print_synthetic() -> None:
    load = os.getloadavg()[0]
    fig = synthetic_figures()
    print(f"\n10,000-entry synthetic knowledge (bench/matcher.py synthetic(), one process; load average {load:.2f} "
          f"at the start, {os.getloadavg()[0]:.2f} at the end):")
    print(f"  index build {fig['build']:.2f} s ({fig['build_cpu']:.2f} s CPU), peak resident memory the build adds "
          f"{fig['peak'] / 2**20:.0f} MiB "
          f"(ru_maxrss), resident memory the index keeps {fig['resident'] / 2**20:.0f} MiB "
          f"(process {fig['resident_total'] / 2**20:.0f} MiB)")
    print(f"  per question over 200 labelled questions: p50 {fig['p50']:.2f} ms, p95 {fig['p95']:.2f} ms")


if __name__ == "__main__":
    main()
