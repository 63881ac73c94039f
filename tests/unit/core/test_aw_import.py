"""ActivityWatch history import: the file shapes, the span arithmetic, the conversion,
the store's dedupe, and `focusguard import activitywatch` end to end."""

from __future__ import annotations

import itertools
import json
import math
import sqlite3
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from focusguard.cli import main
from focusguard.core.aw_import import (
    AwImportError,
    Span,
    merge,
    parse_export,
    partition,
    plan_import,
    priority_lookup,
    read_export,
    subtract,
)
from focusguard.core.config import load_config
from focusguard.core.model import Activity, Classification, Classified, Declaration, Kind, Rule, Sample
from focusguard.core.rules import Classifier
from focusguard.store import Store

HOST = "laptop"
DAY = datetime(2026, 3, 2, tzinfo=UTC)  # a Monday; the export says UTC as AW does
ACTIVITIES = (
    Activity("Sales", Kind.PRODUCTIVE, (Rule(title="HubSpot"),)),
    Activity("Code", Kind.PRODUCTIVE, (Rule(app="code"),)),
    Activity("Video", Kind.DISTRACTION, (Rule(title="YouTube"),)),
)
CONFIG = """\
[[activity]]
name = "Sales"
kind = "productive"
rules = [ { title = "HubSpot" } ]

[[activity]]
name = "Code"
kind = "productive"
rules = [ { app = "code" } ]

[[activity]]
name = "Video"
kind = "distraction"
rules = [ { title = "YouTube" } ]
"""

# (minutes after 09:00, duration in seconds, app, title): a morning as aw-watcher-window
# records it, including a lunch break during which the window stayed on YouTube.
MORNING = [
    (0, 1199.5, "Firefox", "Deals – HubSpot — Mozilla Firefox"),
    (20, 899.75, "code", "aw_import.py - focusguard - Visual Studio Code"),
    (35, 420.0, "Firefox", "Lo-fi beats - YouTube — Mozilla Firefox"),  # overlaps the next by 2 min
    (40, 0.0, "Firefox", "Lo-fi beats - YouTube — Mozilla Firefox"),  # a single heartbeat
    (40, 3600.0, "Firefox", "Lo-fi beats - YouTube — Mozilla Firefox"),
    (100, 600.0, "keepassxc", "Passwords.kdbx - KeePassXC"),
    (110, 1800.0, "Slack", "general | Acme - Slack"),
]
AFK = [  # (minutes after 09:00, duration in seconds, status)
    (0, 2700.0, "not-afk"),
    (45, 1800.0, "afk"),  # lunch: 09:45-10:15 inside the YouTube hour
    (75, 4500.0, "not-afk"),
]


def iso(minutes: float) -> str:
    """A timestamp the way aw-server writes it: UTC with microseconds and an offset."""
    return (DAY + timedelta(hours=9, minutes=minutes)).isoformat(timespec="microseconds")


def at(minutes: float) -> float:
    return (DAY + timedelta(hours=9, minutes=minutes)).timestamp()


def export_all(window=MORNING, afk=AFK, *, with_ids: bool = False) -> dict:
    """The web UI's "Export all buckets": newest event first, event ids scrubbed,
    plus a browser-extension bucket FocusGuard does not use."""

    def events(rows, data):
        out = [{"timestamp": iso(m), "duration": d, "data": data(*rest)} for m, d, *rest in rows]
        if with_ids:
            for i, event in enumerate(out, 1):
                event["id"] = i
        return sorted(out, key=lambda e: e["timestamp"], reverse=True)

    def bucket(kind: str, client: str, evts: list) -> dict:
        return {"id": f"{client}_{HOST}", "created": iso(-600), "name": None, "type": kind,
                "client": client, "hostname": HOST, "data": {}, "events": evts}

    return {"buckets": {
        f"aw-watcher-window_{HOST}": bucket("currentwindow", "aw-watcher-window",
                                           events(window, lambda app, title: {"app": app, "title": title})),
        f"aw-watcher-afk_{HOST}": bucket("afkstatus", "aw-watcher-afk", events(afk, lambda s: {"status": s})),
        f"aw-watcher-web-firefox_{HOST}": bucket("web.tab.current", "aw-client-web", events(
            [(0, 60.0, "https://app.hubspot.com", "HubSpot")],
            lambda url, title: {"url": url, "title": title, "audible": False, "incognito": False})),
    }}


