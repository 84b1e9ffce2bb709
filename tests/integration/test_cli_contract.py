"""The automation interface as scripts and the acceptance checks drive it: a real subprocess, JSON on
stdin, JSON on stdout, exit 2 with the field named on stderr for bad input, nothing written."""

from __future__ import annotations

import json
import re
import sqlite3
import tomllib
from pathlib import Path

import pytest

from tests.naughty import EXT_B_FIRST, JI, MIDDLE_DOT, VALID_ID, YAN, fullwidth
from xinfang_desk.services.container import Services
from xinfang_desk.services.context import local_today
from xinfang_desk.services.demo import DEMO_USERS

pytest_plugins = ["tests.integration.conftest_reg"]
pytest.register_assert_rewrite(*pytest_plugins)

from tests.integration.conftest_reg import (  # noqa: E402
    CLI_FAILURE_AUDIT_DELTA,
    PASSWORDS,
    REPO,
    WINDOW,
    counts,
    delta,
    run_cli,
)

TODAY = local_today().isoformat()


def doc(**over) -> dict:
    d = {"people": [{"name": "张三", "id_number": "", "phone": "13800138000", "address": "青溪街道3号"}],
         "matter": {"kind": "suggestion", "summary": "建议增设公交站点", "demands": "增设站点", "respondent": "区交通运输局"}}
    d.update(over)
    return d


def register(db_url: str, document, **kw):
    text = document if isinstance(document, str) else json.dumps(document, ensure_ascii=False)
    return run_cli(db_url, "register", "--json", "-", stdin=text, **kw)


def visits(db_url: str, *extra: str, **kw) -> list[dict]:
    r = run_cli(db_url, "visits", "--date", TODAY, "--json", *extra, **kw)
    assert r.code == 0, r.err
    return r.json()


def test_version_matches_pyproject(db_url: str) -> None:
    project = tomllib.loads((REPO / "pyproject.toml").read_text())
    # one version source: pyproject takes it from the package ([tool.setuptools.dynamic])
    assert "version" in project["project"]["dynamic"]
    assert project["tool"]["setuptools"]["dynamic"]["version"] == {"attr": "xinfang_desk.__version__"}
    from xinfang_desk import __version__ as version

    assert re.fullmatch(r"\d+\.\d+\.\d+", version)
    r = run_cli(db_url, "--version")
    assert r.code == 0 and r.out.splitlines()[0] == f"xinfang-desk {version}"  # then the data versions


def test_register_output_contract(db_url: str) -> None:
    r = register(db_url, doc())
    assert r.code == 0, r.err
    out = r.json()
    assert {"visit_id", "query_code", "person_ids", "repeat_of"} <= set(out)
    assert re.fullmatch(rf"{WINDOW}-\d{{8}}-0001", out["query_code"])
    assert isinstance(out["person_ids"], list) and len(out["person_ids"]) == 1
    assert out["repeat_of"] is None
    again = register(db_url, doc()).json()  # same person? no ID: a new person, but the same matter text
    assert again["query_code"].endswith("-0002")


def test_repeat_reported_by_the_cli(db_url: str) -> None:
    d = doc(people=[{"name": "王芳", "id_number": VALID_ID}])
    first = register(db_url, d).json()
    second = register(db_url, d).json()
    assert second["repeat_of"]["visit_id"] == first["visit_id"]
    assert second["repeat_of"]["query_code"] == first["query_code"]


def test_visits_json_contract(db_url: str) -> None:
    res = register(db_url, doc()).json()
    [v] = visits(db_url)
    assert {"query_code", "received_at", "window", "people", "matter"} <= set(v)
    assert v["query_code"] == res["query_code"] and v["window"] == WINDOW
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\+08:00", v["received_at"])
    assert v["matter"]["kind"] == "suggestion" and v["matter"]["label"]
    assert [p["name"] for p in v["people"]] == ["张三"]
    assert v["people"][0]["phone"] == "138****8000"  # the automation account has the clerk's view


def test_id_typed_fullwidth_stored_ascii_visible_to_supervisor(db_url: str, db_path: Path) -> None:
    for raw in (fullwidth(VALID_ID), VALID_ID.lower(), "110105-19491231-002x"):
        r = register(db_url, doc(people=[{"name": "王芳", "id_number": raw}]))
        assert r.code == 0, r.err
    con = sqlite3.connect(db_path)
    assert con.execute("SELECT DISTINCT id_number FROM people WHERE name = '王芳'").fetchall() == [(VALID_ID,)]
    con.close()
    masked = visits(db_url)
    assert {p["id_number"] for v in masked for p in v["people"]} == {"110105********002X"}
    full = visits(db_url, "--reveal-reason", "核对", XINFANG_DESK_USER="supervisor", XINFANG_DESK_PASSWORD=PASSWORDS["supervisor"])
    assert {p["id_number"] for v in full for p in v["people"]} == {VALID_ID}


def test_rare_names_round_trip_through_cli_json(db_url: str) -> None:
    names = [JI + "祥", "刘" + YAN, EXT_B_FIRST + "明", "阿依古丽" + MIDDLE_DOT + "买买提", JI * 50]
    for name in names:
        r = register(db_url, doc(people=[{"name": name}]))
        assert r.code == 0, r.err
    got = [p["name"] for v in visits(db_url) for p in v["people"]]
    assert got == names
    # also when the JSON arrives with \\u escapes (surrogate pairs) instead of raw UTF-8
    r = register(db_url, json.dumps(doc(people=[{"name": JI + "一"}]), ensure_ascii=True))
    assert r.code == 0, r.err
    assert visits(db_url)[-1]["people"][0]["name"] == JI + "一"


