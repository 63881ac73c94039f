"""One palette for every surface: tray, nudge, timeline, charts and reports.

The same class always has the same colour, so a user learns it once; colour is never
the only signal, so every tray state also has its own shape (see docs/design/DESIGN.md).
Qt-free: the HTML reports and the CLI read it as well as the widgets.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum

from focusguard.core.model import Answer, Classification


class TrayState(StrEnum):
    """What the tray icon says. Also the stem of its file: ``resources/tray-<value>.svg``."""

    PRIORITY = "priority"
    PRODUCTIVE_DISTRACTION = "productive_distraction"
    DISTRACTION = "distraction"
    UNCLASSIFIED = "unclassified"
    IDLE = "idle"
    NO_PRIORITY = "no_priority"
    UNAVAILABLE = "unavailable"

    @property
    def resource(self) -> str:
        """The SVG file name inside the package ``focusguard.resources``."""
        return f"tray-{self.value}.svg"


class Shape(StrEnum):
    """The tray shapes, so colour is never the only signal."""

    DISC_TICK = "disc with a tick"
    RING = "ring"
    DIAMOND_CROSS = "diamond with a cross"
    DISC_QUESTION = 'disc with "?"'
    DISC_PAUSE = "disc with pause bars"
    DISC_ONE = 'disc with "1"'
    DISC_BANG = 'disc with "!"'


@dataclass(frozen=True, slots=True)
class Swatch:
    """A colour (``#RRGGBB``) with the words a legend or tooltip shows for it."""

    colour: str
    label: str


@dataclass(frozen=True, slots=True)
class TrayLook:
    colour: str
    label: str
    shape: Shape


PRIORITY = "#2E9E5B"
PRODUCTIVE_DISTRACTION = "#E39B00"
DISTRACTION = "#D64545"
UNCLASSIFIED = "#6B6FD4"
NEUTRAL = "#9AA0A6"
IDLE = "#C2C7CC"
NO_PRIORITY = "#3B82F6"
UNAVAILABLE = "#5F6368"

CLASSIFICATION: dict[Classification, Swatch] = {
    Classification.PRIORITY: Swatch(PRIORITY, "On priority"),
    Classification.PRODUCTIVE_DISTRACTION: Swatch(PRODUCTIVE_DISTRACTION, "Productive distraction"),
    Classification.DISTRACTION: Swatch(DISTRACTION, "Distraction"),
    Classification.UNCLASSIFIED: Swatch(UNCLASSIFIED, "Unclassified"),
    Classification.NEUTRAL: Swatch(NEUTRAL, "Neutral"),
    # Idle and paused share a colour (nothing is being tracked) but keep their own words,
    # so a legend can still tell them apart.
    Classification.IDLE: Swatch(IDLE, "Idle"),
    Classification.PAUSED: Swatch(IDLE, "Paused"),
    # Private windows are left out on purpose: as neutral as it gets.
    Classification.PRIVATE: Swatch(NEUTRAL, "Private"),
}

TRAY: dict[TrayState, TrayLook] = {
    TrayState.PRIORITY: TrayLook(PRIORITY, "On priority", Shape.DISC_TICK),
    TrayState.PRODUCTIVE_DISTRACTION: TrayLook(
        PRODUCTIVE_DISTRACTION, "Productive distraction", Shape.RING
    ),
    TrayState.DISTRACTION: TrayLook(DISTRACTION, "Distraction", Shape.DIAMOND_CROSS),
    TrayState.UNCLASSIFIED: TrayLook(UNCLASSIFIED, "Unclassified", Shape.DISC_QUESTION),
    TrayState.IDLE: TrayLook(IDLE, "Idle / paused", Shape.DISC_PAUSE),
    TrayState.NO_PRIORITY: TrayLook(NO_PRIORITY, "No priority declared", Shape.DISC_ONE),
    TrayState.UNAVAILABLE: TrayLook(UNAVAILABLE, "Window probe unavailable", Shape.DISC_BANG),
}

#: How a nudge was answered, in hues no class uses (teal, orchid, plum, sand), so a chart
#: of answers is never read as a chart of classes: "back" is not "on priority".
ANSWER: dict[str | None, Swatch] = {  # by Answer value, None for unanswered
    "back": Swatch("#0E7C86", "Back"),
    "part_of_priority": Swatch("#7CC7CC", "Part of the priority"),
    "snooze": Swatch("#C06C9E", "Snoozed"),
    "classified": Swatch("#8C6D46", "Classified"),
    "ignored": Swatch("#5B4A68", "Ignored"),
    "delegate": Swatch("#3F5FA0", "Delegated"),
    None: Swatch("#D9CBB0", "Unanswered"),
}

# The surfaces every window shares (docs/design/DESIGN.md: a white page, one type family, two
# weights): text, muted text that still reads (6:1 on white), hairlines, field fill.
INK = "#1F2328"
MUTED_INK = "#5F6368"
HAIRLINE = "#D0D4D9"
FIELD = "#F6F8FA"
PAGE = "#FFFFFF"

_DIRECT: dict[Classification, TrayState] = {
    Classification.PRIORITY: TrayState.PRIORITY,
    Classification.PRODUCTIVE_DISTRACTION: TrayState.PRODUCTIVE_DISTRACTION,
    Classification.DISTRACTION: TrayState.DISTRACTION,
    Classification.UNCLASSIFIED: TrayState.UNCLASSIFIED,
    Classification.IDLE: TrayState.IDLE,
    Classification.PAUSED: TrayState.IDLE,
}


def colour(key: Classification | TrayState) -> str:
    """The ``#RRGGBB`` colour of a classification or a tray state."""
    return TRAY[key].colour if isinstance(key, TrayState) else CLASSIFICATION[key].colour


def label(key: Classification | TrayState) -> str:
    """The human words for a classification or a tray state."""
    return TRAY[key].label if isinstance(key, TrayState) else CLASSIFICATION[key].label


def tray_state_for(classification: Classification, last_state: TrayState) -> TrayState:
    """The tray state after one classified sample, a priority being declared (without
    one the controller shows "declare one" itself).

    Neutral and private samples (a terminal, the password manager, FocusGuard's own
    windows) say nothing about focus, so the icon keeps ``last_state`` instead of
    flickering grey. Idle and paused both show the pause disc.
    """
    state = _DIRECT.get(classification)
    return last_state if state is None else state


def answer_colour(answer: Answer | str | None) -> str:
    """The colour of a nudge's answer (an ``Answer``, its value, or None for unanswered)."""
    return ANSWER[None if answer is None else Answer(answer).value].colour


def contrast(foreground: str, background: str) -> float:
    """The WCAG contrast ratio of two colours, 1 (none) to 21 (black on white); text
    needs 4.5 to be read comfortably."""
    def luminance(hex_colour: str) -> float:
        linear = [c / 255 / 12.92 if c <= 10 else ((c / 255 + 0.055) / 1.055) ** 2.4 for c in _rgb(hex_colour)]
        return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]

    light, dark = sorted((luminance(foreground), luminance(background)), reverse=True)
    return (light + 0.05) / (dark + 0.05)


