"""What the desktop app decides, without Qt (Picard/Mu style: a controller drives views).

The Qt layer reads the probes off the GUI thread, hands each reading to
`Controller.handle_sample`, and renders the `Update` it gets back: everything the
views show, ready (`focusguard.viewmodels`). Every intent of the user's (an answer
to the nudge, a declaration, a pause, the welcome's choices) comes back through an
``on_*`` method here, which returns the next `Update`; every write goes through here
or the services it owns (`offers`, `first_run`, `records`). So the whole behaviour
of the app is tested with fake probes and an injected clock, without a widget.
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

from focusguard.block_watch import BlockCardView, BlockWatch
from focusguard.callwatch import CallWatch
from focusguard.core.blocks import Ident
from focusguard.core.calls import Call, CallKind
from focusguard.core.config import Config, ConfigError, LoadResult, Problem, load_config
from focusguard.core.dayfigures import LiveDayFigures
from focusguard.core.engine import NudgeEngine, Schedule
from focusguard.core.figures import ACTIVE, tracked_seconds
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
from focusguard.core.nudge_words import acknowledgement
from focusguard.core.palette import TrayState, tray_state_for
from focusguard.core.rules import Classifier, window_rule
from focusguard.core.starters import WelcomeChoice, apply_starter, starter_named
from focusguard.core.summary import same_activity
from focusguard.core.timefmt import LocalDays, clock, day_bounds, local_date
from focusguard.core.timefmt import duration as duration_text
from focusguard.firstrun import FirstRun, WelcomeOffer
from focusguard.offers import Offers
from focusguard.platform.window import UNAVAILABLE_PREFIX, WindowInfo
from focusguard.records import Records
from focusguard.store import Store, StoreError
from focusguard.viewmodels import DeclarePrompt, Notice, NudgeView, ReviewRequest, SummaryRequest, TrayView

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
    """What the views show after one sample or one intent of the user's, ready to
    render: a view never reads the controller, its config or its engine back."""

    tray: TrayView
    classified: Classified | None = None
    show_nudge: Nudge | None = None  # the engine's decision (stored; its card is ``nudge``)
    nudge: NudgeView | None = None  # the card to show: a new nudge, or one brought back
    close_nudge: bool = False
    acknowledge: str | None = None  # the card says what it learnt ("Got it: ..."), then goes
    declare: DeclarePrompt | None = None  # open the declare dialog
    close_declare: bool = False  # the morning question was answered elsewhere
    open_summary: SummaryRequest | None = None
    open_review: ReviewRequest | None = None
    activate: bool = False  # those windows take the focus (asked for) or leave it (offered)
    welcome: WelcomeOffer | None = None  # open the first run's welcome
    notices: tuple[Notice, ...] = ()  # problems worth telling once (config error, probe down)
    give_focus_to: WindowInfo | None = None  # raise this window (Back, or focus one of ours took)
    sample_every: float | None = None  # the sampler's interval, after a config change
    ask_call: Call | None = None  # a call ended (or one waiting was picked): "value call or chill call?"
    block_card: BlockCardView | None = None  # a focus block started elsewhere, or ended not kept
    close_block_card: bool = False  # its card went stale (the user went to the block, it ended)

    @property
    def state(self) -> TrayState:
        return self.tray.state

    @property
    def tooltip(self) -> str:
        return self.tray.tooltip

    @property
    def message(self) -> str | None:
        return "\n".join(notice.text for notice in self.notices) or None

    @property
    def prompt_declaration(self) -> bool:
        """The declare dialog opens as the morning's question (without the focus)."""
        return self.declare is not None and not self.declare.steal_focus


