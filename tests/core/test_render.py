"""Rendering answers: bonus amounts on the day asked, law note, HTML escaping and splitting under Telegram's limit."""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
from html.parser import HTMLParser

import pytest

from bot.core.knowledge import LAW_NOTE_INTENTS, Knowledge
from bot.core.render import (
    TELEGRAM_LIMIT,
    AnswerParts,
    answer_parts,
    bonus_amount,
    checklist_parts,
    format_money,
    split_html,
    to_html,
    to_plain,
    visible_length,
)

BEFORE = dt.date(2026, 6, 30)
AFTER = dt.date(2026, 7, 1)


@pytest.mark.parametrize(
    ("coefficient", "base", "amount"),
    [
        (1.5, 2_530_000, 3_800_000),  # 3,795,000 rounds up
        (1.5, 2_340_000, 3_510_000),  # exact multiple stays
        (3.0, 2_530_000, 7_590_000),
        (0.3, 2_340_000, 710_000),  # 702,000
        (0.6, 2_530_000, 1_520_000),  # 1,518,000
        (0.1, 2_340_000, 240_000),  # 234,000
        (1.0, 2_340_001, 2_350_000),  # one đồng over rounds up a whole step
        (4.5, 2_340_000, 10_530_000),
    ],
)
def test_bonus_rounds_up_to_ten_thousand(coefficient: float, base: int, amount: int) -> None:
    assert bonus_amount(coefficient, base) == amount
    assert amount % 10_000 == 0
    assert 0 <= amount - coefficient * base < 10_000


def test_float_noise_does_not_add_a_step() -> None:
    # 0.7 × 2,400,000 is 1,679,999.9999999998 in binary floating point
    assert bonus_amount(0.7, 2_400_000) == 1_680_000
    assert bonus_amount(1.1, 2_000_000) == 2_200_000


@pytest.mark.parametrize(("lang", "text"), [("vi", "3.795.000"), ("en", "3,795,000")])
def test_money_format(lang: str, text: str) -> None:
    assert format_money(3_795_000, lang) == text


def test_bonus_line_uses_the_base_salary_of_the_day(knowledge: Knowledge) -> None:
    entry = knowledge.entries["bang-khen-bo.tien-thuong"]
    before = answer_parts(knowledge, entry, "vi", BEFORE)
    after = answer_parts(knowledge, entry, "vi", AFTER)
    assert "Cá nhân: 1,5 × mức lương cơ sở = 3.510.000 đ" in before.extras
    assert "Tập thể: 3 × mức lương cơ sở = 7.020.000 đ" in before.extras
    assert "Cá nhân: 1,5 × mức lương cơ sở = 3.800.000 đ" in after.extras
    assert "Tập thể: 3 × mức lương cơ sở = 7.590.000 đ" in after.extras
    base_line = after.extras[2]
    assert "2.530.000" in base_line and "01/07/2026" in base_line and "2.340.000" in base_line
    assert "Nghị định 161/2026/NĐ-CP" in base_line
    assert "2.340.000" in before.extras[2] and "01/07/2024" in before.extras[2]


def test_bonus_line_in_english(knowledge: Knowledge) -> None:
    parts = answer_parts(knowledge, knowledge.entries["bang-khen-bo.tien-thuong"], "en", AFTER)
    assert parts.lang == "en"
    assert "Individual: 1.5 × base salary = 3,800,000 VND" in parts.extras
    assert parts.legal_basis.startswith("Legal basis: ")


