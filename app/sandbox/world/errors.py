"""The two failures a data request can have, mapped to upstream-style error bodies by the routes."""

from __future__ import annotations


class WorldError(Exception):
    """Base class: carries an upstream-style message and the offending request part."""

    code = "INTERNAL_ERROR"
    status = 500

    def __init__(self, message: str, path: str | None = None, value: object = None) -> None:
        super().__init__(message)
        self.path = path
        self.value = value


class NotFound(WorldError):
    """No such meeting, race, runner, pool, sport, competition, match, ... (HTTP 404)."""

    code = "RESOURCE_NOT_FOUND_ERROR"
    status = 404


class BadRequest(WorldError):
    """The request is malformed: a bad date, a non-numeric parameter, ... (HTTP 400)."""

    code = "INVALID_SYNTAX_ERROR"
    status = 400
