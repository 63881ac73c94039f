"""The [calls] options: read, refused with a clear message, and written back by the settings window."""

from __future__ import annotations

from dataclasses import replace

import pytest
import tomlkit

from focusguard.core.config import ConfigError, parse_config
from focusguard.core.config.edit import config_into_document
from focusguard.core.config.slots import parse_slot

USER = '''[calls]
chill_call_times = ["daily 18:00-20:00"]  # evenings only

[[activity]]
name = "Sales"
kind = "productive"
calls_count_as_priority = true
'''


def test_calls_options_and_the_activity_flag_are_read() -> None:
    config, problems = parse_config(USER)
    assert problems == []
    assert config.calls.chill_call_times == (parse_slot("daily 18:00-20:00"),)
    assert config.calls.use_microphone is True
    assert config.activity("sales").calls_count_as_priority is True


def test_a_bad_slot_names_its_key_and_the_form() -> None:
    with pytest.raises(ConfigError) as err:
        parse_config('[calls]\nchill_call_times = ["weekends 10:00-12:00"]\n')
    assert str(err.value) == ('calls.chill_call_times[0]: has an unknown day "weekends": '
                              "use mon, tue, wed, thu, fri, sat, sun or daily")


def test_changed_chill_times_are_written_back_keeping_the_comment() -> None:
    config, _ = parse_config(USER)
    slots = (parse_slot("mon-fri 12:00-13:00"), parse_slot("sat,sun 10:00-24:00"))
    changed = replace(config, calls=replace(config.calls, chill_call_times=slots))
    document = tomlkit.parse(USER)
    config_into_document(document, changed)
    text = document.as_string()
    assert 'chill_call_times = ["mon-fri 12:00-13:00", "sat,sun 10:00-24:00"]  # evenings only' in text
    assert parse_config(text)[0] == changed
