"""ask() in a tight loop over the throughput bench's questions: mean and p95 per question, and where the time goes.

Run: .venv/bin/python bench/ask_profile.py [--passes 5] [--stages] [--cprofile N] [--all-labelled]
     .venv/bin/python bench/ask_profile.py --against OTHER_CHECKOUT [--rounds 15]

The questions are bench/throughput.py's: those of tests/eval/questions.yaml the bot answers in one message
(`--all-labelled`: every labelled question of DEFAULT_SET instead). The answerer is the bot's (wire_answerer of the
bundled knowledge), its start-up objects frozen and the collector's thresholds raised as `python -m bot run` does.
Pass 1 meets each question for the first time (the per-text caches cold, as for a new question); later passes
repeat them, as the throughput bench does. Printed per pass: mean, p50 and p95 ms per question, and CPU ms per
question (process time, which a busy machine inflates less than wall time), with the load average.

`--stages` times named steps of one more pass with thread-CPU clocks around them (inclusive: a step's time holds
the steps it calls; the wrappers add a few µs each, so the stage pass is slower than the plain ones).
`--cprofile N` prints the N functions with the most own time over one more pass.

`--against DIR` is an A/B run on this shared machine, whose speed drifts by tens of percent within a minute: this
checkout's code and DIR's (another worktree, or `git archive` of a commit) each in a process of its own, built once,
then one pass each in turn, `--rounds` times (after one warm pass each), so that both meet the same drift. Printed:
each round's CPU ms per question of both and their ratio, and the medians.
"""

from __future__ import annotations

import argparse
import cProfile
import gc
import inspect
import io
import os
import pstats
import statistics
import sys
import time
from collections import defaultdict
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bot.assembly import wire_answerer  # noqa: E402
from bot.config import BUNDLED_KNOWLEDGE  # noqa: E402
from bot.core.answers import Answerer  # noqa: E402
from bot.core.evaluation import DEFAULT_SET, load_labelled  # noqa: E402
from bot.core.knowledge import load_knowledge  # noqa: E402

QUESTIONS_FILE = ROOT / "tests" / "eval" / "questions.yaml"
GC_THRESHOLDS = (20_000, 10, 10)  # bot.telegram.app's, once the bot runs (not imported: no telegram here)


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


def load() -> str:
    return " ".join(f"{x:.2f}" for x in os.getloadavg())


def one_pass(answerer: Answerer, questions: list[str]) -> tuple[list[float], float]:
    """Wall ms per question, and CPU ms per question over the pass."""
    out = []
    cpu = time.process_time()
    for question in questions:
        start = time.perf_counter()
        answerer.ask(question)
        out.append((time.perf_counter() - start) * 1000)
    return out, (time.process_time() - cpu) * 1000 / len(questions)


def stage_points(answerer: Answerer) -> list[tuple[str, Any, str]]:
    """(label, object, method name) of the steps timed by --stages, outermost first."""
    m = answerer.matcher
    return [
        ("language detection", answerer.languages, "detect"),
        ("match (all of matching)", m, "match"),
        ("  normalise (Normalizer)", m, "normalize"),
        ("  understanding", m, "understand"),
        ("  rank_question", m, "rank_question"),
        ("    rank (each call)", m, "rank"),
        ("      content words", m, "content"),
        ("      typo correction", m.index, "correct"),
        ("      retrieval scoring", m.index, "score"),
        ("      award x intent read", m.resolver, "read"),
        ("      circumstances prefer", m.circumstances, "prefer"),
        ("      n-gram profiles", m._profiles, "similarities"),
        ("      answer evidence", m.answer_evidence, "rerank"),
        ("  tiers", m.tiers, "apply"),
        ("  decision (_decide)", m, "_decide"),
        ("    agreement", m, "agreement_of"),
        ("    domains.foreign_to", m.domains, "foreign_to"),
        ("    domains.anchored", m.domains, "anchored"),
        ("    profiles confirmed", m, "_confirmed"),
        ("    disputed", m, "disputed"),
        ("rendering (entry_parts)", answerer, "entry_parts"),
        ("eligibility pre-read", answerer, "eligibility"),
    ]


def timed_stages(answerer: Answerer, questions: list[str]) -> None:
    totals: dict[str, float] = defaultdict(float)
    calls: dict[str, int] = defaultdict(int)
    clock = time.thread_time

    def wrap(label: str, fn: Callable[..., Any]) -> Callable[..., Any]:
        def timed(*args: Any, **kwargs: Any) -> Any:
            start = clock()
            try:
                return fn(*args, **kwargs)
            finally:
                totals[label] += clock() - start
                calls[label] += 1

        return timed

    class Proxy:
        """A callable object (the normaliser, the content words) timed when called, its attributes passed on."""

        def __init__(self, label: str, target: Any) -> None:
            self._target, self._timed = target, wrap(label, target)

        def __call__(self, *args: Any, **kwargs: Any) -> Any:
            return self._timed(*args, **kwargs)

        def __getattr__(self, name: str) -> Any:
            return getattr(self._target, name)

    points = stage_points(answerer)
    originals = []
    for label, obj, name in points:
        original = getattr(obj, name)
        originals.append(original)
        timed = wrap(label, original) if inspect.ismethod(original) else Proxy(label, original)
        setattr(obj, name, timed)
    start = clock()
    for question in questions:
        answerer.ask(question)
    whole = clock() - start
    for (_, obj, name), original in zip(points, originals, strict=True):
        if inspect.ismethod(original):
            delattr(obj, name)  # the instance attribute goes, the class's method shows through again
        else:
            setattr(obj, name, original)
    n = len(questions)
    print(f"\nstages (thread CPU, inclusive, ms per question; one pass, wrappers on; load {load()}):")
    print(f"  {'ask() whole':<32}{whole * 1000 / n:>8.3f}")
    for label, _, _ in points:
        share = totals[label] / whole * 100 if whole else 0.0
        print(f"  {label:<32}{totals[label] * 1000 / n:>8.3f}  {share:5.1f} %  calls/q {calls[label] / n:5.2f}")


