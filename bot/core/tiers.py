"""Tier rule: an entry that answers for one tier only is not the answer to a question about another tier.

"Hội đồng Thi đua – Khen thưởng cấp tỉnh gồm những ai?" reads like the question of the cơ sở council's entry, but
a province's council is neither. Asked about one tier, an entry of a tier group (understanding.yaml `tiers`) for
another tier gives way to the group's entry for the tier named, or, when the group has none, is only suggested.
"""

from __future__ import annotations

from collections.abc import Sequence

from bot.core.match_types import Scored
from bot.core.resolution import SAME_AWARD_GAP


class TierRule:
    """The tier groups of understanding.yaml, by entry id."""

    def __init__(self, groups: Sequence[dict[str, str]]) -> None:
        self._group_of = {entry: dict(group) for group in groups for entry in group.values()}

    def apply(self, ranked: list[Scored], tiers: Sequence[str]) -> tuple[list[Scored], bool]:
        """The ranking with the tier named taken into account, and whether its best entry is another tier's.

        Only a question naming one tier counts ("hội đồng cơ sở và hội đồng Bộ khác nhau thế nào" names two)."""
        if len(tiers) != 1 or not ranked:
            return ranked, False
        group = self._group_of.get(ranked[0].entry_id)
        if group is None:
            return ranked, False
        wanted = group.get(tiers[0])
        if wanted == ranked[0].entry_id:
            return ranked, False
        if wanted is None:
            return ranked, True
        # The group's entry for the tier named takes the best entry's place; the others stay below it.
        best = ranked[0].score
        others = [Scored(s.entry_id, min(s.score, best - SAME_AWARD_GAP)) for s in ranked if s.entry_id != wanted]
        return [Scored(wanted, best), *others], False
