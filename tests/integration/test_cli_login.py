"""`xinfang-desk --user NAME login` once, then commands without the password (issue 15: read-only commands start
within 2x `import sqlalchemy`, which an Argon2 check per command cannot), without weakening issue 11: the token
is in a 0600 file, only its hash in the database; the session ends at log-out, after the idle limit, after the
session limit and when the account is disabled, locked, given another role or its password is reset — and an ended
session never lets a command run, or run as somebody else."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import sqlite3
import stat
from pathlib import Path

import pytest

from tests.naughty import VALID_ID

pytest_plugins = ["tests.integration.conftest_reg"]
pytest.register_assert_rewrite(*pytest_plugins)

from tests.integration.conftest_reg import PASSWORDS, WINDOW, run_cli  # noqa: E402

NAME = "王芳芳"


@pytest.fixture
def home(tmp_path: Path) -> Path:
    """The OS user's data folder (where the session file goes)."""
    d = tmp_path / "home"
    d.mkdir()
    return d


def cli(db_url: str, home: Path, *args: str, user: str | None = None, password: str | None = None,
        window: str = WINDOW, **kw: str) -> object:
    env = {"XINFANG_DESK_DATA": str(home), **kw}
    if user is not None:
        env["XINFANG_DESK_USER"] = user
    if password is not None:
        env["XINFANG_DESK_PASSWORD"] = password
    return run_cli(db_url, *args, user=None, window=window, **env)


def login(db_url: str, home: Path, user: str = "clerk", **kw: str) -> object:
    r = cli(db_url, home, "login", user=user, password=PASSWORDS[user], **kw)
    assert r.code == 0, r.err
    return r


def session_files(home: Path) -> list[Path]:
    return sorted((home / "cli-sessions").glob("*.token")) if (home / "cli-sessions").exists() else []


def register(db_url: str) -> None:
    doc = {"people": [{"name": NAME, "id_number": VALID_ID, "phone": "13800138000"}],
           "matter": {"kind": "suggestion", "summary": "建议增设公交站点"}}
    r = run_cli(db_url, "register", "--json", "-", stdin=json.dumps(doc, ensure_ascii=False))
    assert r.code == 0, r.err


def rows(path: Path, sql: str, *params: object) -> list[tuple]:
    con = sqlite3.connect(path)
    try:
        return con.execute(sql, params).fetchall()
    finally:
        con.close()


def test_log_in_once_then_work_without_the_password(db_url: str, db_path: Path, home: Path) -> None:
    register(db_url)
    r = login(db_url, home)
    assert "10" in r.err and "logout" in r.err  # tells the clerk how long it lasts and how to end it
    [token_file] = session_files(home)
    assert stat.S_IMODE(token_file.stat().st_mode) == 0o600
    assert stat.S_IMODE(token_file.parent.stat().st_mode) == 0o700
    token = token_file.read_text().strip()
    # the database keeps only the token's hash
    assert rows(db_path, "SELECT id FROM cli_sessions") == [(hashlib.sha256(token.encode()).hexdigest(),)]
    for f in db_path.parent.glob(db_path.name + "*"):
        assert token.encode() not in f.read_bytes()

    r = cli(db_url, home, "visits", "--json")  # no user, no password
    assert r.code == 0, r.err
    listed = json.loads(r.out)
    assert NAME in r.out and VALID_ID not in r.out and listed[0]["people"]
    assert rows(db_path, "SELECT username, success FROM audit_events WHERE action = 'auth.cli_session'") == [
        ("clerk", 1)]
    # what the command did is on the clerk's name
    r = cli(db_url, home, "progress", listed[0]["query_code"], "--json")
    assert r.code == 0, r.err
    assert rows(db_path, "SELECT username FROM audit_events WHERE action LIKE 'progress.%' ORDER BY at DESC LIMIT 1") \
        == [("clerk",)]

    r = cli(db_url, home, "logout")
    assert r.code == 0 and session_files(home) == []
    assert rows(db_path, "SELECT count(*) FROM cli_sessions") == [(0,)]
    r = cli(db_url, home, "visits", "--json")
    assert r.code == 3 and r.out == "" and NAME not in r.err and "login" in r.err

    # a copy of the token kept from before the log-out is worth nothing
    token_file.parent.mkdir(exist_ok=True)
    token_file.write_text(token + "\n")
    token_file.chmod(0o600)
    r = cli(db_url, home, "visits", "--json")
    assert r.code == 3 and r.out == "" and NAME not in r.out
    assert "登录" in r.err and session_files(home) == []


