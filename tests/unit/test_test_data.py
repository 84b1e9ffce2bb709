"""The vendored naughty-strings file is the project's shared copy, byte for byte (where shared/ is beside)."""

from __future__ import annotations

from pathlib import Path

import pytest

HERE = Path(__file__).resolve().parents[1] / "data" / "blns.txt"
SHARED = Path(__file__).resolve().parents[3] / "shared" / "data" / "blns.txt"


def test_vendored_blns_has_the_strings() -> None:
    lines = [ln for ln in HERE.read_text(encoding="utf-8").split("\n") if ln and not ln.startswith("#")]
    assert len(lines) > 500


@pytest.mark.skipif(not SHARED.exists(), reason="no shared/ folder beside this clone")
def test_vendored_blns_matches_shared_copy() -> None:
    assert HERE.read_bytes() == SHARED.read_bytes()
