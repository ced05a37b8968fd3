"""The sandbox's deterministic racing and sports world.

Everything is a pure function of (seed, date, venue, race, ...) and, for anything that changes
during a day (race status, prices, pools, results), of the injected clock's current instant.
"""

from app.sandbox.world.errors import BadRequest, NotFound
from app.sandbox.world.links import Links
from app.sandbox.world.world import World

__all__ = ["BadRequest", "Links", "NotFound", "World"]