def tint(hex_colour: str, strength: float = 0.1) -> str:
    """``hex_colour`` mixed into white: ``strength`` 0 is white, 1 the colour itself.

    Used for the panels that carry a class's colour without shouting it (the
    priority panel on the nudge, row highlights in reports).
    """
    if not 0.0 <= strength <= 1.0:
        raise ValueError(f"tint strength must be within 0..1, not {strength}")
    return _hex(255 + (c - 255) * strength for c in _rgb(hex_colour))


def shade(hex_colour: str, amount: float = 0.15) -> str:
    """``hex_colour`` darkened towards black by ``amount`` (hover and pressed states)."""
    if not 0.0 <= amount <= 1.0:
        raise ValueError(f"shade amount must be within 0..1, not {amount}")
    return _hex(c * (1 - amount) for c in _rgb(hex_colour))


def _rgb(hex_colour: str) -> tuple[int, int, int]:
    if not re.fullmatch(r"#[0-9A-Fa-f]{6}", hex_colour):
        raise ValueError(f"not a #RRGGBB colour: {hex_colour!r}")
    return (int(hex_colour[1:3], 16), int(hex_colour[3:5], 16), int(hex_colour[5:7], 16))


def _hex(channels: Iterable[float]) -> str:
    return "#" + "".join(f"{round(c):02X}" for c in channels)
