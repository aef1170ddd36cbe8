"""The transport-free core: knowledge, normalisation, matching, answering, rendering, checks; imports only bot.core."""
