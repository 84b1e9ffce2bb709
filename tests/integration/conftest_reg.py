"""Fixtures for the registration, CLI, persistence and auth tests (loaded with
``pytest_plugins = ["tests.integration.conftest_reg"]``).

A template database (migrated, with one user per role) is built once per session and copied for each test,
so every test starts from the same known state without paying for migrations and Argon2 hashing again.
Databases live on tmpfs (/dev/shm) where there is one: the fsync of ``synchronous=FULL`` is then cheap,
and the tests that are about durability (kill -9, pragmas) use a disk directory instead.
"""

from __future__ import annotations

import json
import os
import shutil
import sqlite3
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from tests.sessions import add_user, login_at
from xinfang_desk.i18n import set_language
from xinfang_desk.services.container import Services
from xinfang_desk.services.context import Actor
from xinfang_desk.services.dto import MatterInput, PersonInput, RegistrationInput

REPO = Path(__file__).resolve().parents[2]
WINDOW = "BN03"
PASSWORDS = {
    "admin": "Admin2026x",
    "supervisor": "Super2026x",
    "clerk": "Clerk2026x",
    "clerk2": "Clerk2026y",
    "lawyer": "Lawyer2026x",
}
ROLES = {"admin": "admin", "supervisor": "supervisor", "clerk": "clerk", "clerk2": "clerk", "lawyer": "lawyer"}
DISPLAY = {"admin": "王敏", "supervisor": "陈主任", "clerk": "李娜", "clerk2": "孙丽", "lawyer": "刘律师"}


def _fast_root() -> Path:
    shm = Path("/dev/shm")
    if shm.is_dir() and os.access(shm, os.W_OK):
        return Path(tempfile.mkdtemp(prefix="xfd-tests-", dir=shm))
    return Path(tempfile.mkdtemp(prefix="xfd-tests-"))


@dataclass
class Template:
    path: Path
    actors: dict[str, Actor]


@pytest.fixture(scope="session")
def template_db() -> Iterator[Template]:
    root = _fast_root()
    path = root / "template.sqlite3"
    sv = Services.open(f"sqlite:///{path}", WINDOW)
    try:
        sv.auth.setup_first_admin("admin", "王敏", PASSWORDS["admin"])
        admin = sv.auth.login("admin", PASSWORDS["admin"])
        for name, pw in PASSWORDS.items():
            if name != "admin":
                add_user(sv, admin, name, DISPLAY[name], ROLES[name], pw)
        actors = {name: sv.auth.login(name, pw) for name, pw in PASSWORDS.items()}
        actors["clerk2@BN02"] = login_at(sv, "BN02", "clerk2", PASSWORDS["clerk2"])
    finally:
        sv.close()
    # fold the WAL into the main file so that a plain copy is complete
    con = sqlite3.connect(path)
    con.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    con.close()
    yield Template(path, actors)
    shutil.rmtree(root, ignore_errors=True)


@pytest.fixture
def db_path(template_db: Template) -> Iterator[Path]:
    root = _fast_root()
    path = root / "xinfang.sqlite3"
    shutil.copyfile(template_db.path, path)
    yield path
    shutil.rmtree(root, ignore_errors=True)


@pytest.fixture
def db_url(db_path: Path) -> str:
    return f"sqlite:///{db_path}"


@pytest.fixture
def sv(db_url: str) -> Iterator[Services]:
    s = Services.open(db_url, WINDOW)
    yield s
    s.close()


@pytest.fixture
def actors(template_db: Template) -> dict[str, Actor]:
    return template_db.actors


@pytest.fixture
def clerk(actors: dict[str, Actor]) -> Actor:
    return actors["clerk"]


@pytest.fixture
def clerk2(actors: dict[str, Actor]) -> Actor:
    """A clerk at another window (BN02)."""
    return actors["clerk2@BN02"]


@pytest.fixture
def supervisor(actors: dict[str, Actor]) -> Actor:
    return actors["supervisor"]


@pytest.fixture
def zh() -> Iterator[None]:
    set_language("zh_CN")
    yield
    set_language("zh_CN")


@pytest.fixture
def en() -> Iterator[None]:
    set_language("en")
    yield
    set_language("zh_CN")


# -- helpers ---------------------------------------------------------------------------------------------
_TABLES_SQL = "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name"


def counts(sv_or_path: Services | Path) -> dict[str, int]:
    """Row count of every table in the database file (whatever the migrations made)."""
    if isinstance(sv_or_path, Path):
        con = sqlite3.connect(sv_or_path)
        try:
            tables = [r[0] for r in con.execute(_TABLES_SQL)]
            return {t: con.execute(f'SELECT count(*) FROM "{t}"').fetchone()[0] for t in tables}
        finally:
            con.close()
    with sv_or_path.db.engine.connect() as conn:
        tables = [r[0] for r in conn.exec_driver_sql(_TABLES_SQL)]
        return {t: conn.exec_driver_sql(f'SELECT count(*) FROM "{t}"').scalar_one() for t in tables}


def delta(before: dict[str, int], after: dict[str, int]) -> dict[str, int]:
    return {t: after[t] - before[t] for t in before if after[t] != before[t]}


FAILURE_AUDIT_DELTA = {"audit_events": 1, "outbox": 1}  # the failed attempt's audit event and its outbox row
# through the CLI every command logs in first, and the log-in is audited too (issue 11)
CLI_FAILURE_AUDIT_DELTA = {"audit_events": 2, "outbox": 2}


def person(name: str = "张三", **kw: Any) -> PersonInput:
    return PersonInput(name=name, **kw)


def reg(*people: PersonInput, kind: str = "suggestion", summary: str = "建议在新店镇增设公交站点", demands: str = "",
        respondent: str = "", **kw: Any) -> RegistrationInput:
    return RegistrationInput(
        people=people or (person(),),
        matter=MatterInput(kind=kind, summary=summary, demands=demands, respondent=respondent),
        **kw,
    )


def row(path: Path, sql: str, *params: Any) -> Any:
    con = sqlite3.connect(path)
    try:
        return con.execute(sql, params).fetchone()
    finally:
        con.close()


@dataclass
class CliResult:
    code: int
    out: str
    err: str

    def json(self) -> Any:
        return json.loads(self.out)


def cli_env(**extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("XINFANG_DESK_")}
    env["PYTHONPATH"] = str(REPO) + os.pathsep + env.get("PYTHONPATH", "")
    env["PYTHONUNBUFFERED"] = "1"
    env.update(extra)
    return env


def run_cli(db_url: str, *args: str, stdin: str | bytes | None = None, window: str = WINDOW, lang: str = "zh_CN",
            timeout: float = 120, user: str | None = "clerk", **env: str) -> CliResult:
    """Run the CLI as `user` of the template database (its password in XINFANG_DESK_PASSWORD), unless the caller
    sets XINFANG_DESK_USER itself; `user=None` runs it without any log-in."""
    if user is not None and "XINFANG_DESK_USER" not in env:
        env["XINFANG_DESK_USER"] = user
        env.setdefault("XINFANG_DESK_PASSWORD", PASSWORDS[user])
    cmd = [sys.executable, "-m", "xinfang_desk", "--db", db_url, "--window", window, "--lang", lang, *args]
    data = stdin.encode("utf-8") if isinstance(stdin, str) else stdin
    p = subprocess.run(cmd, input=data, capture_output=True, cwd=REPO, env=cli_env(**env), timeout=timeout)
    return CliResult(p.returncode, p.stdout.decode("utf-8"), p.stderr.decode("utf-8"))