def write(path: Path, data: object) -> Path:
    path.write_text(json.dumps(data, indent=1), encoding="utf-8")
    return path


CLASSIFIER = Classifier(ACTIVITIES)


def seconds_by_class(plan) -> dict[str, float]:
    out: dict[str, float] = {}
    for e in plan.events:
        key = e.classified.classification.value
        out[key] = out.get(key, 0.0) + (e.end - e.start)
    return out


# --- parsing ----------------------------------------------------------------------


def test_export_all_gives_the_window_bucket_and_merged_afk_spans() -> None:
    export = parse_export(export_all())
    [bucket] = export.windows
    assert (bucket.id, bucket.hostname, export.ignored) == (
        f"aw-watcher-window_{HOST}", HOST, (f"aw-watcher-web-firefox_{HOST}",))
    assert export.event_count == 6  # the zero-length heartbeat carries no time
    assert [(e.start, e.end) for e in sorted(bucket.events, key=lambda e: e.start)][:2] == [
        (at(0), at(0) + 1199.5), (at(20), at(20) + 899.75)]
    assert export.afk == {HOST: (Span(at(45), at(75)),)}


def test_single_bucket_export_and_rest_event_list_are_accepted() -> None:
    full = export_all(with_ids=True)
    window = full["buckets"][f"aw-watcher-window_{HOST}"]
    single = parse_export({"buckets": {window["id"]: window}})
    rest = parse_export(window["events"])
    assert single.event_count == rest.event_count == 6
    assert single.afk == rest.afk == {}
    assert {(e.start, e.app) for e in rest.windows[0].events} == {(e.start, e.app) for e in single.windows[0].events}


def test_timestamps_with_z_and_nanoseconds_or_no_zone_are_utc() -> None:
    events = [{"timestamp": "2026-03-02T09:00:00.123456789Z", "duration": 1, "data": {"app": "a", "title": "t"}},
              {"timestamp": "2026-03-02T10:00:00", "duration": 2, "data": {"app": "a", "title": "t"}}]
    starts = [e.start for e in parse_export(events).windows[0].events]
    assert starts == [at(0) + 0.123456, at(60)]


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"version": 1}, 'expected {"buckets"'),
        ("buckets", "not an ActivityWatch export"),
        ({"buckets": {"aw-watcher-afk_x": {"type": "afkstatus", "events": []}}}, "no window bucket"),
        ({"buckets": {"w": {"type": "currentwindow"}}}, "buckets.w.events: missing"),
        ([{"timestamp": "2026-03-02T09:00:00Z", "duration": 5, "data": {"status": "afk"}}], "AFK events only"),
        ([], "the list of events is empty"),
    ],
)
def test_malformed_exports_name_the_place(data: object, message: str) -> None:
    with pytest.raises(AwImportError) as caught:
        parse_export(data, source="aw.json")
    assert message in str(caught.value)
    assert str(caught.value).startswith("aw.json")


NOW = DAY.timestamp() + 12 * 3600


def event(timestamp: object = "2026-03-02T09:00:00Z", duration: object = 5, **data: object) -> dict:
    return {"timestamp": timestamp, "duration": duration, "data": data or {"app": "a", "title": "t"}}


