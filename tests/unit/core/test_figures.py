"""core.figures' own arithmetic (the figures themselves are tested through the summary)."""

from __future__ import annotations

import statistics

import pytest
from hypothesis import given
from hypothesis import strategies as st

from focusguard.core.figures import _median


@given(st.lists(st.floats(min_value=0, max_value=1e6, allow_nan=False), min_size=1))
def test_the_median_is_statistics_median(values: list[float]) -> None:
    assert _median(values) == pytest.approx(statistics.median(values))
