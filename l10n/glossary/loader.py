"""Glossary files to one :class:`Glossary`, by file name suffix."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import PurePosixPath

from l10n.glossary.model import Glossary, GlossaryError, Reading
from l10n.glossary.spreadsheet import read_csv
from l10n.glossary.tbx import read_tbx

TBX_SUFFIXES = (".tbx", ".xml")
CSV_SUFFIXES = (".csv", ".tsv")
SUFFIXES = TBX_SUFFIXES + CSV_SUFFIXES


def read(data: bytes, *, file: str) -> Reading:
    """One glossary file's concepts and reader findings; the suffix of ``file`` decides."""
    suffix = PurePosixPath(file.replace("\\", "/")).suffix.lower()
    if suffix in TBX_SUFFIXES:
        return read_tbx(data, file=file)
    if suffix in CSV_SUFFIXES:
        return read_csv(data, file=file)
    raise GlossaryError(
        f"unsupported glossary format {suffix or '(no suffix)'!r}: use .tbx, .xml or .csv",
        file=file,
    )


def load(files: Mapping[str, bytes], *, source_language: str) -> Glossary:
    """All ``files`` (name → content) as one glossary, concepts in file order.

    Raises :class:`GlossaryError` for the first file that cannot be read; problems a file
    can live with (stray spaces, unknown tags) are left to :func:`l10n.glossary.lint`.
    """
    concepts = tuple(c for name, data in files.items() for c in read(data, file=name).concepts)
    return Glossary(concepts=concepts, source_language=source_language)