def test_a_capped_bonus_is_not_said_to_be_rounded(knowledge: Knowledge) -> None:
    # Kỷ niệm chương: "không quá 0,6 lần" (NĐ 152 Điều 54 k1) is a cap the ministry rounds as it chooses (facts A3.1),
    # so its answer shows 1,518,000 đ exactly and must not add the round-up sentence of the coefficient answers.
    for lang, cap, old, rounded in (
        ("vi", "tối đa 1.518.000 đ", "tối đa 1.404.000 đ", "làm tròn lên"),
        ("en", "up to 1,518,000 VND", "up to 1,404,000 VND", "rounded up"),
    ):
        text = to_plain(answer_parts(knowledge, knowledge.entries["ky-niem-chuong.tien-thuong"], lang, AFTER))
        assert cap in text and old in text
        assert rounded not in text
    # A coefficient answer keeps the rounding sentence.
    coefficient = answer_parts(knowledge, knowledge.entries["bang-khen-bo.tien-thuong"], "vi", AFTER)
    assert "làm tròn lên" in to_plain(coefficient)


def test_no_bonus_lines_without_coefficients(knowledge: Knowledge) -> None:
    parts = answer_parts(knowledge, knowledge.entries["luat-tdkt-hien-hanh"], "vi", AFTER)
    assert parts.extras == ()


def test_law_note_on_criteria_answers(knowledge: Knowledge) -> None:
    note = knowledge.text("law_note")
    criteria = answer_parts(knowledge, knowledge.entries["bang-khen-bo.tieu-chuan"], "vi", AFTER)
    assert criteria.extras[-1] == note
    assert note in to_plain(criteria)
    bonus = answer_parts(knowledge, knowledge.entries["bang-khen-bo.tien-thuong"], "vi", AFTER)
    faq = answer_parts(knowledge, knowledge.entries["uu-tien-nu"], "vi", AFTER)
    assert note not in bonus.extras
    assert note not in faq.extras
    assert {"tieu-chuan", "ho-so"} <= LAW_NOTE_INTENTS


def test_plain_text_carries_title_body_sources_and_review_date(knowledge: Knowledge) -> None:
    entry = knowledge.entries["bang-khen-bo.ho-so"]
    text = to_plain(answer_parts(knowledge, entry, "vi", AFTER))
    assert text.startswith(entry.question_vi + "\n\n")
    assert entry.answer_vi.strip() in text
    assert "Căn cứ: " + "; ".join(entry.sources) in text
    assert text.endswith(f"Cập nhật: {entry.reviewed:%d/%m/%Y}")


def test_english_falls_back_to_vietnamese_without_an_english_answer(knowledge: Knowledge) -> None:
    # Every shipped entry has English now; an entry without it must still answer, in Vietnamese.
    shipped = next(e for e in knowledge.entries.values() if not e.award_id)
    entry = dataclasses.replace(shipped, answer_en=None, question_en=None)
    parts = answer_parts(knowledge, entry, "en", AFTER)
    assert parts.lang == "vi"
    assert parts.body == entry.answer_vi


def _parts(**changes: object) -> AnswerParts:
    base = AnswerParts(
        lang="vi",
        title="Tiêu đề",
        body="Nội dung",
        extras=(),
        legal_basis="Căn cứ: Nghị định 152/2025/NĐ-CP",
        reviewed="Cập nhật: 23/11/2026",
    )
    return dataclasses.replace(base, **changes)  # type: ignore[arg-type]


def test_html_escapes_every_dynamic_piece() -> None:
    parts = _parts(
        title="Mẫu <01> & <b>",
        body="Điểm < 5 & > 3 trong <script>",
        extras=("x & y",),
        legal_basis="Căn cứ: A & B <Điều 1>",
    )
    html_text = to_html(parts)
    assert "<script>" not in html_text
    assert "<b>Mẫu &lt;01&gt; &amp; &lt;b&gt;</b>" in html_text
    assert "Điểm &lt; 5 &amp; &gt; 3 trong &lt;script&gt;" in html_text
    assert "x &amp; y" in html_text
    assert "A &amp; B &lt;Điều 1&gt;" in html_text
    assert re.findall(r"</?([a-z]+)>", html_text) == ["b", "b", "i", "i"]


