"""The `focusguard` command: the desktop app with no sub-command, the core's functions with one.

The CLI never imports Qt at load time (`summary` and `review` import it when they open
their window): `priority`, `report`, `config`, `export` and `doctor` work on
a machine with no display, and they read the same database the running app writes.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import logging
import os
import sys
import time
from collections.abc import Iterator, Sequence
from datetime import date, timedelta
from pathlib import Path
from typing import TYPE_CHECKING

from focusguard import __version__
from focusguard.block_records import judged_blocks
from focusguard.call_records import CallRecords
from focusguard.call_view import CallCountedLog, kept_view
from focusguard.cli_common import EXIT_FAIL, EXIT_OK, EXIT_USAGE
from focusguard.core import block_report, call_report, files, plan_report, sync_report
from focusguard.core.config import Config, ConfigError, LoadResult, config_path, load_config
from focusguard.core.figures import day_figures, parse_range, review_period, summarize_range
from focusguard.core.report import (
    DAYS_CSV_FIELDS,
    EVENT_FIELDS,
    LABELS,
    day_json,
    day_markdown,
    day_text,
    days_rows,
    event_rows,
    range_json,
    range_markdown,
    range_text,
    rows_csv,
)
from focusguard.core.timefmt import clock, day_bounds, iso
from focusguard.core.timefmt import duration as _duration
from focusguard.records import Records, UnknownActivity, activity_named, declare
from focusguard.store import DAY_SECONDS, Store, StoreError, default_db_path
from focusguard.store_sync import devices_json, merged_view
from focusguard.sync import device_columns, device_shares

if TYPE_CHECKING:  # the import command loads the importer when it runs (not on the app's start path)
    from focusguard.core.aw_import import AwExport, ImportPlan


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
    return Store(args.db or default_db_path(), max_gap=max_gap,
                 on_wait=lambda text: print(f"focusguard: {text}", file=sys.stderr, flush=True))


@contextlib.contextmanager
def _open_records(args: argparse.Namespace) -> Iterator[Records]:
    """The config (its problems said on stderr) and the database, as the windows see them."""
    config = _load(args).config
    with _open_store(args, config) as store:
        yield Records(store, config=lambda: config)


# --- priority -------------------------------------------------------------------------

def cmd_priority_set(args: argparse.Namespace) -> int:
    """Declares through `records.declare`, the app's own way; a name that is no
    activity is said before the database is even opened."""
    config = _load(args).config
    try:
        name = activity_named(config, args.name)
    except UnknownActivity as exc:
        print(f"focusguard: {exc}", file=sys.stderr)
        return EXIT_FAIL
    with _open_store(args, config) as store:
        next_step = args.next or Records(store, config=lambda: config).plan.proposal(name, "")[1]  # the plan's
        declare(store, config, name, next_step, time.time())
    print(f"Today's priority: {name}" + (f" (next: {next_step.strip()})" if next_step else ""))
    return EXIT_OK


def cmd_priority_show(args: argparse.Namespace) -> int:
    with _open_store(args) as store:
        declaration = store.declaration_on(date.today())
    if declaration is None:
        print("No priority declared today. Declare one: focusguard priority set NAME --next \"step\"")
        return EXIT_FAIL
    if args.json:
        print(json.dumps({"activity": declaration.activity, "next_step": declaration.next_step,
                          "at": iso(declaration.at)}))
    else:
        print(f"Today's priority: {declaration.activity}")
        if declaration.next_step:
            print(f"Next step: {declaration.next_step}")
        print(f"Declared at {clock(declaration.at)}")
    return EXIT_OK


# --- report ---------------------------------------------------------------------------

def cmd_report(args: argparse.Namespace) -> int:
    """A day (``--date``) or a range of days (``--range``) as text, Markdown or JSON.
    The day's JSON is ``report.day_json``: the summary plus the popup's derived figures."""
    if args.json and args.format not in (None, "json"):
        print(f"focusguard: --json and --format {args.format} contradict each other", file=sys.stderr)
        return EXIT_USAGE
    fmt = "json" if args.json else args.format or "text"
    span = None
    if args.range is not None:
        try:
            span = parse_range(args.range, date.today())
        except ValueError as exc:
            print(f"focusguard: {exc}", file=sys.stderr)
            return EXIT_USAGE
    config = _load(args).config
    with _open_store(args, config) as store:
        view = kept_view(store)  # issue 16: every device's history, merged (finished days kept)
        counted = CallCountedLog(view, store, lambda: config)  # issue 15: calls as answered
        if span is not None:
            days = summarize_range(counted, *span)
            blocks = judged_blocks(store, config, *span, time.time(), events=view.events)  # issue 14
            period = CallRecords(store, config=lambda: config).period(*span)  # issue 15: the period's calls
            calls_said = "\n".join(call_report.review_lines(period))
            text = {"json": lambda: json.dumps(call_report.range_json(period, {**range_json(days),
                                                                               **block_report.range_json(blocks)}),
                                               indent=2, ensure_ascii=False),
                    "md": lambda: range_markdown(days) + "\n" + block_report.range_markdown(blocks)
                    + ("\n\n" + calls_said if calls_said else ""),
                    "text": lambda: range_text(days) + "\n\n" + block_report.range_text(blocks)
                    + ("\n\n" + calls_said if calls_said else "")}[fmt]()
        else:
            figures = day_figures(counted, args.date or date.today())
            plan = Records(store, config=lambda: config).plan.day_report(figures.summary.date)  # issue 14
            calls = CallRecords(store, config=lambda: config).day(figures.summary.date)  # issue 15
            day = figures.summary.date  # issue 14: the day's focus blocks, judged
            blocks = judged_blocks(store, config, day, day, time.time(), events=view.events)
            text = {"json": lambda: json.dumps(call_report.day_json(calls, {**day_json(figures),
                                                                           **plan_report.day_json(*plan),
                                                **devices_json(view, figures.summary.date),
                                                **block_report.day_json(blocks)}), indent=2,
                                               ensure_ascii=False),
                    "md": lambda: day_markdown(figures) + "\n" + plan_report.markdown(*plan)
                    + "\n" + block_report.markdown(blocks) + "\n" + call_report.markdown(calls)
                    + "\n" + sync_report.devices_markdown(device_shares(view, day)),  # issue 16
                    "text": lambda: day_text(figures.summary) + "\n\n" + plan_report.text(*plan)
                    + "\n\n" + block_report.text(blocks) + "\n\n" + call_report.text(calls)
                    + "\n\n" + sync_report.devices_text(device_shares(view, day))}[fmt]()  # issue 16
    print(text.rstrip("\n"))
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

def cmd_export(args: argparse.Namespace) -> int:
    """The raw events (default) or one row per day (``--what days``) as CSV or JSON."""
    start = day_bounds(args.from_)[0]
    end = day_bounds(args.to)[1]
    if end <= start:
        print("focusguard: --to is before --from", file=sys.stderr)
        return EXIT_USAGE
    config = _load(args).config if args.what == "days" else None
    with _open_store(args, config) as store:
        view = merged_view(store)  # issue 16: every device's history, merged
        if args.what == "days":
            rows, fields = days_rows(view, args.from_, args.to), (*DAYS_CSV_FIELDS, *plan_report.PLAN_DAY_FIELDS,
                                                                   *block_report.BLOCK_DAY_FIELDS,
                                                                   *call_report.CALL_DAY_FIELDS)
            plans = Records(store).plan  # issue 14: each day's plan and delegate list
            call_records = CallRecords(store, config=lambda: config or Config())  # issue 15: each day's calls
            for row in rows:
                day = date.fromisoformat(row["date"])
                row.update(plan_report.day_fields(*plans.day_report(day), flat=args.format != "json"))
                row.update(call_report.day_fields(call_records.day(day), flat=args.format != "json"))
                assert config is not None  # issue 14: the day's focus blocks
                row.update(block_report.day_fields(judged_blocks(store, config, day, day, time.time(),
                                                                 events=view.events), flat=args.format != "json"))
        else:
            rows, fields = event_rows(view, start, end), EVENT_FIELDS
        fields = (*fields, *device_columns(view, rows, args.what, start, end))  # issue 16: each row's device
    text = json.dumps(rows, indent=2, ensure_ascii=False) + "\n" if args.format == "json" else rows_csv(rows, fields)
    if not args.output:
        sys.stdout.write(text)
        return EXIT_OK
    with open(files.checked_target(Path(args.output)), "w", newline="", encoding="utf-8",
              opener=files.private_opener) as out:  # titles are private: 0600, whatever the umask
        out.write(text)
    return EXIT_OK


# --- the summary and review windows ------------------------------------------------------

def _no_display() -> bool:
    """On Linux a window needs an X or Wayland session (or an explicit Qt platform)."""
    return sys.platform.startswith("linux") and not any(
        os.environ.get(name) for name in ("DISPLAY", "WAYLAND_DISPLAY", "QT_QPA_PLATFORM"))


def cmd_summary(args: argparse.Namespace) -> int:
    """Opens the end-of-day summary window (Qt is imported here only)."""
    if _no_display():
        print("focusguard: no display for the summary window; "
              "`focusguard report --format md` prints the same day", file=sys.stderr)
        return EXIT_USAGE
    config = _load(args).config
    from focusguard.ui.summary_window import run_summary  # Qt loads here, the way `focusguard` (the app) does

    with _open_store(args, config) as store:
        return run_summary(Records(store, config=lambda: config), config.activity_names, args.date or date.today(),
                           focus_blocks=bool(config.focus_blocks))


def cmd_review(args: argparse.Namespace) -> int:
    """Opens the 30-day review window, for the 30 days up to --date (default: today)."""
    if _no_display():
        print("focusguard: no display for the review window; "
              "`focusguard report --range 30d` prints the period", file=sys.stderr)
        return EXIT_USAGE
    first, last = review_period(date.today())
    if args.date is not None:
        first, last = args.date - (last - first), args.date
    loaded = _load(args)
    config = loaded.config
    from focusguard.ui.review_window import run_review

    with _open_store(args, config) as store:
        return run_review(Records(store, config=lambda: config, config_file=loaded.path), first, last,
                          focus_blocks=bool(config.focus_blocks))


def cmd_settings(args: argparse.Namespace) -> int:
    """Asks the running app to open its settings window; with none running, opens it here."""
    if _no_display():
        print("focusguard: no display for the settings window; edit the file instead: "
              f"{args.config or config_path()} (`focusguard config check` validates it)", file=sys.stderr)
        return EXIT_USAGE
    from focusguard.ui.settings import run_settings

    config_file = args.config or config_path()
    # A declaration made on Save is checked against the file just saved.
    return run_settings(config_file, lambda: Records(
        _open_store(args), config=lambda: load_config(config_file, create=False).config))


def cmd_back(args: argparse.Namespace) -> int:
    """"Back to <priority>" in the running app: answers a shown nudge and brings the
    priority's window to the front. For a key binding where the nudge cannot take the
    keyboard (a level-1 card on Wayland, or no nudge at all)."""
    from focusguard.runtime.single_instance import BACK, InstanceError, notify_running

    try:
        answered = notify_running(BACK)
    except InstanceError as exc:
        print(f"focusguard: {exc}", file=sys.stderr)
        return EXIT_FAIL
    if not answered:
        print("focusguard: FocusGuard is not running", file=sys.stderr)
        return EXIT_FAIL
    return EXIT_OK


# --- import ---------------------------------------------------------------------------

def _is_categories_export(data: object) -> bool:
    """ActivityWatch's categories export ({"categories": [...]}, or an old bare list of
    categories) rather than a bucket export."""
    if isinstance(data, dict):
        return "categories" in data and "buckets" not in data
    return isinstance(data, list) and bool(data) and isinstance(data[0], dict) and "rule" in data[0]


def _import_categories(path: Path, loaded: LoadResult) -> Config:
    """Merges a categories export into the config's activities (the settings window's
    import, the same code) and returns the new config. Raises ConfigError."""
    from focusguard.core import aw_categories
    from focusguard.core.rulesets import merge_activities
    from focusguard.core.starters import write_activities

    conversion = aw_categories.load(path)
    for skipped in conversion.skipped:
        print(f"{path.name}: {skipped}", file=sys.stderr)
    merge = merge_activities(loaded.config.activities, conversion.activities)
    config = write_activities(loaded.path, merge.activities)
    print(f"{conversion.summary()}. {merge.summary()}")
    return config


def cmd_import_activitywatch(args: argparse.Namespace) -> int:
    """ActivityWatch history (and categories) into FocusGuard. A file that cannot be
    read imports nothing; events that fail the checks are skipped and reported."""
    from focusguard.core.aw_import import AwImportError, parse_export, plan_import, priority_lookup, read_json
    from focusguard.core.rules import Classifier

    result = _load(args)
    if not result.ok:
        print("focusguard: fix the config first: imported history is classified with its rules. "
              "Nothing was imported.", file=sys.stderr)
        return EXIT_FAIL
    config = result.config
    try:
        data = read_json(args.file)
        if _is_categories_export(data):
            _import_categories(args.file, result)
            return EXIT_OK
        export = parse_export(data, source=args.file.name)
        if args.categories:
            config = _import_categories(args.categories, result)
    except (AwImportError, ConfigError) as exc:
        print(f"focusguard: {exc}\nNothing was imported.", file=sys.stderr)
        return EXIT_FAIL
    events = [e for bucket in export.windows for e in bucket.events]
    if not events and export.skipped:
        print(f"focusguard: {args.file.name}: {export.skipped_text()}; no valid event remains.\n"
              "Nothing was imported.", file=sys.stderr)
        return EXIT_FAIL
    if not events:
        print(f"{args.file.name}: the window bucket has no events with a duration; nothing to import.")
        return EXIT_OK
    with _open_store(args, config) as store:
        lo, hi = min(e.start for e in events), max(e.end for e in events)
        plan = plan_import(
            export,
            Classifier(config.activities, config.privacy),
            priority_at=priority_lookup(store.declarations()),
            recorded=store.recorded_spans(lo, hi),
            since=time.time() - config.privacy.keep_days * DAY_SECONDS,
        )
        added, extended = store.import_events(plan.events)
    print(format_import(export, plan, added, extended, config.privacy.keep_days))
    return EXIT_OK


def format_import(export: AwExport, plan: ImportPlan, added: int, extended: int, keep_days: int) -> str:
    """What an import did, for a terminal: sources, counts, time by class, what was left out."""
    buckets = ", ".join(b.id for b in export.windows)
    lines = [f"Read {export.event_count} window events from {buckets}"
             + (f" (other buckets ignored: {', '.join(export.ignored)})" if export.ignored else "") + "."]
    if export.skipped:
        lines.append(export.skipped_text().capitalize() + ".")
    again = len(plan.events) - added - extended
    lines.append(f"Imported {added} new events" + (f", extended {extended}" if extended else "")
                 + (f", {again} already imported" if again else "") + ".")
    seconds: dict[str, float] = {}
    for e in plan.events:
        key = e.classified.classification.value
        seconds[key] = seconds.get(key, 0.0) + (e.end - e.start)
    if seconds:
        lines.append("Its time, classified with your current rules:")
    for key, label in LABELS.items():
        if seconds.get(key):
            lines.append(f"  {label:<22} {_duration(seconds[key]):>12}")
    if not export.afk:
        lines.append("No AFK bucket in this file: all of it counts as active time.")
    if plan.already_recorded_seconds:
        lines.append(f"Left out {_duration(plan.already_recorded_seconds)} that FocusGuard recorded itself.")
    if plan.too_old:
        lines.append(f"Left out {plan.too_old} events older than privacy.keep_days ({keep_days} days).")
    return "\n".join(lines)


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
    from focusguard.app import run_app  # Qt loads here: a broken install says what is broken

    return run_app(config_file=args.config, db_file=args.db)


# --- plumbing -------------------------------------------------------------------------

def cmd_setup_gnome(args: argparse.Namespace) -> int:
    from focusguard.platform.wayland import gnome_setup

    return gnome_setup.main(uninstall_it=args.uninstall)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="focusguard",
        description="Guards today's top priority against productive distractions. "
                    "With no command, starts the desktop app.")
    parser.add_argument("--version", action="version", version=f"FocusGuard {__version__}")
    parser.add_argument("--config", type=Path, default=None,
                        help=f"config file (default: {config_path()})")
    parser.add_argument("--db", type=Path, default=None,
                        help=f"database file (default: {default_db_path()})")
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

    report = commands.add_parser("report", help="the day's summary, or a range of days")
    when = report.add_mutually_exclusive_group()
    when.add_argument("--date", type=_parse_date, default=None, help="YYYY-MM-DD (default: today)")
    when.add_argument("--range", default=None, metavar="7d|30d|FROM:TO",
                      help="the last N days up to today, or FROM:TO (YYYY-MM-DD:YYYY-MM-DD, inclusive)")
    report.add_argument("--format", choices=("text", "md", "json"), default=None,
                        help="text (default), Markdown or JSON")
    report.add_argument("--json", action="store_true", help="the same as --format json")
    report.set_defaults(func=cmd_report)

    summary = commands.add_parser("summary", help="open the end-of-day summary window")
    summary.add_argument("--date", type=_parse_date, default=None, help="YYYY-MM-DD (default: today)")
    summary.set_defaults(func=cmd_summary)

    settings = commands.add_parser("settings", help="open the settings window (in the running app if there is one)")
    settings.set_defaults(func=cmd_settings)

    back = commands.add_parser("back", help="Back to the priority: answer the nudge and bring the "
                               "priority's window to the front (bind it to a key)")
    back.set_defaults(func=cmd_back)

    review = commands.add_parser("review", help="open the 30-day review window")
    review.add_argument("--date", type=_parse_date, default=None,
                        help="the period's last day, YYYY-MM-DD (default: today)")
    review.set_defaults(func=cmd_review)

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
    export.add_argument("--what", choices=("events", "days"), default="events",
                        help="the recorded events (default) or one row per day with its journal")
    export.add_argument("--output", "-o", default=None, help="file to write (default: stdout)")
    export.set_defaults(func=cmd_export)

    importer = commands.add_parser("import", help="import history from another time tracker")
    import_commands = importer.add_subparsers(dest="import_command", metavar="SOURCE", required=True)
    aw = import_commands.add_parser(
        "activitywatch",
        help="an ActivityWatch export: its window history, or its categories as activities",
        description="Imports the window events of an ActivityWatch export (the web UI's "
                    "\"Export all buckets\" file, one bucket's export, or GET /api/0/buckets/ID/events) "
                    "as history, classified with your current rules, AFK time as idle. Importing the "
                    "same file again adds nothing. A categories export (Settings > Categorization > "
                    "Export) becomes activities instead.")
    aw.add_argument("file", type=Path, help="the exported JSON file")
    aw.add_argument("--categories", type=Path, default=None, metavar="FILE",
                    help="also import this categories export as activities, before the history "
                         "so that the history is classified with them")
    aw.set_defaults(func=cmd_import_activitywatch)

    from focusguard.cli_plan import add_commands as add_plan_commands  # `goal ...`, `step done`

    add_plan_commands(commands, _open_records)

    from focusguard.cli_calls import add_commands as add_calls_commands  # `calls list|answer|...` (issue 15)

    add_calls_commands(commands, _open_records)

    from focusguard.cli_sync import add_commands as add_sync_commands  # `sync setup|now|status` (issue 16)

    add_sync_commands(commands, _load, _open_store)

    doctor = commands.add_parser(
        "doctor", help="check this desktop: display, window probe, idle, tray, config, database")
    doctor.set_defaults(func=cmd_doctor)

    setup = commands.add_parser(
        "setup", help="the one-time setup a desktop needs (GNOME: FocusGuard's Shell extension)")
    setup_commands = setup.add_subparsers(dest="setup_command", metavar="DESKTOP", required=True)
    gnome = setup_commands.add_parser("gnome", help="install and enable FocusGuard's GNOME Shell extension")
    gnome.add_argument("--uninstall", action="store_true", help="disable and remove it instead")
    gnome.set_defaults(func=cmd_setup_gnome)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if args.func is not cmd_app:
        # Commands say what went wrong in their own words (doctor's lines, exit codes);
        # the modules' log warnings are for the app's log file, not the terminal.
        logging.getLogger().addHandler(logging.NullHandler())
    try:
        return args.func(args)
    except StoreError as exc:
        print(f"focusguard: {exc}", file=sys.stderr)
        return EXIT_FAIL
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        return EXIT_OK
    except OSError as exc:  # a file FocusGuard may not or cannot use: said, not a traceback
        print(f"focusguard: {exc}", file=sys.stderr)
        return EXIT_FAIL


if __name__ == "__main__":
    sys.exit(main())
