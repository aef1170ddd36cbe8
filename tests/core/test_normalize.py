"""Vietnamese normalisation: one key per question whatever the keyboard, tone placement or abbreviation."""

from __future__ import annotations

import unicodedata

import pytest

from bot.core.knowledge import Knowledge
from bot.core.normalize import Normalizer, canonical_text, fold, has_diacritics, telex_fold, tokenize


@pytest.fixture(scope="module")
def normalize(knowledge: Knowledge) -> Normalizer:
    return Normalizer(knowledge.synonyms)


def _all_questions(knowledge: Knowledge) -> list[str]:
    return [p for e in knowledge.entries.values() if e.award_id is None for p in e.phrasings_vi]


def test_nfc_and_nfd_give_the_same_keys(knowledge: Knowledge, normalize: Normalizer) -> None:
    questions = _all_questions(knowledge)
    assert len(questions) > 300
    changed = 0
    for question in questions:
        nfc = unicodedata.normalize("NFC", question)
        nfd = unicodedata.normalize("NFD", question)
        changed += nfc != nfd
        assert canonical_text(nfd) == canonical_text(nfc), question
        assert tokenize(nfd) == tokenize(nfc), question
        assert normalize(nfd) == normalize(nfc), question
    assert changed > 300  # the property was exercised on text that really differs between the two forms


def test_canonical_text_is_nfc_and_idempotent(knowledge: Knowledge) -> None:
    for question in _all_questions(knowledge):
        once = canonical_text(unicodedata.normalize("NFD", question))
        assert unicodedata.is_normalized("NFC", once)
        assert canonical_text(once) == once


@pytest.mark.parametrize(
    ("first", "second"),
    [
        ("hoà", "hòa"),
        ("thuỷ", "thủy"),
        ("khoẻ", "khỏe"),
        ("uỷ ban", "ủy ban"),
        ("hoá", "hóa"),
        ("Hoà Bình", "Hòa Bình"),
        ("THUỶ", "THỦY"),
        ("Ủy ban nhân dân thành phố Thủy Nguyên", "Uỷ ban nhân dân thành phố Thuỷ Nguyên"),
    ],
)
def test_both_tone_placements_meet(first: str, second: str, normalize: Normalizer) -> None:
    assert canonical_text(first) == canonical_text(second)
    assert canonical_text(unicodedata.normalize("NFD", first)) == canonical_text(second)
    assert normalize(first) == normalize(second)


@pytest.mark.parametrize("word", ["hoàn", "toàn", "khoảng", "thuyết", "quyết", "huyện", "hoàng"])
def test_tone_inside_a_longer_syllable_stays(word: str) -> None:
    assert canonical_text(word) == word


def test_eth_is_read_as_d_stroke() -> None:
    assert canonical_text("\u00d0ề nghị") == "Đề nghị"
    assert canonical_text("\u00f0ơn vị") == "đơn vị"
    assert tokenize("\u00d0ÀO TẠO") == ["đào", "tạo"]
    assert fold(canonical_text("\u00d0ơn")) == "Don"


@pytest.mark.parametrize("invisible", ["\u200b", "\u200c", "\u200d", "\u2060", "\ufeff", "\u00ad"])
def test_zero_width_characters_are_removed(invisible: str) -> None:
    text = f"bằng{invisible} khen {invisible}cấp{invisible}bộ"
    assert canonical_text(text) == "bằng khen cấpbộ"
    assert tokenize(f"hồ{invisible}sơ") == ["hồsơ"]
    assert tokenize(f"{invisible}hồ sơ") == ["hồ", "sơ"]


@pytest.mark.parametrize(
    ("text", "folded"),
    [
        ("đ", "d"),
        ("Đề nghị đơn vị", "De nghi don vi"),
        ("thưởng", "thuong"),
        ("Chiến sĩ thi đua cơ sở", "Chien si thi dua co so"),
        (unicodedata.normalize("NFD", "Đường"), "Duong"),
    ],
)
def test_fold_removes_diacritics_and_stroke(text: str, folded: str) -> None:
    assert fold(text) == folded


