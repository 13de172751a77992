"""The command line: exit codes, messages without tracebacks, explain, steps and check."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from policyproof.cli import build_parser, main
from policyproof.cli.check import pytest_options
from policyproof.guarantees import catalogue, plugin

DATA = Path(__file__).parent / "data"
ROOT = Path(__file__).parent.parent
# The question the explain tests ask, before the choices each adds.
EXPLAIN = (
    "explain",
    "--snapshot",
    "linkedin@2025-11-03",
    "--place",
    "Norway",
    "--data",
    "public posts",
    "--purpose",
    "generative AI training",
    "--on",
    "2025-12-01",
)


def run(*args: str, cwd: Path = ROOT) -> subprocess.CompletedProcess[str]:
    """Run ``python -m policyproof`` as a user would."""
    return subprocess.run(  # noqa: S603 (our own command)
        [sys.executable, "-m", "policyproof", *args], cwd=cwd, capture_output=True, text=True, check=False
    )


def test_validate_exits_0_for_the_shipped_snapshots(capsys: pytest.CaptureFixture[str]) -> None:
    """Validating the shipped snapshots prints each as ok and exits 0."""
    assert main(["validate", str(ROOT / "policy_snapshots")]) == 0
    out = capsys.readouterr().out
    assert "ok: linkedin@2025-11-03 (" in out
    assert "ok: anthropic@2025-10-08 (" in out
    assert out.endswith("8 snapshot file(s) valid\n")


def test_validate_exits_1_and_prints_every_problem(capsys: pytest.CaptureFixture[str]) -> None:
    """An invalid snapshot gives exit code 1, its problems on stdout and a count on stderr."""
    case = DATA / "invalid" / "several_problems_at_once"
    assert main(["validate", str(case)]) == 1
    captured = capsys.readouterr()
    assert len(captured.out.splitlines()) == 3
    assert captured.err == "1 of 1 snapshot file(s) invalid, 3 problem(s)\n"


def test_validate_a_missing_file_is_a_usage_error() -> None:
    """A path that does not exist exits 2 with one line and no traceback."""
    result = run("validate", "no/such/file.yaml")
    assert result.returncode == 2
    assert result.stderr == "policyproof: error: no such file or folder: no/such/file.yaml\n"


def test_an_unknown_command_is_a_usage_error() -> None:
    """An unknown sub-command is refused with exit code 2."""
    result = run("frobnicate")
    assert result.returncode == 2
    assert "invalid choice: 'frobnicate'" in result.stderr


def test_explain_prints_the_decision_the_rule_and_its_sources() -> None:
    """Explain answers one question, says why, and quotes the sources of the deciding rule."""
    result = run(*EXPLAIN, "--turned-off", "Data for Generative AI Improvement@2025-10-01")
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[1] == "Member:    in Norway, region group European Economic Area (EEA)"
    assert lines[3] == "Decision:  NOT USED (opted-out)"
    assert (
        lines[4] == "Why:       the member turned off 'Data for Generative AI Improvement' on 2025-10-01, by 2025-12-01"
    )
    assert lines[5].startswith("Rule:      policy_snapshots/linkedin@2025-11-03.yaml:")
    assert "  [iamexpat-2025-09-26] IamExpat, 2025-09-26: " in result.stdout


@pytest.mark.parametrize(
    ("control", "decision"),
    [("AI objection form", "NOT USED (no-consent)"), ("Use my data for AI", "USED (used)")],
)
def test_explain_reads_a_form_withdrawn_as_no_consent_under_a_purpose_off_by_default(
    control: str, decision: str
) -> None:
    """Turning on an objection form only lifts an objection; a setting turned on is the consent the purpose needs."""
    args = ["--snapshots", str(DATA / "audit" / "policy_snapshots"), "--snapshot", "acme@2025-01-01", "--place", "DE"]
    question = ["--data", "public posts", "--purpose", "AI training", "--on", "2025-03-01", "--age", "30"]
    result = run("explain", *args, *question, "--turned-on", f"{control}@2025-02-01")
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines()[3] == f"Decision:  {decision}"


def test_explain_holds_a_privacy_signal_still_sent_over_a_setting_turned_on_after_it() -> None:
    """Global Privacy Control stands until it is stopped: turning the sharing setting on later does not lift it."""
    question = ["--place", "United States", "--data", "ad engagement", "--purpose", "ad sharing with Microsoft"]
    args = ["explain", "--snapshot", "linkedin@2025-11-03", *question, "--on", "2025-12-03"]
    result = run(
        *args, "--turned-off", "GPC@2025-11-10", "--turned-on", "Share data with affiliates and partners@2025-11-20"
    )
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[3] == "Decision:  NOT USED (opted-out)"
    assert lines[4] == "Why:       the member objected by 'Global Privacy Control' on 2025-11-10, by 2025-12-03"
    lifted = run(*args, "--turned-off", "GPC@2025-11-10", "--turned-on", "GPC@2025-11-20").stdout.splitlines()
    assert lifted[3] == "Decision:  USED (used)"
    assert lifted[4].startswith(
        "Why:       the member lifted their objection by 'Global Privacy Control' on 2025-11-20"
    )


@pytest.mark.parametrize(
    ("place", "purpose", "changes", "why"),
    [
        (
            "DE",
            "AI training",
            ["--turned-off", "AI objection form@2025-02-01", "--turned-on", "AI objection form@2025-02-10"],
            "the member objected by 'AI objection form' on 2025-02-01, by 2025-03-01, and lifting that objection "
            "since gave no consent back",
        ),
        (
            "DE",
            "AI training",
            ["--turned-on", "AI consent prompt@2025-02-01", "--turned-off", "AI objection form@2025-02-05"],
            "the member objected by 'AI objection form' on 2025-02-05, which withdrew the consent they had given, "
            "by 2025-03-01",
        ),
        (
            "US",
            "personalised ads",
            ["--turned-on", "Global Privacy Control@2025-02-10"],
            "personalised ads is on by default and the member has not turned off 'Personalised ads' or "
            "'Global Privacy Control'",
        ),
        (
            "US",
            "personalised ads",
            ["--turned-on", "Personalised ads@2025-02-01", "--turned-on", "Global Privacy Control@2025-02-10"],
            "the member turned on 'Personalised ads' on 2025-02-01",
        ),
    ],
    ids=["objection lifted", "consent withdrawn by objecting", "signal stopped never sent", "then stopped"],
)
def test_explain_says_of_an_objection_only_what_it_did(place: str, purpose: str, changes: list[str], why: str) -> None:
    """The explanation names the objection that withdrew consent, an objection lifted since, and no lift where none stood."""
    args = ["--snapshots", str(DATA / "audit" / "policy_snapshots"), "--snapshot", "acme@2025-01-01", "--place", place]
    question = ["--data", "public posts", "--purpose", purpose, "--on", "2025-03-01", "--age", "30"]
    result = run("explain", *args, *question, *changes)
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines()[4] == f"Why:       {why}"


def _explain_2024(*extra: str, on: str = "2024-10-01", place: str = "United States") -> list[str]:
    """Explain public posts for generative AI training under the 2024 LinkedIn policy; the output's lines."""
    args = ["--snapshot", "linkedin@2024-09-18", "--place", place, "--data", "public posts"]
    result = run("explain", *args, "--purpose", "generative AI training", "--on", on, *extra)
    assert result.returncode == 0, result.stderr
    return result.stdout.splitlines()