@pytest.mark.parametrize(
    ("bad", "reason"),
    [
        ("not an event", "that are not JSON objects"),
        (event(timestamp=None), "without an ISO 8601 timestamp"),
        (event(timestamp="yesterday"), "without an ISO 8601 timestamp"),
        (event(timestamp="1969-12-31T23:59:59Z"), "dated before 1990"),
        (event(timestamp="3000-01-01T00:00:00Z"), "dated in the future"),
        (event(timestamp="2026-03-03T11:00:00Z", duration=86_400), "dated in the future"),
        (event(duration="5"), "whose duration is not a number"),
        (event(duration=True), "whose duration is not a number"),
        (event(duration=math.nan), "whose duration is not a number"),
        (event(duration=-math.inf), "whose duration is not a number"),
        (event(duration=None), "whose duration is not a number"),
        (event(duration=-5), "with a negative duration"),
        (event(duration=1e15), "with a duration over a day"),
        (event(duration=10**400), "with a duration over a day"),
        (event(duration=86_400.001), "with a duration over a day"),
        (event(app="a"), "without app and title strings"),
        ({"timestamp": "2026-03-02T09:00:00Z", "duration": 5, "data": "x"}, "without app and title strings"),
    ],
)
def test_bad_events_are_skipped_and_counted_and_the_rest_is_kept(bad: object, reason: str) -> None:
    good = event(timestamp="2026-03-02T08:00:00Z", duration=86_400)  # a whole day is the most
    for data in ([good, bad], {"buckets": {"w": {"type": "currentwindow", "events": [bad, good]}}}):
        export = parse_export(data, now=NOW)
        assert [(e.start, e.end) for e in export.windows[0].events] == [(at(-60), at(-60) + 86_400)]
        assert export.skipped == ((reason, 1),)
        assert export.skipped_text() == f"skipped 1 event: 1 {reason}"


def test_the_skipped_text_counts_each_reason_in_a_fixed_order() -> None:
    data = [event(duration=1e15), event(timestamp="3000-01-01T00:00:00Z"), event(timestamp="2999-01-01T00:00:00Z")]
    assert parse_export(data, now=NOW).skipped_text() == (
        "skipped 3 events: 2 dated in the future, 1 with a duration over a day")


def test_bad_afk_events_are_skipped_too() -> None:
    data = export_all()
    afk_events = data["buckets"][f"aw-watcher-afk_{HOST}"]["events"]
    afk_events[0]["data"]["status"] = "away"
    afk_events.append(event(duration=1e15, status="afk"))
    export = parse_export(data, now=NOW)
    assert export.skipped == (("with a duration over a day", 1), ('without an "afk" or "not-afk" status', 1))
    assert all(s.seconds <= 86_400 for spans in export.afk.values() for s in spans)


def test_overlapping_events_within_one_bucket_count_once() -> None:
    data = [event("2026-03-02T09:00:00Z", 600, app="a", title="first"),
            event("2026-03-02T09:05:00Z", 600, app="b", title="second"),  # starts inside the first
            event("2026-03-02T09:06:00Z", 60, app="c", title="inside")]  # wholly inside the second
    plan = plan_import(parse_export(data, now=NOW), CLASSIFIER)
    spans = sorted((e.start, e.end, e.classified.sample.title) for e in plan.events)
    assert spans == [(at(0), at(10), "first"), (at(10), at(15), "second")]
    assert sum(end - start for start, end, _ in spans) == 900


def test_a_file_that_is_not_json_gives_its_line_and_column(tmp_path: Path) -> None:
    path = tmp_path / "aw.json"
    path.write_text('{"buckets": {\n  "x": [1, 2,,]}}', encoding="utf-8")
    with pytest.raises(AwImportError, match=r"aw.json:2:14: not valid JSON"):
        read_export(path)
    with pytest.raises(AwImportError, match="cannot read"):
        read_export(tmp_path / "missing.json")


# --- spans ------------------------------------------------------------------------

spans_strategy = st.lists(
    st.tuples(st.integers(0, 100), st.integers(1, 30)).map(lambda p: Span(p[0], p[0] + p[1])), max_size=8)


@given(st.integers(0, 100), st.integers(1, 60), spans_strategy)
def test_partition_covers_the_span_and_marks_exactly_the_holes(start: int, length: int, holes: list[Span]) -> None:
    span = Span(start, start + length)
    merged = merge(holes)
    pieces = partition(span, merged)
    assert pieces[0][0].start == span.start and pieces[-1][0].end == span.end
    assert all(a.end == b.start for (a, _), (b, _) in itertools.pairwise(pieces))
    for piece, inside in pieces:
        midpoint = (piece.start + piece.end) / 2
        assert inside == any(h.start <= midpoint < h.end for h in merged)
    assert sum(p.seconds for p in subtract(span, merged)) == sum(p.seconds for p, inside in pieces if not inside)