@pytest.mark.parametrize(
    ("text", "tokens"),
    [
        ("Hồ sơ, thủ tục?", ["hồ", "sơ", "thủ", "tục"]),
        ("KH&CN", ["kh", "cn"]),
        ("TT-BKHCN/2025", ["tt", "bkhcn", "2025"]),
        ("  nhiều    khoảng   trắng\t\n", ["nhiều", "khoảng", "trắng"]),
        ("a_b (c) «d» …", ["a", "b", "c", "d"]),
        ("", []),
        ("?!.", []),
    ],
)
def test_punctuation_becomes_a_word_boundary(text: str, tokens: list[str]) -> None:
    assert tokenize(text) == tokens


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("tiêu chuẩn cstđcs", "tiêu chuẩn chiến sĩ thi đua cơ sở"),
        ("tieu chuan cstdcs", "tieu chuan chiến sĩ thi đua cơ sở"),
        ("hs bk ttg", "hồ sơ bằng khen thủ tướng"),
        ("ko biết", "không biết"),
        ("hồ sơ cần j", "hồ sơ cần gì"),
        ("có đc không", "có được không"),
        ("huân chương lao động hạng 3", "huân chương lao động hạng ba"),
        ("hang iii", "hạng ba"),
        ("CSTĐ cấp bộ", "chiến sĩ thi đua cấp bộ"),
    ],
)
def test_synonyms_expand(normalize: Normalizer, text: str, expected: str) -> None:
    assert normalize(text).text == expected
    assert normalize(text).folded_text == fold(expected)


def test_longest_key_wins() -> None:
    normalize = Normalizer({"bk": "bằng khen", "bk bộ": "bằng khen cấp bộ", "bộ": "ministry"})
    assert normalize("bk bộ").text == "bằng khen cấp bộ"
    assert normalize("bk").text == "bằng khen"
    assert normalize("bộ bk").text == "ministry bằng khen"
    # cstđ cs (two words) beats cstđ followed by an unrelated cs in the shipped synonyms too
    shipped = {"cstđ": "chiến sĩ thi đua", "cstđ cs": "chiến sĩ thi đua cơ sở"}
    assert Normalizer(shipped)("cstđ cs").text == "chiến sĩ thi đua cơ sở"


def test_synonym_keys_match_whole_words_only(normalize: Normalizer) -> None:
    assert normalize("jav").text == "jav"
    assert normalize("kovac").text == "kovac"


def test_accented_and_folded_stay_aligned(normalize: Normalizer) -> None:
    result = normalize("Cho em hỏi HS bằng khen ttg ạ")
    assert len(result.accented) == len(result.folded)
    assert [fold(a) for a in result.accented] == list(result.folded)


@pytest.mark.parametrize(
    ("text", "typed"),
    [
        ("Hồ sơ bằng khen", True),
        ("ho so bang khen", False),
        ("đc", True),
        ("what documents for bang khen", False),
        (unicodedata.normalize("NFD", "thủ tướng"), True),
    ],
)
def test_typed_diacritics_flag(normalize: Normalizer, text: str, typed: bool) -> None:
    assert normalize(text).typed_diacritics is typed
    assert has_diacritics(text) is typed


def test_empty_normalizer_only_tokenizes() -> None:
    result = Normalizer()("Bằng Khen, cấp Bộ!")
    assert result.accented == ("bằng", "khen", "cấp", "bộ")
    assert result.folded == ("bang", "khen", "cap", "bo")


@pytest.mark.parametrize(
    ("typed", "folded"),
    [("hoof", "ho"), ("sow", "so"), ("thuwowngr", "thuong"), ("bawngf", "bang"), ("ddeef", "de"), ("chieens", "chien")],
)
def test_telex_typed_without_the_input_method_folds_to_the_syllable(typed: str, folded: str) -> None:
    assert telex_fold(typed) == folded


@pytest.mark.parametrize("word", ["khen", "thuong", "bộ", "2025", "ho-so"])
def test_words_without_telex_letters_are_not_rewritten(word: str) -> None:
    assert telex_fold(word) is None
