"""Issue 11 through the command line, as an attacker at a window PC tried it: no `--user`, a wrong password, a
locked account, `sync export` — each now exits 3, shows nobody and writes no file; the `users` commands; a
window's automation credential in the OS keyring with its narrow role; `central` commands need an admin."""

from __future__ import annotations

import base64
import json
import os
import sqlite3
from pathlib import Path

import pytest

from tests.naughty import VALID_ID

pytest_plugins = ["tests.integration.conftest_reg"]
pytest.register_assert_rewrite(*pytest_plugins)

from tests.integration.conftest_reg import PASSWORDS, REPO, run_cli  # noqa: E402

NAME = "王芳芳"
KEY = base64.b64encode(b"k" * 32).decode()


def _register(db_url: str) -> None:
    doc = {"people": [{"name": NAME, "id_number": VALID_ID, "phone": "13800138000"}],
           "matter": {"kind": "suggestion", "summary": "建议增设公交站点"}}
    r = run_cli(db_url, "register", "--json", "-", stdin=json.dumps(doc, ensure_ascii=False))
    assert r.code == 0, r.err


def _audit(path: Path, action: str) -> list[tuple]:
    con = sqlite3.connect(path)
    try:
        return con.execute("SELECT username, success, detail FROM audit_events WHERE action = ? ORDER BY at",
                           (action,)).fetchall()
    finally:
        con.close()


def test_no_user_lists_nobody(db_url: str, db_path: Path) -> None:
    """The attack: without --user the CLI acted as `system` and listed visitors by name."""
    _register(db_url)
    r = run_cli(db_url, "visits", "--json", user=None)
    assert r.code == 3 and r.out == "" and NAME not in r.err
    assert "--user" in r.err
    r = run_cli(db_url, "visits", "--json")  # a clerk who logs in sees them (masked)
    assert r.code == 0 and NAME in r.out and VALID_ID not in r.out


def test_a_locked_out_clerk_lists_nobody(db_url: str, db_path: Path) -> None:
    _register(db_url)
    for _ in range(5):
        r = run_cli(db_url, "visits", XINFANG_DESK_PASSWORD="Wrong-pass-1")
        assert r.code == 3 and NAME not in r.out
    r = run_cli(db_url, "visits", "--json")  # the right password, but locked
    assert r.code == 3 and r.out == "" and ("锁定" in r.err or "lock" in r.err)
    r = run_cli(db_url, "visits", "--json", user=None)
    assert r.code == 3 and r.out == ""
    assert [x[1] for x in _audit(db_path, "auth.login")][-6:] == [0] * 6
    r = run_cli(db_url, "users", "unlock", "clerk", user="admin")
    assert r.code == 0, r.err
    assert run_cli(db_url, "visits", "--json").code == 0


@pytest.mark.parametrize("who", ["nobody", "wrong password", "unknown user", "clerk"])
def test_sync_export_refused_writes_no_file(db_url: str, db_path: Path, tmp_path: Path, who: str) -> None:
    """The attack: `sync export` with no user or a wrong password exited 0 and wrote every ID number."""
    _register(db_url)
    out = tmp_path / "pending.json"
    kw = {"nobody": {"user": None}, "wrong password": {"user": "supervisor", "XINFANG_DESK_PASSWORD": "Wrong-pass-1"},
          "unknown user": {"XINFANG_DESK_USER": "mallory", "XINFANG_DESK_PASSWORD": "Whatever-1x"},
          "clerk": {"user": "clerk"}}[who]
    r = run_cli(db_url, "sync", "export", "--out", str(out), XINFANG_DESK_EXPORT_KEY=KEY, **kw)
    assert r.code == 3, (r.code, r.err)
    assert not out.exists() and not list(tmp_path.iterdir())