@given(spans_strategy)
def test_merge_joins_overlaps_and_keeps_the_covered_time(holes: list[Span]) -> None:
    merged = merge(holes)
    assert all(a.end < b.start for a, b in itertools.pairwise(merged))
    covered = {t for h in holes for t in range(int(h.start), int(h.end))}
    assert covered == {t for h in merged for t in range(int(h.start), int(h.end))}


# --- conversion -------------------------------------------------------------------


def test_plan_classifies_with_the_rules_and_turns_afk_time_idle() -> None:
    plan = plan_import(parse_export(export_all()), CLASSIFIER)
    got = seconds_by_class(plan)
    assert got == {
        "productive_distraction": 1199.5 + 899.75,
        # YouTube 09:35-10:40 less lunch (09:45-10:15); 09:40-09:42, in two events, counts once.
        "distraction": (45 - 35) * 60 + (100 - 75) * 60,
        "idle": 1800.0,
        "private": 600.0,  # the password manager, blanked by the default privacy settings
        "unclassified": 1800.0,
    }
    private = [e for e in plan.events if e.classified.classification is Classification.PRIVATE]
    assert [(e.classified.sample.app, e.classified.sample.title) for e in private] == [("", "")]
    assert plan.idle_seconds == 1800.0 and plan.too_old == 0


def test_priority_in_effect_that_day_makes_priority_time() -> None:
    declared = [Declaration(at(-60), "Sales"), Declaration(at(-24 * 60), "Video")]
    lookup = priority_lookup(declared, UTC)
    assert (lookup(at(0)), lookup(at(-120)), lookup(at(-24 * 60 + 1))) == ("Sales", None, "Video")
    plan = plan_import(parse_export(export_all()), CLASSIFIER, priority_at=lookup)
    assert seconds_by_class(plan)["priority"] == 1199.5


def test_time_recorded_by_focusguard_wins_and_old_events_are_left_out() -> None:
    recorded = [Span(at(25), at(30))]
    plan = plan_import(parse_export(export_all()), CLASSIFIER, recorded=recorded, since=at(10))
    assert plan.too_old == 0  # the 09:00 event straddles the cut-off: its tail is kept
    assert min(e.start for e in plan.events) == at(10)
    assert plan.already_recorded_seconds == 300.0
    assert not any(e.start < at(30) and e.end > at(25) for e in plan.events)
    later = plan_import(parse_export(export_all()), CLASSIFIER, since=at(35))
    assert later.too_old == 2


# --- the store ----------------------------------------------------------------------


@pytest.fixture
def store(tmp_path: Path):
    with Store(tmp_path / "fg.db", max_gap=4.0, flush_every=0) as s:
        yield s


def history(store: Store) -> list[tuple]:
    return [(e.start, e.end, e.app, e.title, e.activity, e.classification) for e in store.events(0, 2e10)]


def test_importing_twice_adds_nothing_the_second_time(store: Store) -> None:
    plan = plan_import(parse_export(export_all()), CLASSIFIER)
    assert store.import_events(plan.events) == (len(plan.events), 0)
    first = history(store)
    assert store.import_events(plan.events) == (0, 0)
    assert history(store) == first
    assert sum(e[1] - e[0] for e in first) == sum(e.end - e.start for e in plan.events)


def test_a_newer_export_extends_a_grown_event_and_adds_the_new_ones(store: Store) -> None:
    store.import_events(plan_import(parse_export(export_all()), CLASSIFIER).events)
    grown = [row if row[3] != "general | Acme - Slack" else (row[0], 2400.0, *row[2:]) for row in MORNING]
    grown.append((150, 60.0, "code", "later.py - Visual Studio Code"))
    added, extended = store.import_events(plan_import(parse_export(export_all(grown)), CLASSIFIER).events)
    assert (added, extended) == (1, 1)
    slack = [e for e in store.events(0, 2e10) if e.app == "Slack"]
    assert [(e.start, e.end) for e in slack] == [(at(110), at(110) + 2400.0)]


