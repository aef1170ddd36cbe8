"""The compiled index cache: same answers cold, warm and without it; a new key on any edit; bad files rebuilt."""

from __future__ import annotations

import json
import multiprocessing
from collections.abc import Callable
from pathlib import Path

import numpy as np
import pytest
import yaml

from bot.assembly import index_cache, wire_answerer
from bot.cli import main
from bot.config import Config, KnowledgeSettings
from bot.core.answers import Answerer
from bot.core.index_cache import IndexCache, pack_strings, pack_token_lists, unpack_strings, unpack_token_lists
from bot.core.knowledge import Knowledge, knowledge_files, load_knowledge

EVAL = Path(__file__).resolve().parent.parent / "eval"


def sample_questions(every: int = 16) -> list[str]:
    """Every `every`-th question of each labelled set, so each set and style is represented."""
    questions: list[str] = []
    for path in sorted(EVAL.glob("*.yaml")):
        items = [item["q"] for item in yaml.safe_load(path.read_text(encoding="utf-8")) if item.get("q")]
        questions.extend(items[::every])
    return questions


def replies(answerer: Answerer, questions: list[str]) -> list[str]:
    return [json.dumps(answerer.ask(q).to_json(), ensure_ascii=False) for q in questions]


def test_shipped_knowledge_answers_identically_cold_warm_and_without_the_cache(
    knowledge: Knowledge, answerer: Answerer, tmp_path: Path
) -> None:
    cache = IndexCache(tmp_path / "cache")
    cold = wire_answerer(knowledge, cache=cache)
    assert not cold.matcher.from_cache
    assert len(list((tmp_path / "cache").glob("*.npz"))) == 1
    warm = wire_answerer(knowledge, cache=cache)
    assert warm.matcher.from_cache
    questions = sample_questions()
    assert len(questions) > 80
    without = replies(answerer, questions)  # the session's answerer never saw a cache
    assert replies(cold, questions) == without
    assert replies(warm, questions) == without


def mini_answer(root: Path, cache: IndexCache) -> tuple[Answerer, str]:
    answerer = wire_answerer(load_knowledge(root), cache=cache)
    return answerer, json.dumps(answerer.ask("hồ sơ bằng khen gồm gì").to_json(), ensure_ascii=False)


def test_any_edit_gives_a_new_key(mini_knowledge: Callable[..., Path], tmp_path: Path) -> None:
    root = mini_knowledge()
    cache = IndexCache(tmp_path / "cache")
    first = cache.key(knowledge_files(load_knowledge(root)) or [])
    faq = root / "faq" / "main.yaml"
    data = yaml.safe_load(faq.read_text(encoding="utf-8"))
    data["entries"][0]["questions"]["vi"].append("một cách hỏi mới")
    faq.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    second = cache.key(knowledge_files(load_knowledge(root)) or [])
    (root / "learned.yaml").write_text("phrasings: {}\n", encoding="utf-8")
    third = cache.key(knowledge_files(load_knowledge(root)) or [])
    assert len({first, second, third}) == 3


def test_a_knowledge_edited_after_loading_is_not_cached(mini_knowledge: Callable[..., Path], tmp_path: Path) -> None:
    root = mini_knowledge()
    knowledge = load_knowledge(root)
    (root / "synonyms.yaml").write_text("replace: {}\n", encoding="utf-8")
    assert knowledge_files(knowledge) is None
    wire_answerer(knowledge, cache=IndexCache(tmp_path / "cache"))
    assert not (tmp_path / "cache").exists()


