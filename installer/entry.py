"""Entry point of the frozen app: the CLI (no arguments opens the GUI), or `--self-test` before the CLI exists."""

import sys


def main() -> int:
    if "--self-test" in sys.argv[1:]:
        try:
            from xinfang_desk.cli import main as cli_main
        except ImportError:
            cli_main = None
        if cli_main is None:
            from xinfang_desk.app import run_gui

            lang = "en" if "--lang=en" in sys.argv or ("--lang" in sys.argv and "en" in sys.argv) else "zh_CN"
            return run_gui("", "ST01", lang=lang, self_test=True)
    from xinfang_desk.cli import main as cli_main

    return int(cli_main() or 0)


if __name__ == "__main__":
    raise SystemExit(main())
