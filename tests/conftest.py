"""Test-wide set-up. Qt must run offscreen: set before any QApplication exists (pytest-qt creates it lazily)."""

from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:  # the package may not be installed (pip install -e .) in every checkout
    sys.path.insert(0, str(ROOT))

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
# Nothing a test does may touch the real user data folder (drafts, databases, backups).
os.environ.setdefault("XINFANG_DESK_DATA", tempfile.mkdtemp(prefix="xinfang-desk-tests-"))