def test_explain_says_when_the_sources_do_not_say() -> None:
    """A gap is said as a gap, never as a use or as silence: the 2024 sources state no exclusion of minors."""
    lines = _explain_2024("--believed-under-18")
    assert lines[3] == "Decision:  NOT COVERED BY THE SNAPSHOT (not-stated)"
    assert lines[4] == (
        "Why:       the sources cited do not say whether members under 18 are excluded from generative AI training "
        "in United States (US); this snapshot names no document read in full, so whether the policy says is not "
        "recorded"
    )
    assert "opting out: prospective" in lines[5]


def test_explain_cites_the_statement_that_a_purpose_does_not_apply() -> None:
    """A region the sources state is out of scope is not used, citing the not_active_in entry and its sources."""
    lines = _explain_2024(place="Germany")
    assert lines[3] == "Decision:  NOT USED (not-active)"
    assert lines[5].startswith("Statement: policy_snapshots/linkedin@2024-09-18.yaml:")
    assert lines[5].endswith("(the purpose does not apply in this region)")
    assert lines[6] == "Sources:"


def test_explain_does_not_judge_a_superseded_version() -> None:
    """A date after the next version took effect is not judged against the older one."""
    lines = _explain_2024(on="2025-12-01")
    assert lines[3:] == [
        "Decision:  NOT IN FORCE (not-in-force)",
        "Why:       linkedin@2024-09-18 is not in force on 2025-12-01: superseded by linkedin@2025-11-03 on 2025-11-03",
    ]


