"""Shared fixtures: the shipped knowledge, its answerer, and a small knowledge folder written under tmp_path."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from pathlib import Path

import pytest
import yaml

from bot.assembly import wire_answerer
from bot.core.answers import Answerer
from bot.core.knowledge import REQUIRED_TEXTS, Knowledge, load_knowledge
from bot.storage.database import Storage

SHIPPED_KNOWLEDGE = Path(__file__).resolve().parent.parent / "knowledge"

MINI_TOPICS = {
    "topics": [
        {"id": "ho-so", "title": {"vi": "Hồ sơ, thủ tục", "en": "Dossiers"}},
        {"id": "khen-thuong", "title": {"vi": "Hình thức khen thưởng", "en": "Forms of commendation"}},
    ]
}
MINI_AWARDS = {
    "base_salary": [
        {"amount": 2340000, "from": "2024-07-01", "source": "Nghị định 73/2024/NĐ-CP, Điều 3"},
        {"amount": 2530000, "from": "2026-07-01", "source": "Nghị định 161/2026/NĐ-CP, Điều 3"},
    ],
    "intents": [
        {
            "id": "tieu-chuan",
            "title": {"vi": "Tiêu chuẩn {name}"},
            "templates": {"vi": ["Tiêu chuẩn {name} là gì?", "điều kiện để được {alias}"]},
            "keywords": ["tiêu chuẩn"],
        },
        {
            "id": "tien-thuong",
            "title": {"vi": "Tiền thưởng {name}"},
            "templates": {"vi": ["Tiền thưởng {name} là bao nhiêu?"]},
            "keywords": ["tiền thưởng"],
        },
    ],
    "awards": [
        {
            "id": "bang-khen-bo",
            "name": "Bằng khen cấp Bộ",
            "full_name": "Bằng khen của Bộ trưởng",
            "name_en": "Certificate of Merit of the Minister",
            "aliases": ["bằng khen bộ"],
            "kind": "hinh-thuc",
            "level": {"vi": "cấp Bộ"},
            "topic": "khen-thuong",
            "reviewed": "2026-11-01",
            "sections": {
                "tieu-chuan": {
                    "vi": "Hoàn thành xuất sắc nhiệm vụ hai năm liên tục.",
                    "sources": ["Nghị định 152/2025/NĐ-CP, Điều 28"],
                },
                "tien-thuong": {
                    "vi": "Tiền thưởng tính theo mức lương cơ sở.",
                    "sources": ["Nghị định 152/2025/NĐ-CP, Điều 54"],
                    "coefficients": [
                        {"for": {"vi": "cá nhân", "en": "individual"}, "value": 1.5},
                        {"for": {"vi": "tập thể", "en": "collective"}, "value": 3.0},
                    ],
                },
            },
        }
    ],
}
MINI_FAQ = {
    "entries": [
        {
            "id": "ho-so-chung",
            "topic": "ho-so",
            "questions": {"vi": ["Hồ sơ đề nghị khen thưởng gồm những gì?"], "en": ["What documents are needed?"]},
            "answer": {"vi": "Tờ trình, biên bản họp, báo cáo thành tích.", "en": "A proposal, minutes, a report."},
            "sources": ["Nghị định 152/2025/NĐ-CP, Điều 63"],
            "reviewed": "2026-11-01",
            "related": ["thoi-han-nop"],
        },
        {
            "id": "thoi-han-nop",
            "topic": "ho-so",
            "questions": {"vi": ["Hạn nộp hồ sơ khen thưởng là khi nào?"]},
            "answer": {"vi": "Theo hướng dẫn hằng năm của Bộ."},
            "sources": ["Hướng dẫn của Bộ"],
            "reviewed": "2026-11-01",
        },
        {
            "id": "quy-khen-thuong",
            "topic": "khen-thuong",
            "questions": {"vi": ["Quỹ thi đua khen thưởng trích từ đâu?"]},
            "answer": {"vi": "Từ ngân sách nhà nước."},
            "sources": ["Nghị định 152/2025/NĐ-CP, Điều 66"],
            "reviewed": "2026-11-01",
        },
    ]
}
MINI_SYNONYMS = {"replace": {"bk": "bằng khen", "hs": "hồ sơ"}, "stopwords": ["cho em hỏi", "ạ"]}


def mini_texts() -> dict[str, object]:
    """texts.yaml with every required message (a recognisable placeholder each) and one small talk item."""
    messages: dict[str, dict[str, str]] = {name: {"vi": f"[{name}]", "en": f"[{name} en]"} for name in REQUIRED_TEXTS}
    messages["legal_basis"] = {"vi": "Căn cứ", "en": "Legal basis"}
    messages["reviewed"] = {"vi": "Cập nhật", "en": "Reviewed"}
    messages["bonus_amount"] = {"vi": "{who}: {coefficient} × mức lương cơ sở = {amount} đ"}
    messages["bonus_base"] = {"vi": "Mức lương cơ sở {base} đ từ {since} ({source}); trước đó {previous} đ."}
    return {
        "messages": messages,
        "smalltalk": [{"id": "chao", "patterns": ["xin chào", "chào"], "reply": {"vi": "Chào bạn!"}}],
    }


def write_yaml(path: Path, data: object) -> Path:
    """Write `data` as UTF-8 YAML, creating parent folders."""
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return path


@pytest.fixture(scope="session")
def knowledge() -> Knowledge:
    """The shipped knowledge/ folder, loaded once."""
    return load_knowledge(SHIPPED_KNOWLEDGE)


@pytest.fixture(scope="session")
def answerer(knowledge: Knowledge) -> Answerer:
    """An answerer over the shipped knowledge with default settings."""
    return wire_answerer(knowledge)


@pytest.fixture
def mini_knowledge(tmp_path: Path) -> Callable[..., Path]:
    """Factory writing a small valid knowledge folder (2 topics, 1 award × 2 intents, 3 FAQ entries); returns it.

    Keyword arguments replace a whole file's data: topics, awards, faq (written as faq/main.yaml), synonyms, texts.
    """

    def make(name: str = "knowledge", **overrides: object) -> Path:
        root = tmp_path / name
        files = {
            "topics.yaml": overrides.get("topics", MINI_TOPICS),
            "awards.yaml": overrides.get("awards", MINI_AWARDS),
            "synonyms.yaml": overrides.get("synonyms", MINI_SYNONYMS),
            "texts.yaml": overrides.get("texts", mini_texts()),
            "faq/main.yaml": overrides.get("faq", MINI_FAQ),
        }
        for relative, data in files.items():
            write_yaml(root / relative, data)
        return root

    return make


@pytest.fixture
async def storage(tmp_path: Path) -> AsyncIterator[Storage]:
    """A real SQLite database in the test's temporary folder, opened (migrated) and closed around the test."""
    store = await Storage(tmp_path / "db.sqlite3").open()
    try:
        yield store
    finally:
        await store.close()


def answered_with(answerer: Answerer, question: str, entry_id: str, *says: str) -> str:
    """Ask `question`; assert it is answered with `entry_id` and its reply contains every text of `says`."""
    reply = answerer.ask(question)
    assert reply.entry is not None and reply.entry.id == entry_id, (question, reply.entry and reply.entry.id)
    for text in says:
        assert text in reply.message, (question, text)
    return reply.message

