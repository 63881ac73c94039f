"""What the command line's modules share: the exit codes, and how a command on the
user's records runs (goals and steps, calls), so each says a refusal the same way.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from contextlib import AbstractContextManager
from typing import TYPE_CHECKING

from focusguard.store_writer import StoreError

if TYPE_CHECKING:
    from focusguard.records import Records

EXIT_OK, EXIT_FAIL, EXIT_USAGE = 0, 1, 2

#: Opens the records a command works on (the CLI's config and database), and closes them.
Opener = Callable[[argparse.Namespace], AbstractContextManager["Records"]]


def records_command(open_records: Opener, action: Callable[[Records, argparse.Namespace], str],
                    *refusals: type[Exception]) -> Callable[[argparse.Namespace], int]:
    """One command on what ``open_records`` opens: print what ``action`` did, or why it
    could not (one of ``refusals``, or a database that cannot be written: locked, full)."""

    caught: tuple[type[Exception], ...] = (*refusals, StoreError)

    def command(args: argparse.Namespace) -> int:
        try:
            with open_records(args) as records:
                text = action(records, args)
        except caught as exc:
            print(f"focusguard: {exc}", file=sys.stderr)
            return EXIT_FAIL
        print(text)
        return EXIT_OK

    return command
