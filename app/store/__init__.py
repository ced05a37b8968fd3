"""The shared store (Redis or Valkey) that lets workers and replicas share state.

Light to import: `redis` itself is imported only when `TAB_MCP_REDIS_URL` is set.
"""

from app.store.errors import SealError, StoreUnavailable
from app.store.shared import SharedStore

__all__ = ["SealError", "SharedStore", "StoreUnavailable"]
