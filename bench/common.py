"""Shared helpers for the benchmarks: timing, figures, realistic fictional people."""

from __future__ import annotations

import random
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
if str(REPO) not in sys.path:  # runnable as `.venv/bin/python bench/bench_x.py` from anywhere
    sys.path.insert(0, str(REPO))

SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤"
GIVEN = "伟芳娜秀英敏静丽强磊军洋勇艳杰娟涛明超兰霞平刚桂华建国玉志海燕红梅庆文斌晓东小德凤春淑珍永婷浩然子涵梓萱宇轩欣怡佳琪"
REGIONS = ("510112", "510104", "510116", "510121", "510113", "510105", "510106", "510107", "510108", "510114")


def check_digit(body17: str) -> str:
    weights = [(2 ** (17 - i)) % 11 for i in range(17)]
    return "10X98765432"[sum(int(d) * w for d, w in zip(body17, weights, strict=True)) % 11]


def fake_id(rng: random.Random) -> str:
    body = f"{rng.choice(REGIONS)}{rng.randint(1940, 2006)}{rng.randint(1, 12):02d}{rng.randint(1, 28):02d}{rng.randrange(1000):03d}"
    return body + check_digit(body)


def fake_name(rng: random.Random) -> str:
    return rng.choice(SURNAMES) + "".join(rng.choice(GIVEN) for _ in range(rng.choice((1, 2, 2))))


def time_calls(fn: Callable[[], object], n: int, warmup: int = 5) -> list[float]:
    """Milliseconds per call."""
    for _ in range(warmup):
        fn()
    out = []
    for _ in range(n):
        t = time.perf_counter()
        fn()
        out.append((time.perf_counter() - t) * 1000)
    return out


def p95(xs: list[float]) -> float:
    return sorted(xs)[max(0, int(len(xs) * 0.95) - 1)]


def report(label: str, ms: list[float], target: float | None = None) -> None:
    med = statistics.median(ms)
    tgt = f"   target ≤ {target:g} ms: {'met' if med <= target else 'NOT met'}" if target is not None else ""
    print(f"  {label:<46} n={len(ms):<5} median {med:8.3f} ms   p95 {p95(ms):8.3f} ms{tgt}")


def bench_session(db: object, window: str = "BN03", role: str = "clerk") -> object:
    """A real session of a bench user with `role` (the services refuse hand-made actors): sets up the bench
    administrator on an empty database and the bench user on first use."""
    from xinfang_desk.domain.errors import AuthenticationFailed
    from xinfang_desk.services.auth import AuthService

    auth = AuthService(db, window)  # type: ignore[arg-type]
    if auth.needs_first_run():
        auth.setup_first_admin("benchadmin", "基准管理员", "Bench-admin-1")
    name, pw = f"bench{role}", f"Bench-{role}-1"
    try:
        return auth.login(name, pw)
    except AuthenticationFailed:
        admin = auth.login("benchadmin", "Bench-admin-1")
        auth.create_user(admin, name, "基准用户", role, "Bench-first-1q")
        return auth.change_password(name, "Bench-first-1q", pw)


def cached_database(name: str, build_version: int, visits: int, fill: Callable[[object], None],
                    rebuild: bool = False) -> Path:
    """A large bench database under /tmp, keyed by `name`, the build version, the schema revision and the size:
    built once (into a temporary file, with synchronous=OFF, `fill(connection)` inside one transaction, then
    ANALYZE and a WAL checkpoint, and only then renamed into place), reused by later runs."""
    import sqlite3

    from xinfang_desk.persistence.db import Database, head_revision

    path = Path("/tmp") / f"xfd-bench-{name}-v{build_version}-{head_revision()}-{visits}.sqlite3"
    print(f"bench_{name}: {visits:,} visits, database {path}")
    if path.exists() and not rebuild:
        print("  (cached database reused; --rebuild to make it again)")
        return path
    tmp = path.with_suffix(".building")
    for f in tmp.parent.glob(tmp.name + "*"):
        f.unlink()
    db = Database(f"sqlite:///{tmp}", backup=False)
    t0 = time.perf_counter()
    with db.engine.begin() as conn:
        conn.exec_driver_sql("PRAGMA synchronous=OFF")  # building only; the measured runs use the app's pragmas
        fill(conn)
    db.dispose()
    con = sqlite3.connect(tmp)
    con.execute("ANALYZE")
    con.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    con.close()
    tmp.rename(path)
    print(f"  built {visits:,} visits in {time.perf_counter() - t0:.1f} s", flush=True)
    return path


def run_timed(cmd: list[str], env: dict[str, str], stdin: str | None = None) -> float:
    """Seconds a child process takes from start to exit (run from the repository); stops the bench, with the
    child's error output, when the command fails."""
    import subprocess

    t0 = time.perf_counter()
    r = subprocess.run(cmd, env=env, cwd=REPO, input=stdin, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                       text=True)
    took = time.perf_counter() - t0
    if r.returncode != 0:
        raise SystemExit(f"{' '.join(cmd)} failed ({r.returncode}):\n{r.stderr[-2000:]}")
    return took
