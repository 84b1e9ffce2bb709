"""Entry point of both executables of the frozen app (PyInstaller): `xinfang-desk` (console) and
`xinfang-desk-gui` (no console on Windows). Same behaviour as the installed launchers: a command runs the CLI,
no command opens the GUI; `--self-test` opens the main window offscreen on a throwaway database and exits 0."""

from xinfang_desk.launch import gui_main

if __name__ == "__main__":
    raise SystemExit(gui_main())
