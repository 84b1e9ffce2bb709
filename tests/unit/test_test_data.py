"""The vendored naughty-strings file is the project's copy, byte for byte: its SHA-256 is recorded in
tests/data/SHA256SUMS.json (taken from the project's shared/data/blns.txt), so this runs in every clone; where
shared/ sits beside the clone the file is compared with it as well."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

DATA = Path(__file__).resolve().parents[1] / "data"
HERE = DATA / "blns.txt"
SHARED = Path(__file__).resolve().parents[3] / "shared" / "data" / "blns.txt"


def test_vendored_blns_has_the_strings() -> None:
    lines = [ln for ln in HERE.read_text(encoding="utf-8").split("\n") if ln and not ln.startswith("#")]
    assert len(lines) > 500


def test_vendored_files_match_the_recorded_digests() -> None:
    sums = json.loads((DATA / "SHA256SUMS.json").read_text(encoding="utf-8"))
    assert "blns.txt" in sums
    for rel, digest in sums.items():
        assert hashlib.sha256((DATA / rel).read_bytes()).hexdigest() == digest, rel
    if SHARED.exists():
        assert HERE.read_bytes() == SHARED.read_bytes()
