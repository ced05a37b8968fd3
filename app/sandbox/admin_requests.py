"""The bodies the sandbox's admin routes accept, as pydantic models (unknown fields refused)."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, Strict, model_validator

Number = Annotated[float, Strict()]
Text = Annotated[str, Strict(), Field(min_length=1)]


def _instant(text: str) -> str:
    datetime.fromisoformat(text)  # a ValueError names what is wrong
    return text


class _Body(BaseModel):
    model_config = ConfigDict(extra="forbid")


class ClockRequest(_Body):
    """`{"set": ISO 8601}` or `{"advance": seconds}`."""

    set: Annotated[str, Strict(), AfterValidator(_instant)] | None = None
    advance: Number | None = None

    @model_validator(mode="after")
    def _one_of(self) -> ClockRequest:
        if (self.set is None) == (self.advance is None):
            raise ValueError('send {"set": ISO 8601 instant} or {"advance": seconds}')
        return self


class RevokeRequest(_Body):
    """`{"access_token": t}`, `{"refresh_token": t}` or `{"all": true}`."""

    access_token: Annotated[str, Strict()] | None = None
    refresh_token: Annotated[str, Strict()] | None = None
    all: Annotated[bool, Strict()] = False

    @model_validator(mode="after")
    def _one_of(self) -> RevokeRequest:
        if not self.all and self.access_token is None and self.refresh_token is None:
            raise ValueError('send {"access_token": t}, {"refresh_token": t} or {"all": true}')
        return self


class ConfigRequest(_Body):
    """Token lifetime and edge settings; each is optional, only those sent change."""

    expires_in: Annotated[int, Strict(), Field(gt=0)] | None = None
    edge_protection: Annotated[bool, Strict()] | None = None
    edge_rate: Annotated[float, Strict(), Field(gt=0)] | None = None
    edge_burst: Annotated[int, Strict(), Field(ge=1)] | None = None


class ClientRequest(_Body):
    """A client to add, or whose secret to rotate."""

    client_id: Annotated[Text, Field(pattern="^[^:]+$")]
    client_secret: Text
