"""The `focusguard` command: the desktop app with no sub-command, the core's functions with one.

The CLI never imports Qt: `priority`, `report`, `config`, `export` and `doctor` work on
a machine with no display, and they read the same database the running app writes.
"""

from __future__ import annotations

import argparse
import csv
import json
import sys
import time
from collections.abc import Sequence
from datetime import date, datetime, timedelta
from pathlib import Path

from focusguard import __version__
from focusguard.core.config import Config, LoadResult, config_path, load_config
from focusguard.core.model import Declaration
from focusguard.core.summary import DaySummary, day_bounds, summarize_day
from focusguard.core.timefmt import duration as _duration
from focusguard.core.timefmt import iso_local as _iso
from focusguard.store import Store, default_db_path

EXIT_OK = 0
EXIT_FAIL = 1
EXIT_USAGE = 2


def _parse_date(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a date (YYYY-MM-DD): {text!r}") from None


def _load(args: argparse.Namespace) -> LoadResult:
    """Loads the config, reporting problems on stderr but carrying on with the last good one."""
    result = load_config(args.config)
    for problem in result.problems:
        print(f"{result.path}: {problem}", file=sys.stderr)
    if not result.ok:
        print("focusguard: using the default configuration until the errors above are fixed",
              file=sys.stderr)
    return result


def _open_store(args: argparse.Namespace, config: Config | None = None) -> Store:
    max_gap = config.max_gap if config else 4.0
    return Store(args.db or default_db_path(), max_gap=max_gap)


# --- priority -------------------------------------------------------------------------

def cmd_priority_set(args: argparse.Namespace) -> int:
    config = _load(args).config
    activity = config.activity(args.name)
    if activity is None:
        known = ", ".join(config.activity_names) or "(none: add an [[activity]] to the config)"
        print(f"focusguard: unknown activity {args.name!r}. Known activities: {known}",
              file=sys.stderr)
        return EXIT_FAIL
    with _closing(_open_store(args, config)) as store:
        store.declare(Declaration(at=time.time(), activity=activity.name,
                                  next_step=(args.next or "").strip()))
    print(f"Today's priority: {activity.name}" + (f" (next: {args.next.strip()})" if args.next else ""))
    return EXIT_OK


def cmd_priority_show(args: argparse.Namespace) -> int:
    with _closing(_open_store(args)) as store:
        declaration = store.declaration_on(date.today())
    if declaration is None:
        print("No priority declared today. Declare one: focusguard priority set NAME --next \"step\"")
        return EXIT_FAIL
    if args.json:
        print(json.dumps({"activity": declaration.activity, "next_step": declaration.next_step,
                          "at": _iso(declaration.at)}))
    else:
        print(f"Today's priority: {declaration.activity}")
        if declaration.next_step:
            print(f"Next step: {declaration.next_step}")
        print(f"Declared at {datetime.fromtimestamp(declaration.at).strftime('%H:%M')}")
    return EXIT_OK


# --- report ---------------------------------------------------------------------------

LABELS = {
    "priority": "On priority",
    "productive_distraction": "Productive distraction",
    "distraction": "Distraction",
    "unclassified": "Unclassified",
    "neutral": "Neutral",
    "idle": "Idle",
    "paused": "Paused",
    "private": "Private",
}


def format_summary(summary: DaySummary) -> str:
    """The day as plain text, for a terminal."""
    lines = [f"{summary.date:%A %d %B %Y} · Priority: {summary.priority or '(none declared)'}"]
    if summary.next_step:
        lines.append(f"Next step: {summary.next_step}")
    ratio = "—" if summary.focus_ratio is None else f"{summary.focus_ratio:.0%}"
    lines += ["", f"{_duration(summary.seconds['priority'])} on the priority · focus {ratio}", ""]
    width = max(len(label) for label in LABELS.values())
    for key, label in LABELS.items():
        if summary.seconds.get(key):
            lines.append(f"  {label:<{width}}  {_duration(summary.seconds[key]):>12}")
    if summary.top_off_priority:
        lines += ["", "Top off-priority:"]
        for item in summary.top_off_priority:
            what = " — ".join(part for part in (item.app, item.title) if part)
            lines.append(f"  {item.activity or 'Unclassified':<20} {what[:60]:<60} {_duration(item.seconds):>12}")
    lines += ["", f"Longest priority streak: {_duration(summary.longest_priority_streak_seconds)}",
              f"Nudges: {len(summary.nudges)}"]
    for nudge in summary.nudges:
        lines.append(f"  {datetime.fromtimestamp(nudge.at):%H:%M} {nudge.activity or 'Unclassified'}"
                     f" (level {nudge.level}): {nudge.answer or 'unanswered'}")
    return "\n".join(lines)


def cmd_report(args: argparse.Namespace) -> int:
    config = _load(args).config
    with _closing(_open_store(args, config)) as store:
        summary = summarize_day(store, args.date or date.today())
    if args.json:
        print(json.dumps(summary.to_json(), indent=2, ensure_ascii=False))
    else:
        print(format_summary(summary))
    return EXIT_OK


# --- config ---------------------------------------------------------------------------

def cmd_config_check(args: argparse.Namespace) -> int:
    result = load_config(args.config, create=False)
    for problem in result.problems:
        print(f"{result.path}: {problem}")
    if result.ok:
        print(f"{result.path}: OK ({len(result.config.activities)} activities)")
        return EXIT_OK
    return EXIT_FAIL


def cmd_config_path(args: argparse.Namespace) -> int:
    print(args.config or config_path())
    return EXIT_OK


# --- export ---------------------------------------------------------------------------

EVENT_FIELDS = ("start", "end", "seconds", "classification", "activity", "app", "title", "exe")


def cmd_export(args: argparse.Namespace) -> int:
    start = day_bounds(args.from_)[0]
    end = day_bounds(args.to)[1]
    if end <= start:
        print("focusguard: --to is before --from", file=sys.stderr)
        return EXIT_USAGE
    with _closing(_open_store(args)) as store:
        rows = [
            {"start": _iso(e.start), "end": _iso(e.end), "seconds": round(e.seconds, 3),
             "classification": str(e.classification), "activity": e.activity or "",
             "app": e.app, "title": e.title, "exe": e.exe}
            for e in store.events(start, end)
        ]
    out = open(args.output, "w", newline="", encoding="utf-8") if args.output else sys.stdout
    try:
        if args.format == "json":
            json.dump(rows, out, indent=2, ensure_ascii=False)
            out.write("\n")
        else:
            writer = csv.DictWriter(out, fieldnames=EVENT_FIELDS)
            writer.writeheader()
            writer.writerows(rows)
    finally:
        if out is not sys.stdout:
            out.close()
    return EXIT_OK


# --- doctor ---------------------------------------------------------------------------

def cmd_doctor(args: argparse.Namespace) -> int:
    from focusguard.doctor import run_checks

    failed = 0
    for check in run_checks(config_file=args.config, db_file=args.db):
        print(check.line())
        failed += check.status == "FAIL"
    return EXIT_FAIL if failed else EXIT_OK


# --- the app --------------------------------------------------------------------------

def cmd_app(args: argparse.Namespace) -> int:
    try:
        from focusguard.app import run_app
    except ImportError as exc:  # the desktop app lands with the tray issue
        print(f"focusguard: the desktop app is not available yet ({exc})", file=sys.stderr)
        return EXIT_USAGE
    return run_app(config_file=args.config, db_file=args.db)


# --- plumbing -------------------------------------------------------------------------

class _closing:
    """`with` for a Store, so every command closes (and flushes) it."""

    def __init__(self, store: Store) -> None:
        self.store = store

    def __enter__(self) -> Store:
        return self.store

    def __exit__(self, *exc: object) -> None:
        self.store.close()


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="focusguard",
        description="Guards today's top priority against productive distractions. "
                    "With no command, starts the desktop app.")
    parser.add_argument("--version", action="version", version=f"FocusGuard {__version__}")
    parser.add_argument("--config", type=Path, default=None,
                        help="config file (default: %s)" % config_path())
    parser.add_argument("--db", type=Path, default=None,
                        help="database file (default: %s)" % default_db_path())
    parser.set_defaults(func=cmd_app)
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")

    priority = commands.add_parser("priority", help="declare or show today's top priority")
    priority_commands = priority.add_subparsers(dest="priority_command", metavar="ACTION", required=True)
    p_set = priority_commands.add_parser("set", help="declare today's top priority")
    p_set.add_argument("name", help="an activity name from the config")
    p_set.add_argument("--next", default="", help="the next concrete step")
    p_set.set_defaults(func=cmd_priority_set)
    p_show = priority_commands.add_parser("show", help="show today's priority")
    p_show.add_argument("--json", action="store_true")
    p_show.set_defaults(func=cmd_priority_show)

    report = commands.add_parser("report", help="the day's summary")
    report.add_argument("--date", type=_parse_date, default=None, help="YYYY-MM-DD (default: today)")
    report.add_argument("--json", action="store_true", help="machine-readable JSON")
    report.set_defaults(func=cmd_report)

    config = commands.add_parser("config", help="check or locate the config file")
    config_commands = config.add_subparsers(dest="config_command", metavar="ACTION", required=True)
    config_commands.add_parser("check", help="validate the config (exit 1 on errors)").set_defaults(
        func=cmd_config_check)
    config_commands.add_parser("path", help="print the config file's path").set_defaults(
        func=cmd_config_path)

    export = commands.add_parser("export", help="export recorded events")
    export.add_argument("--from", dest="from_", type=_parse_date,
                        default=date.today() - timedelta(days=6), help="first day (default: 7 days ago)")
    export.add_argument("--to", type=_parse_date, default=date.today(), help="last day (default: today)")
    export.add_argument("--format", choices=("csv", "json"), default="csv")
    export.add_argument("--output", "-o", default=None, help="file to write (default: stdout)")
    export.set_defaults(func=cmd_export)

    doctor = commands.add_parser("doctor", help="check this desktop: display, window probe, idle, tray, config, database")
    doctor.set_defaults(func=cmd_doctor)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        return args.func(args)
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        return EXIT_OK


if __name__ == "__main__":
    sys.exit(main())
