"""Loading and validating knowledge/: every error names its file, entry and field; checks on lengths and collisions."""

from __future__ import annotations

import copy
import datetime as dt
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from conftest import MINI_AWARDS, MINI_FAQ, MINI_SYNONYMS, MINI_TOPICS, SHIPPED_KNOWLEDGE, mini_texts, write_yaml

from bot.assembly import wire_answerer
from bot.core.answers import Answerer
from bot.core.checks import MAX_ANSWER_CHARS, check_collisions, check_lengths, check_synonym_keys
from bot.core.errors import KnowledgeError
from bot.core.knowledge import REQUIRED_TEXTS, Knowledge, load_knowledge

TODAY = dt.date(2026, 11, 23)
MakeKnowledge = Callable[..., Path]


def _faq(**changes: Any) -> dict[str, Any]:
    """A copy of the mini FAQ with the first entry's fields changed (None deletes a field)."""
    data = copy.deepcopy(MINI_FAQ)
    first = data["entries"][0]
    for key, value in changes.items():
        if value is None:
            first.pop(key, None)
        else:
            first[key] = value
    return data


def _problems(root: Path) -> list[str]:
    with pytest.raises(KnowledgeError) as info:
        load_knowledge(root)
    assert str(len(info.value.problems)) in str(info.value)
    return info.value.problems


def _one_naming(problems: list[str], *parts: str) -> str:
    """The single problem that names every one of `parts`."""
    hits = [p for p in problems if all(part in p for part in parts)]
    assert len(hits) == 1, f"expected one problem naming {parts}, got {problems}"
    return hits[0]


# -- the shipped knowledge ------------------------------------------------------------------------------------


def test_shipped_knowledge_loads(knowledge: Knowledge) -> None:
    assert knowledge.path == SHIPPED_KNOWLEDGE
    faq = [e for e in knowledge.entries.values() if e.award_id is None]
    catalogue = [e for e in knowledge.entries.values() if e.award_id is not None]
    assert len(faq) >= 50
    assert len(catalogue) >= 50
    assert "bang-khen-bo.ho-so" in knowledge.entries
    assert "bang-khen-thu-tuong.ho-so" in knowledge.entries
    assert all(e.sources for e in knowledge.entries.values())
    assert all(name in knowledge.texts for name in REQUIRED_TEXTS)
    assert [b.from_ for b in knowledge.base_salary] == sorted(b.from_ for b in knowledge.base_salary)
    assert len(knowledge.version) == 12


def test_catalogue_entries_come_from_award_sections(knowledge: Knowledge) -> None:
    entry = knowledge.entries["bang-khen-bo.ho-so"]
    award = knowledge.award("bang-khen-bo")
    assert award is not None
    assert entry.award_id == "bang-khen-bo"
    assert entry.intent_id == "ho-so"
    assert entry.topic == award.topic
    assert entry.source_file == "awards.yaml"
    assert entry.question_vi == "Hồ sơ đề nghị Bằng khen cấp Bộ gồm những gì?"
    assert len(entry.phrasings_vi) == len(set(entry.phrasings_vi))


def test_the_mini_fixture_is_valid(mini_knowledge: MakeKnowledge) -> None:
    loaded = load_knowledge(mini_knowledge())
    assert list(loaded.entries) == [
        "ho-so-chung",
        "thoi-han-nop",
        "quy-khen-thuong",
        "bang-khen-bo.tieu-chuan",
        "bang-khen-bo.tien-thuong",
    ]
    assert loaded.entries["ho-so-chung"].related == ("thoi-han-nop",)
    assert loaded.entries["bang-khen-bo.tien-thuong"].bonuses[0].value == 1.5
    assert loaded.extra_phrasings == {}
    assert loaded.deadlines_path is None


def test_version_changes_with_the_content(mini_knowledge: MakeKnowledge) -> None:
    first = load_knowledge(mini_knowledge("a")).version
    same = load_knowledge(mini_knowledge("b")).version
    changed = load_knowledge(mini_knowledge("c", faq=_faq(answer={"vi": "Khác."}))).version
    assert first == same
    assert changed != first


