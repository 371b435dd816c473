"""Errors that end a run with exit status 2 and one clear line, never a traceback."""

from __future__ import annotations


class JuesuanError(Exception):
    """Base class: ``str(error)`` is the one line shown to the user."""


class InputError(JuesuanError):
    """A file that cannot be read as a disclosure: missing, unreadable, empty, binary, corrupt, not a disclosure."""

    def __init__(self, path: str, problem: str) -> None:
        super().__init__(f"{path}: {problem}")
        self.path = path
        self.problem = problem


class UsageError(JuesuanError):
    """A command line or configuration that cannot be acted on."""
