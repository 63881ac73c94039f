"""Counts, minutes, sizes and table cells in words for people: one way, everywhere.

"1 declarations", "Snooze 1 min" for half a minute, "4 KiB" beside "2.7 MB" for the
same file, and columns pushed apart by a long name all came from each window doing
its own arithmetic; the windows, the reports and the doctor use these instead.
"""

from __future__ import annotations

import math
import unicodedata

ELLIPSIS = "…"


def plural(count: int, singular: str, plural_form: str | None = None) -> str:
    """'1 declaration', '2 declarations', '0 nudges'; ``plural_form`` for irregular words
    ('1 activity', '3 activities')."""
    word = singular if count == 1 else (plural_form or singular + "s")
    return f"{count} {word}"


def minutes(value: float) -> str:
    """A setting in minutes as people say it: '30 s', '1 min', '1.5 min', '10 min'.

    Never rounds a half minute up to '1 min' or down to '0 min': under a minute it is
    said in seconds, otherwise with at most one decimal (and none when whole)."""
    if not math.isfinite(value) or value < 0:
        raise ValueError(f"not a number of minutes: {value!r}")
    if value < 1:
        return f"{round(value * 60)} s"
    rounded = round(value, 1)
    return f"{rounded:.0f} min" if rounded == int(rounded) else f"{rounded:.1f} min"


def size(byte_count: int) -> str:
    """Bytes for people: '512 bytes', '4.1 kB', '2.7 MB' (powers of 1000, as file managers show)."""
    value, unit = float(byte_count), "bytes"
    for bigger in ("kB", "MB", "GB", "TB"):
        if value < 1000:
            break
        value, unit = value / 1000, bigger
    if unit == "bytes":
        return plural(byte_count, "byte")
    return f"{value:.1f} {unit}" if value < 10 else f"{value:.0f} {unit}"


def width(text: str) -> int:
    """Columns ``text`` takes in a terminal: East Asian wide characters take two, combining marks none."""
    return sum(0 if unicodedata.combining(c) else 2 if unicodedata.east_asian_width(c) in "WF" else 1
               for c in text)


def fit(text: str, columns: int, *, right: bool = False) -> str:
    """``text`` in exactly ``columns`` terminal columns: cut with '…' when longer, padded
    when shorter (on the left when ``right``), so a long name never pushes a table apart."""
    if columns <= 0:
        return ""
    text = " ".join(text.split())  # a tab or newline in a window title would break the row too
    if width(text) > columns:
        out, used = "", 0
        for char in text:
            w = width(char)
            if used + w > columns - 1:
                break
            out, used = out + char, used + w
        text = out + ELLIPSIS
    pad = " " * (columns - width(text))
    return pad + text if right else text + pad
