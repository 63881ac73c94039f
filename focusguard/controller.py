"""What the desktop app decides, without Qt (Picard/Mu style: a controller drives views).

The Qt layer reads the probes off the GUI thread, hands each reading to
`Controller.handle_sample`, and renders the `Update` it gets back (tray state and
tooltip, a nudge to show or close, the morning prompt, a config error). Every answer
the user gives goes back through a method here, so the whole behaviour of the app is
tested with fake probes and an injected clock, without a widget.
"""

from __future__ import annotations

import fnmatch
import logging
import os
import time
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import date, datetime, timedelta, tzinfo
from pathlib import Path

from focusguard.core.config import Config, LoadResult, Problem, add_rule, load_config
from focusguard.core.dayfigures import LiveDayFigures
from focusguard.core.engine import NudgeEngine, Schedule
from focusguard.core.nudge_words import acknowledgement
from focusguard.core.model import (
    OFF_PRIORITY,
    Answer,
    Classification,
    Classified,
    Declaration,
    Kind,
    Nudge,
    Rule,
    Sample,
)
from focusguard.core.palette import TrayState, tray_state_for
from focusguard.core.rules import Classifier, window_rule
from focusguard.core.summary import day_bounds, same_activity
from focusguard.core.timefmt import duration as duration_text
from focusguard.platform.window import UNAVAILABLE_PREFIX, WindowInfo
from focusguard.store import Store

log = logging.getLogger(__name__)

#: An unanswered nudge counts as ignored after this long.
IGNORE_AFTER_SECONDS = 120.0
#: The classes that say where the focus is (on the priority or off it), unlike neutral,
#: private, idle and paused samples.
FOCUS_CLASSES = frozenset({Classification.PRIORITY, *OFF_PRIORITY})
#: A window of FocusGuard's that must not take the focus (the level-1 nudge, the status
#: window) but is found in front this soon after it was shown took it: the compositor
#: (sway and other Wayland desktops) focuses new windows whatever the client asks.
FOCUS_TAKEN_SECONDS = 3.0


@dataclass(frozen=True)
class Update:
    """What the view should show after one sample."""

    state: TrayState
    tooltip: str
    classified: Classified | None = None
    show_nudge: Nudge | None = None
    close_nudge: bool = False
    prompt_declaration: bool = False
    message: str | None = None  # a problem worth telling the user once (config error, probe down)
    give_focus_to: WindowInfo | None = None  # a window of ours took the focus it must not take


def next_local_midnight(at: float, tz: tzinfo | None = None) -> float:
    """When "until tomorrow" ends: the start of the next local day (DST-safe)."""
    return day_bounds(datetime.fromtimestamp(at, tz).date() + timedelta(days=1), tz)[0]


