"""Each stage of the matching pipeline on its own: retrieval, award × intent, circumstances, tie-breaking, decision."""

from __future__ import annotations

import numpy as np
import pytest

from bot.core.answers import Answerer
from bot.core.decision import decide
from bot.core.match_types import MatchSettings, Scored
from bot.core.matcher import Matcher, Trace
from bot.core.records import ANSWER, FALLBACK, SUGGEST
from bot.core.resolution import CATALOGUE_SCORE, OVERVIEW_SCORE, SAME_AWARD_GAP
from bot.core.tiebreak import PROFILE_WINDOW, break_near_ties


@pytest.fixture(scope="module")
def matcher(answerer: Answerer) -> Matcher:
    return answerer.matcher


def _ids(matcher: Matcher, scores: dict[int, float], n: int = 3) -> list[str]:
    ranked = sorted(scores.items(), key=lambda item: (-item[1], matcher.entries[item[0]].id))
    return [matcher.entries[i].id for i, _ in ranked[:n]]


# -- content words and retrieval ----------------------------------------------------------------------------


def test_content_words_drop_politeness_and_keep_vietnamese_pairs_in_english(matcher: Matcher) -> None:
    _, folded = matcher.content(matcher.normalize("cho em hỏi hồ sơ bằng khen ạ"))
    assert folded[:2] == ["ho", "so"] and "hoi" not in folded
    _, english = matcher.content(matcher.normalize("the tập thể award"), english=True)
    assert "the" in english  # "tập thể" folds to "tap the": a Vietnamese pair, kept


def test_a_word_typed_with_diacritics_is_a_stopword_only_when_spelt_as_one(matcher: Matcher) -> None:
    def words(text: str) -> list[str]:
        return matcher.content(matcher.normalize(text))[1]

    # "nhũng" folds to the "những" of the list, "độ" and "mẹ" to the English "do" and "me": typed so, they stay.
    assert "nhung" in words("quy định về phòng chống tham nhũng trong đơn vị")
    assert "do" in words("chế độ tiền thưởng khi nghỉ hưu")
    assert "me" in words("cha mẹ tôi được tặng huân chương")
    # Spelt as the stopword, or typed without marks (nothing to tell them apart), they are dropped as before.
    assert "nhung" not in words("những giấy tờ gì cần nộp")
    assert "nhung" not in words("phong chong tham nhung")
    assert "a" not in words("phải bỏ phiếu à") and "a" not in words("hồ sơ gồm gì ạ")


def test_the_noun_after_a_count_word_says_what_is_counted(matcher: Matcher) -> None:
    def intents(text: str) -> set[str]:
        accented, folded = matcher.content(matcher.normalize(text))
        return matcher.awards.intents(folded, accented)

    # "thưởng bao nhiêu" (money) overlaps "bao nhiêu lần" (how many times): the noun after the count word decides.
    assert intents("một năm được khen thưởng bao nhiêu lần") == {"tieu-chuan"}
    assert "tien-thuong" in intents("được khen thưởng bao nhiêu tiền")
    assert "tien-thuong" in intents("chiến sĩ thi đua được thưởng bao nhiêu")


def test_asking_whether_an_award_is_given_asks_for_its_criteria(matcher: Matcher) -> None:
    def intents(text: str) -> set[str]:
        accented, folded = matcher.content(matcher.normalize(text))
        return matcher.awards.intents(folded, accented)

    # "có tặng … không" without "được" asks whether it is given, like "có được tặng … không".
    assert intents("phòng đạt xuất sắc cả năm thì có tặng Bằng khen Bộ trưởng không") == {"tieu-chuan"}
    assert "tien-thuong" in intents("có tặng Bằng khen thì thưởng bao nhiêu tiền")


def test_english_names_of_the_wars_and_of_the_kinds_of_commendation_are_read(matcher: Matcher) -> None:
    def text(english: str) -> str:
        return matcher.normalize(english).text

    assert "kháng chiến chống mỹ" in text("my father fought in the resistance war against the US as a guerrilla")
    assert "du kích" in text("my father fought in the resistance war against the US as a guerrilla")
    assert "loại hình khen thưởng" in text("which commendation types does the Law list")


