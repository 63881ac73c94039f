"""`focusguard calls`: the calls waiting for "value or chill?", answering them, and the
follow-ups, from a terminal (issue 15).

The same operations as the card, the tray menu and the summary (``Records.calls``),
on the database the running app reads (its tray menu picks an answer up within a
minute). Handy where a click is awkward: a key bound to `focusguard calls answer
last value` on a tiling desktop.
"""

from __future__ import annotations

import argparse
import json
from collections.abc import Callable

from focusguard.call_records import CallRecords
from focusguard.cli_common import Opener, records_command
from focusguard.core.call_report import call_json, call_line
from focusguard.core.calls import Call, CallKind

Action = Callable[[CallRecords, argparse.Namespace], str]


class CallsError(Exception):
    """What the user asked for cannot be done; the message says why."""


def _waiting_line(call: Call) -> str:
    return f"#{call.id} {call_line(call)}"


def _list(calls: CallRecords, args: argparse.Namespace) -> str:
    waiting = calls.waiting()
    if args.json:
        return json.dumps([{"id": c.id, **call_json(c, calls.tz)} for c in waiting], indent=2, ensure_ascii=False)
    if not waiting:
        return "No call waits for an answer."
    return "\n".join(_waiting_line(c) for c in waiting)


def _chosen(calls: CallRecords, which: str) -> Call:
    """``last`` (the latest waiting call) or a call's number (``#3`` or ``3``)."""
    waiting = calls.waiting()
    if which == "last":
        if not waiting:
            raise CallsError("no call waits for an answer")
        return waiting[-1]
    number = which.removeprefix("#")
    if not number.isdigit():
        raise CallsError(f"name a call by its number (as `focusguard calls list` shows it) or 'last', not {which!r}")
    try:
        return calls.log.call(int(number))
    except KeyError as exc:
        raise CallsError(str(exc.args[0])) from None


def _answer(calls: CallRecords, args: argparse.Namespace) -> str:
    call = _chosen(calls, args.call)
    answered = calls.answer(call.id or 0, CallKind(args.kind), args.note or "")
    return f"{answered.label}: {answered.kind.value}" + (f" ({answered.note})" if answered.note else "")


def _followups(calls: CallRecords, args: argparse.Namespace) -> str:
    followups = calls.followups()
    if args.json:
        return json.dumps([{"id": c.id, "note": c.note, "done": done, **call_json(c, calls.tz)}
                           for c, done in followups], indent=2, ensure_ascii=False)
    if not followups:
        return "No follow-up: a value call's next step becomes one."
    return "\n".join(f"#{c.id} [{'x' if done else ' '}] Follow up: {c.note}" for c, done in followups)


def _done(calls: CallRecords, args: argparse.Namespace) -> str:
    number = args.call.removeprefix("#")
    if not number.isdigit():
        raise CallsError(f"name a follow-up by its call's number, not {args.call!r}")
    try:
        calls.tick(int(number), not args.undo)
    except KeyError as exc:
        raise CallsError(str(exc.args[0])) from None
    return f"#{number} {'not ' if args.undo else ''}done"


def _run(open_records: Opener, action: Action) -> Callable[[argparse.Namespace], int]:
    """One calls command: ``action`` on the records' calls."""
    return records_command(open_records, lambda records, args: action(records.calls, args), CallsError)


def add_commands(commands: argparse._SubParsersAction, open_records: Opener) -> None:
    """`calls list|answer|followups|done` on the CLI's sub-command parser."""
    calls = commands.add_parser("calls", help="calls waiting for 'value or chill?', and value calls' follow-ups")
    actions = calls.add_subparsers(dest="calls_command", metavar="ACTION", required=True)
    c = actions.add_parser("list", help="the calls of the last week waiting for an answer, numbered")
    c.add_argument("--json", action="store_true")
    c.set_defaults(func=_run(open_records, _list))
    c = actions.add_parser("answer", help="say what a call was: value (it served the business) or chill (social)")
    c.add_argument("call", help="its number (as `calls list` shows it) or 'last'")
    c.add_argument("kind", choices=[CallKind.VALUE.value, CallKind.CHILL.value])
    c.add_argument("--note", default="", help='who / next step, e.g. "Acme: send the Q2 proposal"')
    c.set_defaults(func=_run(open_records, _answer))
    c = actions.add_parser("followups", help="value calls' next steps, open and ticked today")
    c.add_argument("--json", action="store_true")
    c.set_defaults(func=_run(open_records, _followups))
    c = actions.add_parser("done", help="tick a follow-up (--undo to untick it)")
    c.add_argument("call", help="the call's number")
    c.add_argument("--undo", action="store_true")
    c.set_defaults(func=_run(open_records, _done))
