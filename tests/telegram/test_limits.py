"""Sliding-window limits with the time passed in."""

from __future__ import annotations

from bot.telegram.limits import Once, SlidingWindowLimit


def test_allows_up_to_the_limit_within_the_window() -> None:
    limit = SlidingWindowLimit(limit=3, window=60)
    assert [limit.allow("u", now) for now in (0, 1, 2, 3)] == [True, True, True, False]


def test_events_leave_the_window() -> None:
    limit = SlidingWindowLimit(limit=2, window=10)
    assert limit.allow("u", 0) and limit.allow("u", 5)
    assert not limit.allow("u", 9.9)
    assert limit.allow("u", 10.0)  # the event at 0 is exactly one window old
    assert not limit.allow("u", 14.9)
    assert limit.allow("u", 15.0)


def test_refused_events_are_not_counted() -> None:
    limit = SlidingWindowLimit(limit=1, window=10)
    assert limit.allow("u", 0)
    assert not limit.allow("u", 5)
    assert not limit.allow("u", 9)
    assert limit.allow("u", 10)  # the refusals at 5 and 9 did not extend the block


def test_keys_are_independent() -> None:
    limit = SlidingWindowLimit(limit=1, window=60)
    assert limit.allow(1, 0)
    assert limit.allow(2, 0)
    assert limit.allow(("chat", 1), 0)
    assert not limit.allow(1, 30)


def test_zero_limit_refuses_everything() -> None:
    limit = SlidingWindowLimit(limit=0, window=60)
    assert not limit.allow("admin", 0)


def test_once_is_true_only_the_first_time_and_forgets_the_oldest() -> None:
    once = Once(size=2)
    assert once.first("a") and not once.first("a")
    assert once.first("b") and once.first("c")  # "a" is now the oldest and is forgotten
    assert once.first("a")
