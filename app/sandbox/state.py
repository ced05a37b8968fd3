"""Everything one sandbox instance holds (`app.state.sandbox`)."""

from __future__ import annotations

from dataclasses import dataclass

from app.sandbox.account.book import AccountBook
from app.sandbox.edge import EdgeGuard
from app.sandbox.faults import FaultInjector
from app.sandbox.oauth import Credentials, TokenStore
from app.sandbox.options import SandboxOptions
from app.sandbox.overrides import Overrides
from app.sandbox.stats import SandboxStats
from app.sandbox.world import World


@dataclass
class SandboxState:
    """The live parts of a sandbox. `options` is the configuration it started with."""

    options: SandboxOptions
    world: World
    tokens: TokenStore
    credentials: Credentials
    stats: SandboxStats
    faults: FaultInjector
    edge: EdgeGuard
    overrides: Overrides
    account: AccountBook

    @classmethod
    def build(cls, options: SandboxOptions) -> SandboxState:
        """Fresh state for `options`."""
        world = World(options.seed, options.clock)
        return cls(
            options=options,
            world=world,
            tokens=TokenStore(options.clock, options.expires_in),
            credentials=Credentials(options.clients, options.accounts),
            stats=SandboxStats(),
            faults=FaultInjector(options.faults, options.seed),
            edge=EdgeGuard(
                enabled=options.edge_protection, rate=options.edge_rate, burst=options.edge_burst
            ),
            overrides=Overrides(),
            account=AccountBook(world),
        )

    def reset(self) -> None:
        """Back to the starting options: no tokens, overrides or counts. The clock is kept."""
        options = self.options
        self.tokens.clear()
        self.tokens.expires_in = options.expires_in
        self.credentials.replace(options.clients, options.accounts)
        self.stats.reset()
        self.faults.replace(options.faults)
        self.edge.configure(
            enabled=options.edge_protection, rate=options.edge_rate, burst=options.edge_burst
        )
        self.overrides.clear()
        self.account.reset()