def test_base_salary_in_force_on_a_day(mini_knowledge: MakeKnowledge) -> None:
    loaded = load_knowledge(mini_knowledge())
    assert loaded.base_salary_on(dt.date(2026, 6, 30)).amount == 2_340_000
    assert loaded.base_salary_on(dt.date(2026, 7, 1)).amount == 2_530_000
    assert loaded.base_salary_on(dt.date(2020, 1, 1)).amount == 2_340_000  # before the history: the earliest


# -- one broken thing at a time ---------------------------------------------------------------------------------


def test_missing_folder(tmp_path: Path) -> None:
    problems = _problems(tmp_path / "nowhere")
    assert problems == [f"{tmp_path / 'nowhere'}: knowledge folder not found"]


def test_duplicate_ids(mini_knowledge: MakeKnowledge) -> None:
    data = _faq()
    data["entries"][2]["id"] = "thoi-han-nop"
    problem = _one_naming(_problems(mini_knowledge(faq=data)), "main.yaml", "'thoi-han-nop'", "'id'")
    assert "duplicate" in problem


def test_faq_id_clashing_with_an_award_id(mini_knowledge: MakeKnowledge) -> None:
    data = _faq()
    data["entries"][2]["id"] = "bang-khen-bo"
    _one_naming(_problems(mini_knowledge(faq=data)), "main.yaml", "'bang-khen-bo'", "'id'", "duplicate")


def test_dangling_related(mini_knowledge: MakeKnowledge) -> None:
    problems = _problems(mini_knowledge(faq=_faq(related=["thoi-han-nop", "khong-ton-tai"])))
    assert len(problems) == 1
    _one_naming(problems, "main.yaml", "'ho-so-chung'", "'related'", "khong-ton-tai")


def test_related_may_point_to_a_catalogue_entry(mini_knowledge: MakeKnowledge) -> None:
    loaded = load_knowledge(mini_knowledge(faq=_faq(related=["bang-khen-bo.tieu-chuan"])))
    assert loaded.entries["ho-so-chung"].related == ("bang-khen-bo.tieu-chuan",)


def test_missing_answer_vi(mini_knowledge: MakeKnowledge) -> None:
    problems = _problems(mini_knowledge(faq=_faq(answer={"en": "English only."})))
    _one_naming(problems, "main.yaml", "'ho-so-chung'", "'answer.vi'")


def test_blank_answer_vi(mini_knowledge: MakeKnowledge) -> None:
    problems = _problems(mini_knowledge(faq=_faq(answer={"vi": "   "})))
    _one_naming(problems, "main.yaml", "'ho-so-chung'", "'answer.vi'")


@pytest.mark.parametrize("sources", [None, []], ids=["missing", "empty"])
def test_missing_or_empty_sources(mini_knowledge: MakeKnowledge, sources: list[str] | None) -> None:
    data = _faq()
    if sources is None:
        del data["entries"][0]["sources"]
    else:
        data["entries"][0]["sources"] = sources
    _one_naming(_problems(mini_knowledge(faq=data)), "main.yaml", "'ho-so-chung'", "'sources'")


def test_missing_sources_of_an_award_section(mini_knowledge: MakeKnowledge) -> None:
    awards = copy.deepcopy(MINI_AWARDS)
    del awards["awards"][0]["sections"]["tieu-chuan"]["sources"]
    problems = _problems(mini_knowledge(awards=awards))
    _one_naming(problems, "awards.yaml", "'bang-khen-bo'", "sections.tieu-chuan.sources")


@pytest.mark.parametrize("reviewed", ["23/11/2026", "2026-13-01", "sometime"])
def test_unparsable_reviewed_date(mini_knowledge: MakeKnowledge, reviewed: str) -> None:
    problems = _problems(mini_knowledge(faq=_faq(reviewed=reviewed)))
    _one_naming(problems, "main.yaml", "'ho-so-chung'", "'reviewed'")


def test_unknown_topic(mini_knowledge: MakeKnowledge) -> None:
    problems = _problems(mini_knowledge(faq=_faq(topic="khong-co")))
    assert len(problems) == 1
    problem = _one_naming(problems, "main.yaml", "'ho-so-chung'", "'topic'")
    assert "khong-co" in problem


