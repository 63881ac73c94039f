"""One computer follows another's activities and rules (issue 16, ``[sync] follow``).

Every computer that syncs publishes its activities -- their kinds and rules, as the
``[[activity]]`` tables of a config file -- as ``<folder>/<device-id>/activities.toml``,
its own file like the rest of its folder, rewritten only when they changed. A
computer whose config says ``[sync] follow = "Office desktop"`` takes that
computer's activities into its own config file at each sync (comments and every
other setting kept, validated first: a file that would not load is never written),
and the running app reloads them as after any edit of the file. Its own privacy
settings, focus blocks and the rest stay its own.

Text, not the live objects, is what is compared: the same activities read back
make the same TOML, so a follower's config file is written only when the followed
computer's activities really changed.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING

from focusguard.core.config import Config, ConfigError, load_config, parse_config
from focusguard.syncfolder import device_dir, write_whole

if TYPE_CHECKING:
    from collections.abc import Mapping

ACTIVITIES_FILE = "activities.toml"


@dataclass(frozen=True, slots=True)
class Followed:
    """What following did: ``taken`` the name of the computer whose activities were
    written into the config file now, or ``problem`` why it could not be followed."""

    taken: str = ""
    problem: str = ""


def activities_text(config: Config) -> str:
    """``config``'s activities as the ``[[activity]]`` tables of a config file."""
    import tomlkit  # only a syncing device pays for it

    from focusguard.core.config.edit import config_into_document

    document = tomlkit.document()
    config_into_document(document, Config(activities=config.activities))
    return document.as_string()


def publish_activities(folder: Path, device: str, config: Config) -> bool:
    """This computer's activities in its folder, written only when they changed; whether written."""
    path = device_dir(folder, device) / ACTIVITIES_FILE
    data = activities_text(config).encode()
    try:
        if path.read_bytes() == data:
            return False
    except OSError:
        pass
    write_whole(path, data)
    return True


def follow(folder: Path, config_file: Path, names: Mapping[str, str]) -> Followed:
    """Take the activities of the computer the config file's ``[sync] follow`` names
    (``names``: device id -> name, of the other computers) into that file."""
    loaded = load_config(config_file, create=False)
    wanted = loaded.config.sync.follow.strip()
    if not wanted:
        return Followed()
    if not loaded.ok:
        return Followed(problem=f"cannot follow {wanted!r}: {config_file} has errors (run `focusguard config check`)")
    found = sorted(device for device, name in names.items() if name.strip().casefold() == wanted.casefold())
    if not found:
        known = ", ".join(sorted(repr(n) for n in names.values())) or "none yet"
        return Followed(problem=f"cannot follow {wanted!r}: no computer of that name has written to the sync "
                                f"folder (the others: {known}); name one of them in [sync] follow")
    if len(found) > 1:
        return Followed(problem=f"cannot follow {wanted!r}: {len(found)} computers have that name; rename one "
                                "(`focusguard sync setup FOLDER --name NAME` on it)")
    path = device_dir(folder, found[0]) / ACTIVITIES_FILE
    try:
        text = path.read_text(encoding="utf-8")
        theirs, _ = parse_config(text, f"{wanted}'s {ACTIVITIES_FILE}")
    except FileNotFoundError:
        return Followed(problem=f"cannot follow {wanted!r} yet: it has not published its activities "
                                "(it needs a FocusGuard that does, and one sync)")
    except (OSError, UnicodeDecodeError, ConfigError) as exc:
        return Followed(problem=f"cannot follow {wanted!r}: its {ACTIVITIES_FILE} cannot be read ({exc})")
    if activities_text(theirs) == activities_text(loaded.config):
        return Followed()
    from focusguard.core.config.edit import save_config

    try:
        save_config(config_file, replace(loaded.config, activities=theirs.activities))
    except (ConfigError, OSError) as exc:
        return Followed(problem=f"cannot follow {wanted!r}: {config_file} cannot take its activities ({exc})")
    return Followed(taken=names[found[0]])
