"""The user's config file, ``config.toml``: its schema, validation, defaults and safe writes.

One module a job: ``schema`` declares every option once (qutebrowser style); from it
``parse`` validates a file into the ``values`` dataclasses, ``reference`` renders the
starter file and the README's reference, and the settings window takes its labels;
``storage`` reads and writes the file; ``edit`` changes it keeping the user's
comments (it loads tomlkit, so it is imported only where the file is written).
The names most callers need are here.
"""

from focusguard.core.config.parse import parse_activities, parse_config
from focusguard.core.config.reference import STARTER_CONFIG, default_config, reference_markdown
from focusguard.core.config.regex import (
    TITLE_FLAGS,
    UNBOUNDED_MESSAGE,
    Regex,
    RegexError,
    compile_rule_regex,
    compile_title_regex,
)
from focusguard.core.config.schema import FILE_NAME, OPTIONS, RENAMES, REQUIRED, VERSION, Option, option
from focusguard.core.config.storage import APP_NAME, LoadResult, config_path, load_config, write_atomic
from focusguard.core.config.types import (
    DAY_NAMES,
    MAX_FILE_BYTES,
    MAX_PATTERNS,
    MAX_RULES,
    MAX_TABLES,
    RULE_FIELDS,
    RULE_KEYS,
    RULE_PATTERN,
    ConfigError,
    Number,
    Problem,
    check_pattern,
)
from focusguard.core.config.values import (
    CallSettings,
    Config,
    DaySettings,
    FocusBlock,
    NudgeSettings,
    PrivacySettings,
    SamplingSettings,
    option_value,
    rule_table,
    with_options,
)

__all__ = [
    "APP_NAME", "DAY_NAMES", "FILE_NAME", "MAX_FILE_BYTES", "MAX_PATTERNS", "MAX_RULES", "MAX_TABLES", "OPTIONS",
    "RENAMES", "REQUIRED", "RULE_FIELDS", "RULE_KEYS", "RULE_PATTERN", "STARTER_CONFIG", "TITLE_FLAGS",
    "UNBOUNDED_MESSAGE", "VERSION", "CallSettings",
    "Config", "ConfigError", "DaySettings", "FocusBlock", "LoadResult", "NudgeSettings",
    "Number", "Option", "PrivacySettings", "Problem", "Regex", "RegexError", "SamplingSettings", "check_pattern",
    "compile_rule_regex", "compile_title_regex", "config_path", "default_config", "load_config", "option",
    "option_value", "parse_activities", "parse_config", "reference_markdown", "rule_table", "with_options",
    "write_atomic",
]
