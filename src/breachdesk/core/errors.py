"""Errors that carry the CLI exit code they map to; messages name locations, never raw values."""

from __future__ import annotations

from enum import IntEnum


class ExitCode(IntEnum):
    """Documented process exit codes."""

    OK = 0
    ACTION_NEEDED = 1
    USAGE = 2
    INTEGRITY = 3
    INTERNAL = 4


class BreachdeskError(Exception):
    """Base of every error breachdesk reports to a user as one clear line."""

    exit_code: ExitCode = ExitCode.USAGE

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class ConfigError(BreachdeskError):
    """The workspace, settings or key are missing or wrong."""


class NotFoundError(BreachdeskError):
    """A referenced incident, task, evidence item or decision does not exist."""


class InvalidInputError(BreachdeskError):
    """A value given by the user cannot be used (bad time, empty title, unreadable file...)."""


class IllegalTransitionError(BreachdeskError):
    """A state change that the incident state machine does not allow."""


class CryptoError(BreachdeskError):
    """Encrypted data cannot be read with the configured key."""


class IntegrityError(BreachdeskError):
    """Stored data no longer matches its recorded hash (audit chain or evidence)."""

    exit_code = ExitCode.INTEGRITY
