"""Typed errors that carry their context; only the CLI turns them into exit codes."""

from __future__ import annotations


class TdktError(Exception):
    """Base class of the project's own errors."""


class ConfigError(TdktError):
    """The configuration file or a setting in it is missing or invalid."""


class KnowledgeError(TdktError):
    """The knowledge files do not validate; `problems` lists every one found."""

    def __init__(self, problems: list[str]) -> None:
        self.problems = list(problems)
        head = f"{len(self.problems)} problem(s) in the knowledge files"
        super().__init__(head + ":\n" + "\n".join(f"  - {p}" for p in self.problems))


class StorageError(TdktError):
    """The database could not be opened, migrated or written."""
