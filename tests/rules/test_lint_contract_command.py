"""``manage.py lint_contract``: exit codes, output formats, every shipped example."""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

REPO = Path(__file__).resolve().parents[2]
EXAMPLES = REPO / "docs" / "examples"
ON = "2027-01-01"  # the examples start on this day, so no written-contract deadline has passed

EXPECTED = {
    "valid-fixed-term.json": (0, set()),
    "valid-part-time.json": (0, set()),
    "valid-dispatch.json": (0, set()),
    "invalid-probation.json": (1, {"art19.probation_limit"}),
    "invalid-minimum-wage.json": (1, {"minimum_wage.below_minimum"}),
    "invalid-part-time-hours.json": (1, {"art68.part_time_hours"}),
}


@pytest.fixture(autouse=True)
def minimum_wages(db: None) -> None:
    # Seeded on migrate, but a transactional test elsewhere may have flushed the table;
    # the real seeding function is idempotent.
    from contracts_platform.contracts.seeding import sync_minimum_wages

    sync_minimum_wages()


def lint(*args: str) -> tuple[int, str]:
    out = io.StringIO()
    try:
        call_command("lint_contract", *args, stdout=out)
    except SystemExit as exc:
        return int(exc.code), out.getvalue()
    return 0, out.getvalue()


class TestExamples:
    @pytest.mark.parametrize("name", sorted(EXPECTED))
    def test_example(self, name: str) -> None:
        code, rules = EXPECTED[name]
        exit_code, output = lint(str(EXAMPLES / name), "--json", "--on", ON)
        findings = json.loads(output)
        assert exit_code == code
        errors = {f["rule"] for f in findings if f["level"] == "error"}
        assert errors == rules
        # The shipped Shandong rows are unconfirmed: every example says so once.
        assert [f["rule"] for f in findings].count("minimum_wage.unconfirmed") == 1

    def test_every_example_is_covered(self) -> None:
        assert {p.name for p in EXAMPLES.glob("*.json")} == {*EXPECTED, "broken.json"}

    def test_broken_json_exits_2(self) -> None:
        with pytest.raises(CommandError) as exc:
            lint(str(EXAMPLES / "broken.json"))
        assert exc.value.returncode == 2
        assert "JSON" in str(exc.value) and "第" in str(exc.value)


class TestOutput:
    def test_json_items_have_the_finding_shape(self) -> None:
        _, output = lint(str(EXAMPLES / "invalid-probation.json"), "--json", "--on", ON)
        item = next(f for f in json.loads(output) if f["rule"] == "art19.probation_limit")
        assert set(item) == {"rule", "level", "message", "article", "field"}
        assert set(item["message"]) == {"zh", "en"}
        assert item["article"] == "劳动合同法第十九条" and item["field"] == "probation_months"

    def test_text_is_chinese_by_default(self) -> None:
        code, output = lint(str(EXAMPLES / "invalid-probation.json"), "--on", ON)
        assert code == 1
        assert "[错误] probation_months" in output and "劳动合同法第十九条 · art19.probation_limit" in output
        assert "1 项错误，1 项提示" in output

    def test_text_in_english(self) -> None:
        _, output = lint(str(EXAMPLES / "invalid-probation.json"), "--on", ON, "--lang", "en")
        assert "[error] probation_months: A term of 2027-01-01 to 2027-12-30" in output
        assert "1 error(s), 1 warning(s)" in output

    def test_warnings_alone_exit_0(self) -> None:
        code, output = lint(str(EXAMPLES / "valid-fixed-term.json"), "--on", "2027-03-01")
        assert code == 0
        assert "art10.unsigned_overdue" in output and "0 项错误，2 项提示" in output

    def test_no_findings_message(self) -> None:
        from contracts_platform.contracts.models import MinimumWageRate

        MinimumWageRate.objects.update(confirmed=True)
        code, output = lint(str(EXAMPLES / "valid-fixed-term.json"), "--on", ON)
        assert code == 0 and "未发现问题" in output

    def test_reads_stdin(self, monkeypatch: pytest.MonkeyPatch) -> None:
        data = (EXAMPLES / "invalid-minimum-wage.json").read_bytes()
        monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(data)))
        code, output = lint("-", "--json", "--on", ON)
        assert code == 1 and "minimum_wage.below_minimum" in output


