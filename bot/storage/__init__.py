"""All SQL (SQLite via aiosqlite) and the queued question log; imports only bot.core."""
