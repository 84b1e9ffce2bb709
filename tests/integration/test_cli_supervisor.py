"""The supervisor's CLI as a script drives it, logged in with --user and XINFANG_DESK_PASSWORD: progress,
state, visits search with CSV."""

from __future__ import annotations

import json
import os

import pytest

pytest_plugins = ["tests.integration.conftest_reg"]
pytest.register_assert_rewrite(*pytest_plugins)

from tests.integration.conftest_reg import PASSWORDS, person, reg, run_cli  # noqa: E402
from tests.naughty import VALID_ID  # noqa: E402

DAY = "2026-11-26"


def as_user(name: str) -> dict[str, str]:
    return {"XINFANG_DESK_PASSWORD": PASSWORDS[name]}


@pytest.fixture
def code(sv, clerk) -> str:
    import datetime as dt

    return sv.registration.register(clerk, reg(person("张三", id_number=VALID_ID, phone="13812345678"),
                                               received_on=dt.date.fromisoformat(DAY))).query_code


def test_state_then_progress_json_and_slip(code, db_url, tmp_path) -> None:
    step = json.dumps({"state": "transferred", "occurred_on": DAY, "organ": "区人力资源和社会保障局", "document": "青信转〔2026〕12号"},
                      ensure_ascii=False)
    r = run_cli(db_url, "--user", "clerk", "state", code, "--json", "-", stdin=step, **as_user("clerk"))
    assert r.code == 0, r.err
    assert r.json()["state"] == "transferred" and r.json()["history"][0]["organ"] == "区人力资源和社会保障局"
    slip = tmp_path / "slip.pdf"
    r = run_cli(db_url, "--user", "supervisor", "progress", code, "--json", "--slip", str(slip), **as_user("supervisor"))
    assert r.code == 0, r.err
    doc = r.json()
    assert doc["state_label"] == "已转送" and [h["label"] for h in doc["history"]] == ["转送"]
    assert doc["people"] == [{"name": "张三", "id_number": "110105********002X"}]
    assert VALID_ID not in r.out and os.stat(slip).st_mode & 0o777 == 0o600
    r = run_cli(db_url, "--user", "clerk", "progress", code, **as_user("clerk"))
    assert "当前状态：已转送" in r.out and "转送　区人力资源和社会保障局（青信转〔2026〕12号）" in r.out


def test_illegal_step_refused_with_reason_exit_2(code, db_url) -> None:
    assert run_cli(db_url, "--user", "clerk", "state", code, "--json", "-", stdin='{"state": "closed"}', **as_user("clerk")).code == 0
    r = run_cli(db_url, "--user", "clerk", "state", code, "--json", "-", stdin='{"state": "accepted", "organ": "区住建委"}',
                **as_user("clerk"))
    assert r.code == 2 and "已办结" in r.err and "已受理" in r.err
    r = run_cli(db_url, "--user", "clerk", "state", code, "--json", "-", stdin='{"state": "closed", "when": 1}', **as_user("clerk"))
    assert r.code == 2 and "when" in r.err


def test_unknown_query_code_never_another_matter(code, db_url) -> None:
    r = run_cli(db_url, "--user", "clerk", "progress", "BN03-20261126-0042", "--json", **as_user("clerk"))
    assert r.code == 1 and "BN03-20261126-0042" in r.err and r.out == ""
    r = run_cli(db_url, "--user", "clerk", "progress", "--id-number", VALID_ID, "--name", "李四", **as_user("clerk"))
    assert r.code == 1 and r.out == ""
    r = run_cli(db_url, "--user", "clerk", "progress", "--id-number", VALID_ID, "--name", "张三", "--json", **as_user("clerk"))
    assert r.code == 0 and [v["query_code"] for v in r.json()] == [code]


def test_visits_search_json_and_csv_with_bom(code, db_url, tmp_path) -> None:
    out = tmp_path / "hits.csv"
    q = json.dumps({"date_from": DAY, "date_to": DAY, "kinds": ["suggestion"], "count": True})
    r = run_cli(db_url, "--user", "supervisor", "visits", "search", "--json", "-", "--csv", str(out), stdin=q,
                **as_user("supervisor"))
    assert r.code == 0, r.err
    doc = r.json()
    assert doc["total"] == 1 and doc["visits"][0]["query_code"] == code
    data = out.read_bytes()
    assert data.startswith(b"\xef\xbb\xbf") and code.encode() in data and VALID_ID.encode() not in data
    assert b"13812345678" not in data and b"138****5678" in data
    assert os.stat(out).st_mode & 0o777 == 0o600
    r = run_cli(db_url, "--user", "supervisor", "visits", "search", "--json", "-", stdin='{"kinds": "nonsense"}',
                **as_user("supervisor"))
    assert r.code == 2 and "kinds" in r.err
    r = run_cli(db_url, "--user", "supervisor", "visits", "search", "--json", "-", stdin='{"page": "x"}',
                **as_user("supervisor"))
    assert r.code == 2 and "page" in r.err
    # the old day listing still works beside the new sub-command
    r = run_cli(db_url, "--user", "clerk", "visits", "--date", DAY, "--json", **as_user("clerk"))
    assert r.code == 0 and r.json()[0]["query_code"] == code
