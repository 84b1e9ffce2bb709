"""Where the central database address and password come from: the OS keyring or the environment, never a
plain config file. See README-snippet.md.

* URL:      `XINFANG_DESK_CENTRAL_URL`, else keyring item (service "xinfang-desk", user "central-url")
* password: `XINFANG_DESK_CENTRAL_PASSWORD`, else keyring item ("xinfang-desk", "central-password:<role>"),
            else a password already in the URL (discouraged: visible in `ps`)
* TLS:      `sslmode`, `sslrootcert`, `sslcert`, `sslkey`, `sslcrl` in the URL query, or the environment variables
            `XINFANG_DESK_CENTRAL_SSLMODE` / `XINFANG_DESK_CENTRAL_SSLROOTCERT`; all passed through to libpq.
            `sslmode=verify-full` checks the chain and the host name.
            DEFAULT: a centre that is not on this machine (any host other than localhost, 127.0.0.0/8, ::1 or a
            Unix socket) is reached with `sslmode=verify-full` unless the URL or the environment names another mode
            (a weaker mode is logged as a warning). Without `sslrootcert` (and no ~/.postgresql/root.crt) the
            operating system's trusted CAs are used (`sslrootcert=system`); a district CA is named with
            `XINFANG_DESK_CENTRAL_SSLROOTCERT`.
"""

from __future__ import annotations

import ipaddress
import logging
import os
from pathlib import Path
from typing import Any

log = logging.getLogger(__name__)

KEYRING_SERVICE = "xinfang-desk"
KEYRING_URL_ITEM = "central-url"
ENV_URL = "XINFANG_DESK_CENTRAL_URL"
ENV_PASSWORD = "XINFANG_DESK_CENTRAL_PASSWORD"
ENV_SSLMODE = "XINFANG_DESK_CENTRAL_SSLMODE"
ENV_SSLROOTCERT = "XINFANG_DESK_CENTRAL_SSLROOTCERT"
SSL_MODES = ("disable", "allow", "prefer", "require", "verify-ca", "verify-full")
PASSTHROUGH = ("sslmode", "sslrootcert", "sslcert", "sslkey", "sslcrl", "sslpassword", "channel_binding",
               "connect_timeout", "application_name", "target_session_attrs", "gssencmode", "host", "hostaddr",
               "options")


class CentralConfigError(ValueError):
    pass


def _keyring_get(item: str) -> str | None:
    try:
        import keyring
        from keyring.errors import KeyringError
    except ImportError:  # pragma: no cover - keyring is a dependency
        return None
    try:
        return keyring.get_password(KEYRING_SERVICE, item)
    except (KeyringError, RuntimeError):
        return None


def store_credentials(url: str, password: str | None = None) -> None:
    """Save the central URL (without password) and the role's password in the OS keyring.
    Raises if no secure keyring backend is available: we never fall back to a plain file."""
    import keyring
    from keyring.backends import fail

    if isinstance(keyring.get_keyring(), fail.Keyring):
        raise CentralConfigError("no OS keyring is available; set XINFANG_DESK_CENTRAL_PASSWORD in the environment instead")
    params = conninfo_params(url, password=None, use_secrets=False)
    clean = _strip_password(url)
    keyring.set_password(KEYRING_SERVICE, KEYRING_URL_ITEM, clean)
    pw = password if password is not None else params.get("password")
    if pw:
        keyring.set_password(KEYRING_SERVICE, f"central-password:{params.get('user', '')}", pw)


def _strip_password(url: str) -> str:
    from sqlalchemy.engine import make_url

    return make_url(url).set(password=None).render_as_string(hide_password=False)


def central_url(explicit: str | None = None) -> str:
    """The central URL: the explicit argument, else the environment, else the keyring."""
    url = explicit or os.environ.get(ENV_URL) or _keyring_get(KEYRING_URL_ITEM)
    if not url:
        raise CentralConfigError(
            f"no central database configured: pass --central URL, set {ENV_URL}, or store it in the OS keyring")
    return url


def conninfo_params(url: str, *, password: str | None = None, use_secrets: bool = True) -> dict[str, Any]:
    """psycopg.connect() keyword arguments for a SQLAlchemy-style or libpq URL."""
    from sqlalchemy.engine import make_url

    if "://" not in url:  # a libpq keyword string
        from psycopg.conninfo import conninfo_to_dict

        params: dict[str, Any] = dict(conninfo_to_dict(url))
    else:
        u = make_url(url)
        if not u.drivername.startswith("postgresql"):
            raise CentralConfigError(f"the central database must be PostgreSQL, not {u.drivername}")
        params = {}
        if u.host:
            params["host"] = u.host
        if u.port:
            params["port"] = u.port
        if u.username:
            params["user"] = u.username
        if u.password:
            params["password"] = u.password
        if u.database:
            params["dbname"] = u.database
        for k, v in u.query.items():
            if k not in PASSTHROUGH:
                raise CentralConfigError(f"unknown connection option {k!r} in the central URL")
            params[k] = v if isinstance(v, str) else v[-1]
    if use_secrets:
        pw = password or os.environ.get(ENV_PASSWORD)
        if not pw and "password" not in params:
            pw = _keyring_get(f"central-password:{params.get('user', '')}")
        if pw:
            params["password"] = pw
        if os.environ.get(ENV_SSLMODE) and "sslmode" not in params:
            params["sslmode"] = os.environ[ENV_SSLMODE]
        if os.environ.get(ENV_SSLROOTCERT) and "sslrootcert" not in params:
            params["sslrootcert"] = os.environ[ENV_SSLROOTCERT]
    if "sslmode" in params and params["sslmode"] not in SSL_MODES:
        raise CentralConfigError(f"sslmode must be one of {', '.join(SSL_MODES)}")
    if not is_local_host(params.get("host")):
        if "sslmode" not in params:
            params["sslmode"] = "verify-full"
            if "sslrootcert" not in params and not (Path.home() / ".postgresql" / "root.crt").exists():
                params["sslrootcert"] = "system"
        elif params["sslmode"] != "verify-full":
            log.warning("the central database %s is reached with sslmode=%s: its certificate and host name are "
                        "not both checked; use verify-full", params.get("host"), params["sslmode"])
    params.setdefault("connect_timeout", 10)
    params.setdefault("application_name", "xinfang-desk-sync")
    return params


def password_in_url(url: str | None) -> bool:
    """Whether a URL (or libpq keyword string) carries a password: refused on the command line, where every user
    of the machine can read it in the process list."""
    if not url:
        return False
    try:
        return "password" in conninfo_params(url, use_secrets=False)
    except Exception:  # noqa: BLE001 - a malformed URL is reported where it is used
        return False


def is_local_host(host: Any) -> bool:
    """True when every host of a libpq host list is this machine (or a Unix socket): no TLS needed to reach it."""
    if not host:
        return True  # the default Unix socket
    for h in str(host).split(","):
        h = h.strip().strip("[]")
        if not h or h.startswith("/") or h.startswith("@") or h.lower() == "localhost":
            continue
        try:
            if ipaddress.ip_address(h).is_loopback:
                continue
        except ValueError:
            pass
        return False
    return True


def sqlalchemy_url(url: str) -> str:
    """The same address as a SQLAlchemy URL for the psycopg 3 driver (used by Alembic)."""
    if "://" not in url:
        raise CentralConfigError("init_central needs a URL, not a keyword string")
    from sqlalchemy.engine import make_url

    u = make_url(url)
    return u.set(drivername="postgresql+psycopg").render_as_string(hide_password=False)
