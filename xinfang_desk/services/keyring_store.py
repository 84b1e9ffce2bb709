"""A window's automation credential in the OS keyring (never in a file, an argument or the environment).

Item ("xinfang-desk", "automation:<WINDOW>") holds the secret of the account `auto-<window>` (role
`automation`: register visits and run the sync), made by an administrator with `users automation`."""

from __future__ import annotations

KEYRING_SERVICE = "xinfang-desk"


def _item(window_code: str) -> str:
    return f"automation:{window_code.strip().upper()}"


def automation_secret(window_code: str) -> str | None:
    """The stored secret, or None (no keyring backend, or nothing stored)."""
    try:
        import keyring

        return keyring.get_password(KEYRING_SERVICE, _item(window_code)) or None
    except Exception:  # noqa: BLE001 - no backend: as if nothing were stored
        return None


def store_automation_secret(window_code: str, secret: str) -> None:
    """Raises when the OS has no keyring: the secret is then not kept anywhere (refuse, never fall back)."""
    import keyring

    keyring.set_password(KEYRING_SERVICE, _item(window_code), secret)


def keyring_usable() -> str | None:
    """None when the OS keyring can store secrets, else why not (checked before a credential is made, so that
    rotating it on a PC without a keyring does not break the one already stored elsewhere)."""
    try:
        import keyring
        from keyring.backends import fail

        kr = keyring.get_keyring()
        if isinstance(kr, fail.Keyring):
            return "no OS keyring backend"
        return None
    except Exception as e:  # noqa: BLE001
        return str(e)
