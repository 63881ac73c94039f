"""Each device's share of a merged day, for the text and Markdown reports (issue 16).

``report --json`` carries the same breakdown as ``devices`` (``store_sync.devices_json``).
Pure: it renders (device name, seconds by classification) pairs, whoever computed them.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from focusguard.core.figures import ACTIVE
from focusguard.core.model import Classification
from focusguard.core.timefmt import duration
from focusguard.core.words import fit

Share = tuple[str, Mapping[str, float]]


def _active(seconds: Mapping[str, float]) -> float:
    return sum(seconds.get(c.value, 0.0) for c in ACTIVE)


def _line(seconds: Mapping[str, float]) -> str:
    on = seconds.get(Classification.PRIORITY.value, 0.0)
    return f"{duration(_active(seconds))} active, {duration(on)} on the priority"


def devices_text(shares: Sequence[Share]) -> str:
    """'Devices:' and a line each; nothing for a day of one device."""
    if not shares:
        return ""
    width = min(max(len(name) for name, _ in shares), 24)
    return "\n".join(["Devices:", *(f"  {fit(name, width)}  {_line(seconds)}" for name, seconds in shares)])


def devices_line(shares: Sequence[Share]) -> str:
    """'Devices: Desk 61 h active · Laptop 20 h active', for a period; '' for one device."""
    if not shares:
        return ""
    return "Devices: " + " · ".join(f"{name} {duration(_active(seconds))} active" for name, seconds in shares)


def devices_markdown(shares: Sequence[Share]) -> str:
    if not shares:
        return ""
    rows = [f"| {name} | {duration(_active(s))} | {duration(s.get(Classification.PRIORITY.value, 0.0))} |"
            for name, s in shares]
    return "\n".join(["## Devices", "", "| Device | Active | On the priority |", "| --- | ---: | ---: |", *rows])
