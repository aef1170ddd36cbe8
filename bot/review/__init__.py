"""The review loop: organiser reports, their rendering and learned.yaml edits; imports bot.core, bot.storage."""
