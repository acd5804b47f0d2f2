"""Every error the tool reports to a user is an ``L10nError``.

Each stage has its own subclass so callers can tell where things went wrong,
and every error carries the file (and line, where one is known) it is about so
the CLI can print one line that points at the problem.
"""

from __future__ import annotations


class L10nError(Exception):
    """Base of all user-facing errors; ``str()`` is the one-line message."""

    def __init__(self, message: str, *, file: str | None = None, line: int | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.file = file
        self.line = line

    def __str__(self) -> str:
        where = ""
        if self.file is not None:
            where = self.file if self.line is None else f"{self.file}:{self.line}"
            where += ": "
        return f"{where}{self.message}"

    def located(self, *, file: str, line: int | None = None) -> L10nError:
        """The same error, now naming ``file`` (used once the caller knows the path)."""
        return type(self)(self.message, file=file, line=self.line if line is None else line)


class ConfigError(L10nError):
    """``l10n.toml`` is missing, unreadable or invalid."""


class ArticleError(L10nError):
    """An article cannot be read as HTML (empty, binary, unreadable)."""


class CatalogError(L10nError):
    """A PO/POT file cannot be parsed or written."""


class PublishError(L10nError):
    """A translation cannot be put back into its page (``--strict``)."""


class TranslateError(L10nError):
    """A machine-translation engine failed or is misconfigured."""


class StateError(L10nError):
    """The state database (``.l10n/state.sqlite3``) cannot be read or written."""


class ReviewError(L10nError):
    """``l10n review`` was asked for something outside the project, or cannot do it."""
