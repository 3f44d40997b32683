"""Domain errors and exit codes.

The library raises :class:`NarrateError` subclasses; each carries a one-line message and a hint
saying how to fix the problem. Only the CLI turns them into output and an exit status.
"""

from __future__ import annotations

from enum import IntEnum


class ExitStatus(IntEnum):
    """Exit codes of the ``narrate`` command (documented in README.md)."""

    OK = 0
    ERROR = 1  # an unexpected failure (a bug): please report it
    USAGE = 2  # bad command line (typer/click's own code for usage errors)
    BAD_INPUT = 3  # the source could not be read or holds no article
    CONFIG = 4  # narrate.toml, a voice profile or a flag value is wrong
    ENGINE = 5  # the text-to-speech engine failed
    AUDIO = 6  # mixing, mastering or encoding the audio failed
    PUBLISH = 7  # the catalog, feed or pages could not be written
    CHECK_FAILED = 8  # `narrate check` found problems with a published show
    QUEUE = 9  # the job queue (Redis) cannot be reached or refused a job
    INTERRUPTED = 130  # Ctrl-C


class NarrateError(Exception):
    """A failure the user can act on: ``message`` says what happened, ``hint`` what to do."""

    exit_status: ExitStatus = ExitStatus.ERROR

    def __init__(self, message: str, hint: str = "") -> None:
        super().__init__(message)
        self.message = message
        self.hint = hint

    def __str__(self) -> str:
        return f"{self.message} ({self.hint})" if self.hint else self.message


class InputError(NarrateError):
    """The source is missing, unreadable, empty, binary, too large or has no article body."""

    exit_status = ExitStatus.BAD_INPUT


class ConfigError(NarrateError):
    """A configuration file, voice profile or option value is invalid."""

    exit_status = ExitStatus.CONFIG


class EngineError(NarrateError):
    """The speech engine could not be loaded or produced no (or the wrong) audio."""

    exit_status = ExitStatus.ENGINE


class AudioError(NarrateError):
    """Assembling, mastering or encoding the episode audio failed."""

    exit_status = ExitStatus.AUDIO


class PublishError(NarrateError):
    """The catalog, the feed or the pages could not be read or written."""

    exit_status = ExitStatus.PUBLISH


class QueueError(NarrateError):
    """The job queue (Redis) cannot be reached, or a job's state there is not what it must be."""

    exit_status = ExitStatus.QUEUE