def test_explain_an_unknown_label_suggests_the_closest() -> None:
    """A misspelt category is an input error with did-you-mean, exit 2, no traceback."""
    result = run(
        "explain",
        "--snapshot",
        "linkedin@2025-11-03",
        "--place",
        "US",
        "--data",
        "privat messages",
        "--purpose",
        "generative AI training",
        "--on",
        "2025-12-01",
    )
    assert result.returncode == 2
    assert result.stderr.startswith(
        "policyproof: error: unknown category 'privat messages' in linkedin@2025-11-03; did you mean 'private messages'"
    )
    assert "Traceback" not in result.stderr


def test_steps_prints_every_phrasing_with_its_example(capsys: pytest.CaptureFixture[str]) -> None:
    """The catalogue lists every step once, with its docstring and an example that the step matches."""
    assert main(["steps"]) == 0
    out = capsys.readouterr().out
    docs = catalogue.load()
    assert len(docs) >= 20
    for doc in docs:
        assert f"### `{doc.line}`" in out
        assert f"{doc.keyword} {doc.example}" in out
        assert doc.doc, doc.line
        assert doc.pattern.fullmatch(doc.example)


@pytest.fixture
def suite(tmp_path: Path) -> Path:
    """A copy of the fixture suite with known outcomes."""
    shutil.copytree(DATA / "suite", tmp_path, dirs_exist_ok=True)
    (tmp_path / "features" / "test_guarantees.py").write_text('from pytest_bdd import scenarios\n\nscenarios(".")\n')
    return tmp_path


def test_check_exits_1_when_a_blocking_guarantee_fails(suite: Path) -> None:
    """The suite has one failing blocking guarantee, so check exits 1."""
    result = run("check", "--as-of", "2025-06-01", cwd=suite)
    assert result.returncode == 1
    assert "8 scenario x region cells: 4 pass, 3 fail (1 blocking, 2 advisory), 1 not-applicable" in result.stdout


def test_check_exits_0_when_only_advisory_guarantees_fail(suite: Path) -> None:
    """Without the failing blocking guarantee, advisory failures leave the exit code 0."""
    result = run("check", "--as-of", "2025-06-01", "--", "-m", "not G-BASIS", cwd=suite)
    assert result.returncode == 0, result.stdout
    assert "6 scenario x region cells: 3 pass, 2 fail (2 advisory), 1 not-applicable" in result.stdout


def test_check_exits_2_for_an_unknown_region(suite: Path) -> None:
    """A region no snapshot defines is a usage error: exit 2, one line."""
    result = run("check", "--region", "EEA", cwd=suite)
    assert result.returncode == 2
    assert (
        "ERROR: policyproof: unknown region group 'EEA' in the snapshots in scope; known: 'EU', 'ROW'" in result.stderr
    )


def test_check_exits_2_when_no_guarantee_is_in_scope(suite: Path) -> None:
    """A date before every snapshot leaves nothing to check: a usage error, never pytest's 'no tests' code."""
    result = run("check", "--as-of", "2020-01-01", cwd=suite)
    assert result.returncode == 2
    assert "no snapshot is in force on 2020-01-01; name one with --snapshot" in result.stderr


def test_check_keeps_the_project_as_pytests_root_when_files_are_named_elsewhere(
    suite: Path, tmp_path_factory: pytest.TempPathFactory
) -> None:
    """A report folder outside the project does not move pytest's root folder away from the project's settings."""
    elsewhere = tmp_path_factory.mktemp("elsewhere")
    result = run("check", "--as-of", "2025-06-01", "--report", str(elsewhere), cwd=suite)
    assert f"rootdir: {suite}" in result.stdout
    assert result.returncode == 1
    assert (elsewhere / "compliance-report.md").exists()


