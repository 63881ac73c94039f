"""`focusguard goal ...`, `focusguard step done` and the plan in reports and exports,
through the real command on real files (temp XDG dirs)."""

from __future__ import annotations

import csv
import io
import json
from datetime import date

import pytest
from test_cli import home  # noqa: F401 - the fixture: a config with Sales and Video in temp XDG dirs

from focusguard.cli import main


def run(capsys, *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    captured = capsys.readouterr()
    return code, captured.out, captured.err


@pytest.mark.usefixtures("home")
def test_a_plan_is_built_reordered_and_listed(capsys) -> None:
    assert run(capsys, "goal", "add", "Five new clients by March", "--activity", "sales")[0] == 0
    assert run(capsys, "goal", "step", "add", "1", "Call Acme about the Q2 proposal")[0] == 0
    assert run(capsys, "goal", "step", "add", "five new clients by march", "Email Bob")[0] == 0
    assert run(capsys, "goal", "step", "add", "#1", "Draft the offer", "--at", "1")[0] == 0
    assert run(capsys, "goal", "step", "move", "1", "1", "3")[0] == 0
    assert run(capsys, "goal", "step", "edit", "1", "2", "Email Bob Smith")[0] == 0
    code, out, _ = run(capsys, "goal", "list")
    assert code == 0
    assert out.splitlines() == [
        "#1 Five new clients by March (Sales) · 0 of 3 done",
        "   1. [ ] Call Acme about the Q2 proposal  <- next",
        "   2. [ ] Email Bob Smith",
        "   3. [ ] Draft the offer",
    ]
    assert run(capsys, "goal", "step", "remove", "1", "3")[2] == ""
    assert run(capsys, "goal", "rename", "1", "Six clients")[1] == "Goal #1 is now Six clients.\n"
    listed = json.loads(run(capsys, "goal", "list", "--json")[1])
    assert listed == [{"id": 1, "name": "Six clients", "activity": "Sales",
                       "next_step": "Call Acme about the Q2 proposal",
                       "steps": [{"number": 1, "text": "Call Acme about the Q2 proposal", "done": False},
                                 {"number": 2, "text": "Email Bob Smith", "done": False}]}]
    assert "Removed goal #1 Six clients and its 2 steps" in run(capsys, "goal", "remove", "six clients")[1]
    assert "No goals yet" in run(capsys, "goal", "list")[1]


@pytest.mark.usefixtures("home")
def test_declaring_takes_the_next_step_and_step_done_advances_the_plan(capsys) -> None:
    run(capsys, "goal", "add", "Clients", "--activity", "Sales")
    run(capsys, "goal", "step", "add", "Clients", "Call Acme")
    run(capsys, "goal", "step", "add", "Clients", "Email Bob")
    assert run(capsys, "priority", "set", "Sales")[1] == "Today's priority: Sales (next: Call Acme)\n"
    report = json.loads(run(capsys, "report", "--json")[1])
    assert report["plan"] == {"goal": "Clients", "step": "Call Acme", "step_done": False}
    assert report["delegated"] == []
    code, out, _ = run(capsys, "step", "done")
    assert (code, out) == (0, "Done: Call Acme (Clients). Next: Email Bob\n")
    assert json.loads(run(capsys, "report", "--json")[1])["plan"]["step_done"] is True
    assert "- [x] Call Acme (goal: Clients)" in run(capsys, "report", "--format", "md")[1]
    assert "Plan: [x] Call Acme (goal: Clients)" in run(capsys, "report")[1]
    assert run(capsys, "step", "done")[1] == "Done: Email Bob (Clients). Every step of Clients is done.\n"
    assert run(capsys, "step", "undo", "Clients", "2")[1] == "Not done any more: Email Bob\n"
    assert run(capsys, "priority", "set", "Sales", "--next", "my own step")[1].endswith("(next: my own step)\n")


@pytest.mark.usefixtures("home")
def test_bad_input_is_said_in_a_sentence_with_exit_1(capsys) -> None:
    code, out, err = run(capsys, "goal", "add", "x", "--activity", "Gardening")
    assert (code, out) == (1, "") and "unknown activity 'Gardening'. Known activities: Sales, Video" in err
    assert run(capsys, "goal", "step", "add", "nope", "x")[2] == \
        "focusguard: no goal 'nope'. Goals: none yet: add one with `focusguard goal add`\n"
    run(capsys, "goal", "add", "Clients", "--activity", "Sales")
    assert "has no steps yet" in run(capsys, "goal", "step", "move", "1", "1", "2")[2]
    run(capsys, "goal", "step", "add", "1", "a")
    assert "steps 1 to 1; there is no step 4" in run(capsys, "goal", "step", "edit", "1", "4", "x")[2]
    assert "a step can move to 1 to 1, not 2" in run(capsys, "goal", "step", "move", "1", "1", "2")[2]
    assert "the step is empty" in run(capsys, "goal", "step", "add", "1", "  ")[2]
    assert "no priority declared today" in run(capsys, "step", "done")[2]
    assert "name both the goal and the step's number" in run(capsys, "step", "done", "1")[2]
    with pytest.raises(SystemExit) as exit_:
        main(["goal", "step", "remove", "1", "zero"])
    assert exit_.value.code == 2 and "not a step number: 'zero'" in capsys.readouterr().err


@pytest.mark.usefixtures("home")
def test_export_days_carries_the_plan(capsys) -> None:
    run(capsys, "goal", "add", "Clients", "--activity", "Sales")
    run(capsys, "goal", "step", "add", "Clients", "=Call Acme")
    run(capsys, "priority", "set", "Sales")
    today = date.today().isoformat()
    rows = json.loads(run(capsys, "export", "--what", "days", "--format", "json", "--from", today)[1])
    plan = (rows[-1]["plan_goal"], rows[-1]["plan_step"], rows[-1]["plan_step_done"])
    assert plan == ("Clients", "=Call Acme", False)
    assert rows[-1]["delegated"] == []
    table = list(csv.DictReader(io.StringIO(run(capsys, "export", "--what", "days", "--from", today)[1])))
    assert table[-1]["plan_step"] == "'=Call Acme"  # never a formula in a spreadsheet
