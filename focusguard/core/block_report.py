"""Focus blocks in reports (issue 14): JSON, Markdown, text and day-row fields.

Renderers only, beside ``report``: the judged positions come from
``block_records.judged_blocks``; the CLI adds what these return to the day's report,
which so gains ``blocks``. Only positions with a verdict are listed (a block still
to come or running has none yet); a moved position says where it went.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import tzinfo
from typing import Any

from focusguard.core.blocks import Judged, Status, tallies
from focusguard.core.timefmt import clock, iso, local_date

#: The column a day row (``export --what days``) gains.
BLOCK_DAY_FIELDS = ("blocks",)

WORDS = {Status.KEPT: "kept", Status.PARTLY: "partly kept", Status.MISSED: "missed", Status.MOVED: "moved"}


def listed(judged: Sequence[Judged]) -> list[Judged]:
    return [j for j in judged if j.status is not None]


def block_json(j: Judged, tz: tzinfo | None = None) -> dict[str, Any]:
    o = j.occurrence
    return {"name": o.label, "activity": o.block.activity or None, "start": iso(o.start, tz), "end": iso(o.end, tz),
            "status": str(j.status), "moved_to": None if j.moved_to is None else iso(j.moved_to, tz),
            "moved_from": None if o.moved_from is None else iso(o.moved_from, tz),
            "activity_seconds": round(j.activity_seconds, 3)}


def day_json(judged: Sequence[Judged], tz: tzinfo | None = None) -> dict[str, Any]:
    """``blocks``: each finished or moved position of the day's blocks."""
    return {"blocks": [block_json(j, tz) for j in listed(judged)]}


def _when(at: float, reference: float, tz: tzinfo | None) -> str:
    """'14:00' on the same day as ``reference``, 'Wed 26 Nov 14:00' on another."""
    if local_date(at, tz) == local_date(reference, tz):
        return clock(at, tz)
    return f"{local_date(at, tz):%a %d %b} {clock(at, tz)}"


def line(j: Judged, tz: tzinfo | None = None) -> str:
    """'Outreach calls 08:30–09:30: moved to 14:00', '... (moved from 08:30): kept'."""
    o = j.occurrence
    words = f"{o.label} {clock(o.start, tz)}–{clock(o.end, tz)}"
    if o.moved_from is not None:
        words += f" (moved from {_when(o.moved_from, o.start, tz)})"
    status = j.status
    assert status is not None
    if j.moved_to is not None:
        return f"{words}: moved to {_when(j.moved_to, o.start, tz)}"
    return f"{words}: {WORDS[status]}"


def markdown(judged: Sequence[Judged], tz: tzinfo | None = None) -> str:
    """The section a day's Markdown report gains; "" with no block to show."""
    shown = listed(judged)
    if not shown:
        return ""
    return "\n".join(["## Focus blocks", "", *(f"- {line(j, tz)}" for j in shown), ""])


def text(judged: Sequence[Judged], tz: tzinfo | None = None) -> str:
    """The lines a day's text report gains; "" with no block to show."""
    shown = listed(judged)
    if not shown:
        return ""
    return "\n".join(["Focus blocks:", *(f"  {line(j, tz)}" for j in shown)])


def day_fields(judged: Sequence[Judged], *, flat: bool, tz: tzinfo | None = None) -> dict[str, Any]:
    """A day row's ``blocks``: a list of objects, or with ``flat`` (CSV) one cell of
    '; '-separated lines."""
    shown = listed(judged)
    return {"blocks": "; ".join(line(j, tz) for j in shown) if flat else [block_json(j, tz) for j in shown]}


# --- a range of days -----------------------------------------------------------------


def range_json(judged: Sequence[Judged], tz: tzinfo | None = None) -> dict[str, Any]:
    """``blocks`` (every finished or moved position of the range) and ``block_tallies``
    (per block: how many of its finished occurrences were kept)."""
    return {**day_json(judged, tz),
            "block_tallies": [{"name": t.label, "kept": t.kept, "judged": t.judged} for t in tallies(judged)]}


def range_lines(judged: Sequence[Judged]) -> list[str]:
    return [t.sentence("in this period") for t in tallies(judged)]


def range_markdown(judged: Sequence[Judged]) -> str:
    """The range's Markdown section: each block's tally; "" with none."""
    lines = range_lines(judged)
    return "\n".join(["## Focus blocks", "", *(f"- {line}" for line in lines), ""]) if lines else ""


def range_text(judged: Sequence[Judged]) -> str:
    """The range's text lines: each block's tally; "" with none."""
    lines = range_lines(judged)
    return "\n".join(["Focus blocks:", *(f"  {line}" for line in lines)]) if lines else ""
