"""Machine translation behind one contract, so engines are interchangeable and tests can
use a fake.  Engines receive msgids with placeholders and must return them with every
placeholder intact; the caller verifies that before writing anything.

:class:`~l10n.translate.engine.Engine` declares what the pipeline may ask of an engine
(local, cacheable, failures, flags, missing/gap, own glossaries, whole articles, close),
each with a default; :mod:`l10n.translate.registry` is the one table from engine name to
class and key variable (its docstring says how to add an engine).
"""

from __future__ import annotations

from l10n.translate.engine import Engine, Settings
from l10n.translate.registry import DEFAULT_ENGINE, ENGINES, REGISTRY, Entry, key_env, make_engine

__all__ = [
    "DEFAULT_ENGINE",
    "ENGINES",
    "REGISTRY",
    "Engine",
    "Entry",
    "Settings",
    "key_env",
    "make_engine",
]