def next_local_midnight(at: float, tz: tzinfo | None = None) -> float:
    """When "until tomorrow" ends: the start of the next local day (DST-safe)."""
    return day_bounds(local_date(at, tz) + timedelta(days=1), tz)[0]


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
        self._days = LocalDays(tz)
        self.own_pid = os.getpid() if own_pid is None else own_pid
        result = load_config(config_file)
        self.config: Config = result.config
        self.config_problem: str | None = None if result.ok else self._problem_text(result.problems)
        self._config_mtime = self._mtime()
        self.classifier = Classifier(self.config.activities, self.config.privacy)
        self._last_verdict: tuple[object, Classified] | None = None  # _classify's, for the same window again
        self.engine = NudgeEngine(self.config.nudge, max_gap=self.config.max_gap,
                                  schedule=self._schedule(), tz=tz)
        self.store.set_max_gap(self.config.max_gap)
        self.declaration: Declaration | None = None
        self.day: date | None = None
        self.state = TrayState.NO_PRIORITY
        self._focus_state: TrayState | None = None  # what a neutral window shows: see _tray_state
        self._focus_window: WindowInfo | None = None  # the last window seen on or off the priority
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
        self.offers = Offers(store, clock=clock, tz=tz)
        self.first_run = FirstRun(store)
        self.records = Records(store, config=lambda: self.config, clock=clock, tz=tz, config_file=config_file)
        self.calls = CallWatch(store, config=lambda: self.config, clock=clock, tz=tz)
        self.blocks = BlockWatch(store, config=lambda: self.config, clock=clock, tz=tz)
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
        self.calls.reconfigure()
        self.store.set_max_gap(config.max_gap)
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
        return self._days.date_of(at)

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
        """Declares today's priority (the one way, shared with the CLI: `records.declare`).
        Raises UnknownActivity."""
        declaration = self.records.declare(activity, next_step)
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
        """What the morning prompt is pre-filled with: yesterday's "tomorrow's priority",
        with the plan's next unticked step when no step was written (issue 14)."""
        return self.records.plan.proposal(*self._remembered_declaration())

    def _remembered_declaration(self) -> tuple[str, str]:
        """Yesterday's "tomorrow's priority", else the last priority declared."""
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
        """Full-screen presentations and calls, a call on (issue 15: the microphone or a
        call window) and the desktop's do-not-disturb hold nudges."""
        if self.dnd_active or self.calls.holds:
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
        key = (window, idle, paused, self.priority, self.classifier)
        if self._last_verdict is not None and self._last_verdict[0] == key:  # the same window as a second ago
            return self._last_verdict[1].at(at)
        sample = Sample(at=at, app=window.app, title=window.title, exe=window.exe,
                        pid=window.pid, idle=idle)
        verdict = self.classifier.classify(sample, self.priority, paused=paused)
        self._last_verdict = key, verdict
        return verdict

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

    def handle_sample(self, window: WindowInfo | None, idle_seconds: float | None, *, ago: float = 0.0) -> Update:
        """One probe reading, read ``ago`` seconds before now (the sampler catches up a
        quiet while's intervals at once): classify, feed the engine, store, and say what
        to show."""
        at = self.clock() - ago
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
        ended_call = self.calls.feed(at, None if window is None or window.pid == self.own_pid else window,
                                     classified)
        self.store.record(classified, ago=ago)
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

        nudge = self.engine.feed(self.calls.for_streak(classified), has_priority=self.priority is not None,
                                 hold=self._held(window))
        if nudge is not None:
            nudge = self.engine.identify(self.store.add_nudge(nudge))
            assert nudge is not None  # feed() just made it the pending one
            log.info("nudge: level %d, %s, %s", nudge.level, nudge.classification, nudge.activity)

        prompt = (
            self.declaration is None
            and classified.classification not in (Classification.IDLE, Classification.PAUSED)
            and self.prompted_on != self.day
        )
        if prompt:
            self.prompted_on = self.day

        self.state = self._tray_state(classified)
        return self.update(classified=classified, show_nudge=nudge,
                           nudge=None if nudge is None else self.nudge_view(nudge),
                           close_nudge=close and nudge is None, **self._questions(prompt),
                           **self._offers(classified), ask_call=ended_call,
                           notices=tuple(Notice("FocusGuard", text) for text in self.store.notices()),
                           give_focus_to=give_back,
                           close_block_card=self.blocks.stale(classified),
                           block_card=self.blocks.on_sample(classified, held=self._held(window)))

    @property
    def nothing_due_before_a_change(self) -> bool:
        """No nudge can fall due before the window changes, and a change is sampled the
        moment it happens: the last sample was not off the priority, no nudge waits for
        its answer, the windows can be read. The sampler then wakes only every few
        seconds (issue 10); what else falls due meanwhile (a block's start, the day's
        end, a priority declared in a terminal) shows at most that much later."""
        last = self.last
        return (last is not None and not last.classification.off_priority and self.pending is None
                and self.probe_error is None)

    def handle_probe_ready(self, name: str, warning: str) -> Update:
        """A window probe is (again) in use: remember which, tell its warning once, and
        log a change (another probe, or one back after an error) once."""
        first = (name, warning) != (self.probe_name, self.probe_warning)
        if first or self.probe_error is not None:
            log.info("window probe: %s%s", name, f" ({warning})" if warning else "")
        self.probe_name, self.probe_warning = name, warning
        self.probe_error = None
        return self.update(notices=(Notice("FocusGuard", warning),) if first and warning else ())

    def handle_probe_error(self, message: str) -> Update:
        """The window probe is down (no X display, no GNOME Shell extension...): say why,
        record nothing. The sampler retries every tick; the log gets each reason once."""
        first = self.probe_error != message
        if first:
            log.warning("%s", message)
        self.probe_error = message
        self.state = TrayState.UNAVAILABLE
        return self.update(notices=(Notice("FocusGuard", message),) if first else ())

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

    @property
    def pending(self) -> Nudge | None:
        """The nudge shown and not answered yet, with its stored id (the engine holds it)."""
        return self.engine.pending

    def _answer(self, answer: Answer, at: float) -> None:
        nudge = self.pending
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

    def _add_rule(self, activity: str, rule: Rule, *, create: Kind | None = None) -> None:
        """Writes ``rule`` into the config file and switches to the result. The editor
        (tomlkit) loads here, when the file is written: never on the app's start path."""
        from focusguard.core.config.edit import add_rule

        self.apply_config(add_rule(self.config_file, activity, rule, create=create))

    def answer_part_of_priority(self, scope: str) -> Rule:
        """Teaches a rule for the nudged window to the priority activity and ends the streak."""
        nudge = self.pending
        if nudge is None or self.priority is None:
            raise ValueError("no nudge to answer")
        rule = self.rule_for(nudge, scope)
        self._add_rule(self.priority, rule)
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
        self._add_rule(name, self.rule_for(nudge, "app"), create=kind)
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
        view = self.records.counted_view  # every device's history (issue 16), calls as answered (issue 15)
        self.figures = LiveDayFigures.load(day, view.events(start, end), tz=self.tz,
                                       max_gap=self.store.max_gap,
                                       declarations=view.declarations(start, end), carry=carry)
        return self.figures

    def on_synced(self) -> Update:
        """The sync folder was merged (issue 16): today's figures are read again with the
        other devices' time, and a priority declared on one of them is picked up."""
        self.figures = None
        self._refresh_day(self.clock())
        self.today()
        return self.update()

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
            goal = self.records.plan.goal_of_step(self.declaration.activity, self.declaration.next_step)
            lines.append(f"Next step: {self.declaration.next_step}" + (f" (goal: {goal.name})" if goal else ""))
        ratio = "—" if summary.focus_ratio is None else f"{summary.focus_ratio:.0%}"
        current = self.declaration.activity
        lines.append(f"{duration_text(summary.priority_seconds(current))} on it today · focus {ratio}")
        earlier = [f"{duration_text(seconds)} on {name}" for name, seconds in summary.by_priority.items()
                   if seconds > 0 and not same_activity(name, current)]
        if earlier:  # time on another priority before a change stays that priority's
            lines.append("Earlier today: " + ", ".join(earlier))
        until = self.engine.paused_until
        if until is not None and self.engine.is_paused(self.clock()):
            lines.append(f"Paused until {clock(until, self.tz)}")
        else:
            streak = self.engine.streak
            if streak.off_seconds > 0:
                lines.append(f"Off-priority streak: {duration_text(streak.off_seconds)}")
        return "\n".join(lines)

    def off_priority_seconds_today(self) -> float:
        """Today's time that went elsewhere: the level-3 nudge says it."""
        return self.today().off_priority_seconds

    def close(self) -> None:
        self.calls.finish()
        self.store.close()

    # --- what the views show ----------------------------------------------------------

    def update(self, **changes: object) -> Update:
        """An `Update` with the tray as it is now, and ``changes``."""
        return Update(tray=self.tray_view(), **changes)  # type: ignore[arg-type]

    def tray_view(self) -> TrayView:
        declaration = self.declaration
        paused_until = self.engine.paused_until if self.paused else None
        return TrayView(
            state=self.state, tooltip=self.calls.with_status(self.tooltip()), calls_waiting=self.calls.waiting(),
            priority=declaration.activity if declaration else None,
            next_step=declaration.next_step if declaration else "",
            paused_until=None if paused_until is None
            else clock(paused_until, self.tz),
            probe_info=self.probe_status())

    def nudge_view(self, nudge: Nudge) -> NudgeView:
        """The card for ``nudge``: the engine's numbers in the user's words."""
        declaration = self.declaration
        return NudgeView.from_nudge(
            nudge,
            priority=declaration.activity if declaration else "",
            next_step=declaration.next_step if declaration else "",
            snooze_minutes=self.config.nudge.snooze_minutes,
            off_priority_seconds_today=self.off_priority_seconds_today(),
            productive_choices=self.teach_choices(Kind.PRODUCTIVE),
            distraction_choices=self.teach_choices(Kind.DISTRACTION),
            priority_window_seen=self.priority_window is not None,
        )

    def declare_prompt(self, *, steal_focus: bool) -> DeclarePrompt:
        """The declare dialog: today's priority when there is one, else the suggestion."""
        if self.declaration is not None:
            activity, next_step = self.declaration.activity, self.declaration.next_step
        else:
            activity, next_step = self.suggested_declaration()
        return DeclarePrompt(tuple(self.config.activity_names), activity, next_step, steal_focus,
                             steps=tuple(self.records.plan.steps_by_activity().items()))

    def _questions(self, prompt: bool) -> dict[str, object]:
        """The morning question: asked once a day (not while the welcome asks it
        itself), and closed when a priority is declared elsewhere meanwhile."""
        if prompt and not self.first_run.showing:
            self.offers.morning_question_open = True
            return {"declare": self.declare_prompt(steal_focus=False)}
        if self.offers.morning_question_open and self.declaration is not None:
            self.offers.morning_question_open = False
            return {"close_declare": True}
        return {}

    def _offers(self, classified: Classified) -> dict[str, object]:
        """While the user is active (and not in the welcome): the day's summary at
        day.end, and the 30-day review when due, each once."""
        if classified.classification not in ACTIVE or self.first_run.showing:
            return {}
        offers: dict[str, object] = {}
        day = self.offers.day_end(self.config.day.end, tracked=lambda: tracked_seconds(self.today()))
        if day is not None:
            offers["open_summary"] = self.summary_request(day)
        period = self.offers.review()
        if period is not None:
            offers["open_review"] = self.review_request(period)
        return offers

    def summary_request(self, day: date) -> SummaryRequest:
        return SummaryRequest(day, tuple(self.config.activity_names))

    def review_request(self, period: tuple[date, date]) -> ReviewRequest:
        return ReviewRequest(*period, focus_blocks=bool(self.config.focus_blocks))

    # --- the user's intents: each returns what the views show next -------------------

    def on_start(self) -> Update:
        """The app is up: a broken config said, then the welcome on a first run, else
        the summary of a day that ended with the computer off."""
        notices = (Notice("FocusGuard: config has errors", self.config_problem),) if self.config_problem else ()
        if self.first_run.due():
            return self.update(notices=notices, welcome=self.first_run.offer())
        day = self.offers.missed_day()
        return self.update(notices=notices, open_summary=None if day is None else self.summary_request(day))

    def on_declare_requested(self, *, steal_focus: bool = True) -> Update:
        """The user opens the declare dialog (the menu, the nudge's "Change priority"):
        it is no longer the morning's question."""
        self.offers.morning_question_open = False
        return self.update(declare=self.declare_prompt(steal_focus=steal_focus))

    def on_declare(self, activity: str, next_step: str = "") -> Update:
        """Declares today's priority (the dialog, the settings window, the welcome); a
        new priority ends the nudge about the old one."""
        declaration = self.declare(activity, next_step)
        log.info("declared priority %s", declaration.activity)
        ended = self.pending is not None
        if ended:
            self._answer(Answer.BACK, self.clock())
        return self.update(close_nudge=ended)

    def on_back(self) -> Update:
        """"Back to <priority>": the card goes, the priority's window seen today comes up."""
        return self.update(close_nudge=True, give_focus_to=self.answer_back())

    def on_block_go(self, ident: Ident) -> Update:
        """"Go" on a block's card: the card is gone already; a block for today's
        priority brings up the priority's window seen today, as Back does."""
        log.info("block card answered: go (%s)", ident[0])
        self.blocks.answered()
        for_priority = self.priority is not None and self.blocks.is_for_activity(ident, self.priority)
        return self.update(give_focus_to=self.priority_window if for_priority else None)

    def on_block_left(self, ident: Ident) -> Update:
        """"Leave it" on the card of a block that was not kept."""
        log.info("block card answered: leave it (%s)", ident[0])
        self.blocks.answered()
        return self.update()

    def on_block_move(self, ident: Ident, to_start: float) -> Update:
        """"Move to..." on a block's card: stored at once, judged again at its new time."""
        self.blocks.answered()
        try:
            self.blocks.move(ident, to_start)
        except ValueError as exc:
            return self.update(notices=(Notice("FocusGuard: could not move the block", str(exc)),))
        return self.update()

    def on_snooze(self) -> Update:
        self.answer_snooze()
        return self.update(close_nudge=True)

    def on_part_of_priority(self, scope: str) -> Update:
        try:
            rule = self.answer_part_of_priority(scope)
        except Exception as exc:  # noqa: BLE001 - e.g. config unparseable: say so, keep the nudge
            return self._rule_failed(exc)
        log.info("taught rule %s to %s", rule, self.priority)
        return self.update(close_nudge=True)

    def on_teach(self, kind: Kind | str, activity: str) -> Update:
        """"What is this?" answered: the card says what it learnt before it goes."""
        try:
            said = self.teach(Kind(kind), activity)
        except Exception as exc:  # noqa: BLE001 - e.g. config unparseable: say so, keep the nudge
            return self._rule_failed(exc)
        log.info("taught %s as %s", activity, Kind(kind).value)
        return self.update(acknowledge=said)

    def _rule_failed(self, exc: Exception) -> Update:
        """The card hid itself on the click: the still-pending nudge comes back, with why."""
        log.exception("could not add a rule")
        pending = self.pending
        return self.update(notices=(Notice("FocusGuard: could not add the rule", str(exc)),),
                           nudge=None if pending is None else self.nudge_view(pending))

    def on_delegate(self, note: str = "") -> Update:
        """"Delegate this" (issue 14): ends the streak like Back and records what was
        being done, the streak's time so far and the optional line; the card says so."""
        nudge = self.pending
        if nudge is None:
            return self.update(close_nudge=True)
        seconds = self.engine.streak.off_seconds
        self._answer(Answer.DELEGATE, self.clock())
        try:
            self.records.plan.delegate(nudge, seconds, note)
        except StoreError as exc:
            return self.update(close_nudge=True, notices=(Notice("FocusGuard: could not save it", str(exc)),))
        what = nudge.app or nudge.activity or "this"
        return self.update(acknowledge=f"Marked to delegate: {what}. It is on today's summary.")

    def on_pause(self, minutes: float | None) -> Update:
        until = self.pause(minutes)
        log.info("paused until %s", datetime.fromtimestamp(until, self.tz))
        return self.update(close_nudge=True)

    def on_resume(self) -> Update:
        self.resume()
        return self.update()

    def on_today_requested(self) -> Update:
        """"Today so far": today's summary, raised."""
        return self.update(open_summary=self.summary_request(self.local_date(self.clock())), activate=True)

    def on_review_requested(self, *, activate: bool = True) -> Update:
        return self.update(open_review=self.review_request(self.offers.review_period()), activate=activate)

    def on_journal_saved(self, *, declare_open: bool) -> Update:
        """A day's journal was saved: a declare dialog still open with nothing declared
        gets the "tomorrow's priority" just written."""
        if self.declaration is None and declare_open:
            return self.on_declare_requested(steal_focus=False)
        return self.update()

    def on_config_saved(self, config: Config) -> Update:
        """The settings window saved: the new config applies at once (no restart)."""
        self.apply_config(config)
        return self.update(sample_every=config.sampling.interval_seconds)

    def on_config_read(self, read: tuple[int | None, LoadResult, Classifier | None] | None) -> Update:
        """What the reload worker read (None: the read itself failed, logged there)."""
        message = self.apply_read(*read) if read is not None else None
        return self.update(notices=(Notice("FocusGuard: config has errors", message),) if message else (),
                           sample_every=self.config.sampling.interval_seconds)

    def on_microphone_changed(self, recording: bool | None) -> None:
        """The sampler's word on the microphone (None: cannot tell), before its next sample."""
        self.calls.microphone = recording

    def on_call_requested(self, call_id: int) -> Update:
        """A waiting call picked in the tray menu or the summary: its question again."""
        waiting = {call.id: call for call in self.calls.waiting()}
        return self.update(ask_call=waiting.get(call_id))

    def on_call_answered(self, call_id: int, kind: CallKind | str, note: str = "") -> Update:
        """"Value call" or "chill call" (with its "who / next step" line)."""
        try:
            call = self.calls.answer(call_id, kind, note)
        except (KeyError, ValueError, StoreError) as exc:
            return self.update(notices=(Notice("FocusGuard: could not save the answer", str(exc)),))
        for classification, seconds in self.calls.streak_credit(call, self.priority).items():
            assert call.end is not None  # only ended calls are stored
            self.engine.credit_away(classification, seconds, call.end)
        if self.figures is not None:
            self._load_figures(self.figures.date)  # the call's time now counts as answered
        return self.update()

    def on_dnd_changed(self, active: bool) -> None:
        log.info("desktop do-not-disturb %s", "on" if active else "off")
        self.dnd_active = active

    def on_welcome_finished(self, choice: WelcomeChoice) -> Update:
        """Writes the starter set, declares the priority, sets start-at-login; the
        welcome never shows again."""
        notices: list[Notice] = []
        update = self.update()
        try:
            config = apply_starter(self.config_file, starter_named(choice.starter), choice.priority)
        except ConfigError as exc:  # the file was broken meanwhile: say so, keep the user's file
            notices.append(Notice("FocusGuard: could not write the starter activities", str(exc)))
        else:
            self.apply_config(config)
            if choice.priority:
                update = self.on_declare(choice.priority, choice.next_step)
        try:
            self.first_run.set_start_at_login(choice.start_at_login)
        except OSError as exc:
            notices.append(Notice("FocusGuard: could not change start at login", str(exc)))
        self.first_run.done()
        log.info("welcome finished: %s, priority %r", choice.starter, choice.priority)
        return replace(update, tray=self.tray_view(), notices=tuple(notices))

    def on_welcome_skipped(self) -> Update:
        self.first_run.done()
        log.info("welcome skipped")
        return self.update()