def test_html_turns_dashes_into_bullets() -> None:
    html_text = to_html(_parts(body="Gồm:\n- Tờ trình\n- Biên bản"))
    assert "Gồm:\n• Tờ trình\n• Biên bản" in html_text


def test_visible_length_counts_utf16_units_without_tags() -> None:
    assert visible_length("<b>abc</b>") == 3
    assert visible_length("&lt;&amp;") == 2
    assert visible_length("🏅") == 2
    assert visible_length("Đề nghị") == 7


class _TagBalance(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.stack: list[str] = []
        self.ok = True

    def handle_starttag(self, tag: str, attrs: object) -> None:
        self.stack.append(tag)

    def handle_endtag(self, tag: str) -> None:
        if not self.stack or self.stack.pop() != tag:
            self.ok = False


def _balanced(chunk: str) -> bool:
    parser = _TagBalance()
    parser.feed(chunk)
    parser.close()
    return parser.ok and not parser.stack


@pytest.mark.parametrize(
    "body",
    [
        "\n\n".join(f"Đoạn {i}: hồ sơ gồm tờ trình & biên bản 🏅🏅" for i in range(400)),  # many paragraphs
        "\n".join(f"- Mục {i} <ghi chú> 🎖" for i in range(900)),  # one long paragraph of lines
        "🏅" * 5000,  # one line longer than a message, in emoji (two UTF-16 units each)
        "&" * 6000,  # one line of characters that grow when escaped
    ],
    ids=["paragraphs", "lines", "emoji-line", "ampersand-line"],
)
def test_split_html_keeps_chunks_under_the_limit_and_balanced(body: str) -> None:
    html_text = to_html(_parts(body=body))
    assert visible_length(html_text) > TELEGRAM_LIMIT
    chunks = split_html(html_text)
    assert len(chunks) >= 2
    for chunk in chunks:
        assert 0 < visible_length(chunk) <= TELEGRAM_LIMIT
        assert _balanced(chunk), chunk[:200]
    visible = sum(visible_length(c) for c in chunks)
    # nothing is lost: only separators between chunks may disappear
    assert visible_length(html_text) - 2 * len(chunks) <= visible <= visible_length(html_text)


def test_short_html_is_one_chunk() -> None:
    html_text = to_html(_parts())
    assert split_html(html_text) == [html_text]


def test_split_html_with_a_small_limit() -> None:
    # paragraphs that fit stay whole; a paragraph longer than the limit is cut (half the limit, UTF-16 worst case)
    chunks = split_html("<b>một</b>\n\nhai ba\n\nbốn năm sáu", limit=8)
    assert chunks == ["<b>một</b>", "hai ba", "bốn ", "năm ", "sáu"]
    assert split_html("a\n\nb", limit=8) == ["a\n\nb"]


def test_every_shipped_answer_renders_under_one_message(knowledge: Knowledge) -> None:
    for entry in knowledge.entries.values():
        for lang in ("vi", "en"):
            html_text = to_html(answer_parts(knowledge, entry, lang, AFTER))
            assert _balanced(html_text), entry.id
            assert split_html(html_text) == [html_text], entry.id


def test_checklist_is_one_short_answer_with_one_note_and_one_basis_line(knowledge: Knowledge) -> None:
    [checklist] = checklist_parts(knowledge, "bang-khen-bo", "vi", AFTER)
    text = to_plain(checklist)
    assert checklist.title == knowledge.entries["bang-khen-bo.ho-so"].question_vi
    for intent in ("so-bo", "mau-bao-cao"):  # the copies and the form, each as its question and first paragraph
        assert knowledge.entries[f"bang-khen-bo.{intent}"].question_vi in text
    assert text.count("Căn cứ:") == 1
    assert text.count("Luật 06/2026/QH16") <= 1  # the note on the 2026 amendment once, not three times
    assert len(text) < 2000  # three whole answers glued together were 2,900 characters
    assert checklist_parts(knowledge, "khong-co", "vi", AFTER) == []