@pytest.mark.parametrize("change", ["disable", "reset", "role", "lock"])
def test_the_session_ends_with_the_account(db_url: str, db_path: Path, home: Path, change: str) -> None:
    register(db_url)
    login(db_url, home)
    assert cli(db_url, home, "visits").code == 0
    if change == "disable":
        r = run_cli(db_url, "users", "disable", "clerk", user="admin")
    elif change == "reset":
        r = run_cli(db_url, "users", "passwd", "clerk", user="admin", XINFANG_DESK_NEW_PASSWORD="Temp-Clerk-26")
    elif change == "role":
        r = run_cli(db_url, "users", "update", "clerk", "--role", "lawyer", user="admin")
    else:
        for _ in range(5):
            r = run_cli(db_url, "visits", XINFANG_DESK_PASSWORD="Wrong-pass-1")
            assert r.code == 3
    assert change == "lock" or r.code == 0, r.err
    r = cli(db_url, home, "visits", "--json")
    assert r.code == 3 and r.out == "" and NAME not in r.err
    why = {"disable": "停用", "reset": "密码", "role": "角色", "lock": "锁定"}[change]
    assert why in r.err, r.err
    assert session_files(home) == []  # ended for good: the file is gone, the next command says "log in"
    assert rows(db_path, "SELECT count(*) FROM cli_sessions") == [(0,)]
    refused = rows(db_path, "SELECT username FROM audit_events WHERE action = 'auth.cli_session' AND success = 0")
    assert refused == [("clerk",)]


def test_another_users_session_is_never_used(db_url: str, home: Path) -> None:
    register(db_url)
    login(db_url, home, "clerk")
    # --user supervisor without a password: asks for it (no terminal here: a clear refusal), never runs as clerk
    r = cli(db_url, home, "visits", "--json", user="supervisor")
    assert r.code == 2 and r.out == "" and "XINFANG_DESK_PASSWORD" in r.err
    r = cli(db_url, home, "visits", "--json", user="clerk")  # the session's own user: no password needed
    assert r.code == 0 and NAME in r.out
    # the password still wins when it is given (scripts)
    r = cli(db_url, home, "visits", "--json", "--reveal-reason", "核对身份", user="supervisor",
            password=PASSWORDS["supervisor"])
    assert r.code == 0 and VALID_ID in r.out


def test_a_session_is_of_one_database_and_window(db_url: str, db_path: Path, home: Path, tmp_path: Path) -> None:
    login(db_url, home)
    r = cli(db_url, home, "visits", window="BN02")
    assert r.code == 3 and "login" in r.err
    other = tmp_path / "other.sqlite3"
    other.write_bytes(db_path.read_bytes())
    assert cli(f"sqlite:///{other}", home, "visits").code == 3
    assert cli(db_url, home, "visits").code == 0


def test_a_session_file_others_can_read_is_refused(db_url: str, db_path: Path, home: Path) -> None:
    register(db_url)
    login(db_url, home)
    [token_file] = session_files(home)
    token_file.chmod(0o644)
    r = cli(db_url, home, "visits", "--json")
    assert r.code == 3 and r.out == "" and str(token_file) in r.err
    assert not token_file.exists()


def test_a_forged_token_is_refused(db_url: str, home: Path) -> None:
    register(db_url)
    login(db_url, home)
    [token_file] = session_files(home)
    token_file.write_text("x" * 43 + "\n")
    r = cli(db_url, home, "visits", "--json")
    assert r.code == 3 and r.out == "" and NAME not in r.err
    assert os.listdir(token_file.parent) == []


