"""The deadline calendar, its texts, .ics export and the at-most-once reminder pass; imports bot.core, bot.storage."""
