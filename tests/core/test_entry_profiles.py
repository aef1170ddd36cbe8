"""The character n-gram profiles: an independent second opinion on which entry a question is about."""

from __future__ import annotations

from bot.core.agreement import Agreement
from bot.core.entry_profiles import EntryProfiles
from bot.core.knowledge import Knowledge
from bot.core.matcher import Matcher, MatchSettings
from bot.core.records import ANSWER, FALLBACK, SUGGEST


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
    question = "why would anyone receive the Kỷ niệm chương of the ministry?"
    confirmed = Matcher(knowledge).match(question, english=True)
    unconfirmed = Matcher(knowledge, MatchSettings(confirm_with_profiles=False)).match(question, english=True)
    assert unconfirmed.status == SUGGEST
    assert confirmed.status == ANSWER
    assert confirmed.top is not None and confirmed.top.entry_id == "ky-niem-chuong.tong-quan"


def test_agreement_never_answers_out_of_domain_questions(knowledge: Knowledge) -> None:
    matcher = Matcher(knowledge)
    for question in ("hồ sơ làm hộ chiếu cần những gì", "thủ tục đăng ký kết hôn", "xin giấy phép xây dựng nhà ở"):
        assert matcher.match(question).status != ANSWER, question


def test_agreement_answers_only_from_the_confirmed_threshold_up(knowledge: Knowledge) -> None:
    # Scored about 42, below the suggest band: the ranking and the profiles both pick truy-tang.
    question = "đồng chí kỹ sư đã mất khi làm nhiệm vụ, đơn vị muốn đề nghị bằng khen bộ trưởng có được không"

    def without_agreement(settings: MatchSettings | None = None) -> Matcher:
        # The agreement stage (bot.core.agreement) answers this one too; here only the profiles' confirmation counts.
        matcher = Matcher(knowledge, settings)
        matcher.agreement_of = lambda question, ranked: Agreement(False, "off")  # type: ignore[method-assign]
        return matcher

    assert without_agreement().match(question).status == FALLBACK  # default 45: too weak to answer
    lowered = without_agreement(MatchSettings(confirmed_threshold=40)).match(question)
    assert lowered.status == ANSWER
    assert lowered.top is not None and lowered.top.entry_id == "truy-tang"
    assert lowered.top.score < MatchSettings().suggest_threshold
    unconfirmed = MatchSettings(confirmed_threshold=40, confirm_with_profiles=False)
    assert without_agreement(unconfirmed).match(question).status == FALLBACK
    assert Matcher(knowledge).match(question).status == ANSWER  # the asking clause names the case: agreement
