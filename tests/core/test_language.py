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
        ("", "vi"),
    ],
)
def test_detect(detector: LanguageDetector, text: str, lang: str) -> None:
    assert detector.detect(text) == lang