@pytest.mark.parametrize("damage", ["truncate", "garbage", "foreign", "object_array", "missing_npz", "bad_arrays"])
def test_a_damaged_or_foreign_entry_is_ignored_and_rebuilt(
    mini_knowledge: Callable[..., Path], tmp_path: Path, damage: str
) -> None:
    root = mini_knowledge()
    cache = IndexCache(tmp_path / "cache")
    _, expected = mini_answer(root, cache)
    npz = next((tmp_path / "cache").glob("*.npz"))
    manifest_path = npz.with_suffix(".json")
    manifest = json.loads(manifest_path.read_text(encoding="utf-8"))
    if damage == "truncate":
        npz.write_bytes(npz.read_bytes()[:100])
    elif damage == "garbage":
        manifest_path.write_text("{not json", encoding="utf-8")
    elif damage == "foreign":
        manifest["format"] = "someone-else/9"
        manifest_path.write_text(json.dumps(manifest), encoding="utf-8")
    elif damage in ("object_array", "bad_arrays"):
        # A well-formed file whose hash matches the manifest, but with a pickled array or arrays that do not fit.
        with np.load(npz, allow_pickle=False) as data:
            arrays = {name: data[name] for name in data.files}
        if damage == "object_array":
            arrays["profiles/bounds"] = np.array([{"x": 1}], dtype=object)
        else:
            arrays["lexical/positions"] = arrays["lexical/positions"] + 10_000
        np.savez(npz, **arrays)
        manifest["sha256"] = __import__("hashlib").sha256(npz.read_bytes()).hexdigest()
        manifest_path.write_text(json.dumps(manifest), encoding="utf-8")
    else:
        npz.unlink()
    rebuilt, answer = mini_answer(root, cache)
    assert not rebuilt.matcher.from_cache
    assert answer == expected
    warm, answer = mini_answer(root, cache)  # rewritten sound
    assert warm.matcher.from_cache
    assert answer == expected


def _build_in_process(root: str, folder: str, out: multiprocessing.Queue) -> None:  # type: ignore[type-arg]
    _, answer = mini_answer(Path(root), IndexCache(Path(folder)))
    out.put(answer)


def test_processes_starting_at_once_share_one_sound_entry(
    mini_knowledge: Callable[..., Path], tmp_path: Path
) -> None:
    root = mini_knowledge()
    folder = tmp_path / "cache"
    context = multiprocessing.get_context("spawn")
    out = context.Queue()
    workers = [context.Process(target=_build_in_process, args=(str(root), str(folder), out)) for _ in range(3)]
    for worker in workers:
        worker.start()
    answers = [out.get(timeout=120) for _ in workers]
    for worker in workers:
        worker.join(timeout=60)
        assert worker.exitcode == 0
    assert len(set(answers)) == 1
    assert not list(folder.glob("*.tmp"))
    warm, answer = mini_answer(root, IndexCache(folder))
    assert warm.matcher.from_cache
    assert answer == answers[0]


def test_strings_pack_without_pickle() -> None:
    for items in ([], [""], ["a", "", "bằng khen"], ["x"] * 3):
        assert unpack_strings(pack_strings(items)) == items
    lists = [["hồ", "sơ"], [], ["bk"]]
    assert unpack_token_lists(*pack_token_lists(lists)) == lists
    with pytest.raises(ValueError):
        pack_strings(["a\0b"])


def test_the_cache_setting_and_no_cache_flag(
    mini_knowledge: Callable[..., Path], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert index_cache(Config(knowledge=KnowledgeSettings(cache=False))) is None
    chosen = index_cache(Config(knowledge=KnowledgeSettings(cache=tmp_path / "here")))
    assert chosen is not None and chosen.folder == tmp_path / "here"
    root = mini_knowledge()
    folder = tmp_path / "cli-cache"
    config = tmp_path / "config.yaml"
    config.write_text(yaml.safe_dump({"knowledge": {"path": str(root), "cache": str(folder)}}), encoding="utf-8")
    assert main(["--config", str(config), "ask", "--no-cache", "--json", "hồ sơ bằng khen"]) == 0
    assert not folder.exists()
    assert main(["--config", str(config), "ask", "--json", "hồ sơ bằng khen"]) == 0
    assert len(list(folder.glob("*.npz"))) == 1
    first, second = capsys.readouterr().out.splitlines()
    assert first == second


def test_check_collisions_are_remembered_with_the_index(
    mini_knowledge: Callable[..., Path], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from bot.core import checks

    root = mini_knowledge()
    cache = IndexCache(tmp_path / "cache")
    fresh = checks.check_collisions(wire_answerer(load_knowledge(root)))
    assert checks.check_collisions(wire_answerer(load_knowledge(root), cache=cache)) == fresh
    monkeypatch.setattr(checks, "_collisions", lambda answerer, threshold: pytest.fail("ranked again"))
    assert checks.check_collisions(wire_answerer(load_knowledge(root), cache=cache)) == fresh
