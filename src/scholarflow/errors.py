"""Errors a user can act on. Each carries the exit code the CLI returns for it."""

from __future__ import annotations


class ScholarflowError(Exception):
    """Base class: the message is one line a user can read and act on."""

    exit_code = 1


class InputError(ScholarflowError):
    """Bad input: the file, the prompt or the request cannot be read (exit 2)."""

    exit_code = 2


class PromptFormatError(InputError):
    """A prompt that does not follow the seed format; the message names the line."""


class GroundingError(ScholarflowError):
    """An answer that could not be grounded in the provided sources (exit 3)."""

    exit_code = 3

    def __init__(self, message: str, violations: list[str] | None = None) -> None:
        super().__init__(message)
        self.violations = violations or []


class ConfigurationError(ScholarflowError):
    """A setting or backend that is missing or broken (exit 4)."""

    exit_code = 4