def test_sync_export_by_a_supervisor_is_audited_and_holds_no_password_hash(db_url: str, db_path: Path,
                                                                           tmp_path: Path) -> None:
    _register(db_url)
    out = tmp_path / "pending.json"
    r = run_cli(db_url, "sync", "export", "--out", str(out), user="supervisor", XINFANG_DESK_EXPORT_KEY=KEY)
    assert r.code == 0, r.err
    from xinfang_desk.sync.transfer import read_signed

    assert "argon2" not in out.read_text(encoding="utf-8")  # encrypted (issue 11 item 5) …
    text = json.dumps(read_signed(out, base64.b64decode(KEY)), ensure_ascii=False)  # … and inside it:
    assert "argon2" not in text and "password_hash" not in text
    assert "sync.export" in text  # the export's own audit event travels in the file
    [(user, ok, _d)] = _audit(db_path, "sync.export")
    assert (user, ok) == ("supervisor", 1)


def test_users_commands(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'fresh.sqlite3'}"
    r = run_cli(url, "users", "setup-admin", "boss", "--display-name", "王敏", user=None,
                XINFANG_DESK_NEW_PASSWORD="password1")
    assert r.code == 2 and "密码" in r.err  # the rules hold for the first administrator too
    r = run_cli(url, "users", "setup-admin", "boss", "--display-name", "王敏", user=None,
                XINFANG_DESK_NEW_PASSWORD="Boss-pass-26")
    assert r.code == 0 and r.json()["role"] == "admin", r.err
    r = run_cli(url, "users", "setup-admin", "eve", user=None, XINFANG_DESK_NEW_PASSWORD="Eve-pass-2026")
    assert r.code == 3  # only on a database with no user
    admin = {"XINFANG_DESK_USER": "boss", "XINFANG_DESK_PASSWORD": "Boss-pass-26"}
    r = run_cli(url, "users", "add", "zhang", "--role", "clerk", "--window", "BN02", "--display-name", "张伟",
                user=None, XINFANG_DESK_NEW_PASSWORD="aaaaaaa1", **admin)
    assert r.code == 2
    r = run_cli(url, "users", "add", "zhang", "--role", "clerk", "--window", "BN02", "--display-name", "张伟",
                user=None, XINFANG_DESK_NEW_PASSWORD="Temp-pass-26", **admin)
    assert r.code == 0 and r.json()["must_change_password"] is True, r.err
    zhang = {"XINFANG_DESK_USER": "zhang"}
    r = run_cli(url, "visits", user=None, XINFANG_DESK_PASSWORD="Temp-pass-26", **zhang)
    assert r.code == 3 and "users passwd" in r.err  # first log-in: the password must change first
    r = run_cli(url, "users", "passwd", user=None, XINFANG_DESK_PASSWORD="Temp-pass-26",
                XINFANG_DESK_NEW_PASSWORD="Zhang-own-26", **zhang)
    assert r.code == 0, r.err
    assert run_cli(url, "visits", user=None, XINFANG_DESK_PASSWORD="Zhang-own-26", **zhang).code == 0
    r = run_cli(url, "users", "add", "li", "--role", "clerk", user=None, XINFANG_DESK_PASSWORD="Zhang-own-26",
                XINFANG_DESK_NEW_PASSWORD="Temp-pass-27", **zhang)
    assert r.code == 3  # a clerk adds nobody
    r = run_cli(url, "users", "disable", "zhang", user=None, **admin)
    assert r.code == 0 and r.json()["active"] is False
    assert run_cli(url, "visits", user=None, XINFANG_DESK_PASSWORD="Zhang-own-26", **zhang).code == 3
    assert run_cli(url, "users", "enable", "zhang", user=None, **admin).code == 0
    r = run_cli(url, "users", "passwd", "zhang", user=None, XINFANG_DESK_NEW_PASSWORD="Reset-pass-26", **admin)
    assert r.code == 0, r.err
    # a reset forces the change again; a new password in the environment does it on the way in
    r = run_cli(url, "visits", user=None, XINFANG_DESK_PASSWORD="Reset-pass-26",
                XINFANG_DESK_NEW_PASSWORD="Zhang-new-27", **zhang)
    assert r.code == 0, r.err
    r = run_cli(url, "users", "list", user=None, **admin)
    assert r.code == 0 and "argon2" not in r.out
    assert {u["username"]: u["home_window"] for u in r.json()} == {"boss": "BN03", "zhang": "BN02"}
    r = run_cli(url, "users", "policy", "--set", "min_length=6", user=None, **admin)
    assert r.code == 2  # never weaker than the defaults
    r = run_cli(url, "users", "policy", "--set", "min_length=10", user=None, **admin)
    assert r.code == 0 and r.json()["min_length"] == 10


