"""tdkt-bot: answers thi đua, khen thưởng questions from a curated YAML knowledge base."""

__version__ = "0.1.0"
