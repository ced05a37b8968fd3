"""The durable journal of bet attempts (sqlite3): written before a betslip is sent, so an
attempt whose answer was lost survives a restart and is reconciled, never resent blindly."""

from __future__ import annotations

import sqlite3
import threading
import time
from dataclasses import dataclass
from pathlib import Path

#: Attempt states. `sending` and `unknown` are unsettled: they must be reconciled.
UNSETTLED = ("sending", "unknown")


@dataclass(frozen=True, slots=True)
class Attempt:
    """One quote's placement attempt."""

    transaction_id: str
    quote_id: str
    state: str  # sending, placed, failed, price_moved, not_placed, unknown
    detail: str
    updated_at: float


class Journal:
    """Attempts by transaction id in a sqlite file (created with its folder on first use)."""

    def __init__(self, path: Path) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        self._db = sqlite3.connect(str(path), check_same_thread=False, isolation_level=None)
        self._db.execute("PRAGMA journal_mode=WAL")
        self._db.execute("CREATE TABLE IF NOT EXISTS attempts (transaction_id TEXT PRIMARY KEY,"
                         " quote_id TEXT NOT NULL, state TEXT NOT NULL, detail TEXT NOT NULL,"
                         " updated_at REAL NOT NULL)")
        self._lock = threading.Lock()

    def close(self) -> None:
        """Close the file."""
        with self._lock:
            self._db.close()

    def get(self, transaction_id: str) -> Attempt | None:
        """The attempt for `transaction_id`, if any."""
        with self._lock:
            row = self._db.execute("SELECT * FROM attempts WHERE transaction_id = ?",
                                   (transaction_id,)).fetchone()
        return Attempt(*row) if row else None

    def record(self, transaction_id: str, quote_id: str, state: str, detail: str = "") -> None:
        """Write (or overwrite) the attempt's state, durably, before returning."""
        with self._lock:
            self._db.execute("INSERT OR REPLACE INTO attempts VALUES (?, ?, ?, ?, ?)",
                             (transaction_id, quote_id, state, detail, time.time()))

    def unsettled(self) -> list[Attempt]:
        """Attempts whose outcome is not known yet."""
        with self._lock:
            rows = self._db.execute("SELECT * FROM attempts WHERE state IN (?, ?)",
                                    UNSETTLED).fetchall()
        return [Attempt(*row) for row in rows]