def test_retrieval_corrects_typos_against_the_knowledges_words(matcher: Matcher) -> None:
    corrected, credit = matcher.index.correct(["bangg", "khen", "chieu"])
    assert corrected[0] == "bang" and credit[0] < 1.0
    assert corrected[2] == "chieu"  # a well-formed syllable the knowledge does not use is not a typo


def test_retrieval_scores_the_entry_whose_phrasing_explains_the_question(matcher: Matcher) -> None:
    _, folded = matcher.content(matcher.normalize("hồ sơ đề nghị bằng khen cấp bộ gồm những gì"))
    corrected, credit = matcher.index.correct(folded)
    scores = matcher.index.score(corrected, credit, set(), set())
    assert scores is not None
    assert _ids(matcher, scores, 1) == ["bang-khen-bo.ho-so"]
    assert matcher.index.score(["zzzz"], [1.0], set(), set()) is None  # no known word at all


# -- award × intent ----------------------------------------------------------------------------------------


def test_scene_setting_phrases_weigh_less_unless_they_are_the_question(matcher: Matcher) -> None:
    def weak(text: str) -> set[int]:
        _, folded = matcher.content(matcher.normalize(text))
        return matcher._weak_positions(matcher.index.correct(folded)[0])

    assert weak("quy định hiện hành về công khai danh sách đề nghị khen thưởng")  # the scene, not the point
    assert not weak("thi đua khen thưởng là gì")  # nothing else: the phrase is what is asked
    # The honorary titles as a class set the scene too: what is done to them is the point.
    assert weak("thủ tục huỷ bỏ danh hiệu vinh dự nhà nước thế nào") == set(range(4, 10))  # its six words
    assert not weak("danh hiệu vinh dự nhà nước")


def test_resolution_reads_award_and_intent_and_scores_the_catalogue_entry(matcher: Matcher) -> None:
    _, folded = matcher.content(matcher.normalize("hồ sơ bk bộ"))
    corrected, _ = matcher.index.correct(folded)
    reading = matcher.resolver.read(corrected, corrected, typed_diacritics=False)
    assert {a for _, _, a in reading.named} == {"bang-khen-bo"}
    assert reading.asked == "ho-so"
    catalogue = matcher.resolver.catalogue_scores(corrected, reading, "bang-khen-bo")
    ((index, score),) = catalogue.items()
    assert matcher.entries[index].id == "bang-khen-bo.ho-so" and score == pytest.approx(CATALOGUE_SCORE)


def test_a_bare_award_name_asks_for_its_overview(matcher: Matcher) -> None:
    _, folded = matcher.content(matcher.normalize("bằng khen thủ tướng"))
    reading = matcher.resolver.read(folded, folded, typed_diacritics=False)
    catalogue = matcher.resolver.catalogue_scores(folded, reading, "bang-khen-thu-tuong")
    assert {matcher.entries[i].id: s for i, s in catalogue.items()} == {"bang-khen-thu-tuong.tong-quan": OVERVIEW_SCORE}


def test_the_chosen_catalogue_entry_keeps_its_awards_other_entries_below(matcher: Matcher) -> None:
    chosen = matcher.resolver.catalogue[("bang-khen-bo", "ho-so")]
    sibling = matcher.resolver.catalogue[("bang-khen-bo", "tieu-chuan")]
    adjusted = {sibling: 95.0}
    matcher.resolver.apply_catalogue({chosen: 80.0}, adjusted)
    assert adjusted == {sibling: 80.0 - SAME_AWARD_GAP, chosen: 80.0}


def test_an_entry_silent_on_the_asked_intent_does_not_outrank_the_awards_entry_for_it(matcher: Matcher) -> None:
    # The entry on who gives Giấy khen since the district level went matches "giấy khen … chủ tịch UBND xã"
    # word for word, but never speaks of money: a money question is answered with Giấy khen's bonus.
    trace: Trace = []
    question = "Được tặng giấy khen của chủ tịch UBND xã có được thưởng tiền không?"
    ranked = matcher.rank(matcher.normalize(question), trace=trace)
    assert ranked[0].entry_id == "giay-khen.tien-thuong"
    assert _ids(matcher, dict(trace)["retrieval"], 1) == ["cap-huyen-chinh-quyen-hai-cap"]
    scores = {s.entry_id: s.score for s in ranked}
    assert scores["giay-khen.tien-thuong"] - scores["cap-huyen-chinh-quyen-hai-cap"] >= SAME_AWARD_GAP - 0.01


