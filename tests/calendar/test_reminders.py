"""One reminder pass (bot/reminders.py) over a real SQLite ledger with a fake `send`; time is always passed in."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from zoneinfo import ZoneInfo

import pytest

from bot.calendar.deadlines import Calendar, Deadline, ReminderKey
from bot.calendar.reminders import PassResult, RecipientGone, parse_lead_days, run_pass
from bot.core.knowledge import Knowledge
from bot.storage.database import FAILED, SENT, UNKNOWN, Storage

TZ = ZoneInfo("Asia/Ho_Chi_Minh")


def deadline(deadline_id: str, month: int, day: int, topic: str = "quy-trinh") -> Deadline:
    return Deadline(
        id=deadline_id,
        title_vi=f"Hạn {deadline_id}",
        title_en=f"Deadline {deadline_id}",
        date=None,
        month=month,
        day=day,
        topic=topic,
        details_vi="Chi tiết.",
        details_en="Details.",
        source="Hướng dẫn của Bộ",
    )


DEC15 = deadline("bao-cao", 12, 15)
JAN5 = deadline("dau-nam", 1, 5)
FEB29 = deadline("cuoi-thang-hai", 2, 29)
CALENDAR = Calendar((DEC15, JAN5, FEB29))


def morning(year: int, month: int, day: int) -> dt.datetime:
    return dt.datetime(year, month, day, 8, 0, tzinfo=TZ)


class FakeSend:
    """Records what would go to Telegram; some chats are blocked, some fail, one may crash the process."""

    def __init__(self, blocked: Iterable[int] = (), failing: Iterable[int] = (), crash_on: int | None = None):
        self.sent: list[tuple[int, str]] = []
        self.attempts: list[int] = []
        self.blocked, self.failing, self.crash_on = set(blocked), set(failing), crash_on

    async def __call__(self, chat_id: int, text: str) -> None:
        self.attempts.append(chat_id)
        if chat_id == self.crash_on:
            raise Crash
        if chat_id in self.blocked:
            raise RecipientGone("Forbidden: bot was blocked by the user")
        if chat_id in self.failing:
            raise RuntimeError("Bad Request: something odd")
        self.sent.append((chat_id, text))


class Crash(BaseException):
    """The process dies between sending and recording (nothing in the pass may catch it)."""


async def subscribe(storage: Storage, chat_id: int, leads: tuple[int, ...] = (14, 7, 1), lang: str = "vi") -> None:
    await storage.subscribe(chat_id, f"u{chat_id}", lang, leads, None, morning(2026, 1, 1))


async def one_pass(
    storage: Storage, knowledge: Knowledge, now: dt.datetime, send: FakeSend, grace: int = 1, dry_run: bool = False
) -> PassResult:
    return await run_pass(storage, knowledge, CALENDAR, now, grace, send, dry_run=dry_run)


def keys_of(states: dict[ReminderKey, str]) -> set[tuple[int, str, dt.date, int]]:
    return {(k.subscriber_id, k.deadline_id, k.occurrence_date, k.lead_days) for k in states}


# -- calendar maths through the pass ------------------------------------------------------------------------


async def test_reminder_text_names_the_deadline_date_and_days_left(storage: Storage, knowledge: Knowledge) -> None:
    await subscribe(storage, 1)
    await subscribe(storage, 2, lang="en")
    send = FakeSend()
    result = await one_pass(storage, knowledge, morning(2026, 12, 8), send)
    assert (result.sent, result.failed, result.skipped) == (2, 0, 0)
    texts = dict(send.sent)
    assert "Hạn bao-cao" in texts[1] and "15/12/2026" in texts[1] and "còn 7 ngày" in texts[1]
    assert "Deadline bao-cao" in texts[2] and "2026-12-15" in texts[2] and "7 days left" in texts[2]
    assert result.messages == send.sent
    assert await storage.reminder_states() == {
        ReminderKey(1, "bao-cao", dt.date(2026, 12, 15), 7): SENT,
        ReminderKey(2, "bao-cao", dt.date(2026, 12, 15), 7): SENT,
    }


@pytest.mark.parametrize(
    ("now", "occurrence", "lead"),
    [
        (morning(2026, 12, 22), dt.date(2027, 1, 5), 14),  # December reminds of next January
        (morning(2026, 12, 29), dt.date(2027, 1, 5), 7),
        (morning(2027, 1, 4), dt.date(2027, 1, 5), 1),
        (dt.datetime(2026, 12, 31, 23, 59, tzinfo=TZ), None, None),  # 5 days left: no lead matches
    ],
)
async def test_year_boundary(
    storage: Storage, knowledge: Knowledge, now: dt.datetime, occurrence: dt.date | None, lead: int | None
) -> None:
    await subscribe(storage, 1)
    await one_pass(storage, knowledge, now, FakeSend())
    expected = set() if occurrence is None else {(1, "dau-nam", occurrence, lead)}
    assert keys_of(await storage.reminder_states()) == expected


@pytest.mark.parametrize(
    ("now", "occurrence"),
    [
        (morning(2027, 2, 21), dt.date(2027, 2, 28)),  # common year: 29/2 falls on 28/2
        (morning(2028, 2, 22), dt.date(2028, 2, 29)),  # leap year: the real day, not 28/2 as well
    ],
)
async def test_29_february(storage: Storage, knowledge: Knowledge, now: dt.datetime, occurrence: dt.date) -> None:
    await subscribe(storage, 1, leads=(7,))
    send = FakeSend()
    result = await one_pass(storage, knowledge, now, send, grace=0)
    assert keys_of(await storage.reminder_states()) == {(1, "cuoi-thang-hai", occurrence, 7)}
    assert result.sent == 1 and occurrence.strftime("%d/%m/%Y") in send.sent[0][1]
    # The day after (leap year: 28/2 is not a second occurrence) nothing more is due.
    assert (await one_pass(storage, knowledge, now + dt.timedelta(days=1), send, grace=0)).sent == 0


async def test_lead_days_that_fell_before_today_are_not_sent(storage: Storage, knowledge: Knowledge) -> None:
    # Subscribed three days before 15/12 with 14, 7 and 1: the 14- and 7-day reminders are past, even with grace.
    await subscribe(storage, 1)
    send = FakeSend()
    for day in (12, 13):
        assert (await one_pass(storage, knowledge, morning(2026, 12, day), send)).sent == 0
    result = await one_pass(storage, knowledge, morning(2026, 12, 14), send)
    assert result.sent == 1 and "còn 1 ngày" in send.sent[0][1]
    assert keys_of(await storage.reminder_states()) == {(1, "bao-cao", dt.date(2026, 12, 15), 1)}


async def test_catch_up_after_downtime_within_grace(storage: Storage, knowledge: Knowledge) -> None:
    # Down on 8/12 (the 7-day reminder's day); back on 9/12 with one day of grace: sent late, saying 6 days.
    await subscribe(storage, 1)
    send = FakeSend()
    result = await one_pass(storage, knowledge, morning(2026, 12, 9), send, grace=1)
    assert result.sent == 1 and "còn 6 ngày" in send.sent[0][1]
    assert keys_of(await storage.reminder_states()) == {(1, "bao-cao", dt.date(2026, 12, 15), 7)}
    # The next day's pass does not send it again.
    assert (await one_pass(storage, knowledge, morning(2026, 12, 10), send, grace=1)).sent == 0


async def test_no_catch_up_beyond_grace(storage: Storage, knowledge: Knowledge) -> None:
    await subscribe(storage, 1)
    send = FakeSend()
    assert (await one_pass(storage, knowledge, morning(2026, 12, 10), send, grace=1)).sent == 0
    assert send.attempts == [] and await storage.reminder_states() == {}
    # The next lead still arrives on its day.
    assert (await one_pass(storage, knowledge, morning(2026, 12, 14), send, grace=1)).sent == 1


# -- delivery: at most once, failures contained ---------------------------------------------------------------


async def test_second_identical_pass_sends_nothing(storage: Storage, knowledge: Knowledge) -> None:
    for chat_id in (1, 2, 3):
        await subscribe(storage, chat_id)
    send = FakeSend()
    first = await one_pass(storage, knowledge, morning(2026, 12, 8), send)
    second = await one_pass(storage, knowledge, morning(2026, 12, 8), send)
    later_same_day = await one_pass(storage, knowledge, morning(2026, 12, 8) + dt.timedelta(hours=10), send)
    assert (first.sent, second.sent, second.skipped, later_same_day.sent) == (3, 0, 3, 0)
    assert sorted(chat for chat, _ in send.sent) == [1, 2, 3]


async def test_restart_between_send_and_record_never_resends(storage: Storage, knowledge: Knowledge) -> None:
    for chat_id in (1, 2, 3):
        await subscribe(storage, chat_id)
    now = morning(2026, 12, 8)
    crashing = FakeSend(crash_on=2)
    with pytest.raises(Crash):
        await one_pass(storage, knowledge, now, crashing)
    key2 = ReminderKey(2, "bao-cao", dt.date(2026, 12, 15), 7)
    states = await storage.reminder_states()
    assert states[key2] == "claimed" and states[ReminderKey(1, "bao-cao", dt.date(2026, 12, 15), 7)] == SENT
    assert ReminderKey(3, "bao-cao", dt.date(2026, 12, 15), 7) not in states  # never reached

    # Start-up: the claim may or may not have reached the user, so it becomes unknown and is never resent.
    assert await storage.reconcile_reminders(now) == 1
    send = FakeSend()
    result = await one_pass(storage, knowledge, now + dt.timedelta(minutes=5), send)
    assert [chat for chat, _ in send.sent] == [3]
    assert (result.sent, result.skipped) == (1, 2)
    assert (await storage.reminder_states())[key2] == UNKNOWN


async def test_blocked_user_is_deactivated_and_the_pass_continues(storage: Storage, knowledge: Knowledge) -> None:
    for chat_id in (1, 2, 3):
        await subscribe(storage, chat_id)
    send = FakeSend(blocked={2})
    result = await one_pass(storage, knowledge, morning(2026, 12, 8), send)
    assert [chat for chat, _ in send.sent] == [1, 3]
    assert (result.sent, result.failed, result.deactivated) == (2, 1, 1)
    stopped = await storage.subscription(2)
    assert stopped is not None and not stopped.active
    assert [s.chat_id for s in await storage.active_subscriptions()] == [1, 3]
    assert (await storage.reminder_states())[ReminderKey(2, "bao-cao", dt.date(2026, 12, 15), 7)] == FAILED
    # A deactivated chat gets no further reminders.
    await one_pass(storage, knowledge, morning(2026, 12, 14), send)
    assert 2 not in [chat for chat, _ in send.sent]


async def test_one_failing_subscriber_never_stops_the_pass(storage: Storage, knowledge: Knowledge) -> None:
    for chat_id in range(1, 6):
        await subscribe(storage, chat_id)
    send = FakeSend(failing={1, 4})
    result = await one_pass(storage, knowledge, morning(2026, 12, 8), send)
    assert [chat for chat, _ in send.sent] == [2, 3, 5]
    assert (result.sent, result.failed, result.deactivated) == (3, 2, 0)
    assert len(await storage.active_subscriptions()) == 5  # an odd error is not a block
    states = await storage.reminder_states()
    assert states[ReminderKey(1, "bao-cao", dt.date(2026, 12, 15), 7)] == FAILED
    # At most once: a failed attempt is not retried by the next pass either.
    again = FakeSend()
    assert (await one_pass(storage, knowledge, morning(2026, 12, 8), again)).sent == 0 and again.attempts == []


async def test_dry_run_sends_and_records_nothing(storage: Storage, knowledge: Knowledge) -> None:
    for chat_id in (1, 2):
        await subscribe(storage, chat_id)
    send = FakeSend()
    now = morning(2026, 12, 8)
    dry = await one_pass(storage, knowledge, now, send, dry_run=True)
    assert send.attempts == [] and await storage.reminder_states() == {}
    assert dry.sent == 2 and [chat for chat, _ in dry.messages] == [1, 2]
    real = await one_pass(storage, knowledge, now, send)
    assert real.sent == 2 and [text for _, text in real.messages] == [text for _, text in dry.messages]
    after = await one_pass(storage, knowledge, now, send, dry_run=True)
    assert (after.sent, after.skipped, after.messages) == (0, 2, [])


async def test_no_subscribers_or_unsubscribed_means_no_sends(storage: Storage, knowledge: Knowledge) -> None:
    send = FakeSend()
    assert (await one_pass(storage, knowledge, morning(2026, 12, 8), send)).sent == 0
    await subscribe(storage, 1)
    await storage.unsubscribe(1, morning(2026, 12, 1))
    assert (await one_pass(storage, knowledge, morning(2026, 12, 8), send)).sent == 0
    assert send.attempts == []


@pytest.mark.parametrize(
    ("values", "leads"), [(["14", "7", "1"], (14, 7, 1)), (["1", "7", "7", " "], (7, 1)), (["0"], (0,))]
)
def test_parse_lead_days(values: list[str], leads: tuple[int, ...]) -> None:
    assert parse_lead_days(values) == leads


@pytest.mark.parametrize("values", [[], ["-1"], ["366"], ["x"]])
def test_parse_lead_days_rejects(values: list[str]) -> None:
    with pytest.raises(ValueError):
        parse_lead_days(values)