def test_check_collects_the_guarantees_of_the_folder_it_is_given(suite: Path) -> None:
    """--features DIR runs DIR's guarantees, whatever folder the project's settings name for feature files."""
    (suite / "pyproject.toml").write_text('[tool.pytest.ini_options]\nbdd_features_base_dir = "features"\n')
    other = suite / "other"
    other.mkdir()
    first, *_ = sorted((suite / "features").glob("*.feature"))
    shutil.copy(first, other / first.name)
    shutil.copy(suite / "features" / "test_guarantees.py", other / "test_guarantees.py")

    def collected(*features: str) -> list[str]:
        listing = run("check", "--as-of", "2025-06-01", *features, "--no-report", "--", "--co", "-q", cwd=suite)
        return [line.split("::")[1] for line in listing.stdout.splitlines() if "::" in line]

    in_other, in_all = collected("--features", "other"), collected()
    assert in_other
    assert len(in_other) < len(in_all)
    assert set(in_other) < set(in_all)


def test_check_says_how_to_collect_a_folder_of_feature_files_alone(suite: Path) -> None:
    """Feature files with no test module to collect them: exit 2 and the two lines that module needs."""
    (suite / "features" / "test_guarantees.py").unlink()
    result = run("check", "--as-of", "2025-06-01", cwd=suite)
    assert result.returncode == 2
    assert result.stderr.splitlines()[-1] == (
        "policyproof: error: features has no test module to collect its guarantees: add "
        "features/test_guarantees.py with 'from pytest_bdd import scenarios' and 'scenarios(\".\")'"
    )


def _fixtures(result: subprocess.CompletedProcess[str]) -> set[str]:
    """The fixture names pytest's --fixtures listed."""
    return {line.split()[0] for line in result.stdout.splitlines() if " -- " in line and not line[0].isspace()}


def test_check_leaves_out_the_plugins_that_bring_only_fixtures_no_step_asks_for(suite: Path) -> None:
    """A check runs without doctest, monkeypatch, recwarn, subtests and tmpdir, and its suite passes as before."""
    listed = run("check", "--as-of", "2025-06-01", "--no-report", "--", "--fixtures", cwd=suite)
    assert listed.returncode == 0, listed.stderr
    fixtures = _fixtures(listed)
    left_out = {"doctest_namespace", "monkeypatch", "recwarn", "subtests", "tmp_path", "tmp_path_factory", "tmpdir"}
    assert not left_out & fixtures
    assert {"capsys", "caplog", "record_property", "cases", "policy_cells"} <= fixtures
    result = run("check", "--as-of", "2025-06-01", "--no-report", cwd=suite)
    assert "8 scenario x region cells: 4 pass, 3 fail (1 blocking, 2 advisory), 1 not-applicable" in result.stdout


def test_check_takes_a_left_out_plugin_back_after_the_double_dash(suite: Path) -> None:
    """A project whose own steps need tmp_path or monkeypatch names the plugin after --, as pytest's -p."""
    listed = run(
        "check",
        "--as-of",
        "2025-06-01",
        "--no-report",
        "--",
        "-p",
        "tmpdir",
        "-p",
        "monkeypatch",
        "--fixtures",
        cwd=suite,
    )
    assert listed.returncode == 0, listed.stderr
    assert {"tmp_path", "tmpdir", "monkeypatch"} <= _fixtures(listed)


