"""The SYNC reply parsing that python-xlib does not do for us."""

from __future__ import annotations

import struct

import pytest

from focusguard.platform.xsync import _int64, _split, parse_system_counters


def entry(counter: int, name: str) -> bytes:
    raw = struct.pack("=IiIH", counter, 0, 1, len(name)) + name.encode()
    return raw + b"\0" * (-len(raw) % 4)


def test_counters_with_names_of_every_padding() -> None:
    names = {"SERVERTIME": 10, "IDLETIME": 11, "DEVICEIDLETIME 2": 12, "X": 13, "ABCDEF": 14}
    data = b"".join(entry(c, n) for n, c in names.items())
    assert parse_system_counters(data, len(names)) == names


@pytest.mark.parametrize("value", [0, 1, 30_000, 2**32 - 1, 2**32, 2**40 + 5])
def test_int64_round_trip(value: int) -> None:
    assert _int64(*_split(value)) == value
