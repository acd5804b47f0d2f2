"""l10n: localize newsroom article HTML through gettext PO files."""

__version__ = "0.1.0"
