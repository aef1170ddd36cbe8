"""The normaliser's fast paths give what the full steps give (issue 17: the cold build reads every text once)."""

from __future__ import annotations

import itertools
import re
import unicodedata

from bot.core.normalize import _CHAR_FIXES, _TONE_ON_FIRST, Normalizer, canonical_text, tokenize


def _canonical_in_full(text: str) -> str:
    """canonical_text as every step spelt out: NFC, look-alikes fixed, NFD, tone moved, NFC."""
    text = unicodedata.normalize("NFC", text).translate(_CHAR_FIXES)
    decomposed = _TONE_ON_FIRST.sub(r"\1\3\2", unicodedata.normalize("NFD", text))
    return unicodedata.normalize("NFC", decomposed)


def _tokens_in_full(text: str) -> list[str]:
    """tokenize as cutting at every non-word character and `_`, then splitting."""
    return re.sub(r"[^\w]+", " ", canonical_text(text).lower()).replace("_", " ").split()


# Letters and marks where the fast paths could go wrong: toned o/u before a/e/y (the tone moves), other vowels,
# combining marks (decomposed input), look-alikes and invisible characters, punctuation and `_`.
PIECES = [
    "o", "u", "U", "a", "e", "y", "Y", "đ", "ò", "ó", "ọ", "ủ", "Ũ", "ộ", "ợ", "ự", "â", "ư",
    "\u0300", "\u0301", "\u0309", "\u0323", "\u0302", "\u031b",
    "\u00d0", "\u00f0", "\u200b", "\u00ad", "\ufeff", " ", "_", ".", "3",
]


def test_canonical_text_and_tokenize_agree_with_the_full_steps_on_every_short_combination() -> None:
    checked = 0
    for size in (1, 2, 3):
        for combination in itertools.product(PIECES, repeat=size):
            text = "".join(combination)
            for form in (text, unicodedata.normalize("NFD", text), f"h{text} x"):
                assert canonical_text(form) == _canonical_in_full(form), repr(form)
                assert tokenize(form) == _tokens_in_full(form), repr(form)
                checked += 1
    assert checked > 100_000


def test_the_tone_still_moves_and_look_alikes_are_still_fixed() -> None:
    assert canonical_text("hòa thủy") == "hoà thuỷ"
    assert canonical_text("Ðiều\u200b 5") == "Điều 5"
    assert canonical_text("thu\u0309y") == "thuỷ"  # decomposed input
    assert canonical_text("Khen thưởng") == "Khen thưởng"  # already canonical: unchanged


def test_joined_is_the_normalised_joined_text() -> None:
    normalize = Normalizer({"bk": "bằng khen", "hồ sơ": "hồ sơ"})
    texts = ["Hồ sơ đề nghị", "BK bộ_trưởng", "", "hòa  thủy."]
    assert normalize.joined(texts) == normalize(" ".join(texts))
    # A synonym whose words fall on both sides of a join is found as in the joined text.
    assert normalize.joined(["hồ", "sơ bk"]) == normalize("hồ sơ bk")
