"""The draft of the registration: what was typed, written to the data folder a moment after each edit, read
back at start (after a crash or an accidental close) and deleted once saved or cleared.

Owns the `DraftStore`, the pause before writing, and the "restoring" state during which edits are not
edits. Each part gives its own piece (`draft_state()`) and takes it back (`restore_draft(state)`); the file
stays one flat JSON object, as before the page was split, so drafts written by earlier versions restore.
"""

from __future__ import annotations

import contextlib
import logging
from collections.abc import Iterator, Sequence
from typing import Any, Protocol

from PySide6.QtCore import QObject, QTimer

from xinfang_desk.gui.draft import DraftStore

log = logging.getLogger(__name__)

DRAFT_DELAY_MS = 400
DEFAULTS_ARE_NOT_INPUT = ("channel", "group_size")  # 来访 and 1 are there before anything is typed


class DraftPiece(Protocol):
    def draft_state(self) -> dict[str, Any]: ...

    def restore_draft(self, state: dict[str, Any]) -> None: ...


def has_input(state: dict[str, Any]) -> bool:
    """Anything typed or picked in a draft state (the defaults of channel and group size are not input)."""
    s = {k: v for k, v in state.items() if k not in DEFAULTS_ARE_NOT_INPUT}
    return any(v for v in s.values() if not isinstance(v, list)) or any(any(r) for r in s.get("reps", []))


class DraftPart(QObject):
    def __init__(self, parent: QObject, store: DraftStore, pieces: Sequence[DraftPiece]) -> None:
        super().__init__(parent)
        self.store = store
        self.pieces = list(pieces)
        self.restoring = False
        self._timer = QTimer(self, singleShot=True, interval=DRAFT_DELAY_MS)
        self._timer.timeout.connect(self.write)

    def state(self) -> dict[str, Any]:
        out: dict[str, Any] = {}
        for piece in self.pieces:
            out.update(piece.draft_state())
        return out

    def has_input(self) -> bool:
        return has_input(self.state())

    def edited(self) -> None:
        """Something was typed: the draft is written after a short pause (not while a draft is being restored)."""
        if not self.restoring:
            self._timer.start()

    @property
    def pending(self) -> bool:
        return self._timer.isActive()

    def write(self) -> None:
        try:
            state = self.state()
            if has_input(state):
                self.store.save(state)
            else:
                self.store.delete()
        except OSError as e:
            log.warning("could not write the draft: %s", e)

    def delete(self) -> None:
        self.store.delete()

    @contextlib.contextmanager
    def quiet(self) -> Iterator[None]:
        """Fill or empty the form without it counting as typing (no draft written, nothing offered)."""
        self.restoring = True
        try:
            yield
        finally:
            self.restoring = False
        self._timer.stop()

    def restore(self) -> bool:
        """Put the saved draft back, piece by piece, in the order the pieces were given; False: there was none."""
        state = self.store.load()
        if not state:
            return False
        with self.quiet():
            for piece in self.pieces:
                piece.restore_draft(state)
        return True