def test_unknown_topic_of_an_award(mini_knowledge: MakeKnowledge) -> None:
    awards = copy.deepcopy(MINI_AWARDS)
    awards["awards"][0]["topic"] = "khong-co"
    problems = _problems(mini_knowledge(awards=awards))
    # one problem per catalogue entry built from the award
    assert len([p for p in problems if "'topic'" in p and "khong-co" in p]) == 2
    _one_naming(problems, "awards.yaml", "'bang-khen-bo.tieu-chuan'", "'topic'")


def test_invalid_yaml(mini_knowledge: MakeKnowledge) -> None:
    root = mini_knowledge()
    bad = root / "faq" / "broken.yaml"
    bad.write_text('entries:\n  - id: x\n    questions: {vi: ["unclosed"\n', encoding="utf-8")
    _one_naming(_problems(root), "broken.yaml", "not valid YAML")


def test_invalid_yaml_is_reported_once(mini_knowledge: MakeKnowledge) -> None:
    root = mini_knowledge()
    (root / "faq" / "broken.yaml").write_text("entries: [\n", encoding="utf-8")
    assert len([p for p in _problems(root) if "broken.yaml" in p]) == 1


def test_invalid_yaml_in_a_main_file(mini_knowledge: MakeKnowledge) -> None:
    root = mini_knowledge()
    (root / "topics.yaml").write_text("topics: [\n  - id: a\n", encoding="utf-8")
    _one_naming(_problems(root), "topics.yaml", "not valid YAML")


def test_missing_main_file(mini_knowledge: MakeKnowledge) -> None:
    root = mini_knowledge()
    (root / "synonyms.yaml").unlink()
    _one_naming(_problems(root), "synonyms.yaml", "missing")


def test_no_faq_files(mini_knowledge: MakeKnowledge) -> None:
    root = mini_knowledge()
    (root / "faq" / "main.yaml").unlink()
    _one_naming(_problems(root), "faq", "no FAQ files")


def test_intent_defined_nowhere_in_an_awards_sections(mini_knowledge: MakeKnowledge) -> None:
    awards = copy.deepcopy(MINI_AWARDS)
    awards["awards"][0]["sections"]["ho-so"] = {"vi": "Tờ trình.", "sources": ["Nghị định 152/2025/NĐ-CP"]}
    problems = _problems(mini_knowledge(awards=awards))
    assert len(problems) == 1
    _one_naming(problems, "awards.yaml", "'bang-khen-bo'", "'sections.ho-so'", "no such intent")


def test_unknown_intent_name_in_an_awards_sections(mini_knowledge: MakeKnowledge) -> None:
    awards = copy.deepcopy(MINI_AWARDS)
    awards["awards"][0]["sections"]["le-phi"] = {"vi": "Không.", "sources": ["x"]}
    problems = _problems(mini_knowledge(awards=awards))
    _one_naming(problems, "awards.yaml", "'bang-khen-bo'", "sections.le-phi")


@pytest.mark.parametrize("name", ["law_note", "fallback", "bonus_amount"])
def test_missing_required_text(mini_knowledge: MakeKnowledge, name: str) -> None:
    texts = mini_texts()
    del texts["messages"][name]  # type: ignore[attr-defined]
    problems = _problems(mini_knowledge(texts=texts))
    assert problems == [f"texts.yaml: field 'messages.{name}': missing"]


def test_unknown_field_is_rejected(mini_knowledge: MakeKnowledge) -> None:
    problems = _problems(mini_knowledge(faq=_faq(answr={"vi": "typo in the key"})))
    _one_naming(problems, "main.yaml", "'ho-so-chung'", "'answr'")


def test_bad_id_shape(mini_knowledge: MakeKnowledge) -> None:
    problems = _problems(mini_knowledge(faq=_faq(id="Hồ Sơ")))
    _one_naming(problems, "main.yaml", "'Hồ Sơ'", "'id'")