@pytest.mark.parametrize("case", ["a file", "a folder in the way of a report file", "under a file"])
def test_check_refuses_an_unusable_report_folder_before_the_suite_runs(suite: Path, case: str) -> None:
    """An unusable --report is refused before the suite runs: exit 2, one line naming it, nothing written.

    A file, a folder holding a folder where a report file goes, and a path under a file are each refused.
    """
    (suite / "afile").write_text("kept\n")
    (suite / "taken" / "compliance-report.json").mkdir(parents=True)
    report, message = {
        "a file": ("afile", "afile: not a folder; give a folder to write into"),
        "a folder in the way of a report file": (
            "taken",
            "taken/compliance-report.json: a folder is where this file is to be written",
        ),
        "under a file": ("afile/out", "afile/out: cannot create the folder: afile is not a folder"),
    }[case]
    result = run("check", "--as-of", "2025-06-01", "--report", report, cwd=suite)
    assert result.returncode == 2
    assert result.stderr.strip().splitlines() == [f"ERROR: policyproof: {message}"]
    assert "passed" not in result.stdout
    assert (suite / "afile").read_text() == "kept\n"
    assert [path.name for path in (suite / "taken").iterdir()] == ["compliance-report.json"]


def test_check_refuses_a_missing_waivers_file(suite: Path) -> None:
    """--waivers naming a file that does not exist is an error (exit 2, one line); no waivers.yaml is no waiver."""
    result = run("check", "--as-of", "2025-06-01", "--waivers", "waivers-2025.yaml", cwd=suite)
    assert result.returncode == 2
    assert result.stderr == "policyproof: error: no such file or folder: waivers-2025.yaml\n"
    assert not (suite / "waivers.yaml").exists()
    assert run("check", "--as-of", "2025-06-01", "--no-report", cwd=suite).returncode == 1