BAD_INPUT = [
    ("malformed", '{"people": [', "--json"),
    ("not an object", "[1, 2]", "(document)"),
    ("unknown top-level field", doc(priority="high"), "priority"),
    ("unknown person field", doc(people=[{"name": "张三", "nickname": "三儿"}]), "people[0].nickname"),
    ("unknown matter field", doc(matter={"kind": "suggestion", "summary": "x", "urgent": True}), "matter.urgent"),
    ("group_size as text", doc(group_size="12"), "group_size"),
    ("group_size as bool", doc(group_size=True), "group_size"),
    ("people not a list", doc(people={"name": "张三"}), "people"),
    ("people empty", doc(people=[]), "people"),
    ("name is a number", doc(people=[{"name": 123}]), "people[0].name"),
    ("facts not an object", doc(matter={"kind": "suggestion", "summary": "x", "facts": [1]}), "matter.facts"),
    ("received_on impossible", doc(received_on="2026-02-30"), "received_on"),
    ("received_on compact", doc(received_on="20261127"), "received_on"),
    ("received_on as number", doc(received_on=20261127), "received_on"),
    ("received_at without offset", doc(received_at="2026-11-27T09:30:00"), "received_at"),
    ("received_at nonsense", doc(received_at="0000-00-00"), "received_at"),
]


@pytest.mark.parametrize("label,document,field", BAD_INPUT, ids=[b[0] for b in BAD_INPUT])
def test_bad_input_exit_2_names_field_writes_nothing(db_url: str, db_path: Path, label, document, field) -> None:
    before = counts(db_path)
    r = register(db_url, document, lang="en")
    assert r.code == 2, (r.code, r.out, r.err)
    assert field in r.err, r.err
    assert "Traceback" not in r.err and r.out == ""
    assert counts(db_path) == before


@pytest.mark.parametrize("document,label", [
    (doc(people=[{"name": "王芳", "id_number": VALID_ID[:17]}]), "ID number: must have 18 characters"),
    (doc(people=[{"name": "买买提" + chr(0x30FB) + "艾力"}]), "Name: uses"),
    (doc(matter={"kind": "no.such.kind", "summary": "x"}), "Kind of matter: unknown kind"),
    (doc(channel="fax"), "Channel:"),
    (doc(received_on="2999-01-01"), "Received on: lies in the future"),
], ids=["id", "name", "kind", "channel", "future"])
def test_invalid_values_exit_2_only_the_failure_audit_written(db_url, db_path: Path, document, label) -> None:
    before = counts(db_path)
    r = register(db_url, document, lang="en")
    assert r.code == 2 and r.out == "", (r.code, r.out, r.err)
    assert label in r.err, r.err
    assert delta(before, counts(db_path)) == CLI_FAILURE_AUDIT_DELTA


def test_which_person_is_wrong_is_named(db_url: str) -> None:
    """With three representatives, "ID number: …" alone does not say whose; the script needs people[1]."""
    people = [{"name": n, "id_number": VALID_ID if i != 1 else VALID_ID[:17], "role": "representative"}
              for i, n in enumerate(("甲某", "乙某", "丙某"))]
    people[2]["id_number"] = ""
    r = register(db_url, doc(people=people, group_size=12), lang="en")
    assert r.code == 2
    assert "people[1].id_number" in r.err, r.err


def test_error_message_in_chinese_by_default(db_url: str) -> None:
    r = register(db_url, doc(people=[{"name": "王芳", "id_number": VALID_ID[:17]}]))
    assert r.code == 2
    assert "身份证" in r.err, r.err


@pytest.mark.parametrize("date", ["2026-13-01", "2026-2-3", "tomorrow", "2026-02-29"])
def test_visits_bad_date_exit_2(db_url: str, date: str) -> None:
    r = run_cli(db_url, "visits", "--date", date, "--json", lang="en")
    assert r.code == 2 and "--date" in r.err and r.out == ""


@pytest.mark.slow
def test_demo_no_gui(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'demo.sqlite3'}"
    r = run_cli(url, "demo", "--no-gui", timeout=300)
    assert r.code == 0, r.err
    con = sqlite3.connect(tmp_path / "demo.sqlite3")
    try:
        n = con.execute("SELECT count(*) FROM visits").fetchone()[0]
        assert 180 <= n <= 220
        windows = {w for (w,) in con.execute("SELECT DISTINCT window_code FROM visits")}
        assert windows == {"BN01", "BN02", "BN03"}
        assert con.execute("SELECT count(*) FROM matters WHERE repeat_of_visit_id IS NOT NULL").fetchone()[0] >= 1
        size, reps = con.execute("""SELECT v.group_size, count(vp.id) FROM visits v JOIN visit_people vp
            ON vp.visit_id = v.id WHERE v.group_size > 5 GROUP BY v.id""").fetchone()
        assert size > 5 and 1 <= reps <= 5
        assert con.execute("PRAGMA integrity_check").fetchone() == ("ok",)
    finally:
        con.close()
    sv = Services.open(url, WINDOW)
    try:
        roles = {sv.auth.login(u, pw).role for u, _d, _r, pw, _w in DEMO_USERS}
        assert len(DEMO_USERS) == 6 and roles == {"admin", "supervisor", "clerk", "lawyer"}
    finally:
        sv.close()
