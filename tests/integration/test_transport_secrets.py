"""Transport and secrets (issue 11, item 6).

* A centre that is not on this machine is reached with TLS `verify-full` by default: a URL without `sslmode`
  connects only to a server whose certificate a trusted CA issued for that host name.
* No secret in logs, process arguments or files: a full flow through the CLI as separate processes (demo,
  register, central init, add-window, sync over TLS to a throwaway PostgreSQL that logs every statement and
  connection and asks the windows for SCRAM passwords, export, audit verify), then every file written, every
  output, the server's log and the command lines sampled while the processes ran are searched for the
  passwords and keys."""

from __future__ import annotations

import base64
import json
import os
import subprocess
import sys
import time
from pathlib import Path

import psycopg
import pytest
from cryptography.hazmat.primitives import serialization
from pgcluster import PgCluster

from tests.integration.test_sync_tls import _ca, _server_cert
from xinfang_desk.sync.config import conninfo_params, is_local_host

REPO = Path(__file__).resolve().parents[2]
HOST = "central.test"  # what the server certificate names; reached through hostaddr=127.0.0.1
WINDOW_PASSWORD = "Wnd-9f3kQ-tls-Secret-77"
EXPORT_KEY = bytes(range(7, 39))  # 32 bytes


def test_default_is_verify_full_outside_localhost(monkeypatch) -> None:
    for var in ("XINFANG_DESK_CENTRAL_SSLMODE", "XINFANG_DESK_CENTRAL_SSLROOTCERT", "XINFANG_DESK_CENTRAL_PASSWORD"):
        monkeypatch.delenv(var, raising=False)
    remote = conninfo_params("postgresql://window_bn03@central.example.org:5432/xinfang")
    assert remote["sslmode"] == "verify-full"
    assert conninfo_params("postgresql://w@10.1.2.3/x")["sslmode"] == "verify-full"
    for local in ("postgresql://w@localhost/x", "postgresql://w@127.0.0.1/x", "postgresql://w@[::1]/x",
                  "host=/var/run/postgresql dbname=x"):
        assert "sslmode" not in conninfo_params(local), local
    assert is_local_host("127.0.0.1,localhost") and not is_local_host("127.0.0.1,central.example.org")
    # an explicit mode is respected (an assessor sees the warning in the log)
    assert conninfo_params("postgresql://w@central.example.org/x?sslmode=require")["sslmode"] == "require"


@pytest.fixture(scope="module")
def secure_pg(tmp_path_factory: pytest.TempPathFactory):
    """A cluster that serves TLS for `central.test`, logs every statement and connection, and asks every role but
    the owner for a SCRAM password."""
    d = tmp_path_factory.mktemp("secure")
    ca, ca_key = _ca("xinfang district CA")
    other, _ = _ca("another CA")
    (d / "ca.pem").write_bytes(ca.public_bytes(serialization.Encoding.PEM))
    (d / "other-ca.pem").write_bytes(other.public_bytes(serialization.Encoding.PEM))
    cluster = PgCluster()
    cluster.start()
    try:
        cluster.enable_ssl(*_server_cert(ca, ca_key, HOST))
        hba = cluster.data / "pg_hba.conf"
        hba.write_text("local all all trust\nhost all postgres 127.0.0.1/32 trust\n"
                       "hostssl all all 127.0.0.1/32 scram-sha-256\n")
        with psycopg.connect(cluster.conninfo(), autocommit=True) as conn:
            conn.execute("ALTER SYSTEM SET log_statement = 'all'")
            conn.execute("ALTER SYSTEM SET log_connections = on")
            conn.execute("SELECT pg_reload_conf()")
        time.sleep(0.5)
        yield cluster, d
    finally:
        cluster.destroy()


def test_remote_centre_without_sslmode_refuses_a_foreign_ca(secure_pg, monkeypatch) -> None:
    pg, d = secure_pg
    monkeypatch.delenv("XINFANG_DESK_CENTRAL_SSLMODE", raising=False)
    good = f"postgresql://postgres@{HOST}:{pg.port}/postgres?hostaddr=127.0.0.1&sslrootcert={d / 'ca.pem'}"
    with psycopg.connect(**conninfo_params(good)) as conn:
        assert conn.execute("SELECT ssl FROM pg_stat_ssl WHERE pid = pg_backend_pid()").fetchone() == (True,)
    foreign = f"postgresql://postgres@{HOST}:{pg.port}/postgres?hostaddr=127.0.0.1&sslrootcert={d / 'other-ca.pem'}"
    with pytest.raises(psycopg.OperationalError, match="certificate verify failed"):
        psycopg.connect(**conninfo_params(foreign)).close()


def _secrets() -> dict[str, bytes]:
    from xinfang_desk.services.demo import DEMO_USERS

    out = {f"demo password of {u}": pw.encode() for u, _d, _r, pw, _w in DEMO_USERS}
    out["window role password"] = WINDOW_PASSWORD.encode()
    out["export key (raw)"] = EXPORT_KEY
    out["export key (base64)"] = base64.b64encode(EXPORT_KEY)
    out["export key (hex)"] = EXPORT_KEY.hex().encode()
    return out