def test_entry_without_id_is_named_by_position(mini_knowledge: MakeKnowledge) -> None:
    problems = _problems(mini_knowledge(faq=_faq(id=None)))
    _one_naming(problems, "main.yaml", "entry #1 (no id)", "'id'")


# -- learned.yaml -------------------------------------------------------------------------------------------------


def test_learned_phrasings_load(mini_knowledge: MakeKnowledge) -> None:
    root = mini_knowledge()
    write_yaml(root / "learned.yaml", {"phrasings": {"thoi-han-nop": ["khi nào hết hạn nộp hs"]}})
    loaded = load_knowledge(root)
    assert loaded.extra_phrasings == {"thoi-han-nop": ("khi nào hết hạn nộp hs",)}


@pytest.mark.parametrize(
    ("content", "parts"),
    [
        ({"phrasings": {"khong-co": ["câu hỏi"]}}, ("learned.yaml", "'khong-co'", "'phrasings'")),
        ({"phrasings": {"thoi-han-nop": "không phải danh sách"}}, ("learned.yaml", "'thoi-han-nop'", "'phrasings'")),
        ({"phrasings": {"thoi-han-nop": ["", "ok"]}}, ("learned.yaml", "'thoi-han-nop'", "non-empty")),
        ({"phrasings": ["a", "b"]}, ("learned.yaml", "'phrasings'", "mapping")),
        (["a list"], ("learned.yaml", "'phrasings'")),
    ],
    ids=["unknown-entry", "not-a-list", "empty-string", "list-not-mapping", "top-level-list"],
)
def test_bad_learned_file(mini_knowledge: MakeKnowledge, content: object, parts: tuple[str, ...]) -> None:
    root = mini_knowledge()
    write_yaml(root / "learned.yaml", content)
    _one_naming(_problems(root), *parts)


def test_learned_file_with_invalid_yaml(mini_knowledge: MakeKnowledge) -> None:
    root = mini_knowledge()
    (root / "learned.yaml").write_text("phrasings: {a: [\n", encoding="utf-8")
    _one_naming(_problems(root), "learned.yaml", "not valid YAML")


# -- several problems at once -------------------------------------------------------------------------------------


def test_all_problems_are_listed(mini_knowledge: MakeKnowledge) -> None:
    data = copy.deepcopy(MINI_FAQ)
    data["entries"][0]["related"] = ["khong-ton-tai"]
    data["entries"][1]["topic"] = "khong-co"
    data["entries"][2]["reviewed"] = "hôm qua"
    texts = mini_texts()
    del texts["messages"]["help"]  # type: ignore[attr-defined]
    topics = copy.deepcopy(MINI_TOPICS)
    root = mini_knowledge(faq=data, texts=texts, topics=topics)
    write_yaml(root / "learned.yaml", {"phrasings": {"khong-co": ["x"]}})
    problems = _problems(root)
    _one_naming(problems, "'ho-so-chung'", "'related'")
    _one_naming(problems, "'thoi-han-nop'", "'topic'")
    _one_naming(problems, "'quy-khen-thuong'", "'reviewed'")
    _one_naming(problems, "texts.yaml", "messages.help")
    _one_naming(problems, "learned.yaml", "'khong-co'")
    assert len(problems) == 5


# -- checks: lengths and collisions -------------------------------------------------------------------------------


def test_shipped_knowledge_passes_the_length_check(knowledge: Knowledge) -> None:
    assert check_lengths(wire_answerer(knowledge), TODAY) == []


def test_long_answer_is_reported(mini_knowledge: MakeKnowledge) -> None:
    long_answer = "Tờ trình đề nghị khen thưởng. " * 60  # ~1,800 characters: over the writing limit, fits Telegram
    assert MAX_ANSWER_CHARS < len(long_answer.strip()) < 4000
    loaded = load_knowledge(mini_knowledge(faq=_faq(answer={"vi": long_answer})))
    problems = check_lengths(Answerer(loaded), TODAY)
    assert len(problems) == 1
    assert "main.yaml: entry 'ho-so-chung': field 'answer.vi'" in problems[0]
    assert f"over {MAX_ANSWER_CHARS}" in problems[0]