def test_recording_resumes_its_own_events_never_an_imported_one(store: Store) -> None:
    store.record(Classified(Sample(at(-100), "code", "a.py"), "Code", Classification.PRODUCTIVE_DISTRACTION))
    store.record(Classified(Sample(at(-100) + 2, "code", "a.py"), "Code", Classification.PRODUCTIVE_DISTRACTION))
    store.flush()
    store.import_events(plan_import(parse_export(export_all()), CLASSIFIER).events)
    assert store.recorded_spans(0, 2e10) == [Span(at(-100), at(-100) + 2)]
    with Store(store.path, max_gap=4.0, flush_every=0) as again:
        last_import_end = max(e.end for e in again.events(0, 2e10))
        sample = Sample(last_import_end + 1, "Slack", "general | Acme - Slack")
        again.record(Classified(sample, None, Classification.UNCLASSIFIED))
        again.flush()
        slack = [(e.start, e.end) for e in again.events(0, 2e10) if e.app == "Slack"]
    assert slack == [(at(110), at(140)), (last_import_end + 1, last_import_end + 1)]


def test_an_import_that_fails_half_way_stores_nothing(store: Store) -> None:
    events = list(plan_import(parse_export(export_all()), CLASSIFIER).events)
    events.append(None)  # type: ignore[arg-type]  # blows up inside the transaction
    with pytest.raises(AttributeError):
        store.import_events(events)
    assert history(store) == []


# --- the command ----------------------------------------------------------------------


@pytest.fixture
def home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    for name in ("XDG_CONFIG_HOME", "XDG_DATA_HOME", "XDG_STATE_HOME"):
        monkeypatch.setenv(name, str(tmp_path / name.lower()))
    config = tmp_path / "xdg_config_home" / "focusguard" / "config.toml"
    config.parent.mkdir(parents=True)
    config.write_text(CONFIG, encoding="utf-8")
    return tmp_path


def db_rows(home: Path) -> list[tuple]:
    path = home / "xdg_data_home" / "focusguard" / "focusguard.db"
    if not path.exists():
        return []
    with sqlite3.connect(path) as conn:
        return conn.execute('SELECT start, "end", app, title, activity, classification, import_key '
                            "FROM events ORDER BY start, id").fetchall()


def test_command_imports_an_export_twice_with_the_same_history(home: Path, capsys) -> None:
    path = write(home / "aw-buckets-export.json", export_all())
    assert main(["import", "activitywatch", str(path)]) == 0
    first_out = capsys.readouterr().out
    first = db_rows(home)
    assert main(["import", "activitywatch", str(path)]) == 0
    second_out = capsys.readouterr().out
    assert db_rows(home) == first
    assert len(first) == len({row[-1] for row in first}) > 5
    assert f"Read 6 window events from aw-watcher-window_{HOST} (other buckets ignored: " in first_out
    assert f"Imported {len(first)} new events." in first_out
    assert f"Imported 0 new events, {len(first)} already imported." in second_out
    assert "Distraction" in first_out and "35 min" in first_out  # 10 + 25 minutes of YouTube


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("{not json", "aw.json:1:2: not valid JSON"),
        (json.dumps({"buckets": {"w": {"type": "afkstatus", "events": []}}}), "no window bucket"),
    ],
)
def test_command_refuses_a_malformed_file_and_imports_nothing(home: Path, capsys, text: str, message: str) -> None:
    path = home / "aw.json"
    path.write_text(text, encoding="utf-8")
    assert main(["import", "activitywatch", str(path)]) == 1
    err = capsys.readouterr().err
    assert message in err and "Nothing was imported." in err
    assert db_rows(home) == []


def test_command_refuses_to_classify_with_a_broken_config(home: Path, capsys) -> None:
    (home / "xdg_config_home" / "focusguard" / "config.toml").write_text("[[activity]]\nname = \n")
    path = write(home / "aw.json", export_all())
    assert main(["import", "activitywatch", str(path)]) == 1
    assert "fix the config first" in capsys.readouterr().err
    assert db_rows(home) == []