class Controller:
    """Probe reading in, decisions out. One per running app."""

    def __init__(
        self,
        config_file: Path,
        store: Store,
        *,
        clock: Callable[[], float] = time.time,
        tz: tzinfo | None = None,
        own_pid: int | None = None,
    ) -> None:
        self.config_file = config_file
        self.store = store
        self.clock = clock
        self.tz = tz
        self.own_pid = os.getpid() if own_pid is None else own_pid
        result = load_config(config_file)
        self.config: Config = result.config
        self.config_problem: str | None = None if result.ok else self._problem_text(result.problems)
        self._config_mtime = self._mtime()
        self.classifier = Classifier(self.config.activities, self.config.privacy)
        self.engine = NudgeEngine(self.config.nudge, max_gap=self.config.max_gap,
                                  schedule=self._schedule(), tz=tz)
        self.store.max_gap = self.config.max_gap
        self.declaration: Declaration | None = None
        self.day: date | None = None
        self.state = TrayState.NO_PRIORITY
        self._focus_state: TrayState | None = None  # what a neutral window shows: see _tray_state
        self._focus_window: WindowInfo | None = None  # the last window seen on or off the priority
        self.pending: Nudge | None = None
        self.last: Classified | None = None
        self._priority_windows: dict[str, WindowInfo] = {}  # "seen today", one per priority
        self.prompted_on: date | None = None
        self.probe_error: str | None = None
        self.probe_name = ""  # what reads the active window ("sway IPC"), for the tray menu
        self.probe_warning = ""  # what that probe cannot see, if anything
        self.dnd_active = False
        self.user_window: WindowInfo | None = None  # the last window in front that is not ours
        self._shown_without_focus_at: float | None = None
        self.figures: LiveDayFigures | None = None
        self._refresh_day(self.clock())

    # --- configuration ----------------------------------------------------------------

    def _schedule(self) -> Schedule:
        return Schedule(self.config.focus_blocks, self.config.day.outside_focus_blocks)

    def _mtime(self) -> int | None:
        try:
            return self.config_file.stat().st_mtime_ns
        except OSError:
            return None

    @staticmethod
    def _problem_text(problems: list[Problem]) -> str:
        return "\n".join(str(p) for p in problems if p.severity == "error")

    def apply_config(self, config: Config, classifier: Classifier | None = None) -> None:
        """Switches to a new, valid config at once, keeping the streak. ``classifier``:
        one already built for ``config`` (off the GUI thread, see read_config)."""
        self.config = config
        self.classifier = classifier or Classifier(config.activities, config.privacy)
        self.engine.reconfigure(config.nudge, max_gap=config.max_gap, schedule=self._schedule())
        self.store.max_gap = config.max_gap
        if self.figures is not None and self.figures.max_gap != config.max_gap:
            # What is stored keeps its classes (new rules count from the next sample on);
            # only a new max_gap changes the past's streaks: read the day once again.
            self._load_figures(self.figures.date)
        self.config_problem = None
        self._config_mtime = self._mtime()

    def reload_config_if_changed(self) -> str | None:
        """Re-reads config.toml when it changed on disk. Returns an error to show, once.

        A broken edit keeps the last good config running; the file is left as it is.
        """
        mtime = self.config_changed()
        return None if mtime is None else self.apply_read(mtime, *self.read_config())

    def config_changed(self) -> int | None:
        """The file's new mtime when it changed since last seen (and notes it), else None."""
        mtime = self._mtime()
        if mtime == self._config_mtime:
            return None
        self._config_mtime = mtime
        return mtime

    def read_config(self) -> tuple[LoadResult, Classifier | None]:
        """config.toml read, validated and, when valid, compiled. Changes nothing here,
        so the app runs it on a worker thread: a big file takes seconds (issue 11)."""
        result = load_config(self.config_file, create=False, last_good=self.config)
        return result, Classifier(result.config.activities, result.config.privacy) if result.ok else None

    def apply_read(self, mtime: int | None, result: LoadResult, classifier: Classifier | None) -> str | None:
        """Applies what read_config found for the file as of ``mtime``; a result made
        stale meanwhile (the settings window saved) is dropped. Returns an error to show."""
        if mtime != self._config_mtime:
            return None
        if result.ok:
            self.apply_config(result.config, classifier)
            log.info("config reloaded from %s", self.config_file)
            return None
        self.config_problem = self._problem_text(result.problems)
        log.warning("config %s has errors, keeping the last good one:\n%s",
                    self.config_file, self.config_problem)
        return f"{self.config_file} has errors; FocusGuard keeps the last good settings.\n{self.config_problem}"

    # --- the day and its priority -----------------------------------------------------

    def local_date(self, at: float) -> date:
        return datetime.fromtimestamp(at, self.tz).date()

    def _refresh_day(self, at: float) -> None:
        """Picks up today's declaration, including one made by the CLI meanwhile; once a
        day (at start and at each new local day) deletes history past `keep_days`."""
        day = self.local_date(at)
        if day != self.day:
            self._load_figures(day)
            removed = self.store.prune(self.config.privacy.keep_days, at)
            if removed:
                log.info("deleted %d records older than %d days", removed, self.config.privacy.keep_days)
        self.day = day
        declaration = self.store.declaration_on(self.day, self.tz)
        if declaration != self.declaration:
            self.declaration = declaration
            self._judge_focus_again()
            if declaration is not None and self.figures is not None and declaration.at >= self.figures.start:
                self.figures.declare(declaration)  # one made by the CLI meanwhile

    @property
    def priority(self) -> str | None:
        return self.declaration.activity if self.declaration else None

    def declare(self, activity: str, next_step: str = "") -> Declaration:
        known = self.config.activity(activity)
        if known is None:
            raise ValueError(f"unknown activity {activity!r}; known: {', '.join(self.config.activity_names)}")
        declaration = Declaration(at=self.clock(), activity=known.name, next_step=next_step.strip())
        self.store.declare(declaration)
        self.declaration = declaration
        self._judge_focus_again()
        if self.state is not TrayState.UNAVAILABLE and not self.paused:
            self.state = self._focus_state or TrayState.IDLE
        self.today().declare(declaration)
        return declaration

    def _judge_focus_again(self) -> None:
        """A new priority: what the tray shows comes from the last window really seen
        on or off a priority, judged against the new one -- never from the declaration
        itself (no green tick right after the welcome with no window in front)."""
        window = self._focus_window
        if window is None or self.priority is None:
            self._focus_state = None
            return
        sample = Sample(at=self.clock(), app=window.app, title=window.title, exe=window.exe, pid=window.pid)
        verdict = self.classifier.classify(sample, self.priority).classification
        self._focus_state = tray_state_for(verdict, TrayState.IDLE)

    @property
    def priority_window(self) -> WindowInfo | None:
        """The window last seen on today's current priority (None: none seen yet), for Back."""
        return None if self.priority is None else self._priority_windows.get(self.priority.casefold())

    def suggested_declaration(self) -> tuple[str, str]:
        """What the morning prompt is pre-filled with: yesterday's "tomorrow's priority"."""
        today = self.local_date(self.clock())
        journal = self.store.journal(today - timedelta(days=1))
        if journal and journal.tomorrow_activity:
            return journal.tomorrow_activity, journal.tomorrow_next_step
        last = self.store.declarations(end=self.clock())
        if last:
            return last[-1].activity, ""
        return "", ""

    # --- pausing ----------------------------------------------------------------------

    def pause(self, minutes: float | None) -> float:
        """Pauses for `minutes`, or until the next local midnight when None."""
        at = self.clock()
        until = next_local_midnight(at, self.tz) if minutes is None else at + minutes * 60
        self.engine.pause(until)
        return until

    def resume(self) -> None:
        self.engine.resume()

    @property
    def paused(self) -> bool:
        return self.engine.is_paused(self.clock())

    # --- sampling ---------------------------------------------------------------------

    def _held(self, window: WindowInfo | None) -> bool:
        """Full-screen presentations and calls, and the desktop's do-not-disturb, hold nudges."""
        if self.dnd_active:
            return True
        if window is None or not window.fullscreen:
            return False
        name = window.app.lower()
        return any(fnmatch.fnmatchcase(name, glob.lower()) for glob in self.config.nudge.hold_during_apps)

    def _classify(self, window: WindowInfo | None, idle: bool, at: float) -> Classified:
        paused = self.engine.is_paused(at)
        if window is None or window.pid == self.own_pid:
            # No active window (the desktop) or one of FocusGuard's own: never counts against.
            sample = Sample(at=at, app="", title="", idle=idle)
            if paused or idle:
                return self.classifier.classify(sample, self.priority, paused=paused)
            return Classified(sample, None, Classification.NEUTRAL)
        sample = Sample(at=at, app=window.app, title=window.title, exe=window.exe,
                        pid=window.pid, idle=idle)
        return self.classifier.classify(sample, self.priority, paused=paused)

    def shown_without_focus(self) -> None:
        """A window that must leave the focus where it was has just been shown."""
        self._shown_without_focus_at = self.clock()

    def _focus_to_give_back(self, window: WindowInfo | None, at: float) -> WindowInfo | None:
        """The user's window, when one of ours took its focus on being shown."""
        if window is not None and window.pid != self.own_pid:
            self.user_window = window
            return None
        shown, self._shown_without_focus_at = self._shown_without_focus_at, None
        if window is None or shown is None or at - shown > FOCUS_TAKEN_SECONDS:
            return None
        return self.user_window

    def handle_sample(self, window: WindowInfo | None, idle_seconds: float | None) -> Update:
        """One probe reading: classify, feed the engine, store, and say what to show."""
        at = self.clock()
        give_back = self._focus_to_give_back(window, at)
        if self.probe_error is not None:
            log.info("window probe: reading windows again")
            self.probe_error = None
        previous_day = self.day
        self._refresh_day(at)
        if previous_day != self.day:
            self._priority_windows.clear()  # "seen today" starts again
        idle = idle_seconds is not None and idle_seconds >= self.config.sampling.idle_after_minutes * 60
        classified = self._classify(window, idle, at)
        self.store.record(classified)
        self.today().add(classified)
        self.last = classified
        if classified.classification in FOCUS_CLASSES and window is not None:
            self._focus_window = window
        if classified.classification is Classification.PRIORITY and window is not None and self.priority:
            self._priority_windows[self.priority.casefold()] = window

        close = False
        if self.pending is not None:
            if classified.classification is Classification.PRIORITY:
                self._answer(Answer.BACK, at)
                close = True
            elif at - self.pending.at >= IGNORE_AFTER_SECONDS:
                self._answer(Answer.IGNORED, at)
                close = True

        nudge = self.engine.feed(classified, has_priority=self.priority is not None,
                                 hold=self._held(window))
        if nudge is not None:
            nudge = replace(nudge, id=self.store.add_nudge(nudge))
            self.pending = nudge

        prompt = (
            self.declaration is None
            and classified.classification not in (Classification.IDLE, Classification.PAUSED)
            and self.prompted_on != self.day
        )
        if prompt:
            self.prompted_on = self.day

        self.state = self._tray_state(classified)
        return Update(state=self.state, tooltip=self.tooltip(), classified=classified,
                      show_nudge=nudge, close_nudge=close and nudge is None,
                      prompt_declaration=prompt, message="\n".join(self.store.notices()) or None,
                      give_focus_to=give_back)

    def handle_probe_ready(self, name: str, warning: str) -> Update:
        """A window probe is (again) in use: remember which, tell its warning once, and
        log a change (another probe, or one back after an error) once."""
        first = (name, warning) != (self.probe_name, self.probe_warning)
        if first or self.probe_error is not None:
            log.info("window probe: %s%s", name, f" ({warning})" if warning else "")
        self.probe_name, self.probe_warning = name, warning
        self.probe_error = None
        return Update(state=self.state, tooltip=self.tooltip(),
                      message=warning if first and warning else None)

    def handle_probe_error(self, message: str) -> Update:
        """The window probe is down (no X display, no GNOME Shell extension...): say why,
        record nothing. The sampler retries every tick; the log gets each reason once."""
        first = self.probe_error != message
        if first:
            log.warning("%s", message)
        self.probe_error = message
        self.state = TrayState.UNAVAILABLE
        return Update(state=self.state, tooltip=self.tooltip(), message=message if first else None)

    def probe_status(self) -> str:
        """The tray menu's word on reading windows, a headline and a line of detail: why
        it cannot (with the fix the reason carries), or which probe is in use and what it
        misses; "" when all is well."""
        if self.probe_error:
            return f"Can't read windows:\n{self.probe_error.removeprefix(UNAVAILABLE_PREFIX)}"
        if self.probe_warning:
            return f"Reading windows via {self.probe_name}:\n{self.probe_warning}"
        return ""

    def _tray_state(self, classified: Classified) -> TrayState:
        """Neutral and private windows keep the last *focus* state (on or off the
        priority), not whatever the icon showed last: after idle, a probe outage or a
        fresh declaration, a neutral window must not leave the pause, "!" or "1" up.
        The focus state comes from real samples only (see ``_judge_focus_again``)."""
        if classified.classification in (Classification.IDLE, Classification.PAUSED):
            return TrayState.IDLE
        if self.priority is None:
            return TrayState.NO_PRIORITY
        if classified.classification in FOCUS_CLASSES:
            self._focus_state = tray_state_for(classified.classification, TrayState.IDLE)
        # No window seen on or off the priority yet: the grey disc of "nothing tracked".
        return self._focus_state or TrayState.IDLE

    # --- answers to a nudge -----------------------------------------------------------

    def _answer(self, answer: Answer, at: float) -> None:
        nudge, self.pending = self.pending, None
        self.engine.answer(answer, at)
        if nudge is not None and nudge.id is not None:
            self.store.answer_nudge(nudge.id, answer, at)

    def answer_back(self) -> WindowInfo | None:
        """Ends the streak; returns the priority window seen today, for the view to activate."""
        self._answer(Answer.BACK, self.clock())
        return self.priority_window

    def answer_snooze(self) -> None:
        self._answer(Answer.SNOOZE, self.clock())

    @staticmethod
    def rule_for(nudge: Nudge, scope: str) -> Rule:
        """The rule "It's part of <priority>" teaches: this app, or this exact title."""
        return window_rule(nudge.app, nudge.title, scope)

    def answer_part_of_priority(self, scope: str) -> Rule:
        """Teaches a rule for the nudged window to the priority activity and ends the streak."""
        nudge = self.pending
        if nudge is None or self.priority is None:
            raise ValueError("no nudge to answer")
        rule = self.rule_for(nudge, scope)
        self.apply_config(add_rule(self.config_file, self.priority, rule))
        self._answer(Answer.PART_OF_PRIORITY, self.clock())
        return rule

    def teach_choices(self, kind: Kind) -> tuple[str, ...]:
        """The activities "What is this?" offers for a kind: the user's own of that kind
        (not the priority: "Part of <priority>" is its own answer)."""
        return tuple(a.name for a in self.config.activities if a.kind is kind and a.name != self.priority)

    def teach(self, kind: Kind, activity: str) -> str:
        """Answers "What is this?": files the nudged app under ``activity`` (one of the
        user's, or a new one of ``kind``), and ends the streak, so that window is nudged
        again only after a whole threshold from now. Returns the card's acknowledgement."""
        nudge = self.pending
        if nudge is None:
            raise ValueError("no nudge to answer")
        name = " ".join(activity.split())
        if not name:
            raise ValueError("name the activity first")
        self.apply_config(add_rule(self.config_file, name, self.rule_for(nudge, "app"), create=kind))
        self._answer(Answer.CLASSIFIED, self.clock())
        known = self.config.activity(name)
        return acknowledgement(nudge.app or nudge.title, known.name if known else name)

    # --- what the tray says -----------------------------------------------------------

    def _load_figures(self, day: date) -> LiveDayFigures:
        """Reads ``day``'s stored events once (at start and at each new local day); the
        figures are then advanced with every sample. An event still open at midnight
        goes on counting, for the new day, from there."""
        start, end = day_bounds(day, self.tz)
        carry = self.figures.open if self.figures is not None else None
        self.figures = LiveDayFigures.load(day, self.store.events(start, end), tz=self.tz,
                                       max_gap=self.store.max_gap,
                                       declarations=self.store.declarations(start, end), carry=carry)
        return self.figures

    def today(self) -> LiveDayFigures:
        """Today's figures, kept up to date by each sample: never re-read per tooltip."""
        day = self.local_date(self.clock())
        if self.figures is None or self.figures.date != day:
            return self._load_figures(day)
        return self.figures

    def tooltip(self) -> str:
        if self.probe_error:
            return f"FocusGuard: {self.probe_error}"
        if self.declaration is None:
            return "FocusGuard: no priority declared today.\nDeclare one to start guarding it."
        summary = self.today()
        lines = [f"FocusGuard · Priority: {self.declaration.activity}"]
        if self.declaration.next_step:
            lines.append(f"Next step: {self.declaration.next_step}")
        ratio = "—" if summary.focus_ratio is None else f"{summary.focus_ratio:.0%}"
        current = self.declaration.activity
        lines.append(f"{duration_text(summary.priority_seconds(current))} on it today · focus {ratio}")
        earlier = [f"{duration_text(seconds)} on {name}" for name, seconds in summary.by_priority.items()
                   if seconds > 0 and not same_activity(name, current)]
        if earlier:  # time on another priority before a change stays that priority's
            lines.append("Earlier today: " + ", ".join(earlier))
        if self.engine.is_paused(self.clock()):
            until = datetime.fromtimestamp(self.engine.paused_until, self.tz)
            lines.append(f"Paused until {until:%H:%M}")
        else:
            streak = self.engine.streak
            if streak.off_seconds > 0:
                lines.append(f"Off-priority streak: {duration_text(streak.off_seconds)}")
        return "\n".join(lines)

    def off_priority_seconds_today(self) -> float:
        """Today's time that went elsewhere: the level-3 nudge says it."""
        return self.today().off_priority_seconds

    def close(self) -> None:
        self.store.close()
