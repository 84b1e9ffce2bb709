"""Entry point of the frozen app: the same CLI as `xinfang-desk` (no arguments opens the GUI;
`--self-test` opens the main window offscreen on a throwaway database and exits 0)."""

from xinfang_desk.cli import main

if __name__ == "__main__":
    raise SystemExit(main())
