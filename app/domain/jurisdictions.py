"""The Australian betting jurisdictions the upstream prices and offers products for."""

from __future__ import annotations

from typing import Literal, get_args

#: A jurisdiction code, for validated fields.
Jurisdiction = Literal["NSW", "VIC", "QLD", "SA", "TAS", "ACT", "NT"]
#: Every jurisdiction code, in the upstream's usual order.
JURISDICTIONS: tuple[Jurisdiction, ...] = get_args(Jurisdiction)
#: The jurisdiction a server uses when its configuration names none.
DEFAULT_JURISDICTION: Jurisdiction = "NSW"
