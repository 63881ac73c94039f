"""The config file as tomlkit reads it: comments and layout kept, for writing it back,
and syntax errors explained with a line and column.

With ``edit``, the only modules that import tomlkit: the app loads it when it writes
the file or explains a syntax error, never to read the values (``parse``).
"""

from __future__ import annotations

import tomlkit
from tomlkit.exceptions import ParseError, TOMLKitError

from focusguard.core.config.types import ConfigError, Problem


def parse_document(text: str, source: str) -> tomlkit.TOMLDocument:
    """Parse TOML keeping comments; syntax errors as ``source:LINE:COL: message``."""
    try:
        return tomlkit.parse(text)
    except ParseError as exc:
        message = str(exc).removesuffix(f" at line {exc.line} col {exc.col}")
        message = message.replace("'\\x00'", "end of file")  # tomlkit's EOF marker
        raise ConfigError([Problem(source, message, line=exc.line, column=exc.col + 1)]) from exc
    except TOMLKitError as exc:  # e.g. a table redefining a key, reported without position
        raise ConfigError([Problem(source, str(exc))]) from exc