CATEGORIES = {"id": "default", "categories": [
    {"id": 1, "name": ["Work"], "rule": {"type": "regex", "regex": "hubspot", "ignore_case": True},
     "data": {"color": "#0F0", "score": 5}},
    {"id": 2, "name": ["Media", "Video"], "rule": {"type": "regex", "regex": "YouTube"}, "data": {"score": -5}},
    {"id": 3, "name": ["Uncategorized"], "rule": {"type": None}, "data": {"color": "#ccc"}},
]}


def test_command_turns_a_categories_export_into_activities(home: Path, capsys) -> None:
    path = write(home / "aw-category-export.json", CATEGORIES)
    assert main(["import", "activitywatch", str(path)]) == 0
    out, err = capsys.readouterr()
    config = load_config(home / "xdg_config_home" / "focusguard" / "config.toml", create=False)
    assert config.ok and config.config.activity_names == ["Sales", "Code", "Video", "Media > Video", "Work"]
    assert "added 2 activities (Media > Video, Work)" in out
    assert "'Uncategorized': has no rule" in err
    assert db_rows(home) == []  # a categories file holds no history


def test_categories_option_classifies_the_history_with_them(home: Path, capsys) -> None:
    (home / "xdg_config_home" / "focusguard" / "config.toml").write_text(
        '[[activity]]\nname = "Code"\nkind = "productive"\nrules = [ { app = "code" } ]\n', encoding="utf-8")
    history_file = write(home / "aw.json", export_all())
    categories = write(home / "categories.json", CATEGORIES)
    assert main(["import", "activitywatch", str(history_file), "--categories", str(categories)]) == 0
    hubspot = {row[4] for row in db_rows(home) if "HubSpot" in row[3]}
    assert hubspot == {"Work"}


def test_store_knows_whether_it_holds_any_history(store: Store) -> None:
    assert not store.has_history()
    store.declare(Declaration(at(0), "Sales"))
    assert store.has_history()


# --- hostile files (issue 11) ---------------------------------------------------------

ISSUE_CASE = [  # the issue's two events: a duration of 1e15 seconds, and the year 3000
    {"timestamp": "2026-03-02T09:00:00Z", "duration": 1e15, "data": {"app": "x", "title": "forever"}},
    {"timestamp": "3000-01-01T00:00:00Z", "duration": 60, "data": {"app": "x", "title": "future"}},
]


def reports_still_work(capsys) -> None:
    assert main(["report", "--date", "2026-03-02", "--json"]) == 0
    day = json.loads(capsys.readouterr().out)
    assert sum(day["seconds"].values()) <= 86_400
    assert main(["export", "--from", "2026-03-01", "--to", "2026-03-03"]) == 0
    assert main(["export", "--what", "days", "--from", "2026-03-01", "--to", "2026-03-03"]) == 0
    capsys.readouterr()


def test_the_issues_file_imports_nothing_and_every_report_still_works(home: Path, capsys) -> None:
    assert main(["import", "activitywatch", str(write(home / "good.json", export_all()))]) == 0
    before = db_rows(home)
    capsys.readouterr()
    assert main(["import", "activitywatch", str(write(home / "bad.json", ISSUE_CASE))]) == 1
    err = capsys.readouterr().err
    assert "skipped 2 events: 1 dated in the future, 1 with a duration over a day; no valid event remains" in err
    assert "Nothing was imported." in err
    assert db_rows(home) == before
    reports_still_work(capsys)


def test_good_events_beside_bad_ones_are_imported_and_the_skips_reported(home: Path, capsys) -> None:
    data = export_all()
    data["buckets"][f"aw-watcher-window_{HOST}"]["events"] += ISSUE_CASE
    assert main(["import", "activitywatch", str(write(home / "mixed.json", data))]) == 0
    out = capsys.readouterr().out
    assert "Skipped 2 events: 1 dated in the future, 1 with a duration over a day." in out
    rows = db_rows(home)
    assert rows and all(0 <= end - start <= 86_400 for start, end, *_ in rows)
    assert not any(title in ("forever", "future") for *_, title, _, _, _ in rows)
    reports_still_work(capsys)


