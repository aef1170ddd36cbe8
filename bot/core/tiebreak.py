"""Tie-breaking: among entries close to the best, the character n-gram profiles (entry_profiles.py) decide.

An entry loses PROFILE_WEIGHT points per unit of cosine similarity it lacks against the profiles' favourite. It
never raises a score, so it reorders close candidates without making weak matches look strong.
"""

from __future__ import annotations

import numpy as np

PROFILE_WEIGHT = 30.0
PROFILE_WINDOW = 15.0  # only entries within this many points of the best are reordered


def break_near_ties(adjusted: dict[int, float], similarities: np.ndarray | None) -> None:
    """Lower, in place, the near-best entries the profiles like less than their favourite."""
    if similarities is None or not adjusted:
        return
    favourite = float(similarities.max())
    window = max(adjusted.values()) - PROFILE_WINDOW
    for index, score in adjusted.items():
        if score >= window:
            adjusted[index] = score - PROFILE_WEIGHT * (favourite - float(similarities[index]))
