"""The central PostgreSQL side: schema (Alembic), window roles, reference data, conflicts and quarantine.

Windows connect as their own login role (`window_bn03`), a member of the group role `xinfang_window`, which
holds no table privileges at all: only EXECUTE on `central.submit_changes` (the window is derived from
`session_user`, so a window can submit its own changes only), `central.pull_changes`, `central.central_info` and
`central.my_issues`. Supervisors' roles are also members of `xinfang_supervisor` (list/resolve conflicts,
list/acknowledge quarantine). No window holds an owner's or superuser's password.
"""

from __future__ import annotations

import json
import logging
import re
from pathlib import Path
from typing import Any

import psycopg
from psycopg import sql

from xinfang_desk.domain.identity import Actor
from xinfang_desk.domain.sync_records import ConflictDTO, QuarantineDTO
from xinfang_desk.i18n import N_
from xinfang_desk.sync.config import conninfo_params, sqlalchemy_url

log = logging.getLogger(__name__)
CENTRAL_MIGRATIONS = Path(__file__).resolve().parent / "central_migrations"
WINDOW_CODE = re.compile(r"^[A-Z0-9]{1,8}$")
CHOICES = ("central", "window", "merged")
# The reasons the centre gives for a conflict or a rejected (quarantined) change, as translatable msgids; the
# window stores them with their parameters (sync.engine.central_reason) and shows them translated.
REASON_CONFLICT = N_("edited version {base} but the centre has version {central}")
REASON_NO_CENTRAL_ROW = N_("update of a row the centre does not have")
REASON_ID_REUSED = N_("change id reused with a different payload (first received as gseq {gseq})")
REASON_CENTRAL_DB_ERROR = N_("The central database refused the change: {error}")


def connect(url: str, *, password: str | None = None, autocommit: bool = False) -> psycopg.Connection[Any]:
    return psycopg.connect(**conninfo_params(url, password=password), autocommit=autocommit)


def _alembic_config(url: str) -> Any:
    from alembic.config import Config

    cfg = Config()
    cfg.set_main_option("script_location", str(CENTRAL_MIGRATIONS))
    cfg.set_main_option("sqlalchemy.url", sqlalchemy_url(url).replace("%", "%%"))
    return cfg


def central_head() -> str:
    from alembic.script import ScriptDirectory

    return ScriptDirectory.from_config(_alembic_config("postgresql+psycopg://x@localhost/x")).get_current_head() or ""


def init_central(url: str, *, password: str | None = None) -> str:
    """Create or upgrade the central schema (as the database owner). Returns the head revision.
    Idempotent: running it on an up-to-date centre changes nothing."""
    from alembic import command
    from sqlalchemy import create_engine

    params = conninfo_params(url, password=password)
    engine = create_engine("postgresql+psycopg://", creator=lambda: psycopg.connect(**params))
    cfg = _alembic_config(url)
    try:
        with engine.begin() as conn:
            conn.exec_driver_sql("SELECT pg_advisory_xact_lock(72451)")  # two admins running init at once
            cfg.attributes["connection"] = conn
            command.upgrade(cfg, "head")
            if conn.exec_driver_sql("SHOW synchronous_commit").scalar() == "off":
                log.warning("synchronous_commit is off at the centre: a crash can lose changes the windows already "
                            "marked as sent; turn it on")
    finally:
        engine.dispose()
    return central_head()


def window_role_name(window_code: str) -> str:
    if not WINDOW_CODE.match(window_code or ""):
        raise ValueError("a window code is 1–8 capital letters or digits")
    return f"window_{window_code.lower()}"


def scram_verifier(password: str, *, iterations: int = 4096, salt: bytes | None = None) -> str:
    """The SCRAM-SHA-256 verifier PostgreSQL stores for `password` (RFC 5802/7677, PostgreSQL's format). Sent in
    `CREATE/ALTER ROLE … PASSWORD`, it keeps the plain password out of the server's statement log and
    pg_stat_activity. Printable ASCII only, so that no SASLprep normalisation can make client and server differ."""
    import base64
    import hashlib
    import hmac
    import secrets

    if not all(" " <= c <= "~" for c in password):
        raise ValueError("a window role password uses printable ASCII characters only")
    salt = salt if salt is not None else secrets.token_bytes(16)
    salted = hashlib.pbkdf2_hmac("sha256", password.encode("ascii"), salt, iterations)
    client_key = hmac.new(salted, b"Client Key", hashlib.sha256).digest()
    server_key = hmac.new(salted, b"Server Key", hashlib.sha256).digest()
    stored_key = hashlib.sha256(client_key).digest()
    b64 = base64.b64encode
    return f"SCRAM-SHA-256${iterations}:{b64(salt).decode()}${b64(stored_key).decode()}:{b64(server_key).decode()}"


