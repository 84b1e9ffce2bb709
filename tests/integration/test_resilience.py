"""Issue 12: a window that survives bad disks and bad input. Each test is one case from the issue, driven as an IT
officer or a script would: through the CLI (a real subprocess: one line on stderr, an exit status, no traceback)
or the services, and each checks that nothing was half-written."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import random
import shutil
import sqlite3
from pathlib import Path

import pytest

from xinfang_desk.domain.errors import ValidationFailed
from xinfang_desk.persistence import safety
from xinfang_desk.persistence.safety import StorageProblem
from xinfang_desk.services.container import Services

pytest_plugins = ["tests.integration.conftest_reg"]
pytest.register_assert_rewrite(*pytest_plugins)

from tests.integration.conftest_reg import WINDOW, counts, delta, reg, row, run_cli  # noqa: E402


def sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def flip_bytes(path: Path, n: int = 200, seed: int = 20261130) -> None:
    data = bytearray(path.read_bytes())
    rng = random.Random(seed)
    for _ in range(n):
        i = rng.randrange(4096, len(data))  # the header stays: a damaged file of ours, not a foreign one
        data[i] ^= 0xFF
    path.write_bytes(bytes(data))


def one_clear_line(err: str) -> None:
    assert "Traceback" not in err and "sqlalchemy" not in err.lower() and "sqlite3." not in err
    assert len(err.strip().splitlines()) == 1, err


def backups_of(path: Path) -> list[Path]:
    return sorted((path.parent / "backups").glob(f"{path.stem}-*.sqlite3"))


# -- files that must not be opened ---------------------------------------------------------------------------
def test_empty_file_is_refused_and_never_replaced(tmp_path: Path) -> None:
    path = tmp_path / "xinfang.sqlite3"
    path.touch()
    r = run_cli(f"sqlite:///{path}", "visits", "--json")
    assert r.code == 1 and "是空的（0 字节）" in r.err and "没有在原处新建数据库" in r.err, r.err
    one_clear_line(r.err)
    assert r.out == "" and path.stat().st_size == 0 and sorted(p.name for p in tmp_path.iterdir()) == [path.name]
    with pytest.raises(StorageProblem) as e:
        Services.open(f"sqlite:///{path}", WINDOW)
    assert e.value.code == "empty" and path.stat().st_size == 0


def test_flipped_bytes_are_refused_and_the_newest_good_backup_offered_and_restored(db_path: Path, sv: Services,
                                                                                     clerk: object) -> None:
    url = f"sqlite:///{db_path}"
    res = sv.registration.register(clerk, reg())  # type: ignore[arg-type]
    sv.close()
    r = run_cli(url, "db", "backup")
    assert r.code == 0, r.err
    backup = max(backups_of(db_path), key=safety.backup_time)
    assert (backup.stat().st_mode & 0o777) == 0o600
    flip_bytes(db_path)
    damaged = sha(db_path)
    r = run_cli(url, "visits", "--json")
    assert r.code == 1 and "已损坏" in r.err and f"xinfang-desk db restore {backup}" in r.err, r.err
    one_clear_line(r.err)
    assert sha(db_path) == damaged  # refused, not "repaired"
    r = run_cli(url, "db", "verify")
    assert r.code == 1 and "已损坏" in r.err
    r = run_cli(url, "db", "restore", str(backup))
    assert r.code == 0, r.err
    kept = list((db_path.parent / "backups").glob(f"replaced-*/{db_path.name}"))
    assert len(kept) == 1 and sha(kept[0]) == damaged  # the current file is kept aside
    assert run_cli(url, "db", "verify").code == 0
    r = run_cli(url, "visits", "--json")
    assert r.code == 0 and [v["query_code"] for v in r.json()] == [res.query_code]


@pytest.mark.parametrize("kind", ["truncated", "garbage", "foreign"])
def test_truncated_garbage_and_foreign_files_are_refused_untouched(db_path: Path, tmp_path: Path, kind: str) -> None:
    path = tmp_path / f"{kind}.sqlite3"
    if kind == "truncated":
        path.write_bytes(db_path.read_bytes()[: 100_000])
    elif kind == "garbage":
        path.write_bytes(random.Random(7).randbytes(50_000))
    else:  # another program's SQLite database
        con = sqlite3.connect(path)
        con.execute("CREATE TABLE moz_places (id INTEGER PRIMARY KEY, url TEXT)")
        con.commit()
        con.close()
    before = sha(path)
    r = run_cli(f"sqlite:///{path}", "visits")
    expected = {"truncated": "不完整", "garbage": "不是本程序的数据库", "foreign": "不是本程序的数据库"}[kind]
    assert r.code == 1 and expected in r.err, r.err
    one_clear_line(r.err)
    assert sha(path) == before and not (tmp_path / "backups").exists()


def test_restore_refuses_a_damaged_backup_and_keeps_the_database(db_path: Path, tmp_path: Path) -> None:
    bad = tmp_path / "bad.sqlite3"
    shutil.copyfile(db_path, bad)
    flip_bytes(bad)
    before = sha(db_path)
    r = run_cli(f"sqlite:///{db_path}", "db", "restore", str(bad))
    assert r.code == 1 and "不能使用" in r.err and "已损坏" in r.err, r.err
    one_clear_line(r.err)
    assert sha(db_path) == before and not list(db_path.parent.glob("*.restoring"))


def test_first_administrator_only_on_a_file_this_application_created(db_path: Path) -> None:
    """A database with no users that this application did not create (its mark is missing) is refused."""
    from xinfang_desk.app import open_services

    con = sqlite3.connect(db_path)
    with con:
        for t in ("audit_events", "outbox", "users"):
            con.execute(f"DELETE FROM {t}")
        con.execute("PRAGMA application_id = 0")
    con.close()
    with pytest.raises(StorageProblem) as e:
        open_services(f"sqlite:///{db_path}", WINDOW)
    assert e.value.code == "not_ours" and "不能在上面设置首位管理员" in str(e.value)
    sv = Services.open(f"sqlite:///{db_path}", WINDOW)
    try:
        with pytest.raises(StorageProblem):
            sv.auth.setup_first_admin("intruder", "某人", "intruder-12345")
        assert sv.auth.needs_first_run()
    finally:
        sv.close()
    fresh = db_path.parent / "fresh.sqlite3"  # a file this application creates: the set-up is offered
    services, first_run = open_services(f"sqlite:///{fresh}", WINDOW)
    services.close()
    assert first_run and (fresh.stat().st_mode & 0o777) == 0o600


# -- backups -------------------------------------------------------------------------------------------------
def test_a_verified_backup_at_the_first_start_of_each_day(db_path: Path) -> None:
    url = f"sqlite:///{db_path}"
    Services.open(url, WINDOW).close()
    first = backups_of(db_path)
    assert len(first) == 1 and safety.check_sqlite(first[0], full=True) is None
    assert (first[0].stat().st_mode & 0o777) == 0o600
    Services.open(url, WINDOW).close()  # same day: no second backup
    assert backups_of(db_path) == first
    yesterday = dt.datetime.now() - dt.timedelta(days=1)  # the next day: another one
    first[0].rename(first[0].with_name(f"{db_path.stem}-{yesterday:%Y%m%d-%H%M%S-%f}.sqlite3"))
    Services.open(url, WINDOW).close()
    now = backups_of(db_path)
    assert len(now) == 2 and safety.backup_time(max(now, key=safety.backup_time)).date() == dt.date.today()


def test_rotation_keeps_7_daily_4_weekly_12_monthly(db_path: Path) -> None:
    start = dt.datetime(2025, 1, 1, 8, 0)
    stamps = [start + dt.timedelta(days=i) for i in range(700)]
    keep = safety.keep_set(stamps)
    last = stamps[-1]
    days = sorted({t.date() for t in keep}, reverse=True)
    assert days[:7] == [last.date() - dt.timedelta(days=i) for i in range(7)]
    assert len({t.isocalendar()[:2] for t in keep}) >= 4
    assert len({(t.year, t.month) for t in keep}) == 12
    assert len(keep) <= 7 + 4 + 12
    assert min(keep) > last - dt.timedelta(days=366)
    # on disk: 40 days of backups shrink to the rotation
    for i in range(40):
        safety.take_backup(db_path, start + dt.timedelta(days=i))
    left = backups_of(db_path)
    assert len(left) == len(safety.keep_set([start + dt.timedelta(days=i) for i in range(40)])) < 40


# -- I/O failures --------------------------------------------------------------------------------------------
BODY = json.dumps({"people": [{"name": "张三"}], "matter": {"kind": "suggestion", "summary": "建议增设公交站点"}})


def test_missing_folder_is_reported_not_created(tmp_path: Path) -> None:
    path = tmp_path / "no" / "such" / "x.sqlite3"
    r = run_cli(f"sqlite:///{path}", "register", "--json", "-", stdin=BODY)
    assert r.code == 1 and f"文件夹 {path.parent} 不存在" in r.err, r.err
    one_clear_line(r.err)
    assert not (tmp_path / "no").exists()


def test_lock_held_beyond_the_timeout(db_path: Path) -> None:
    url = f"sqlite:///{db_path}"
    Services.open(url, WINDOW).close()
    before = counts(db_path)
    holder = sqlite3.connect(db_path, isolation_level=None)
    holder.execute("BEGIN EXCLUSIVE")
    try:
        r = run_cli(url, "register", "--json", "-", stdin=BODY)
    finally:
        holder.execute("ROLLBACK")
        holder.close()
    assert r.code == 1 and "锁定超过 5 秒" in r.err and "没有保存任何内容" in r.err, r.err
    one_clear_line(r.err)
    assert delta(before, counts(db_path)) == {}


def _unshare_ok() -> bool:
    import subprocess

    if shutil.which("unshare") is None:
        return False
    p = subprocess.run(["unshare", "-m", "sh", "-c", "mount -t tmpfs -o size=1m tmpfs /mnt"], capture_output=True)
    return p.returncode == 0


needs_mounts = pytest.mark.skipif(not _unshare_ok(), reason="needs a private mount namespace (root or CAP_SYS_ADMIN)")


def _run_in_mounts(setup: str, db: Path, *args: str, after: str = "", stdin: str = BODY) -> tuple[int, str]:
    """Run the CLI inside `unshare -m` after the shell lines `setup` (which mount things), then `after`;
    returns (the CLI's exit status, its stderr)."""
    import subprocess
    import sys

    from tests.integration.conftest_reg import PASSWORDS, REPO, cli_env

    cli = " ".join(f"'{a}'" for a in [sys.executable, "-m", "xinfang_desk", "--db", f"sqlite:///{db}", "--window",
                                       WINDOW, *args])
    script = f"set -e\n{setup}\nset +e\n{cli}\nrc=$?\n{after}\nexit $rc"
    p = subprocess.run(["unshare", "-m", "sh", "-c", script], input=stdin.encode(), capture_output=True,
                       cwd=REPO, env=cli_env(XINFANG_DESK_USER="clerk", XINFANG_DESK_PASSWORD=PASSWORDS["clerk"]),
                       timeout=120)
    return p.returncode, p.stderr.decode()


@needs_mounts
def test_disk_full(db_path: Path, tmp_path: Path) -> None:
    url = f"sqlite:///{db_path}"
    Services.open(url, WINDOW).close()  # the day's backup exists: the start itself writes no backup
    before = counts(db_path)
    mnt = tmp_path / "small"
    mnt.mkdir()
    db = mnt / db_path.name
    setup = (f"mount -t tmpfs -o size={2 * db_path.stat().st_size + (256 << 10)} tmpfs '{mnt}'\n"
             f"cp '{db_path}' '{db}'\nmkdir '{mnt}/backups'\ncp '{db_path.parent}/backups/'*.sqlite3 '{mnt}/backups/'\n"
             f"dd if=/dev/zero of='{mnt}/filler' bs=1k 2>/dev/null || true")
    after = f"cp '{db}' '{tmp_path}/after.sqlite3'\n[ -e '{db}-wal' ] && cp '{db}-wal' '{tmp_path}/after.sqlite3-wal' || true"
    code, err = _run_in_mounts(setup, db, "register", "--json", "-", after=after)
    assert code == 1 and "磁盘已满" in err, err
    one_clear_line(err)
    saved = tmp_path / "after.sqlite3"
    assert safety.check_sqlite(saved, full=True) is None
    assert delta(before, counts(saved)) == {}  # nothing half-written


@needs_mounts
@pytest.mark.parametrize("what", ["file", "folder", "file system"])
def test_read_only_file_folder_and_file_system(db_path: Path, tmp_path: Path, what: str) -> None:
    """As root, permissions do not stop writes: read-only mounts do (a bind mount of the file or the folder, a
    tmpfs remounted read-only)."""
    url = f"sqlite:///{db_path}"
    Services.open(url, WINDOW).close()
    before = counts(db_path)
    db, folder = db_path, db_path.parent
    if what == "file system":
        folder = tmp_path / "ro"
        folder.mkdir()
        db = folder / db_path.name
    setup = {
        "file": f"mount --bind '{db}' '{db}'\nmount -o remount,ro,bind '{db}'",
        "folder": f"mount --bind '{folder}' '{folder}'\nmount -o remount,ro,bind '{folder}'",
        "file system": f"mount -t tmpfs -o size=64m tmpfs '{folder}'\ncp '{db_path}' '{db}'\n"
                       f"cp -r '{db_path.parent}/backups' '{folder}/backups'\nmount -o remount,ro '{folder}'",
    }[what]
    after = f"cp '{db}' '{tmp_path}/after.sqlite3'"
    code, err = _run_in_mounts(setup, db, "register", "--json", "-", after=after)
    assert code == 1 and "无法写入（文件、文件夹或文件系统为只读）" in err, err
    one_clear_line(err)
    assert delta(before, counts(tmp_path / "after.sqlite3")) == {}


@pytest.mark.skipif(os.geteuid() == 0, reason="root ignores file permissions (the mount tests above cover root)")
def test_read_only_file_by_permissions(db_path: Path) -> None:
    url = f"sqlite:///{db_path}"
    Services.open(url, WINDOW).close()
    before = counts(db_path)
    db_path.chmod(0o400)
    try:
        r = run_cli(url, "register", "--json", "-", stdin=BODY)
    finally:
        db_path.chmod(0o600)
    assert r.code == 1 and "无法写入（文件、文件夹或文件系统为只读）" in r.err, r.err
    assert delta(before, counts(db_path)) == {}


# -- window codes and query codes ----------------------------------------------------------------------------
@pytest.mark.parametrize("window", ["'; DROP TABLE visits;--", "../../etc", "", "BN03-20261130-99x", "bn03", "BN3"])
def test_window_codes_are_checked(db_path: Path, window: str) -> None:
    before = counts(db_path)
    r = run_cli(f"sqlite:///{db_path}", "register", "--json", "-", stdin=BODY, window=window)
    assert r.code == 2 and "window" in r.err and "应为两个大写字母加两位数字（例如 BN03），或管理员已设置的窗口" in r.err, r.err
    one_clear_line(r.err)
    assert delta(before, counts(db_path)) == {}
    with pytest.raises(ValidationFailed):
        Services.open(f"sqlite:///{db_path}", window)


def test_a_window_on_the_administrators_list(db_path: Path) -> None:
    con = sqlite3.connect(db_path)
    with con:
        con.execute("INSERT INTO windows (code, name, location, active, created_at) VALUES ('ZXA', '中心窗口', '', 1, '2026-01-01')")
    con.close()
    Services.open(f"sqlite:///{db_path}", "ZXA").close()
    with pytest.raises(ValidationFailed):
        Services.open(f"sqlite:///{db_path}", "ZXB")


def test_a_stray_query_code_does_not_break_later_registrations(sv: Services, clerk: object, db_path: Path) -> None:
    """`BN03-<today>-99x` (what `--window BN03-<today>-99x` used to store) no longer stops BN03 for the day."""
    first = sv.registration.register(clerk, reg())  # type: ignore[arg-type]
    other = sv.registration.register(clerk, reg(summary="第二件事"))  # type: ignore[arg-type]
    stray = first.query_code[:-4] + "99x"
    con = sqlite3.connect(db_path)
    with con:
        con.execute("UPDATE visits SET query_code = ? WHERE id = ?", (stray, other.visit_id))
        con.execute("UPDATE visits SET query_code = ? WHERE id = ?", (stray + "-20261130-0007", first.visit_id))
    con.close()
    nxt = sv.registration.register(clerk, reg(summary="第三件事"))  # type: ignore[arg-type]
    assert nxt.query_code == first.query_code[:-4] + "0001"  # the stray codes are not sequences of BN03


def test_query_code_parser_refuses_everything_else() -> None:
    from xinfang_desk.domain.querycode import parse_query_code

    assert parse_query_code(" bn03-20261130-0012 ") == ("BN03", dt.date(2026, 11, 30), 12)
    for bad in ("BN03-20261130-99x", "BN03-20261130-0012-1", "BN03-20261130", "BN-03-20261130-0001",
                "BN03-20261130-0000", "BN03-19891231-0001", "BN03-20261130-١٢٣٤", "BN03\n-20261130-0001", "", None, 7):
        assert parse_query_code(bad) is None, bad


# -- notice --pdf --------------------------------------------------------------------------------------------
def _registered(db_url: str) -> str:
    r = run_cli(db_url, "register", "--json", "-", stdin=BODY)
    assert r.code == 0, r.err
    return str(r.json()["query_code"])


def test_notice_output_checked_before_numbering(db_url: str, db_path: Path, tmp_path: Path) -> None:
    code = _registered(db_url)
    before = counts(db_path)
    r = run_cli(db_url, "notice", code, "--pdf", "/nonexistent/dir/x.pdf", lang="en")
    assert r.code == 2 and "--pdf" in r.err and "/nonexistent/dir" in r.err, r.err
    out = tmp_path / "out"
    out.mkdir()
    r = run_cli(db_url, "notice", code, "--pdf", str(out), lang="en")
    assert r.code == 2 and "is a folder" in r.err, r.err
    r = run_cli(db_url, "notice", code, "--pdf", f"{out}/", lang="en")  # typed with a slash: the example is usable
    assert r.code == 2 and f"e.g. {out}/notice.pdf" in r.err and "//" not in r.err, r.err
    assert list(out.iterdir()) == []  # no .part left behind
    r = run_cli(db_url, "notice", "BN03-20261130-99x", "--pdf", str(out / "x.pdf"), lang="en")
    assert r.code == 2 and "query_code" in r.err and list(out.iterdir()) == []
    r = run_cli(db_url, "notice", code[:-4] + "9999", "--pdf", str(out / "x.pdf"), lang="en")  # no such visit
    assert r.code == 2 and list(out.iterdir()) == []
    assert delta(before, counts(db_path)).get("notices", 0) == 0
    r = run_cli(db_url, "notice", code, "--pdf", str(out / "n.pdf"), lang="en")
    assert r.code == 0 and r.err.startswith("Notice ") and "补打" not in r.err, r.err  # the first print, not a reprint
    assert [p.name for p in out.iterdir()] == ["n.pdf"] and (out / "n.pdf").read_bytes()[:5] == b"%PDF-"


# -- JSON input ----------------------------------------------------------------------------------------------
def _doc(**over: object) -> dict[str, object]:
    d: dict[str, object] = {"people": [{"name": "张三"}], "matter": {"kind": "suggestion", "summary": "建议增设公交站点"}}
    d.update(over)
    return d


def _local(days: int = 0, hour: int = 9) -> str:
    day = dt.datetime.now(dt.timezone(dt.timedelta(hours=8))).date() + dt.timedelta(days=days)
    return f"{day.isoformat()}T{hour:02d}:00:00+08:00"


TODAY_CN = dt.datetime.now(dt.timezone(dt.timedelta(hours=8))).date()
CASES = {
    "surrogate kind": (json.dumps(_doc(matter={"kind": "\ud800", "summary": "x"})), "matter.kind: 事项类别：未知类别 \\ud800"),
    "surrogate facts key": (json.dumps(_doc(matter={"kind": "suggestion", "summary": "x", "facts": {"\ud800": 1}})),
                            "matter.facts.\\ud800："),
    "deep facts": ('{"people":[{"name":"张三"}],"matter":{"kind":"suggestion","summary":"x","facts":'
                   + '{"a":' * 100_000 + "1" + "}" * 100_000 + "}}", "matter.facts.a"),
    "huge group_size": ('{"people":[{"name":"张三"}],"group_size":' + "9" * 5000
                        + ',"matter":{"kind":"suggestion","summary":"x"}}', "group_size："),
    "received_at 9999": (json.dumps(_doc(received_at="9999-12-31T23:59:59-05:00")), "接收时间：应在 1990-01-01 至"),
    "received_at 0001": (json.dumps(_doc(received_at="0001-01-01T00:00:00+08:00")), "接收时间：应在 1990-01-01 至"),
    "received_at future": (json.dumps(_doc(received_at=_local(days=1, hour=1))), "接收时间："),
    "received_at vs received_on": (json.dumps(_doc(received_on=(TODAY_CN - dt.timedelta(days=3)).isoformat(),
                                                   received_at=_local(days=-1))), "与接收日期"),
    "received_on 1989": (json.dumps(_doc(received_on="1989-12-31")), "早于 1990-01-01"),
}


@pytest.mark.parametrize("case", sorted(CASES))
def test_json_input_cases_exit_2_naming_the_field(db_url: str, db_path: Path, case: str) -> None:
    body, expected = CASES[case]
    before = counts(db_path)
    r = run_cli(db_url, "register", "--json", "-", stdin=body)
    assert r.code == 2 and expected in r.err, r.err
    assert "Traceback" not in r.err and "Error" not in r.err and r.out == ""
    assert set(delta(before, counts(db_path))) <= {"audit_events", "outbox"}  # at most the refusal's audit


def test_invalid_utf8_is_reported_as_such(db_url: str) -> None:
    body = json.dumps(json.loads(BODY), ensure_ascii=False).encode("utf-8").replace("张三".encode(), b"\xff\xfe")
    r = run_cli(db_url, "register", "--json", "-", stdin=body)
    assert r.code == 2 and "不是 UTF-8 文本" in r.err and "0xFF" in r.err and "第 1 行" in r.err, r.err
    assert "udcff" not in r.err


def test_a_utf8_bom_is_accepted(db_url: str, db_path: Path) -> None:
    r = run_cli(db_url, "register", "--json", "-", stdin=b"\xef\xbb\xbf" + BODY.encode())
    assert r.code == 0, r.err
    assert row(db_path, "SELECT count(*) FROM visits")[0] == 1


def test_received_at_on_its_day_is_stored(db_url: str, db_path: Path) -> None:
    yesterday = (TODAY_CN - dt.timedelta(days=1)).isoformat()
    r = run_cli(db_url, "register", "--json", "-", stdin=json.dumps(_doc(received_at=_local(days=-1, hour=10))))
    assert r.code == 0, r.err
    assert row(db_path, "SELECT received_on FROM visits")[0] == yesterday  # the day follows received_at


def test_database_files_are_private(tmp_path: Path) -> None:
    path = tmp_path / "new.sqlite3"
    Services.open(f"sqlite:///{path}", WINDOW).close()
    assert (path.stat().st_mode & 0o777) == 0o600