def test_answer_over_one_telegram_message_is_reported(mini_knowledge: MakeKnowledge) -> None:
    long_answer = "- Bản sao quyết định khen thưởng & giấy xác nhận.\n" * 90  # ~4,500 characters
    loaded = load_knowledge(mini_knowledge(faq=_faq(answer={"vi": "Ngắn.", "en": long_answer})))
    problems = check_lengths(Answerer(loaded), TODAY)
    assert len(problems) == 2  # over the writing limit, and over one message once rendered
    assert all("entry 'ho-so-chung': field 'answer.en'" in p for p in problems)
    assert any("once rendered" in p and "4096" in p for p in problems)


def test_colliding_phrasing_is_reported(mini_knowledge: MakeKnowledge) -> None:
    awards = copy.deepcopy(MINI_AWARDS)
    # a bonus template that really asks for the criteria: its phrasings are answered by the criteria entry
    awards["intents"][1]["templates"]["vi"].append("tiêu chuẩn để được {alias}")
    loaded = load_knowledge(mini_knowledge(awards=awards))
    problems = check_collisions(Answerer(loaded))
    assert len(problems) == 3  # one per award name the {alias} template expands to
    problem = _one_naming(problems, "awards.yaml", "'bang-khen-bo.tien-thuong'", "'questions'", "Bằng khen cấp Bộ")
    assert "matches 'bang-khen-bo.tieu-chuan'" in problem


def test_phrasing_copied_into_another_entry_is_reported(mini_knowledge: MakeKnowledge) -> None:
    data = copy.deepcopy(MINI_FAQ)
    data["entries"][2]["questions"]["vi"].append("Hạn nộp hồ sơ khen thưởng là khi nào?")
    problems = check_collisions(Answerer(load_knowledge(mini_knowledge(faq=data))))
    _one_naming(problems, "'quy-khen-thuong'", "Hạn nộp hồ sơ khen thưởng là khi nào?")


def test_distinct_phrasings_do_not_collide(mini_knowledge: MakeKnowledge) -> None:
    assert check_collisions(Answerer(load_knowledge(mini_knowledge()))) == []


def test_a_one_word_synonym_that_folds_like_a_vietnamese_word_is_reported(mini_knowledge: MakeKnowledge) -> None:
    synonyms = copy.deepcopy(MINI_SYNONYMS)
    synonyms["replace"]["cap"] = "tỷ lệ"  # an English "cap" would rewrite every "cấp" (Bằng khen cấp Bộ)
    synonyms["replace"]["in a row"] = "liên tục"  # multi-word keys match as a whole: fine
    problems = check_synonym_keys(load_knowledge(mini_knowledge(synonyms=synonyms)))
    assert len(problems) == 1
    assert "'cap'" in problems[0] and "'cấp'" in problems[0]


def test_shipped_synonym_keys_do_not_shadow_vietnamese_words(knowledge: Knowledge) -> None:
    assert check_synonym_keys(knowledge) == []


def test_understanding_routes_to_entries_that_exist(mini_knowledge: MakeKnowledge) -> None:
    root = mini_knowledge()
    write_yaml(
        root / "understanding.yaml",
        {
            "other_bodies": [{"id": "cong-doan", "name": {"vi": "Công đoàn"}, "aliases": ["công đoàn"]}],
            "other_body_titles": {
                "entry": "khong-ton-tai",
                "title_words": ["danh hiệu"],
                "bodies": ["cong-doan", "hoi-khac"],
            },
        },
    )
    problems = _problems(root)
    _one_naming(problems, "understanding.yaml", "'other_body_titles.entry'", "khong-ton-tai")
    _one_naming(problems, "understanding.yaml", "'other_body_titles.bodies'", "hoi-khac")


def test_grade_entries_route_to_entries_that_exist(mini_knowledge: MakeKnowledge) -> None:
    root = mini_knowledge()
    rule = {"award": "bang-khen-bo", "grades": ["hạng nhì"], "entry": "khong-co", "intents": ["tieu-chuan"]}
    write_yaml(root / "understanding.yaml", {"grade_entries": [rule]})
    _one_naming(_problems(root), "understanding.yaml", "'grade_entries[0].entry'", "khong-co")