def profiled(answerer: Answerer, questions: list[str], top: int) -> None:
    profile = cProfile.Profile()
    profile.enable()
    for question in questions:
        answerer.ask(question)
    profile.disable()
    out = io.StringIO()
    pstats.Stats(profile, stream=out).sort_stats("tottime").print_stats(top)
    print(out.getvalue())


def worker(questions: list[str], answerer: Answerer) -> None:
    """--worker: one pass per line read, its CPU ms, mean and p95 wall ms per question written back."""
    for _ in sys.stdin:
        values, cpu = one_pass(answerer, questions)
        print(f"{cpu} {statistics.fmean(values)} {percentile(values, 0.95)}", flush=True)


def against(other: Path, args: argparse.Namespace) -> None:
    import subprocess

    command = ["--worker", *(["--all-labelled"] if args.all_labelled else [])]
    procs = {
        name: subprocess.Popen(
            [sys.executable, str(root / "bench" / "ask_profile.py"), *command],
            cwd=root,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
            env={**os.environ, "PYTHONHASHSEED": args.seed},
        )
        for name, root in (("this", ROOT), ("other", other.resolve()))
    }

    def run(name: str) -> tuple[float, float, float]:
        proc = procs[name]
        assert proc.stdin is not None and proc.stdout is not None
        proc.stdin.write("pass\n")
        proc.stdin.flush()
        cpu, mean, p95 = map(float, proc.stdout.readline().split())
        return cpu, mean, p95

    print(f"A/B: this {ROOT} against {other.resolve()}; load {load()}")
    run("this"), run("other")  # warm passes
    rows = []
    print(f"  {'round':<7}{'this CPU':>10}{'other CPU':>11}{'ratio':>8}{'this p95':>10}{'other p95':>11}")
    for number in range(1, args.rounds + 1):
        order = ("this", "other") if number % 2 else ("other", "this")
        got = {name: run(name) for name in order}
        this, that = got["this"], got["other"]
        rows.append((this, that, this[0] / that[0]))
        print(f"  {number:<7}{this[0]:>10.3f}{that[0]:>11.3f}{this[0] / that[0]:>8.3f}{this[2]:>10.3f}{that[2]:>11.3f}")
    med = statistics.median
    print(f"  {'median':<7}{med(r[0][0] for r in rows):>10.3f}{med(r[1][0] for r in rows):>11.3f}"
          f"{med(r[2] for r in rows):>8.3f}{med(r[0][2] for r in rows):>10.3f}{med(r[1][2] for r in rows):>11.3f}")
    print(f"  (CPU ms per question; ratio this / other per round; p95 wall ms) load at the end {load()}")
    for proc in procs.values():
        assert proc.stdin is not None
        proc.stdin.close()
        proc.wait()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--passes", type=int, default=5)
    parser.add_argument("--against", type=Path, metavar="DIR")
    parser.add_argument("--rounds", type=int, default=15)
    parser.add_argument("--seed", default="0", help="PYTHONHASHSEED of both workers (string hashing moves timings)")
    parser.add_argument("--worker", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--stages", action="store_true")
    parser.add_argument("--cprofile", type=int, default=0, metavar="N")
    parser.add_argument("--all-labelled", action="store_true")
    args = parser.parse_args()
    if args.against is not None:
        against(args.against, args)
        return

    sys.path.insert(0, str(ROOT / "bench"))
    from throughput import single_message_questions

    answerer = wire_answerer(load_knowledge(BUNDLED_KNOWLEDGE))
    answerer.logs_questions = False
    source = DEFAULT_SET if args.all_labelled else QUESTIONS_FILE
    labelled = [item.question for item in load_labelled(source)]
    questions = labelled if args.all_labelled else single_message_questions(labelled)
    # single_message_questions asked them once through its own answerer; the module-level caches (folded words,
    # tokens) are warm for pass 1, the answerer's own per-text caches are not.
    gc.collect()
    gc.freeze()
    gc.set_threshold(*GC_THRESHOLDS)
    if args.worker:
        worker(questions, answerer)
        return
    print(f"ask() over {len(questions)} questions ({source.name}); load {load()}")
    print(f"  {'pass':<8}{'mean ms':>9}{'p50 ms':>9}{'p95 ms':>9}{'CPU ms/q':>10}")
    means = []
    for number in range(1, args.passes + 1):
        values, cpu = one_pass(answerer, questions)
        if number > 1:
            means.append((statistics.fmean(values), percentile(values, 0.95), cpu))
        print(f"  {number:<8}{statistics.fmean(values):>9.3f}{percentile(values, 0.5):>9.3f}"
              f"{percentile(values, 0.95):>9.3f}{cpu:>10.3f}")
    if means:
        print(f"  {'warm med':<8}{statistics.median(m for m, _, _ in means):>9.3f}{'':>9}"
              f"{statistics.median(p for _, p, _ in means):>9.3f}{statistics.median(c for _, _, c in means):>10.3f}")
    print(f"  load at the end {load()}")
    if args.stages:
        timed_stages(answerer, questions)
    if args.cprofile:
        profiled(answerer, questions, args.cprofile)


if __name__ == "__main__":
    main()