def test_the_asked_intent_is_kept_only_when_it_is_the_one_named_and_not_over_a_named_circumstance(
    matcher: Matcher,
) -> None:
    # "hồ sơ … đủ điều kiện" names two intents: the rule stays out of it.
    reading = matcher.resolver.read(*_reading_words(matcher, "hồ sơ lao động tiên tiến đủ điều kiện gì"), True)
    assert reading.intents_named == {"ho-so", "tieu-chuan"}
    chosen = matcher.resolver.catalogue[("lao-dong-tien-tien", "tieu-chuan")]
    silent = matcher._index_of["cap-huyen-chinh-quyen-hai-cap"]
    adjusted = {chosen: 50.0, silent: 70.0}
    matcher.resolver.keep_asked_intent({chosen: 50.0}, adjusted, reading)
    assert adjusted[silent] == 70.0
    # A circumstance the question names by its keyword keeps its place ("đã nghỉ hưu … ai đề nghị").
    reading = matcher.resolver.read(*_reading_words(matcher, "người đã nghỉ hưu thì ai đề nghị kỷ niệm chương"), True)
    assert reading.intents_named == {"tham-quyen"} and "da-nghi-huu" in reading.keyword_hits
    chosen = matcher.resolver.catalogue[("ky-niem-chuong", "tham-quyen")]
    retired = matcher._index_of["da-nghi-huu"]
    adjusted = {chosen: 50.0, retired: 65.0}
    matcher.resolver.keep_asked_intent({chosen: 50.0}, adjusted, reading)
    assert adjusted[retired] == 65.0


def _reading_words(matcher: Matcher, text: str) -> tuple[list[str], list[str]]:
    accented, folded = matcher.content(matcher.normalize(text))
    return matcher.index.correct(folded)[0], accented


# -- circumstances -----------------------------------------------------------------------------------------


def test_circumstances_are_found_as_typed(matcher: Matcher) -> None:
    folded = list(matcher.normalize("nghỉ thai sản có được xét lao động tiên tiến").folded)
    assert [c for _, _, c in matcher.circumstances.spans(folded, None)] == ["nghi-thai-san"]


def test_a_named_circumstance_outranks_the_catalogue_answer(matcher: Matcher) -> None:
    trace: Trace = []
    ranked = matcher.rank(matcher.normalize("bị kỷ luật khiển trách có được xét lao động tiên tiến không"), trace=trace)
    assert ranked[0].entry_id == "bi-ky-luat"
    after = dict(trace)["circumstances"]
    by_id = {matcher.entries[i].id: score for i, score in after.items()}
    assert by_id["bi-ky-luat"] - by_id["lao-dong-tien-tien.tieu-chuan"] >= SAME_AWARD_GAP


def test_a_documents_question_keeps_the_catalogue_answer(matcher: Matcher) -> None:
    ranked = matcher.rank(matcher.normalize("hồ sơ lao động tiên tiến cho người bị kỷ luật"))
    assert ranked[0].entry_id == "lao-dong-tien-tien.ho-so"


# -- tie-breaking ------------------------------------------------------------------------------------------


def test_tie_breaking_only_lowers_and_only_near_the_best() -> None:
    adjusted = {0: 70.0, 1: 69.0, 2: 70.0 - PROFILE_WINDOW - 1}
    similarities = np.asarray([0.2, 0.9, 0.0])
    break_near_ties(adjusted, similarities)
    assert adjusted[1] == 69.0  # the profiles' favourite keeps its score
    assert adjusted[0] < 69.0  # a near-tie the profiles like less drops below it
    assert adjusted[2] == 70.0 - PROFILE_WINDOW - 1  # far below the best: untouched


# -- decision ----------------------------------------------------------------------------------------------