def test_login_names_what_is_missing(db_url: str, home: Path) -> None:
    r = cli(db_url, home, "login")
    assert r.code == 2 and "--user" in r.err and session_files(home) == []
    r = cli(db_url, home, "login", user="clerk", password="Wrong-pass-1")
    assert r.code == 3 and session_files(home) == []
    r = cli(db_url, home, "logout")
    assert r.code == 0 and "未登录" in r.err


def test_idle_and_session_limits(sv, template_db) -> None:  # noqa: ANN001
    """Through the service, with the clock: ≤ 10 minutes between commands keeps it going (counted to the minute),
    more ends it; 12 hours end it however busy it was; an ended session cannot be resumed again."""
    from xinfang_desk.services.auth import CliSessionEnded

    t0 = dt.datetime.now(dt.UTC) + dt.timedelta(minutes=1)  # after the template's passwords were set
    actor = sv.auth.login("clerk", PASSWORDS["clerk"], now=t0)
    token = sv.auth.open_cli_session(actor, now=t0).token
    t = t0
    while t + dt.timedelta(minutes=9) < t0 + dt.timedelta(hours=12):
        t += dt.timedelta(minutes=9)
        assert sv.auth.resume_cli_session(token, now=t).username == "clerk"
    with pytest.raises(CliSessionEnded, match="时限|time limit"):
        sv.auth.resume_cli_session(token, now=t0 + dt.timedelta(hours=12))
    with pytest.raises(CliSessionEnded):
        sv.auth.resume_cli_session(token, now=t0 + dt.timedelta(hours=1))  # removed: not even within its hours

    token = sv.auth.open_cli_session(sv.auth.login("clerk", PASSWORDS["clerk"], now=t0), now=t0).token
    assert sv.auth.resume_cli_session(token, now=t0 + dt.timedelta(minutes=10)).username == "clerk"
    with pytest.raises(CliSessionEnded, match="10"):
        sv.auth.resume_cli_session(token, now=t0 + dt.timedelta(minutes=20, seconds=1))
    assert WINDOW == actor.window_code


def test_sessions_never_leave_the_window_nor_come_from_the_centre(db_url: str, db_path: Path, home: Path) -> None:
    """A session row in the outbox would carry a way in to every window; one pulled from the centre would let
    whoever controls the centre log in anywhere."""
    from xinfang_desk.sync.engine import SchemaSkew, _table

    register(db_url)
    login(db_url, home)
    assert cli(db_url, home, "visits").code == 0
    [token_file] = session_files(home)
    digest = hashlib.sha256(token_file.read_text().strip().encode()).hexdigest()
    assert rows(db_path, "SELECT count(*) FROM outbox WHERE entity = 'cli_sessions' OR payload LIKE ?",
                f"%{digest}%") == [(0,)]
    with pytest.raises(SchemaSkew):
        _table("cli_sessions")


def test_login_changes_a_password_that_must_be_changed_first(db_url: str, home: Path) -> None:
    """An account an administrator reset: `login` changes the temporary password (as any command would) and then
    opens the session with the new one."""
    register(db_url)
    r = run_cli(db_url, "users", "passwd", "clerk", user="admin", XINFANG_DESK_NEW_PASSWORD="Temp-Clerk-26")
    assert r.code == 0, r.err
    r = cli(db_url, home, "login", user="clerk", password="Temp-Clerk-26")
    assert r.code == 3 and session_files(home) == []  # no new password given: refused, nothing opened
    r = cli(db_url, home, "login", "--json", user="clerk", password="Temp-Clerk-26",
            XINFANG_DESK_NEW_PASSWORD="Own-Clerk-2026")
    assert r.code == 0, r.err
    doc = json.loads(r.out)
    assert doc["user"] == "clerk" and doc["role"] == "clerk" and doc["idle_minutes"] == 10 and doc["ends_at"]
    r = cli(db_url, home, "visits", "--json")
    assert r.code == 0 and NAME in r.out