class Runner:
    """Runs the CLI as its own process and samples the command lines of it and its children while it runs."""

    def __init__(self, env: dict[str, str], cwd: Path) -> None:
        self.env, self.cwd = env, cwd
        self.outputs: list[bytes] = []
        self.cmdlines: list[bytes] = []

    def _sample(self, pid: int) -> None:
        for p in [pid, *self._children(pid)]:
            try:
                self.cmdlines.append(Path(f"/proc/{p}/cmdline").read_bytes())
            except OSError:
                pass

    @staticmethod
    def _children(pid: int) -> list[int]:
        try:
            return [int(x) for x in Path(f"/proc/{pid}/task/{pid}/children").read_text().split()]
        except OSError:
            return []

    def __call__(self, *args: str, extra: dict[str, str] | None = None, ok: tuple[int, ...] = (0,)) -> str:
        env = {**self.env, **(extra or {})}
        p = subprocess.Popen([sys.executable, "-m", "xinfang_desk", *args], env=env, cwd=self.cwd,
                             stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        while p.poll() is None:
            self._sample(p.pid)
            time.sleep(0.02)
        out, err = p.communicate()
        self.outputs += [out, err]
        assert p.returncode in ok, (args, p.returncode, err.decode(errors="replace"))
        return out.decode()


def test_no_secret_in_logs_arguments_or_files(secure_pg, tmp_path) -> None:
    pg, d = secure_pg
    admin_url = pg.create_database()
    dbname = admin_url.rsplit("/", 1)[1]
    work = tmp_path / "work"
    (work / "data").mkdir(parents=True)
    env = {k: v for k, v in os.environ.items() if not k.startswith("XINFANG_DESK_")}
    env.update({"PYTHONPATH": str(REPO), "XINFANG_DESK_DATA": str(work / "data"), "XINFANG_DESK_WINDOW": "BN03",
                "XINFANG_DESK_DB": f"sqlite:///{work / 'window.sqlite3'}", "QT_QPA_PLATFORM": "offscreen",
                "HOME": str(work / "home")})
    run = Runner(env, work)
    from xinfang_desk.services.demo import DEMO_USERS

    pw = {u: p for u, _d, _r, p, _w in DEMO_USERS}
    run("demo", "--no-gui")
    (work / "visit.json").write_text(json.dumps({
        "people": [{"name": "周密", "id_number": "11010519491231002X", "phone": "13800138000"}],
        "matter": {"kind": "intake.wrong_level", "summary": "传输测试", "demands": "补偿", "respondent": "某街道"}},
        ensure_ascii=False), encoding="utf-8")
    run("--user", "clerk", "register", "--json", str(work / "visit.json"), extra={"XINFANG_DESK_PASSWORD": pw["clerk"]})
    admin = {"XINFANG_DESK_USER": "admin", "XINFANG_DESK_PASSWORD": pw["admin"]}  # every command logs in (issue 11)
    clerk = {"XINFANG_DESK_USER": "clerk", "XINFANG_DESK_PASSWORD": pw["clerk"]}
    run("central", "init", "--url", admin_url, extra=admin)
    run("central", "add-window", "--url", admin_url, "--window", "BN03",
        extra={**admin, "XINFANG_DESK_WINDOW_PASSWORD": WINDOW_PASSWORD})
    # a password on the command line is refused before anything connects
    run("sync", "--central", f"postgresql://window_bn03:{WINDOW_PASSWORD}@{HOST}:{pg.port}/{dbname}", ok=(2,),
        extra=clerk)
    run.cmdlines.clear()  # that refusal had the password in its own command line on purpose
    window_url = f"postgresql://window_bn03@{HOST}:{pg.port}/{dbname}?hostaddr=127.0.0.1&sslrootcert={d / 'ca.pem'}"
    out = run("sync", "--central", window_url, "--json", ok=(0, 1, 3),
              extra={**clerk, "XINFANG_DESK_CENTRAL_PASSWORD": WINDOW_PASSWORD})
    report = json.loads(out.splitlines()[-1])
    assert report["online"] and report["pushed"] > 0, report
    run("sync", "export", "--out", str(work / "pending.json"),
        extra={"XINFANG_DESK_USER": "supervisor", "XINFANG_DESK_PASSWORD": pw["supervisor"],
               "XINFANG_DESK_EXPORT_KEY": base64.b64encode(EXPORT_KEY).decode()})
    run("--user", "supervisor", "audit", "verify", extra={"XINFANG_DESK_PASSWORD": pw["supervisor"]})

    server_log = pg.log.read_bytes()
    assert b"window_bn03" in server_log and b"SSL enabled" in server_log  # the window came in over TLS …
    assert b"CREATE ROLE" in server_log  # … and the statement log was on while its role was made
    places: dict[str, bytes] = {"server log": server_log}
    places.update({f"output {i}": o for i, o in enumerate(run.outputs)})
    places.update({f"command line {i}": c for i, c in enumerate(run.cmdlines)})
    for f in work.rglob("*"):
        if f.is_file():
            places[str(f.relative_to(work))] = f.read_bytes()
    assert any(k.startswith("window.sqlite3") for k in places) and "pending.json" in places
    leaks = [(what, where) for what, secret in _secrets().items() for where, data in places.items() if secret in data]
    assert leaks == [], leaks