def _decide(scores: list[float], foreign: bool = False, anchored: bool = True, confirmed: bool = False) -> str:
    ranked = [Scored(f"e{i}", s) for i, s in enumerate(scores)]
    status, _ = decide(ranked, MatchSettings(), foreign=foreign, anchored=lambda: anchored, confirmed=lambda: confirmed)
    return status


def test_decision_thresholds() -> None:
    assert _decide([70.0, 60.0]) == ANSWER
    assert _decide([70.0, 69.0]) == SUGGEST  # no margin
    assert _decide([50.0, 40.0]) == ANSWER  # a big lead when anchored
    assert _decide([50.0, 40.0], anchored=False) == SUGGEST
    assert _decide([50.0, 48.0], confirmed=True) == ANSWER  # the profiles agree
    assert _decide([50.0, 50.0], confirmed=True) == SUGGEST  # an exact tie never
    assert _decide([40.0, 10.0], anchored=False) == FALLBACK
    assert _decide([90.0, 10.0], foreign=True) == SUGGEST  # another domain's term: never an answer


def test_a_question_naming_another_domain_is_not_answered(answerer: Answerer) -> None:
    assert answerer.ask("thủ tục làm hộ chiếu cho cán bộ được khen thưởng").status != ANSWER


def test_a_negated_circumstance_is_a_clean_record_not_the_question(matcher: Matcher) -> None:
    question = (
        "Phòng tôi có 12 người, năm nay có 9 người đạt lao động tiên tiến, không ai bị kỷ luật. "
        "Vậy phòng có đủ điều kiện được công nhận Tập thể lao động tiên tiến không?"
    )
    assert "bi-ky-luat" not in matcher.understand(question).circumstances
    assert matcher.match(question).top.entry_id == "tap-the-lao-dong-tien-tien.tieu-chuan"
    # Named as what befell someone, it is the circumstance; a claim with "không" stays a claim.
    named = matcher.understand("Chị ấy bị kỷ luật năm ngoái, năm nay có được xét LĐTT không?")
    assert "bi-ky-luat" in named.circumstances


def test_the_award_the_understanding_read_as_asked_chooses_among_the_named_ones(matcher: Matcher) -> None:
    """The words alone take the first award named; the understanding step knows which one the question asks for."""
    _, folded = matcher.content(matcher.normalize("tiêu chuẩn bằng khen bộ và bằng khen thủ tướng"))
    corrected, _ = matcher.index.correct(folded)
    reading = matcher.resolver.read(corrected, corrected, typed_diacritics=False)

    def chosen(asked_award: str | None) -> set[str]:
        award = matcher._target_award(corrected, reading, asked_award)
        return {matcher.entries[i].id for i in matcher.resolver.catalogue_scores(corrected, reading, award)}

    assert chosen("bang-khen-thu-tuong") == {"bang-khen-thu-tuong.tieu-chuan"}
    assert chosen("bang-khen-bo") == {"bang-khen-bo.tieu-chuan"}
    # An award this text does not name is no evidence: the words decide, as without one.
    assert chosen("giay-khen") == chosen(None) == {"bang-khen-bo.tieu-chuan"}


def test_an_english_story_keeps_the_award_it_is_recommended_for(matcher: Matcher) -> None:
    question = matcher.understand(
        "Can civil servants who received a Certificate of Merit from a Ministry be recommended for a Certificate of"
        " Merit from the Prime Minister?"
    )
    assert question.target_award == "bang-khen-thu-tuong"
    assert [held.award_id for held in question.held] == ["bang-khen-bo"]


def test_the_provincial_title_is_read_as_the_ministry_tier(matcher: Matcher) -> None:
    """"Chiến sĩ thi đua cấp tỉnh" is the Law's CSTĐ "bộ, ban, ngành, tỉnh" (Điều 22), not CSTĐ cơ sở."""
    question = matcher.understand(
        "Cá nhân đạt Chiến sĩ thi đua cơ sở 2022, 2023 và có sáng kiến cấp tỉnh thì có thể đề nghị Chủ tịch UBND"
        " tỉnh tặng danh hiệu Chiến sĩ thi đua cấp tỉnh không?"
    )
    assert question.target_award == "cstd-bo"
    assert question.other_body == "tinh"
