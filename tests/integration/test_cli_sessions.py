"""`sessions plan|list`, `book`, `unbook`, `attend`, `advice`, `slip`, `docket` as scripts drive them: JSON in and
out, a re-run creates nothing twice, refusals exit 2 (input) or 3 (permission) naming the reason, nothing written."""

from __future__ import annotations

import json
import os
import stat

pytest_plugins = ["tests.integration.conftest_reg"]

from tests.integration.conftest_reg import PASSWORDS, REPO, counts, delta, person, reg, run_cli  # noqa: E402
from tests.naughty import VALID_ID  # noqa: E402

PLAN = (REPO / "tests" / "data" / "sessions-plan.json").read_text(encoding="utf-8")
FIELDS = {"id", "type", "date", "start", "end", "place", "town", "capacity", "people", "bookings", "waiting"}


def written(before: dict, after: dict) -> dict:
    """What changed apart from the audit trail (a log-in and a refusal are audited, with their outbox rows)."""
    return {t: n for t, n in delta(before, after).items() if t not in ("audit_events", "outbox")}


def as_user(name: str) -> dict:
    return {"XINFANG_DESK_PASSWORD": PASSWORDS[name]}


def plan(db_url: str, text: str = PLAN, user: str = "admin"):
    return run_cli(db_url, "--user", user, "sessions", "plan", "--json", "-", stdin=text, **as_user(user))


def test_plan_prints_the_sessions_created_and_a_rerun_creates_nothing(db_url, db_path):
    r = plan(db_url)
    assert r.code == 0, r.err
    created = r.json()
    assert len(created) > 100 and all(FIELDS <= set(s) for s in created)
    types = {s["type"] for s in created}
    assert types == {"leader_reception", "lawyer_duty", "outreach"}
    leader = [s for s in created if s["type"] == "leader_reception"]
    assert all({p["role"] for p in s["people"]} >= {"leader"} and len(s["people"]) == 2 for s in leader)
    assert "2027-02-10" not in {s["date"] for s in leader}  # an exception
    assert "2027-03-18" in {s["date"] for s in leader} and "2027-03-17" not in {s["date"] for s in leader}  # moved
    liu = [s["date"] for s in created if s["town"] == "柳城镇"]
    assert liu and all(int(d[-2:]) in {1, 4, 7, 11, 14, 17, 21, 24, 27} for d in liu)
    assert "青溪正和律师事务所" in r.err  # the count per firm is shown
    assert "2027" in r.err and "节假日" in r.err  # the shipped holiday calendar ends in 2026: said, not hidden
    before = counts(db_path)
    again = plan(db_url)
    assert again.code == 0 and again.json() == []
    assert written(before, counts(db_path)) == {}


def test_list_filters_by_type_and_town(db_url):
    assert plan(db_url).code == 0
    r = run_cli(db_url, "--user", "clerk", "sessions", "list", "--from", "2027-01-01", "--to", "2027-01-31", "--town", "石桥镇",
                "--json", **as_user("clerk"))
    assert r.code == 0, r.err
    rows = r.json()
    assert rows and {s["town"] for s in rows} == {"石桥镇"} and {s["type"] for s in rows} == {"outreach"}
    r = run_cli(db_url, "--user", "clerk", "sessions", "list", "--from", "2027-01-01", "--to", "2027-01-31", "--type", "leader_reception",
                "--json", **as_user("clerk"))
    assert {s["type"] for s in r.json()} == {"leader_reception"} and all(s["town"] is None for s in r.json())
    bad = run_cli(db_url, "--user", "clerk", "sessions", "list", "--from", "2027-01-31", "--to", "2027-01-01", **as_user("clerk"))
    assert bad.code == 2 and "--to" in bad.err


def test_plan_refusals_exit_2_or_3_and_write_nothing(db_url, db_path):
    before = counts(db_path)
    r = plan(db_url, user="clerk")
    assert r.code == 3 and "安排接访场次" in r.err
    doc = json.loads(PLAN)
    doc["plans"][0]["people"] = ["lead-wang"]  # a leader's reception without any lawyer
    doc["plans"][0].pop("rotate_lawyers")
    r = plan(db_url, json.dumps(doc, ensure_ascii=False))
    assert r.code == 2 and "plans[0].people" in r.err and "律师" in r.err
    doc = json.loads(PLAN)
    doc["plans"][2]["market_days"]["days"] = [1, 4, 31]
    r = plan(db_url, json.dumps(doc, ensure_ascii=False))
    assert r.code == 2 and "plans[2].market_days.days" in r.err
    doc = json.loads(PLAN)
    doc["plans"][3]["town"] = "火星镇"
    r = plan(db_url, json.dumps(doc, ensure_ascii=False))
    assert r.code == 2 and "plans[3].town" in r.err and "火星镇" in r.err
    assert written(before, counts(db_path)) == {}