class TestUnreadableInput:
    @pytest.mark.parametrize(("content", "message"), [
        (b"[1, 2]", "JSON"),
        (b'"terms"', "JSON"),
        (b'{"wage": {"amount": NaN}}', "NaN"),
        (b"\xff\xfe\x00{", "UTF-8"),
        (b"", "JSON"),
        (b"[" * 100000, "JSON"),
    ])
    def test_exit_2(self, tmp_path: Path, content: bytes, message: str) -> None:
        path = tmp_path / "terms.json"
        path.write_bytes(content)
        with pytest.raises(CommandError) as exc:
            lint(str(path))
        assert exc.value.returncode == 2
        assert message in str(exc.value)

    def test_missing_file_and_directory(self, tmp_path: Path) -> None:
        for target in (tmp_path / "nope.json", tmp_path):
            with pytest.raises(CommandError) as exc:
                lint(str(target))
            assert exc.value.returncode == 2

    def test_bad_on_date(self) -> None:
        with pytest.raises(CommandError):
            lint(str(EXAMPLES / "valid-fixed-term.json"), "--on", "2027-13-01")

    def test_utf8_bom_is_accepted(self, tmp_path: Path) -> None:
        path = tmp_path / "bom.json"
        path.write_bytes(b"\xef\xbb\xbf" + (EXAMPLES / "valid-part-time.json").read_bytes())
        assert lint(str(path), "--on", ON)[0] == 0


@pytest.fixture(scope="module")
def cli_env(tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    """A migrated throwaway SQLite database. The environment is replaced so a DATABASE_URL
    set for the suite (CI's PostgreSQL) is never migrated or read by these subprocesses."""
    var = tmp_path_factory.mktemp("lint-var")
    env = {key: value for key, value in os.environ.items()
           if not key.startswith(("DATABASE_", "CELERY_", "HEQIAN_", "DJANGO_"))}
    env.update(PYTHONPATH=str(REPO), HEQIAN_VAR_DIR=str(var), DATABASE_URL=f"sqlite:///{var / 'lint.sqlite3'}")
    subprocess.run([sys.executable, "manage.py", "migrate", "-v0"], cwd=REPO, env=env, check=True,
                   capture_output=True, timeout=300)
    return env


class TestCommandLine:
    """The real entry point: exit statuses, and never a traceback."""

    def run(self, env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run([sys.executable, "manage.py", "lint_contract", *args], cwd=REPO, env=env,
                              capture_output=True, text=True, timeout=120, check=False)

    def test_error_findings_exit_1(self, cli_env: dict[str, str]) -> None:
        result = self.run(cli_env, "docs/examples/invalid-minimum-wage.json", "--on", ON)
        assert result.returncode == 1, result.stderr
        assert "minimum_wage.below_minimum" in result.stdout and "Traceback" not in result.stderr

    def test_warnings_only_exit_0(self, cli_env: dict[str, str]) -> None:
        result = self.run(cli_env, "docs/examples/valid-dispatch.json", "--on", ON, "--json")
        assert result.returncode == 0, result.stderr
        assert [f["rule"] for f in json.loads(result.stdout)] == ["minimum_wage.unconfirmed"]

    def test_broken_json(self, cli_env: dict[str, str]) -> None:
        result = self.run(cli_env, "docs/examples/broken.json")
        assert result.returncode == 2
        assert "不是合法的 JSON" in result.stderr and "Traceback" not in result.stderr
        assert result.stdout == ""

    def test_missing_file(self, cli_env: dict[str, str]) -> None:
        result = self.run(cli_env, "docs/examples/no-such-file.json", "--lang", "en")
        assert result.returncode == 2
        assert "no such file" in result.stderr and "Traceback" not in result.stderr

    def test_bad_on_date(self, cli_env: dict[str, str]) -> None:
        result = self.run(cli_env, "docs/examples/valid-fixed-term.json", "--on", "tomorrow")
        assert result.returncode == 2 and "Traceback" not in result.stderr