def test_automation_credential_in_the_keyring_with_a_narrow_role(db_url: str, db_path: Path, tmp_path: Path) -> None:
    ring = tmp_path / "keyring.json"
    kr = {"PYTHON_KEYRING_BACKEND": "keyring_file.FileKeyring", "XFD_TEST_KEYRING": str(ring),
          "PYTHONPATH": f"{REPO}{os.pathsep}{REPO / 'tests'}"}
    r = run_cli(db_url, "users", "automation", "--window", "BN03", user="clerk", **kr)
    assert r.code == 3 and not ring.exists()
    r = run_cli(db_url, "users", "automation", "--window", "BN03", user="admin", **kr)
    assert r.code == 0, r.err
    assert ring.stat().st_mode & 0o777 == 0o600
    secret = json.loads(ring.read_text())["xinfang-desk\x1fautomation:BN03"]
    assert secret not in r.out + r.err
    doc = json.dumps({"people": [{"name": NAME}], "matter": {"kind": "suggestion", "summary": "网上来信转录"}},
                     ensure_ascii=False)
    r = run_cli(db_url, "register", "--json", "-", stdin=doc, user=None, **kr)
    assert r.code == 0, r.err
    r = run_cli(db_url, "visits", "--json", user=None, **kr)
    assert r.code == 3 and NAME not in r.out  # the automation role registers but reads nobody
    assert [u for u, ok, _d in _audit(db_path, "visit.register") if ok] == ["auto-bn03"]
    assert run_cli(db_url, "users", "disable", "auto-bn03", user="admin").code == 0
    r = run_cli(db_url, "register", "--json", "-", stdin=doc, user=None, **kr)
    assert r.code == 3


def test_central_commands_need_an_admin_and_are_audited(db_url: str, db_path: Path, central) -> None:
    bogus = "postgresql://nobody@127.0.0.1:1/none"
    for user in (None, "clerk", "supervisor"):
        r = run_cli(db_url, "central", "init", "--url", bogus, user=user)
        assert r.code == 3, (user, r.err)
    r = run_cli(db_url, "central", "add-window", "--url", central.admin_url, "--window", "BN09", user="clerk",
                XINFANG_DESK_WINDOW_PASSWORD="window-secret-BN09")
    assert r.code == 3
    assert central.scalar("SELECT count(*) FROM central.window_roles WHERE window_code = 'BN09'") == 0
    r = run_cli(db_url, "central", "init", "--url", central.admin_url, user="admin")
    assert r.code == 0, r.err
    r = run_cli(db_url, "central", "add-window", "--url", central.admin_url, "--window", "BN09", user="admin",
                XINFANG_DESK_WINDOW_PASSWORD="window-secret-BN09")
    assert r.code == 0, r.err
    assert [(u, ok) for u, ok, _d in _audit(db_path, "central.init")] == [("admin", 1)]
    [(u, ok, detail)] = _audit(db_path, "central.add_window")
    assert (u, ok, json.loads(detail)["window"]) == ("admin", 1, "BN09")
    assert "window-secret" not in detail
    con = sqlite3.connect(db_path)
    denied = con.execute("SELECT username FROM audit_events WHERE action = 'permission.denied' "
                         "AND json_extract(detail, '$.permission') = 'manage the central database'").fetchall()
    con.close()
    assert {d[0] for d in denied} >= {"clerk", "supervisor"}
    assert PASSWORDS  # the template's users act here