FUZZ_NOW = DAY.timestamp() + 12 * 3600
timestamps = st.one_of(
    st.datetimes(min_value=datetime(1, 1, 2), max_value=datetime(9999, 12, 30)).map(lambda d: d.isoformat() + "Z"),
    st.datetimes(min_value=datetime(2026, 3, 1), max_value=datetime(2026, 3, 4)).map(datetime.isoformat),
    st.text(max_size=12), st.none(), st.integers(), st.floats(),
)
durations = st.one_of(
    st.floats(allow_nan=True, allow_infinity=True), st.integers(min_value=-(10**30), max_value=10**30),
    st.floats(min_value=0, max_value=3600), st.text(max_size=4), st.none(), st.booleans(),
)
datas = st.one_of(
    st.fixed_dictionaries({"app": st.text(max_size=6), "title": st.sampled_from(["HubSpot", "YouTube", "x", ""])}),
    st.fixed_dictionaries({"status": st.sampled_from(["afk", "not-afk", "away"])}),
    st.dictionaries(st.sampled_from(["app", "title", "status"]), st.none() | st.integers() | st.text(max_size=3)),
    st.none(), st.integers(), st.text(max_size=3),
)
events = st.one_of(
    st.fixed_dictionaries({"timestamp": timestamps, "duration": durations, "data": datas}),
    st.dictionaries(st.sampled_from(["timestamp", "duration", "data", "id"]), st.none() | st.integers()),
    st.none(), st.integers(), st.text(max_size=3), st.lists(st.integers(), max_size=2),
)
buckets = st.fixed_dictionaries({
    "type": st.sampled_from(["currentwindow", "afkstatus", "web.tab.current", 3]),
    "hostname": st.sampled_from(["laptop", "desk", None, 7]),
    "events": st.lists(events, max_size=6) | st.none() | st.integers(),
})
files = st.one_of(
    st.lists(events, max_size=8),
    st.fixed_dictionaries({"buckets": st.dictionaries(st.text(max_size=4), buckets | st.integers(), max_size=3)}),
    st.none(), st.integers(), st.text(max_size=5), st.dictionaries(st.text(max_size=3), st.integers(), max_size=2),
)


@settings(max_examples=300, deadline=None)
@given(files)
def test_fuzzed_files_give_a_clean_error_or_rows_every_report_can_hold(data: object) -> None:
    try:
        export = parse_export(data, source="fuzz.json", now=FUZZ_NOW)
    except AwImportError as exc:
        assert str(exc).startswith("fuzz.json")
        return
    plan = plan_import(export, CLASSIFIER)
    for e in plan.events:
        assert datetime(1990, 1, 1, tzinfo=UTC).timestamp() <= e.start < e.end <= FUZZ_NOW + 86_400
        assert e.end - e.start <= 86_400
    starts = sorted((e.start, e.end) for e in plan.events)
    assert all(a_end <= b_start for (_, a_end), (b_start, _) in itertools.pairwise(starts))  # no overlaps
    assert export.skipped_text() == "" or export.skipped_text().startswith("skipped ")


@settings(max_examples=60, deadline=None)
@given(st.lists(events, min_size=1, max_size=8))
def test_fuzzed_imports_through_the_command_never_show_a_traceback(tmp_path_factory, data: list) -> None:
    home = tmp_path_factory.mktemp("home")
    config = home / "config.toml"
    config.write_text(CONFIG, encoding="utf-8")
    path = write(home / "aw.json", data)
    db = home / "fg.db"
    args = ["--config", str(config), "--db", str(db)]
    assert main([*args, "import", "activitywatch", str(path)]) in (0, 1)
    if db.exists():
        assert main([*args, "report", "--date", "2026-03-02", "--json"]) == 0
        assert main([*args, "export", "--from", "2026-03-01", "--to", "2026-03-03"]) == 0
