"""Upstream reads made on nobody's behalf (cache warming), and the rules they follow.

Inside a `background(...)` block the upstream client changes three things for the reads made there:

- The pacer (`app.tab.ratelimit`) gives such a read a token only when it delays no other request
  (nobody waiting, a whole token left for the next request) and the work's own `allowance` has
  one; otherwise it raises `UpstreamBusy` at once. Background work never waits in the queue.
- The cache (`app.tab.cache`) refreshes an entry that expires within `ahead` seconds, outside
  single-flight: callers keep the stored entry meanwhile, and none waits on, or shares the
  failure of, a background fetch.
- The executor (`app.tab.executor`) does not retry a failed background read: the work's next
  round is its retry.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from contextvars import ContextVar
from dataclasses import dataclass

from app.primitives.scoped import scoped
from app.primitives.token_bucket import TokenBucket

_BACKGROUND: ContextVar[Background | None] = ContextVar("tab_background_work", default=None)


@dataclass(frozen=True, slots=True)
class Background:
    """How a block of background reads may use the upstream.

    `allowance` is the work's own share of the upstream rate (None: no cap of its own beyond the
    spare tokens); `ahead` is how many seconds before expiry a cached entry is read again.
    """

    allowance: TokenBucket | None
    ahead: float = 0.0


@contextlib.contextmanager
def background(work: Background) -> Iterator[None]:
    """Within this block, upstream reads are background work following `work`."""
    with scoped(_BACKGROUND, work):
        yield


def current_background() -> Background | None:
    """The background work in progress, or None for a caller's own reads."""
    return _BACKGROUND.get()
