"""Search finds a name with a rare character (𠮷志强) by any substring of the name and by the pinyin and initials
of the characters that have a reading (issue 13 item 5)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from tests.sessions import session_of
from xinfang_desk.services.dto import MatterInput, PersonInput, RegistrationInput


@pytest.fixture
def svc(tmp_path: Path) -> Any:
    from xinfang_desk.services.container import Services

    s = Services.open(f"sqlite:///{tmp_path / 'x.sqlite3'}", "BN03")
    clerk = session_of(s, "clerk")
    for name in ("𠮷志强", "王志强", "志强", "张三", "欧阳娜娜"):
        s.registration.register(clerk, RegistrationInput(people=(PersonInput(name=name),),
                                                         matter=MatterInput(kind="suggestion", summary="建议")))
    yield s, clerk
    s.close()


@pytest.mark.parametrize(("query", "found"), [
    ("jzq", {"𠮷志强"}),          # initials, 𠮷 read as ji
    ("jizhiqiang", {"𠮷志强"}),   # full pinyin
    ("𠮷", {"𠮷志强"}),           # the rare character itself
    ("𠮷志", {"𠮷志强"}),
    ("阳娜", {"欧阳娜娜"}),        # any substring of the name
    ("娜娜", {"欧阳娜娜"}),
    ("yangna", {"欧阳娜娜"}),      # inside the pinyin
    ("yn", {"欧阳娜娜"}),          # inside the initials (oynn)
])
def test_rare_and_inner_names_are_found(svc: Any, query: str, found: set[str]) -> None:
    s, clerk = svc
    assert {h.name for h in s.search.search_people(clerk, query)} == found


def test_a_prefix_hit_comes_first_and_substrings_are_searched_when_no_prefix_finds_anybody(svc: Any) -> None:
    s, clerk = svc
    assert [h.name for h in s.search.search_people(clerk, "志强")] == ["志强"]  # a prefix hit: no scan
    assert {h.name for h in s.search.search_people(clerk, "zq")} == {"志强"}
    assert {h.name for h in s.search.search_people(clerk, "志强x")} == set()
    # a name typed with a different rare character than the stored one is not confused with it
    assert {h.name for h in s.search.search_people(clerk, "吉志强")} == set()


def _revision_before_desk() -> str:
    import importlib.util

    import xinfang_desk.persistence as persistence

    path = Path(persistence.__file__).parent / "migrations" / "versions" / "0010_desk.py"
    spec = importlib.util.spec_from_file_location("m0010_desk", path)
    assert spec is not None and spec.loader is not None
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return str(mod.down_revision)


def test_the_migration_gives_earlier_rare_names_their_reading(tmp_path: Path) -> None:
    import sqlite3

    from xinfang_desk.services.container import Services

    path = tmp_path / "old.sqlite3"
    s = Services.open(f"sqlite:///{path}", "BN03")
    clerk = session_of(s, "clerk")
    s.registration.register(clerk, RegistrationInput(people=(PersonInput(name="𠮷志强"),),
                                                     matter=MatterInput(kind="suggestion", summary="建议")))
    s.close()
    from alembic import command

    from xinfang_desk.persistence.db import alembic_config

    command.downgrade(alembic_config(f"sqlite:///{path}"), _revision_before_desk())  # the schema of that version
    con = sqlite3.connect(path)  # as an earlier version stored it: the rare character left out of the keys
    con.execute("UPDATE people SET name_pinyin='zhiqiang', name_initials='zq'")
    con.commit()
    con.close()
    s = Services.open(f"sqlite:///{path}", "BN03")
    try:
        assert [h.name for h in s.search.search_people(clerk, "jzq")] == ["𠮷志强"]
    finally:
        s.close()