def test_pytest_refuses_a_missing_waivers_file(suite: Path) -> None:
    """Under plain pytest too, a --waivers file that does not exist is a usage error naming it."""
    result = subprocess.run(
        [sys.executable, "-m", "pytest", "-p", "no:cacheprovider", "--as-of", "2025-06-01", "--waivers", "none.yaml"],
        cwd=suite,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 4
    assert result.stderr.strip().splitlines() == ["ERROR: policyproof: no waivers file none.yaml"]


def test_an_unexpected_error_exits_3_with_its_traceback(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """A bug is not an outcome: its traceback and exit 3, never 1 (a failing check, a breach) nor 2."""

    def broken(_: object) -> int:
        raise ZeroDivisionError

    monkeypatch.setattr("policyproof.cli.validate.run", broken)
    assert main(["validate"]) == 3
    err = capsys.readouterr().err
    assert "ZeroDivisionError" in err
    assert err.endswith("policyproof: internal error (a bug in policyproof; the traceback is above)\n")


def test_check_against_a_baseline_reports_to_build_and_leaves_the_committed_report(suite: Path) -> None:
    """A full run with --baseline, as the README shows it, writes build/policy-report/ and leaves reports/ as it was."""
    assert run("check", "--snapshot", "all", "--as-of", "2025-06-01", cwd=suite).returncode == 1
    committed = suite / "reports"
    before = {path.name: (path.stat().st_ino, path.read_bytes()) for path in committed.iterdir()}
    result = run("check", "--snapshot", "all", "--baseline", "reports/compliance-report.json", cwd=suite)
    assert result.returncode == 0, result.stderr
    assert {path.name: (path.stat().st_ino, path.read_bytes()) for path in committed.iterdir()} == before
    written = suite / "build" / "policy-report" / "compliance-report.json"
    assert "report written: build/policy-report/compliance-report.json" in result.stdout
    assert json.loads(written.read_text())["baseline"]["file"] == "reports/compliance-report.json"


def test_check_refuses_to_overwrite_its_own_baseline(suite: Path) -> None:
    """A --report folder that holds the run's baseline is refused before the suite runs: exit 2, one line."""
    assert run("check", "--snapshot", "all", "--as-of", "2025-06-01", cwd=suite).returncode == 1
    before = (suite / "reports" / "compliance-report.json").read_bytes()
    result = run(
        "check", "--snapshot", "all", "--baseline", "reports/compliance-report.json", "--report", "reports", cwd=suite
    )
    assert result.returncode == 2
    assert result.stderr.strip().splitlines() == [
        "ERROR: policyproof: reports/compliance-report.json: this run's baseline would be overwritten by its "
        "report in reports/; give the report another folder with --report DIR"
    ]
    assert (suite / "reports" / "compliance-report.json").read_bytes() == before


def test_explain_piped_into_head_ends_quietly() -> None:
    """``explain ... | head -1`` prints the first line and ends with 0 or SIGPIPE's 141, nothing on stderr."""
    command = [sys.executable, "-m", "policyproof", *EXPLAIN]
    with subprocess.Popen(command, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True) as piped:  # noqa: S603 (our own command)
        assert piped.stdout is not None
        assert piped.stderr is not None
        first = piped.stdout.readline()
        piped.stdout.close()
        code = piped.wait()
        error = piped.stderr.read()
    assert first.startswith("Snapshot:  linkedin@2025-11-03 ")
    assert (code, error) in {(0, ""), (141, "")}


def test_a_command_whose_reader_is_gone_exits_141_with_nothing_on_stderr() -> None:
    """A reader that closed the pipe before anything was written ends the command with 141 and no traceback."""
    command = [sys.executable, "-m", "policyproof", *EXPLAIN]
    with subprocess.Popen(command, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True) as piped:  # noqa: S603 (our own command)
        assert piped.stdout is not None
        assert piped.stderr is not None
        piped.stdout.close()
        code = piped.wait()
        error = piped.stderr.read()
    assert (code, error) == (141, "")


def test_explain_warns_of_a_control_that_does_not_govern_the_purpose_asked_about() -> None:
    """A control the deciding rule does not name is warned of, with the rule and the controls it does name."""
    result = run(*EXPLAIN, "--turned-off", "Ads off LinkedIn@2025-10-01")
    assert result.returncode == 0
    assert "Decision:  USED (used)" in result.stdout
    assert re.fullmatch(
        r"warning: 'Ads off LinkedIn' does not govern generative AI training in EEA: the rule "
        r"\(policy_snapshots/linkedin@2025-11-03\.yaml:\d+\) names 'Data for Generative AI Improvement', so changing "
        r"it changes nothing here\n",
        result.stderr,
    )
    governing = run(*EXPLAIN, "--turned-off", "Data for Generative AI Improvement@2025-10-01")
    assert "Decision:  NOT USED" in governing.stdout
    assert governing.stderr == ""


def test_check_and_the_pytest_plugin_take_one_table_of_options_with_the_same_help(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """Every option of the plugin is one of ``check``'s, with the same help, and ``check`` hands each to pytest."""
    added: dict[str, dict[str, object]] = {}

    class Group:
        def addoption(self, *names: str, **kwargs: object) -> None:
            added[names[0]] = kwargs

    class Parser:
        def getgroup(self, *_: str) -> Group:
            return Group()

        def addini(self, *_: object, **__: object) -> None:
            pass

    plugin.pytest_addoption(Parser())  # type: ignore[arg-type]
    assert set(added) == {
        "--snapshot",
        "--region",
        "--as-of",
        "--policy-snapshots",
        "--waivers",
        "--baseline",
        "--policy-report",
        "--no-policy-report",
        "--fail-on",
        "--evidence-audit",
    }
    monkeypatch.setenv("COLUMNS", "1000")  # one line an option: no help text is broken at a hyphen
    with pytest.raises(SystemExit):
        main(["check", "--help"])
    shown = " ".join(capsys.readouterr().out.split())
    for kwargs in added.values():
        assert " ".join(str(kwargs["help"]).split()) in shown
    args = build_parser().parse_args(
        ["check", "--snapshot", "a@2025-01-01", "--region", "EEA", "--report", "out", "--fail-on", "unknown"]
    )
    options = pytest_options(args)
    assert "--snapshot=a@2025-01-01" in options
    assert "--region=EEA" in options
    assert "--policy-report=out" in options
    assert "--fail-on=unknown" in options
    assert "--policy-snapshots=policy_snapshots" in options
    assert not [o for o in options if o.startswith(("--baseline", "--waivers", "--as-of", "--no-policy-report"))]


def test_check_with_no_report_hands_pytest_no_report_folder() -> None:
    """``check --no-report --report DIR`` writes no report: pytest is given --no-policy-report and not the folder."""
    options = pytest_options(build_parser().parse_args(["check", "--no-report", "--report", "reports"]))
    assert "--no-policy-report" in options
    assert not [option for option in options if option.startswith("--policy-report")]
