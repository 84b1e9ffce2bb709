"""Start-up does only what the command needs: the parsed translation catalog comes from a private cache that a
changed .po invalidates and an unwritable folder does without; a read-only command imports neither pypinyin (and
its phrase dictionary), nor Alembic when the schema is current, nor Babel, nor the keyring, nor the services it
does not call."""

from __future__ import annotations

import json
import stat
import subprocess
import sys
from pathlib import Path

import pytest

from xinfang_desk import i18n

pytest_plugins = ["tests.integration.conftest_reg"]
pytest.register_assert_rewrite(*pytest_plugins)

from tests.integration.conftest_reg import PASSWORDS, REPO, WINDOW, cli_env  # noqa: E402

PO = """msgid ""
msgstr ""
"Content-Type: text/plain; charset=UTF-8\\n"

msgid "Reception window {window}"
msgstr "{translation}"
"""


@pytest.fixture
def po(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A one-message catalog in place of the shipped one, and an empty cache folder of its own."""
    path = tmp_path / "res" / "xinfang_desk.po"
    path.parent.mkdir()
    path.write_text(PO.replace("{translation}", "接待窗口 {window}"), encoding="utf-8")
    monkeypatch.setattr(i18n, "resource", lambda *parts: path)
    monkeypatch.setattr(i18n, "_catalogs", {})
    monkeypatch.setenv("XINFANG_DESK_CACHE", str(tmp_path / "cache"))
    return path


def _fresh_process_view() -> None:
    """What the next start sees: nothing parsed in memory yet."""
    i18n._catalogs.clear()


def test_the_parsed_catalog_is_cached_privately_and_used_next_time(po: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    assert i18n.translate("Reception window {window}", "zh_CN") == "接待窗口 {window}"
    cache = i18n.cache_file("zh_CN")
    assert cache.exists()
    assert stat.S_IMODE(cache.stat().st_mode) == 0o600
    assert stat.S_IMODE(cache.parent.stat().st_mode) == 0o700
    _fresh_process_view()

    def no_babel(*_a: object) -> dict[str, str]:
        raise AssertionError("the .po was parsed again although the cache was current")

    monkeypatch.setattr(i18n, "_parse_po", no_babel)
    assert i18n.translate("Reception window {window}", "zh_CN") == "接待窗口 {window}"


def test_a_changed_po_is_parsed_again_not_read_from_the_stale_cache(po: Path) -> None:
    assert i18n.translate("Reception window {window}", "zh_CN") == "接待窗口 {window}"
    before = i18n.cache_file("zh_CN").read_bytes()
    po.write_text(PO.replace("{translation}", "第 {window} 号窗口"), encoding="utf-8")  # same size or not: the hash
    _fresh_process_view()
    assert i18n.translate("Reception window {window}", "zh_CN") == "第 {window} 号窗口"
    assert i18n.cache_file("zh_CN").read_bytes() != before  # rewritten for the new .po


def test_a_damaged_cache_is_ignored(po: Path) -> None:
    i18n.cache_file("zh_CN").parent.mkdir(parents=True)
    i18n.cache_file("zh_CN").write_bytes(b"\x00garbage")
    assert i18n.translate("Reception window {window}", "zh_CN") == "接待窗口 {window}"


def test_an_unwritable_cache_folder_still_translates(po: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder")
    monkeypatch.setenv("XINFANG_DESK_CACHE", str(blocker / "cache"))  # cannot be created, even by root
    assert i18n.translate("Reception window {window}", "zh_CN") == "接待窗口 {window}"
    assert not (blocker.parent / "cache").exists()
    _fresh_process_view()
    assert i18n.translate("Reception window {window}", "zh_CN") == "接待窗口 {window}"


def test_the_quick_schema_check_agrees_with_alembic() -> None:
    from xinfang_desk.persistence.db import head_revision, quick_head

    assert quick_head() == head_revision()


# -- what a command imports, seen from inside the process ---------------------------------------------------
HEAVY = ("pypinyin", "pypinyin.phrases_dict", "alembic", "babel", "keyring", "reportlab",
         "xinfang_desk.services.scheduling", "xinfang_desk.services.daily_log", "xinfang_desk.services.notices")

PROBE = f"""
import json, sys
from xinfang_desk.cli import main
try:
    code = main(sys.argv[1:])
finally:  # --version leaves through SystemExit
    sys.stdout.flush()
    print("MODULES " + json.dumps(sorted(m for m in {HEAVY!r} if m in sys.modules)), file=sys.stderr)
raise SystemExit(code)
"""


def _loaded(db_url: str, tmp_path: Path, *args: str, user: str | None = "clerk", stdin: str | None = None) -> set[str]:
    env = cli_env(XINFANG_DESK_CACHE=str(tmp_path / "cache"), XINFANG_DESK_DATA=str(tmp_path / "data"))
    argv = ["--db", db_url, "--window", WINDOW]
    if user:
        env["XINFANG_DESK_PASSWORD"] = PASSWORDS[user]
        argv += ["--user", user]
    p = subprocess.run([sys.executable, "-c", PROBE, *argv, *args], capture_output=True, text=True, cwd=REPO,
                       env=env, input=stdin, timeout=120)
    assert p.returncode == 0, p.stderr
    line = [x for x in p.stderr.splitlines() if x.startswith("MODULES ")][-1]
    return set(json.loads(line.removeprefix("MODULES ")))


@pytest.mark.parametrize(("args", "user"), [
    (("visits",), "clerk"),
    (("visits", "--json"), "clerk"),
    (("organs", "list"), None),
    (("calendar", "list"), None),
    (("users", "list"), "admin"),
    (("audit", "verify"), "admin"),
    (("visits", "search", "--json", "-"), "supervisor"),  # towns matched by name, not pinyin
])
def test_a_read_only_command_imports_only_what_it_needs(db_url: str, tmp_path: Path, args: tuple[str, ...],
                                                        user: str | None) -> None:
    stdin = '{"date_from": "2026-11-02", "date_to": "2026-11-30"}' if "search" in args else None
    _loaded(db_url, tmp_path, *args, user=user, stdin=stdin)  # the first run may parse the catalog and cache it
    assert _loaded(db_url, tmp_path, *args, user=user, stdin=stdin) == set()


def test_version_parses_the_rules_without_pypinyin(db_url: str, tmp_path: Path) -> None:
    assert _loaded(db_url, tmp_path, "--version", user=None) == set()


def test_the_probe_sees_what_a_writing_command_needs(db_url: str, tmp_path: Path) -> None:
    """The check above can fail: registering keys a name in pinyin, and a database behind the code migrates."""
    doc = json.dumps({"people": [{"name": "张三"}], "matter": {"kind": "suggestion", "summary": "增设公交站点"}},
                     ensure_ascii=False)
    assert {"pypinyin", "pypinyin.phrases_dict"} <= _loaded(db_url, tmp_path, "register", "--json", "-", stdin=doc)
    fresh = tmp_path / "fresh.sqlite3"  # no schema yet: it is migrated, through Alembic
    assert "alembic" in _loaded(f"sqlite:///{fresh}", tmp_path, "organs", "list", user=None)
    assert fresh.exists()


def test_the_gui_opens_the_database_without_pypinyin_or_alembic(db_url: str, tmp_path: Path) -> None:
    """What the log-in waits for (`open_services` on the writer thread) loads neither; `preload`, run after it on a
    reader thread, then brings pypinyin for the kind picker."""
    probe = (
        "import json, sys\n"
        "from xinfang_desk.app import open_services\n"
        f"sv, first = open_services({db_url!r}, {WINDOW!r})\n"
        "before = sorted(m for m in ('pypinyin', 'alembic', 'babel') if m in sys.modules)\n"
        "sv.preload()\n"
        "after = sorted(m for m in ('pypinyin', 'alembic') if m in sys.modules)\n"
        "sv.close()\n"
        "print(json.dumps([first, before, after]))\n"
    )
    env = cli_env(XINFANG_DESK_CACHE=str(tmp_path / "cache"), XINFANG_DESK_DATA=str(tmp_path / "data"))
    p = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, cwd=REPO, env=env, timeout=120)
    assert p.returncode == 0, p.stderr
    assert json.loads(p.stdout) == [False, [], ["pypinyin"]]
