"""Telling English questions from Vietnamese ones."""

from __future__ import annotations

import pytest

from bot.core.knowledge import Knowledge
from bot.core.language import LanguageDetector


@pytest.fixture(scope="module")
def detector(knowledge: Knowledge) -> LanguageDetector:
    return LanguageDetector(knowledge)


@pytest.mark.parametrize(
    ("text", "lang"),
    [
        ("Hồ sơ đề nghị Bằng khen cấp Bộ gồm những gì?", "vi"),
        ("ho so bang khen thu tuong", "vi"),
        ("tieu chuan cstd co so", "vi"),
        ("hs bkttg gồm j", "vi"),
        ("to trinh de nghi khen thuong", "vi"),  # "to" is Vietnamese here
        ("what documents are needed for the Prime Minister's certificate of merit", "en"),
        ("what documents for Bằng khen cấp Bộ", "en"),
        ("criteria for grassroots emulation fighter", "en"),
        ("how much is the bonus", "en"),
        ("bonus", "en"),
        ("khen", "vi"),
        ("thưởng", "vi"),
        ("2025", "vi"),
        # An English question borrowing a Vietnamese name: the name counts once, not word by word.
        ("Who decides on Huân chương Lao động?", "en"),
        ("bonus for Chiến sĩ thi đua Bộ", "en"),
        ("documents needed for Huân chương Lao động hạng Ba", "en"),
        # Vietnamese with chat words and folded syllables that look English (thế → the, tờ → to, mầm non).
        ("thời tiết Hà Nội ngày mai thế nào ad", "vi"),
        ("ldtt vs cstdcs khác j nhau ad", "vi"),
        ("Hội đồng thi đua khen thưởng trường mầm non gồm có ai? Tải về mẫu biên bản họp bình xét", "vi"),
        ("Trung tâm đã giải thể khi sắp xếp bộ máy năm 2025, tập thể đó còn được đề nghị khen thưởng không?", "vi"),
        ("", "vi"),
    ],
)
def test_detect(detector: LanguageDetector, text: str, lang: str) -> None:
    assert detector.detect(text) == lang
