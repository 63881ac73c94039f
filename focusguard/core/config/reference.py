"""The config for people: the commented starter file a first run writes, and the
Markdown reference in the README (``scripts/readme_reference.py``), both rendered
from the schema.
"""

from __future__ import annotations

import functools
import json
import textwrap
from typing import Final

from focusguard.core.config.parse import SECTIONS, parse_config
from focusguard.core.config.schema import FILE_NAME, REQUIRED, VERSION, VERSION_NOTE
from focusguard.core.config.values import Config

_HEADER = f"""\
# FocusGuard configuration (version {VERSION}).
#
# Edit freely: comments and layout are kept when FocusGuard itself changes this
# file. If a change has a mistake, FocusGuard keeps using the last good settings,
# tells you exactly which key is wrong, and never overwrites your file.
"""

_STARTER_ACTIVITIES = """\
# Specific title rules (a CRM in a browser tab) come before broad app rules.
[[activity]]
name = "Sales"
kind = "productive"
rules = [{ title = "HubSpot|Salesforce|Pipedrive|LinkedIn Sales|Sales Navigator" }]

[[activity]]
name = "Email"
kind = "productive"
rules = [
    { app = "thunderbird*" }, { app = "evolution*" }, { app = "outlook*" },
    { title = "Gmail|Outlook|Fastmail|Proton Mail" },
]

[[activity]]
name = "Chat"
kind = "productive"
rules = [
    { app = "slack*" }, { app = "*teams*" }, { app = "element*" }, { app = "mattermost*" },
    { title = "Slack|Microsoft Teams|Mattermost" },
]

[[activity]]
name = "Docs"
kind = "productive"
rules = [
    { app = "libreoffice*" }, { app = "soffice*" }, { app = "winword*" }, { app = "excel*" },
    { app = "powerpnt*" }, { app = "notion*" }, { app = "obsidian*" },
    { title = "Google (Docs|Sheets|Slides|Drive)|Microsoft (Word|Excel|PowerPoint)" },
    { title = "Notion|Confluence" },
]

[[activity]]
name = "Code"
kind = "productive"
rules = [
    { app = "code*" }, { app = "pycharm*" }, { app = "idea*" }, { app = "sublime_text*" },
    { app = "emacs*" }, { app = "gvim*" }, { app = "zed*" }, { app = "devenv*" },
    { app = "xcode*" },
    { title = "GitHub|GitLab|Bitbucket|Stack Overflow" },
    # Vim and Neovim in a terminal set titles like "main.py (~/src) - NVIM".
    { title = ' - n?vim\\d*$' },
]

[[activity]]
name = "Terminal"
kind = "productive"
rules = [
    { app = "*terminal*" }, { app = "xterm" }, { app = "konsole" }, { app = "alacritty" },
    { app = "kitty" }, { app = "wezterm*" }, { app = "iterm*" }, { app = "tilix" },
    { app = "terminator" }, { app = "foot" }, { app = "cmd.exe" }, { app = "powershell*" },
    { app = "pwsh*" },
]

[[activity]]
name = "Video"
kind = "distraction"
rules = [{ title = 'YouTube|Netflix|Twitch|Prime Video|Disney\\+|Vimeo' }]

[[activity]]
name = "Social media"
kind = "distraction"
rules = [
    { title = 'Facebook|Instagram|Twitter|/ X\\b|Reddit|TikTok|Bluesky|Pinterest' },
    # Move this rule to "Chat" if your team works on Discord.
    { app = "discord*" },
]

[[activity]]
name = "News"
kind = "distraction"
rules = [
    { title = "Hacker News|Google News|BBC|CNN|The Guardian|New York Times|Reuters" },
    { title = "Bloomberg|Spiegel|Le Monde" },
]

[[activity]]
name = "Shopping"
kind = "distraction"
rules = [{ title = 'Amazon\\.|eBay|AliExpress|Etsy|Temu|Zalando' }]

# Neutral: neither priority nor off-priority, so it never feeds a streak.
[[activity]]
name = "System"
kind = "neutral"
rules = [
    { app = "nautilus" }, { app = "dolphin" }, { app = "thunar" }, { app = "nemo" },
    { app = "explorer.exe" }, { app = "finder" }, { app = "gnome-control-center" },
    { app = "systemsettings*" },
]
"""


def toml_value(value: object, *, wrap: bool = False) -> str:
    """A default as TOML, as tomlkit writes it (without loading tomlkit: the app renders
    the starter file at start). ``wrap``: an array longer than 60 characters one item
    a line, so it is easy to edit."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return repr(value)
    if isinstance(value, str):
        return json.dumps(value, ensure_ascii=False)
    if isinstance(value, list):
        items = [toml_value(item) for item in value]
        inline = "[" + ", ".join(items) + "]"
        if wrap and len(inline) > 60:
            return "[\n" + "".join(f"    {item},\n" for item in items) + "]"
        return inline
    raise TypeError(f"no TOML for a default of type {type(value).__name__}")


def _comment(text: str) -> str:
    return "\n".join(textwrap.wrap(text, 78, initial_indent="# ", subsequent_indent="# "))


def _render_starter() -> str:
    """The first-run file: every setting with its description and default, a commented
    focus block example, then the starter activities."""
    parts = [_HEADER, f"{_comment(VERSION_NOTE)}\nversion = {VERSION}\n"]
    for section in SECTIONS:
        parts.append(_comment(section.note))
        if section.name == "activity":
            keys = [_comment(f"{o.key}: {o.description}") for o in section.options]
            parts += ["\n".join(keys) + "\n", _STARTER_ACTIVITIES]
            continue
        lines = []
        prefix = "# " if section.many else ""  # array sections: commented-out example
        lines.append(prefix + section.header)
        for option in section.options:
            value = option.default if option.example is None else option.example
            lines.append(_comment(option.description))
            lines.append(prefix + f"{option.key} = {toml_value(value, wrap=True)}")
        parts.append("\n".join(lines) + "\n")
    return "\n".join(parts)


STARTER_CONFIG: Final[str] = _render_starter()


@functools.cache
def default_config() -> Config:
    """The config of the starter file (what a first run writes)."""
    return parse_config(STARTER_CONFIG)[0]


def reference_markdown() -> str:
    """The config reference for the README, rendered from OPTIONS."""
    out = ["## Configuration reference", "", f"`{FILE_NAME}` in the user config directory.", "",
           f"`version` (integer, now {VERSION}): {VERSION_NOTE}", ""]
    for section in SECTIONS:
        out += [f"### `{section.header}`", "", section.note, ""]
        out += ["| Key | Type | Default | Description |", "|---|---|---|---|"]
        for option in section.options:
            default = (
                "*required*"
                if option.default is REQUIRED
                else f"`{toml_value(option.default)}`"
            )
            cells = (f"`{option.key}`", option.type.describe(), default, option.description)
            out.append("| " + " | ".join(c.replace("|", "\\|") for c in cells) + " |")
        out.append("")
    return "\n".join(out)
