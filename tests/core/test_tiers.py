"""Tests for bot.core.tiers: an entry that answers for one tier only is not the answer about another tier."""

from __future__ import annotations

import pytest

from bot.core.answers import Answerer
from bot.core.match_types import Scored
from bot.core.records import ANSWER, SUGGEST
from bot.core.tiers import TierRule

GROUP = {"co-so": "council-unit", "bo": "council-ministry"}


def test_the_groups_entry_for_the_tier_named_takes_the_best_place() -> None:
    ranked = [Scored("council-unit", 70.0), Scored("other", 50.0), Scored("council-ministry", 40.0)]
    tiered, other = TierRule([GROUP]).apply(ranked, ("bo",))
    assert [s.entry_id for s in tiered][:2] == ["council-ministry", "council-unit"]
    assert tiered[0].score == 70.0 and tiered[1].score < 70.0 and not other


@pytest.mark.parametrize(
    ("tiers", "other"),
    [(("tinh",), True), (("co-so",), False), ((), False), (("bo", "co-so"), False)],
)
def test_a_tier_the_group_lacks_leaves_the_entry_suggested_only(tiers: tuple[str, ...], other: bool) -> None:
    ranked = [Scored("council-unit", 70.0), Scored("other", 50.0)]
    tiered, found = TierRule([GROUP]).apply(ranked, tiers)
    assert found is other and tiered == ranked


def test_an_entry_outside_the_groups_is_left_alone() -> None:
    ranked = [Scored("other", 70.0), Scored("council-unit", 60.0)]
    assert TierRule([GROUP]).apply(ranked, ("bo",)) == (ranked, False)


@pytest.mark.parametrize(
    ("text", "tiers"),
    [
        ("Hội đồng thi đua cấp huyện có còn không?", ("huyen",)),
        # Inside a title's name a tier word names the title, not the tier asked about.
        ("Chiến sĩ thi đua cơ sở do hội đồng nào xét?", ()),
        ("Hội đồng cơ sở và Hội đồng của Bộ KH&CN khác nhau thế nào?", ("co-so", "bo")),
        # Typed with diacritics, "cơ quan" and "dân quân" do not name a district (quận); without marks, "quan" may.
        ("Hội đồng thi đua khen thưởng của cơ quan gồm những ai?", ()),
        ("Dân quân tự vệ xét danh hiệu thi đua ở hội đồng nào?", ()),
        ("Hội đồng thi đua khen thưởng cấp quận gồm những ai?", ("huyen",)),
        ("hoi dong thi dua cap quan gom nhung ai", ("huyen",)),
    ],
)
def test_the_tiers_the_asking_part_names(answerer: Answerer, text: str, tiers: tuple[str, ...]) -> None:
    assert answerer.matcher.understand(text).tiers == tiers


def test_a_province_council_question_gets_the_province_councils_entry(answerer: Answerer) -> None:
    reply = answerer.ask("Thành phần Hội đồng thi đua khen thưởng cấp tỉnh có những ai?")
    assert reply.status == ANSWER and reply.entry is not None
    assert reply.entry.id == "hoi-dong-tdkt-cap-tinh"


def test_a_tier_with_no_entry_of_its_own_is_not_answered_with_another_tiers_entry(answerer: Answerer) -> None:
    """No entry answers for a district's council: the unit council's entry is only suggested."""
    reply = answerer.ask("Thành phần Hội đồng thi đua khen thưởng cấp huyện gồm những ai?")
    assert reply.status != ANSWER


def test_a_unit_council_question_gets_the_unit_councils_entry(answerer: Answerer) -> None:
    """Worded near the ministry council's entry, the tier named (cơ sở) decides."""
    reply = answerer.ask("Phó chủ tịch thường trực hội đồng thi đua cấp cơ sở là ai?")
    assert reply.status in (ANSWER, SUGGEST) and reply.result.top is not None
    assert reply.result.top.entry_id == "hoi-dong-tdkt-co-so"
