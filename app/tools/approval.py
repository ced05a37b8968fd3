"""A person's yes to a bet, asked through the client where it can ask (elicitation).

Clients on the 2026-07-28 protocol get the question as an input-required round trip; a
handshake-era session that declared elicitation and can take server requests gets an
`elicitation/create`. Elsewhere nothing is asked here: the short-lived quote id, bound to the
caller and the bet, is the approval the agent obtained from the person.
"""

from __future__ import annotations

from typing import Any

from mcp.server.elicitation import (
    AcceptedElicitation,
    CancelledElicitation,
    DeclinedElicitation,
)
from mcp.server.mcpserver import Context
from mcp.server.mcpserver.resolve import Elicit
from pydantic import BaseModel, Field

from app.betting.pricing import in_words
from app.betting.quotes import peek

#: The first protocol whose elicitation rides an input-required result.
INPUT_REQUIRED_PROTOCOL = "2026-07-28"
#: What the approval resolver yields when nothing was asked.
NOT_ASKED = None


class Approval(BaseModel):
    """The person's answer."""

    place: bool = Field(description="Place exactly this bet now?")


def can_ask(ctx: Context) -> bool:
    """Whether this request's client can be asked (form elicitation, and a way to send it)."""
    capabilities = ctx.client_capabilities
    elicitation = capabilities.elicitation if capabilities is not None else None
    if elicitation is None or (elicitation.form is None and elicitation.url is not None):
        return False
    version = ctx.protocol_version or ""
    if version >= INPUT_REQUIRED_PROTOCOL:
        return True
    return bool(ctx.request_context.session.can_send_request)


async def ask_approval(ctx: Context, quote_id: str) -> Elicit[Approval] | None:
    """Ask the person to confirm the restated bet, where the client can be asked."""
    quote = peek(quote_id)
    if quote is None or not can_ask(ctx):
        return NOT_ASKED
    return Elicit(f"Place this bet? {in_words(quote)}. Nothing is placed unless you say yes.",
                  Approval)


def declined(outcome: Any) -> bool:
    """True when the person was asked and did not say yes."""
    if isinstance(outcome, DeclinedElicitation | CancelledElicitation):
        return True
    return (isinstance(outcome, AcceptedElicitation) and isinstance(outcome.data, Approval)
            and not outcome.data.place)


def was_asked(outcome: Any) -> bool:
    """True when the person was asked (whatever they answered)."""
    return not (isinstance(outcome, AcceptedElicitation) and outcome.data is NOT_ASKED)
