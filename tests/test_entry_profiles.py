"""The character n-gram profiles: an independent second opinion on which entry a question is about."""

from __future__ import annotations

from bot.entry_profiles import EntryProfiles
from bot.knowledge import Knowledge
from bot.matcher import Matcher, MatchSettings
from bot.records import ANSWER, FALLBACK, SUGGEST


def words(text: str) -> list[str]:
    return text.split()

PHRASINGS = [
    (0, words("ho so de nghi bang khen gom nhung gi")),
    (0, words("can chuan bi ho so gi")),
    (1, words("tien thuong bang khen bao nhieu")),
    (1, words("muc tien thuong la bao nhieu")),
    (2, words("thoi han nop ho so")),
]


def test_the_closest_profile_wins() -> None:
    profiles = EntryProfiles(PHRASINGS, 3)
    assert profiles.best(words("chuan bi ho so bang khen")) == 0
    assert profiles.best(words("thuong bao nhieu tien")) == 1
    assert profiles.best(words("han nop")) == 2


def test_character_ngrams_survive_typos_and_split_words() -> None:
    profiles = EntryProfiles(PHRASINGS, 3)
    assert profiles.best(words("tienthuong baonhieu")) == 1  # no shared word, shared n-grams
    assert profiles.best(words("thuogn tien")) == 1


def test_nothing_shared_gives_none() -> None:
    profiles = EntryProfiles(PHRASINGS, 3)
    assert profiles.best(["zzz"]) is None
    assert profiles.best([]) is None


def test_agreement_turns_a_suggestion_into_an_answer(knowledge: Knowledge) -> None:
    # English wording the phrasings do not spell out: the ranking leads weakly, the profiles agree.
    question = "how many kinds of Huân chương are there?"
    confirmed = Matcher(knowledge).match(question, english=True)
    unconfirmed = Matcher(knowledge, MatchSettings(confirm_with_profiles=False)).match(question, english=True)
    assert unconfirmed.status == SUGGEST
    assert confirmed.status == ANSWER
    assert confirmed.top is not None and confirmed.top.entry_id == "cac-loai-huan-chuong"


def test_agreement_never_answers_out_of_domain_questions(knowledge: Knowledge) -> None:
    matcher = Matcher(knowledge)
    for question in ("hồ sơ làm hộ chiếu cần những gì", "thủ tục đăng ký kết hôn", "xin giấy phép xây dựng nhà ở"):
        assert matcher.match(question).status != ANSWER, question


def test_agreement_answers_a_weak_lead_from_the_confirmed_threshold_up(knowledge: Knowledge) -> None:
    # Scored about 42, below the suggest band: the ranking and the profiles both pick truy-tang.
    question = "đồng chí kỹ sư đã mất khi làm nhiệm vụ, đơn vị muốn đề nghị bằng khen bộ trưởng có được không"
    confirmed = Matcher(knowledge).match(question)
    assert confirmed.status == ANSWER
    assert confirmed.top is not None and confirmed.top.entry_id == "truy-tang"
    assert confirmed.top.score < MatchSettings().suggest_threshold
    assert Matcher(knowledge, MatchSettings(confirm_with_profiles=False)).match(question).status == FALLBACK
    assert Matcher(knowledge, MatchSettings(confirmed_threshold=45)).match(question).status == FALLBACK