def test_book_unbook_attend_advice_slip_and_docket(db_url, db_path, sv, clerk, tmp_path):
    assert plan(db_url).code == 0
    sessions = run_cli(db_url, "--user", "clerk", "sessions", "list", "--from", "2027-01-06", "--to", "2027-01-06",
                       "--type", "leader_reception", "--json", **as_user("clerk")).json()
    sid = sessions[0]["id"]
    code = sv.registration.register(clerk, reg(person("张三", id_number=VALID_ID, phone="13800138000"), kind="labour.dispute",
                                               respondent="某物流公司")).query_code
    sv.close()
    r = run_cli(db_url, "--user", "clerk", "book", code, sid, **as_user("clerk"))
    assert r.code == 0, r.err
    b = r.json()
    assert (b["status"], b["provisional"], b["query_code"]) == ("booked", True, code)
    before = counts(db_path)
    r = run_cli(db_url, "--user", "clerk", "book", code, sid, **as_user("clerk"))
    assert r.code == 2 and "已预约" in r.err
    assert written(before, counts(db_path)) == {}
    r = run_cli(db_url, "--user", "lawyer", "book", code, sid, **as_user("lawyer"))
    assert r.code == 3
    r = run_cli(db_url, "--user", "clerk", "attend", code, sid, "--attended", **as_user("clerk"))
    assert r.code == 2 and "尚未举行" in r.err
    slip = tmp_path / "slip.pdf"
    r = run_cli(db_url, "--user", "clerk", "slip", code, "--pdf", str(slip), **as_user("clerk"))
    assert r.code == 0 and slip.read_bytes().startswith(b"%PDF")
    assert stat.S_IMODE(os.stat(slip).st_mode) == 0o600
    docket = tmp_path / "docket.pdf"
    r = run_cli(db_url, "--user", "clerk", "sessions", "docket", sid, "--pdf", str(docket), **as_user("clerk"))
    assert r.code == 0 and docket.read_bytes().startswith(b"%PDF")
    # advice: the lawyer account must be linked to its person first
    advice = json.dumps({"advice": "建议申请劳动争议仲裁", "channel": "statutory_channel", "legal_aid": True, "session_id": sid},
                        ensure_ascii=False)
    r = run_cli(db_url, "--user", "lawyer", "advice", code, "--json", "-", stdin=advice, **as_user("lawyer"))
    assert r.code == 2 and "person" in r.err
    leader_day = [p["key"] for p in sessions[0]["people"] if p["role"] != "leader"][0]
    r = run_cli(db_url, "--user", "clerk", "sessions", "link", leader_day, "lawyer", **as_user("clerk"))
    assert r.code == 3
    r = run_cli(db_url, "--user", "admin", "sessions", "link", leader_day, "lawyer", **as_user("admin"))
    assert r.code == 0 and r.json()["username"] == "lawyer"
    referral = tmp_path / "referral.pdf"
    r = run_cli(db_url, "--user", "lawyer", "advice", code, "--json", "-", "--referral", str(referral), stdin=advice, **as_user("lawyer"))
    assert r.code == 0, r.err
    assert r.json()["legal_aid"] is True and r.json()["channel"] == "statutory_channel"
    assert referral.read_bytes().startswith(b"%PDF")
    r = run_cli(db_url, "--user", "clerk", "unbook", code, sid, **as_user("clerk"))
    assert r.code == 0 and r.json()["status"] == "cancelled"


def test_demo_adds_a_realistic_plan_with_bookings(tmp_path):
    import sqlite3

    url = f"sqlite:///{tmp_path / 'demo.sqlite3'}"
    r = run_cli(url, "demo", "--no-gui", timeout=300)
    assert r.code == 0, r.err
    con = sqlite3.connect(tmp_path / "demo.sqlite3")
    try:
        types = dict(con.execute("SELECT type, count(*) FROM reception_sessions GROUP BY type").fetchall())
        assert types["leader_reception"] >= 8 and types["lawyer_duty"] >= 30 and types["outreach"] >= 20
        cals = {json.loads(spec)["market_days"]["calendar"] for (spec,) in
                con.execute("SELECT spec FROM session_plans WHERE type = 'outreach'")}
        assert cals == {"solar", "lunar"}
        towns = {t for (t,) in con.execute("SELECT DISTINCT town FROM reception_sessions WHERE type = 'outreach'")}
        assert len(towns) >= 4
        firms = {f for (f,) in con.execute("""SELECT DISTINCT p.organisation FROM session_staff st JOIN staff_people p
            ON p.id = st.person_id JOIN reception_sessions r ON r.id = st.session_id WHERE r.type = 'leader_reception'
            AND p.role = 'lawyer'""")}
        assert len(firms) == 3  # rotated across the three firms
        status = dict(con.execute("SELECT status, count(*) FROM session_bookings GROUP BY status").fetchall())
        assert status.get("booked", 0) >= 10 and status.get("waiting", 0) >= 1
        linked = con.execute("SELECT p.name FROM staff_people p JOIN users u ON u.id = p.user_id WHERE u.username = 'lawyer'").fetchone()
        assert linked == ("刘明",)
    finally:
        con.close()
