"""The long-lived objects behind the tools, owned by the app's lifespan."""

from __future__ import annotations

from dataclasses import dataclass, field

import httpx2

from app.betting.services import AccountServices, open_account
from app.betting.switches import served_toolsets
from app.config import Settings
from app.credential_cache import CredentialCache
from app.request_config.model import SessionConfig
from app.secret_files import credentials_reloader
from app.store import SharedStore
from app.tab.auth import TokenManager
from app.tab.client import TabClient
from app.venues.directory import VenueDirectory
from app.warming.claims import Claims, LocalClaims, StoreClaims
from app.warming.warmer import Warmer

#: How many per-session credential sets keep a live upstream token session.
SESSION_TOKEN_SESSIONS = 256


@dataclass
class Services:
    """Settings plus the one upstream client and the shared store (opened at start-up, closed
    at shutdown), and the cache warmer when `TAB_MCP_WARMER` has it on.

    `transport` replaces the network (tests; the embedded sandbox, see `app.wiring`). Sessions
    that bring their own Tabcorp credentials get their own token session, kept in a bounded
    LRU keyed by a hash of the credentials; everything else (pool, cache, limiter, breaker) is
    shared.
    """

    settings: Settings
    transport: httpx2.AsyncBaseTransport | None = None
    venues: VenueDirectory = field(default_factory=VenueDirectory, init=False, repr=False)
    _client: TabClient | None = field(default=None, init=False, repr=False)
    _store: SharedStore | None = field(default=None, init=False, repr=False)
    account: AccountServices | None = field(default=None, init=False, repr=False)
    #: Divides cache warming between processes (one process alone: every claim granted).
    warm_claims: Claims = field(default_factory=LocalClaims, repr=False)
    warmer: Warmer | None = field(default=None, init=False, repr=False)
    _session_tokens: CredentialCache[TokenManager] = field(
        default_factory=lambda: CredentialCache(SESSION_TOKEN_SESSIONS),
        init=False, repr=False)

    @property
    def sandbox(self) -> bool:
        """True when the upstream is the sandbox (embedded, or a sandbox on loopback)."""
        return self.settings.tab_sandbox

    @property
    def toolsets(self) -> list[str]:
        """The toolsets this server exposes."""
        return served_toolsets(self.settings)

    @property
    def client(self) -> TabClient:
        """The upstream client (available between `start()` and `stop()`)."""
        if self._client is None:
            raise RuntimeError("services are not started")
        return self._client

    @property
    def store(self) -> SharedStore:
        """The shared store (available between `start()` and `stop()`; disabled, raising
        `StoreUnavailable` on every operation, when `TAB_MCP_REDIS_URL` is unset)."""
        if self._store is None:
            raise RuntimeError("services are not started")
        return self._store

    async def start(self) -> None:
        """Open the shared store, then the upstream client over `transport` (None: the
        network)."""
        self._store = SharedStore.from_settings(self.settings)
        await self._store.open()
        # A rotated *_FILE secret takes effect when the upstream answers invalid_client.
        self._client = TabClient(self.settings, transport=self.transport,
                                 reload_credentials=credentials_reloader(self.settings),
                                 store=self._store)
        self.account = await open_account(self.settings, self._client.tokens, self.transport,
                                          self._store)
        if self.settings.warmer_enabled:
            self.warmer = Warmer(self._client, races=self.settings.tab_mcp_warmer_races,
                                 share=self.settings.tab_mcp_warmer_share,
                                 jurisdiction=self.settings.tab_jurisdiction,
                                 claims=self._claims_for_warming())
            self.warmer.start()

    def _claims_for_warming(self) -> Claims:
        # With a shared store, replicas divide the warming between them.
        if self._store is not None and self._store.enabled and isinstance(
                self.warm_claims, LocalClaims):
            return StoreClaims(self._store)
        return self.warm_claims

    async def stop(self) -> None:
        """Stop the cache warmer, then close every upstream session and the connection pool."""
        if self.warmer is not None:
            await self.warmer.stop()
            self.warmer = None
        await self._session_tokens.aclose()
        if self.account is not None:
            await self.account.aclose()
            self.account = None
        if self._client is not None:
            await self._client.aclose()
            self._client = None
        if self._store is not None:
            await self._store.aclose()
            self._store = None

    def client_for(self, session: SessionConfig | None) -> TabClient:
        """The client a request should use: the server's own, or a view authenticating with
        the session's own credentials (never shared between different credentials)."""
        client = self.client
        if session is None or not session.has_credentials:
            return client
        tokens = self._session_tokens.get_or_create(session.credentials, client.token_manager)
        return client.using(tokens)

    def jurisdiction_for(self, session: SessionConfig | None) -> str:
        """The session's jurisdiction, else the server's default."""
        return (session.jurisdiction if session and session.jurisdiction
                else self.settings.tab_jurisdiction)

    async def readiness(self) -> tuple[bool, str]:
        """Whether the service can serve now, and why not."""
        if self._client is None:
            return False, "starting"
        return await self._client.check_ready()

    def store_status(self) -> tuple[str, str]:
        """The shared store's mode ("off", "shared" or "fallback") and its reason (no
        secrets). In "fallback" the server serves from in-process state: degraded, not down."""
        if self._store is None:
            return "off", "starting"
        return self._store.status()

