"""Launchers and the version report.

`xinfang-desk` (console script) is `cli.main`: a command runs the CLI, no command opens the GUI.
`xinfang-desk-gui` (gui-script: no console window on Windows, for the start menu) is `gui_main`; without a
console Python gives it no stdout/stderr, so they are pointed at the null device before anything prints.
"""

from __future__ import annotations

import os
import sys


def version_text() -> str:
    """The application version with the versions of the data it decides with (all shipped in resources/)."""
    from xinfang_desk import __version__

    lines = [f"xinfang-desk {__version__}"]
    try:
        from xinfang_desk.statutes.calendar import default_calendar
        from xinfang_desk.statutes.rules import default_rules

        rules = default_rules()
        cat = rules.catalogue
        cal = default_calendar()
        years = sorted(cal.years)
        span = f"{years[0]}-{years[-1]}" if years else "none"
        lines += [
            f"rule set {rules.version} (digest {rules.digest[:16]})",
            f"statute catalogue {len(cat.instruments)} instruments (digest {cat.digest})",
            f"holiday calendar {span} (digest {cal.digest})",
        ]
    except Exception as e:  # noqa: BLE001 - --version must still say which program this is
        lines.append(f"shipped data could not be loaded: {type(e).__name__}: {e}")
    return "\n".join(lines)


def gui_main() -> int:
    for name in ("stdout", "stderr"):
        if getattr(sys, name) is None:
            setattr(sys, name, open(os.devnull, "w", encoding="utf-8"))  # noqa: SIM115 - lives as long as the process
    from xinfang_desk.cli import main

    return main()
