"""The short cuts that make a command-line listing start within 2x `import sqlalchemy` (issue 15) must not change
what the program does: the parser of one command parses exactly as the whole parser; a mobile's national form
without phonenumbers is phonenumbers'; every model group declares the tables its foreign keys name."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import phonenumbers
import pytest

from xinfang_desk import cli
from xinfang_desk.domain.phone import display_phone, mask_phone, national

REPO = Path(__file__).resolve().parents[2]


def test_the_command_list_is_the_parsers() -> None:
    [sub] = [a for a in cli.build_parser()._actions if a.dest == "command"]
    assert set(sub.choices) == cli.COMMANDS


@pytest.mark.parametrize("argv", [
    ["visits"],
    ["--db", "sqlite:///x.sqlite3", "--window", "BN02", "visits", "--date", "2026-11-27", "--json"],
    ["--user=clerk", "--lang", "en", "visits", "search", "--json", "-", "--csv", "out.csv"],
    ["organs", "update", "court", "--name", "法院", "--confirmed"],
    ["organs"],
    ["calendar", "import", "--json", "-"],
    ["sync", "--once", "--json"],
    ["sync", "export", "--out", "x"],
    ["users", "add", "lina", "--role", "clerk", "--window", "BN03"],
    ["audit", "list", "--limit", "50"],
    ["sessions", "list", "--from", "2027-01-04", "--to", "2027-01-10"],
    ["login", "--json"],
    ["logout"],
    ["daily-log", "--date", "2026-11-27", "--pdf", "log.pdf"],
    ["progress", "BN03-20261127-0001", "--json"],
])
def test_one_commands_parser_parses_as_the_whole(argv: list[str]) -> None:
    command = cli.command_of(argv)
    assert command is not None and command in argv
    whole = vars(cli.build_parser().parse_args(argv))
    only = vars(cli.build_parser(command).parse_args(argv))
    assert only == whole


@pytest.mark.parametrize("argv", [[], ["--help"], ["--us", "clerk", "visits"], ["vistis"], ["--version"],
                                  ["--user", "visits"], ["-h", "visits"]])
def test_uncertain_command_lines_get_the_whole_parser(argv: list[str]) -> None:
    """An abbreviated option, a typo, help: the whole parser answers (its help and errors list every command)."""
    assert cli.command_of(argv) is None


def test_one_commands_help_still_lists_every_command(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit):
        cli.main(["vistis"])
    err = capsys.readouterr().err
    assert "visits" in err and "daily-log" in err


@pytest.mark.parametrize("e164", ["+8613812345678", "+8615000000000", "+8619912345678", "+8617612345678",
                                  "+8616612345678", "+8614712345678", "+8618912345678", "+861012345678",
                                  "+8675512345678", "+85291234567", "+14155550100"])
def test_national_form_is_phonenumbers(e164: str) -> None:
    num = phonenumbers.parse(e164, "CN")
    expected = e164 if num.country_code != 86 else "".join(
        c for c in phonenumbers.format_number(num, phonenumbers.PhoneNumberFormat.NATIONAL) if c.isdigit())
    assert national(e164) == expected
    assert display_phone(e164) == expected
    assert mask_phone(e164).endswith(expected[-4:]) and "****" in mask_phone(e164) or len(expected) <= 11


GROUP_CHECK = """
import sqlalchemy.orm
from xinfang_desk.persistence import models
from sqlalchemy.schema import CreateTable
for name in {names!r}:
    cls = getattr(models, name)
sqlalchemy.orm.configure_mappers()
for name in {names!r}:
    table = getattr(models, name).__table__
    for fk in table.foreign_keys:
        fk.column  # raises NoReferencedTableError when the table it names was not declared
    str(CreateTable(table))
"""


def test_each_model_alone_has_its_foreign_keys_tables() -> None:
    """A command imports only the model groups it uses: each group must bring the tables its keys point at."""
    from xinfang_desk.persistence import models

    groups: dict[str, list[str]] = {}
    for name, group in models.GROUPS.items():
        groups.setdefault(group, []).append(name)
    assert len(groups) == 9
    for group, names in groups.items():  # each group alone, in a fresh interpreter
        r = subprocess.run([sys.executable, "-c", GROUP_CHECK.format(names=names)], cwd=REPO, capture_output=True,
                           text=True, timeout=300)
        assert r.returncode == 0, (group, r.stderr[-2000:])


def test_base_has_every_table() -> None:
    from xinfang_desk.persistence import models

    base = models.Base
    declared = {getattr(models, n).__table__.name for n in models.GROUPS}
    assert set(base.metadata.tables) == declared and len(declared) == len(models.GROUPS)
    assert sorted(models.__all__) == sorted(["Base", *models.GROUPS])


def test_the_text_of_a_progress_slip_needs_no_reportlab() -> None:
    """`progress CODE` prints the slip's text; importing reportlab for it took longer than the whole command."""
    code = ("import sys; from xinfang_desk.printing import progress_slip, cntext; "
            "assert progress_slip.slip_lines and cntext.cn_date('2026-11-30') == '2026年11月30日'; "
            "assert not [m for m in sys.modules if m.startswith('reportlab')], 'reportlab imported'")
    r = subprocess.run([sys.executable, "-c", code], cwd=REPO, capture_output=True, text=True, timeout=120)
    assert r.returncode == 0, r.stderr[-1500:]