def create_window_role(admin_url: str, window_code: str, password: str, *, supervisor: bool = False,
                       admin_password: str | None = None) -> str:
    """Create (or update the password of) the login role of a window and register it at this centre.
    Returns the role name. The role can call the sync functions and nothing else."""
    role = window_role_name(window_code)
    if not password or len(password) < 12:
        raise ValueError("a window role password needs at least 12 characters")
    with connect(admin_url, password=admin_password) as conn:
        exists = conn.execute("SELECT 1 FROM pg_roles WHERE rolname = %s", (role,)).fetchone()
        verb = "ALTER" if exists else "CREATE"
        conn.execute(sql.SQL(verb + " ROLE {} LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE INHERIT NOREPLICATION "
                             "NOBYPASSRLS PASSWORD {}").format(sql.Identifier(role),
                                                               sql.Literal(scram_verifier(password))))
        conn.execute(sql.SQL("GRANT CONNECT ON DATABASE {} TO {}").format(
            sql.Identifier(conn.info.dbname), sql.Identifier(role)))
        conn.execute(sql.SQL("GRANT xinfang_window TO {}").format(sql.Identifier(role)))
        if supervisor:
            conn.execute(sql.SQL("GRANT xinfang_supervisor TO {}").format(sql.Identifier(role)))
        conn.execute(
            "INSERT INTO central.window_roles (role_name, window_code, supervisor) VALUES (%s, %s, %s) "
            "ON CONFLICT (role_name) DO UPDATE SET window_code = EXCLUDED.window_code, supervisor = EXCLUDED.supervisor",
            (role, window_code, supervisor),
        )
    return role


def publish_reference(admin_url: str, entity: str, rows: list[dict[str, Any]], *, by: str | None = None,
                      key: str = "id", admin_password: str | None = None) -> int:
    """Publish reference rows (users, windows, later organs/statutes/calendar) from the centre to every window.
    Each row is a full snapshot as the windows' `row_payload` would write it. Returns the count."""
    with connect(admin_url, password=admin_password) as conn:
        for row in rows:
            conn.execute("SELECT central.publish_reference(%s, %s, %s, %s)",
                         (entity, str(row[key]), json.dumps(row, ensure_ascii=False, sort_keys=True,
                                                            separators=(",", ":")), by))
    return len(rows)


# -- conflicts and quarantine (Qt-free; the supervisor's screen calls these) ------------------------------
class ConflictService:
    """`list_conflicts()`, `resolve_conflict(actor, id, choice)`, `list_quarantine()` against one centre.
    The connecting role needs `xinfang_supervisor` (create_window_role(..., supervisor=True)) or ownership."""

    def __init__(self, central_url: str, *, password: str | None = None) -> None:
        self.central_url = central_url
        self.password = password

    def _conn(self) -> psycopg.Connection[Any]:
        return connect(self.central_url, password=self.password)

    def list_conflicts(self, status: str | None = "open") -> list[ConflictDTO]:
        with self._conn() as conn:
            rows = conn.execute("SELECT * FROM central.list_conflicts(%s)", (status,)).fetchall()
        return [ConflictDTO(*r) for r in rows]

    def resolve_conflict(self, actor: Actor, conflict_id: int, choice: str,
                         merged: dict[str, Any] | None = None) -> int:
        """choice: 'central' (keep the centre's version), 'window' (take the window's edit) or 'merged' (the
        supervisor's row in `merged`). Publishes a new version to every window; returns its gseq."""
        actor.require(N_("resolve sync conflicts"))
        if choice not in CHOICES:
            raise ValueError(f"choice must be one of {', '.join(CHOICES)}")
        if (choice == "merged") != (merged is not None):
            raise ValueError("a merged row is given with choice 'merged' and only then")
        payload = json.dumps(merged, ensure_ascii=False, sort_keys=True) if merged is not None else None
        with self._conn() as conn:
            row = conn.execute("SELECT central.resolve_conflict(%s, %s, %s, %s)",
                               (conflict_id, choice, actor.username, payload)).fetchone()
        assert row is not None
        return int(row[0])

    def list_quarantine(self, include_resolved: bool = False) -> list[QuarantineDTO]:
        with self._conn() as conn:
            rows = conn.execute("SELECT * FROM central.list_quarantine(%s)", (include_resolved,)).fetchall()
        return [QuarantineDTO(*r) for r in rows]

    def acknowledge_quarantine(self, actor: Actor, entry_id: int, note: str) -> None:
        actor.require(N_("resolve sync conflicts"))
        if not note.strip():
            raise ValueError("say what was done about the rejected change")
        with self._conn() as conn:
            conn.execute("SELECT central.acknowledge_quarantine(%s, %s, %s)", (entry_id, actor.username, note))


def list_conflicts(central_url: str, status: str | None = "open") -> list[ConflictDTO]:
    return ConflictService(central_url).list_conflicts(status)


def resolve_conflict(actor: Actor, conflict_id: int, choice: str, *, central_url: str,
                     merged: dict[str, Any] | None = None) -> int:
    return ConflictService(central_url).resolve_conflict(actor, conflict_id, choice, merged)


def list_quarantine(central_url: str, include_resolved: bool = False) -> list[QuarantineDTO]:
    return ConflictService(central_url).list_quarantine(include_resolved)
