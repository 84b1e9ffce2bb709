"""Each service method declares whether it reads or writes, and the database holds it to that (issue 15):
every public method of every service is declared; a method declared to read that writes (a transaction, an ORM
change, SQL that writes, a write method) fails loudly and writes nothing; methods that audit what they show
are writes and their audit event is there."""

from __future__ import annotations

import importlib
import inspect
import pkgutil
import sqlite3
from pathlib import Path

import pytest
from sqlalchemy import func, select, text

import xinfang_desk.services as services_pkg
from xinfang_desk.domain.errors import PermissionDenied
from xinfang_desk.persistence.models import AuditEvent, Setting
from xinfang_desk.services.access import WriteInReadMethod, access_of, reads, writes
from xinfang_desk.services.context import local_today

pytest_plugins = ["tests.integration.conftest_reg"]
pytest.register_assert_rewrite(*pytest_plugins)

from tests.integration.conftest_reg import person, reg  # noqa: E402


def _service_classes() -> list[type]:
    out = []
    for info in pkgutil.iter_modules(services_pkg.__path__):
        mod = importlib.import_module(f"{services_pkg.__name__}.{info.name}")
        out += [c for name, c in vars(mod).items()
                if inspect.isclass(c) and c.__module__ == mod.__name__ and name.endswith("Service")]
    return out


def test_every_public_service_method_declares_read_or_write() -> None:
    classes = _service_classes()
    assert len(classes) >= 15  # the enumeration finds the services (AuthService, SearchService, …)
    undeclared = []
    n = 0
    for cls in classes:
        for name, member in vars(cls).items():
            if name.startswith("_"):
                continue
            if isinstance(member, property) or not callable(getattr(member, "__func__", member)):
                undeclared.append(f"{cls.__name__}.{name} (not a method: declare what it does)")
                continue
            n += 1
            if access_of(member) not in ("read", "write"):
                undeclared.append(f"{cls.__name__}.{name}")
    assert undeclared == [], "declare these with @reads or @writes (services/access.py): " + ", ".join(undeclared)
    assert n > 100


def test_reading_with_an_audit_is_a_write() -> None:
    from xinfang_desk.services.search import SearchService
    from xinfang_desk.services.visit_search import VisitSearchService

    for method in (SearchService.person_history, SearchService.visit_detail, SearchService.search_people,
                   SearchService.visits_on, VisitSearchService.export_csv):
        assert access_of(method) == "write", method.__qualname__
    for method in (SearchService.check_repeat, SearchService.earlier_answers, VisitSearchService.visit):
        assert access_of(method) == "read", method.__qualname__


class _Probe:
    """A service written wrongly in each way a newcomer could."""

    def __init__(self, db) -> None:
        self.db = db

    @reads
    def opens_a_transaction(self) -> None:
        with self.db.transaction() as s:
            s.add(Setting(key="probe", value="x"))

    @reads
    def flushes_a_change(self) -> None:
        with self.db.session() as s:
            s.add(Setting(key="probe", value="x"))
            s.commit()

    @reads
    def writes_with_sql(self) -> None:
        with self.db.session() as s:
            s.execute(text("INSERT INTO settings (key, value) VALUES ('probe', '\"x\"')"))
            s.commit()

    @reads
    def calls_a_write_method(self) -> None:
        self.writes_properly()

    @writes
    def writes_properly(self) -> None:
        with self.db.session() as s:  # a write method reads on the read pool ...
            assert s.get(Setting, "probe") is None
        with self.db.transaction() as s:  # ... and writes in a transaction
            s.add(Setting(key="probe", value="x"))

    @reads
    def reads_properly(self) -> str | None:
        with self.db.session() as s:
            row = s.get(Setting, "probe")
            return None if row is None else str(row.value)


def _probe_rows(sv) -> int:
    with sv.db.session() as s:
        return int(s.scalar(select(func.count()).select_from(Setting).where(Setting.key == "probe")) or 0)


@pytest.mark.parametrize("how", ["opens_a_transaction", "flushes_a_change", "writes_with_sql", "calls_a_write_method"])
def test_a_read_method_that_writes_fails_loudly_and_writes_nothing(sv, how: str) -> None:
    probe = _Probe(sv.db)
    with pytest.raises(WriteInReadMethod, match="_Probe"):
        getattr(probe, how)()
    assert _probe_rows(sv) == 0
    assert probe.reads_properly() is None
    probe.writes_properly()  # the connections the refused reads used went back to the pool writable
    assert probe.reads_properly() == "x"


def test_a_raw_write_on_a_read_session_outside_any_service_is_refused_too(sv) -> None:
    with pytest.raises(WriteInReadMethod), sv.db.session() as s:
        s.execute(text("UPDATE settings SET value = '\"changed\"'"))
    with sv.db.transaction() as s:
        s.add(Setting(key="probe", value="y"))
    assert _probe_rows(sv) == 1


def test_a_refusal_in_a_read_method_is_still_audited(sv, actors, db_path: Path) -> None:
    lawyer = actors["lawyer"]
    with pytest.raises(PermissionDenied):
        sv.audit_log.actions(lawyer)  # declared to read; the refusal's audit is the one write it may cause
    con = sqlite3.connect(db_path)
    n = con.execute("SELECT count(*) FROM audit_events WHERE action = 'permission.denied' AND username = ?",
                    (lawyer.username,)).fetchone()[0]
    con.close()
    assert n == 1


def test_person_history_records_its_audit_event(sv, clerk) -> None:
    r = sv.registration.register(clerk, reg(person("赵六")))
    with sv.db.session() as s:
        pid = s.scalar(text("SELECT person_id FROM visit_people WHERE visit_id = :v"), {"v": r.visit_id})
    history = sv.search.person_history(clerk, pid)
    assert [h.query_code for h in history] == [r.query_code]
    with sv.db.session() as s:
        events = s.scalars(select(AuditEvent).where(AuditEvent.action == "person.view_history")).all()
    assert [e.entity_id for e in events] == [pid]


def test_the_read_paths_of_a_day_run_under_their_declarations(sv, clerk, supervisor) -> None:
    sv.registration.register(clerk, reg(person("钱七")))
    today = local_today()
    assert len(sv.search.visits_on(clerk, today)) == 1
    assert sv.daily_log.statistics(supervisor, today, today).visits == 1
    assert sv.reference.towns()
