import subprocess
import sys

import pytest

from focusguard.core import palette
from focusguard.core.model import Classification
from focusguard.core.palette import Shape, TrayState, tray_state_for

# The table in docs/design/DESIGN.md, "One palette for every surface".
DESIGN = {
    TrayState.PRIORITY: ("#2E9E5B", Shape.DISC_TICK),
    TrayState.PRODUCTIVE_DISTRACTION: ("#E39B00", Shape.RING),
    TrayState.DISTRACTION: ("#D64545", Shape.DIAMOND_CROSS),
    TrayState.UNCLASSIFIED: ("#6B6FD4", Shape.DISC_QUESTION),
    TrayState.IDLE: ("#C2C7CC", Shape.DISC_PAUSE),
    TrayState.NO_PRIORITY: ("#3B82F6", Shape.DISC_ONE),
    TrayState.UNAVAILABLE: ("#5F6368", Shape.DISC_BANG),
}


@pytest.mark.parametrize("state", list(TrayState))
def test_tray_colours_and_shapes_follow_design(state):
    colour, shape = DESIGN[state]
    assert palette.TRAY[state].colour == colour
    assert palette.colour(state) == colour
    assert palette.TRAY[state].shape is shape


def test_every_state_has_its_own_shape_and_colour():
    assert len({look.shape for look in palette.TRAY.values()}) == len(TrayState)
    assert len({look.colour for look in palette.TRAY.values()}) == len(TrayState)


@pytest.mark.parametrize(
    ("classification", "colour"),
    [
        (Classification.PRIORITY, "#2E9E5B"),
        (Classification.PRODUCTIVE_DISTRACTION, "#E39B00"),
        (Classification.DISTRACTION, "#D64545"),
        (Classification.UNCLASSIFIED, "#6B6FD4"),
        (Classification.NEUTRAL, "#9AA0A6"),
        (Classification.IDLE, "#C2C7CC"),
        (Classification.PAUSED, "#C2C7CC"),
        (Classification.PRIVATE, "#9AA0A6"),
    ],
)
def test_classification_colours_follow_design(classification, colour):
    assert palette.colour(classification) == colour


def test_every_classification_has_words():
    labels = {c: palette.label(c) for c in Classification}
    assert labels[Classification.PRIORITY] == "On priority"
    assert labels[Classification.PRODUCTIVE_DISTRACTION] == "Productive distraction"
    assert len(set(labels.values())) == len(Classification)  # a legend can tell them apart
    assert palette.label(TrayState.IDLE) == "Idle / paused"


def test_tray_state_names_its_svg():
    assert TrayState.NO_PRIORITY.resource == "tray-no_priority.svg"


@pytest.mark.parametrize(
    ("classification", "expected"),
    [
        (Classification.PRIORITY, TrayState.PRIORITY),
        (Classification.PRODUCTIVE_DISTRACTION, TrayState.PRODUCTIVE_DISTRACTION),
        (Classification.DISTRACTION, TrayState.DISTRACTION),
        (Classification.UNCLASSIFIED, TrayState.UNCLASSIFIED),
        (Classification.IDLE, TrayState.IDLE),
        (Classification.PAUSED, TrayState.IDLE),
    ],
)
def test_tray_state_follows_the_classification(classification, expected):
    assert tray_state_for(classification, TrayState.DISTRACTION) is expected


@pytest.mark.parametrize("last", list(TrayState))
@pytest.mark.parametrize("classification", [Classification.NEUTRAL, Classification.PRIVATE])
def test_neutral_and_private_keep_the_last_state(classification, last):
    assert tray_state_for(classification, last) is last


def test_tint_and_shade():
    assert palette.tint("#2E9E5B", 0) == "#FFFFFF"
    assert palette.tint("#2E9E5B", 1) == "#2E9E5B"
    assert palette.tint("#2E9E5B", 0.1) == "#EAF5EF"
    assert palette.shade("#2E9E5B", 0) == "#2E9E5B"
    assert palette.shade("#2E9E5B", 1) == "#000000"
    with pytest.raises(ValueError):
        palette.tint("#2E9E5B", 1.5)
    with pytest.raises(ValueError):
        palette.shade("green")


def test_palette_is_qt_free():
    code = (
        "import sys, focusguard.core.palette; "
        "sys.exit(any(m.split('.')[0] in ('PySide6', 'shiboken6') for m in sys.modules))"
    )
    assert subprocess.run([sys.executable, "-c", code]).returncode == 0
