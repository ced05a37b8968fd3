"""Plain-words messages for the sandbox's pydantic validation errors (admin and options input)."""

from __future__ import annotations

from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError

ModelT = TypeVar("ModelT", bound=BaseModel)


def problems(error: ValidationError) -> str:
    """Each problem as `field: what is allowed`, joined by `; ` (an unknown field is named)."""
    parts = []
    for item in error.errors():
        where = ".".join(str(part) for part in item["loc"])
        if item["type"] == "extra_forbidden":
            parts.append(f"unknown setting '{where}'")
            continue
        message = str(item["ctx"]["error"]) if item["type"] == "value_error" else item["msg"]
        parts.append(f"{where}: {message}" if where else message)
    return "; ".join(parts)


def parse(model: type[ModelT], data: Any) -> ModelT:
    """`data` validated as `model`, or `ValueError` saying what was wrong."""
    try:
        return model.model_validate(data)
    except ValidationError as error:
        raise ValueError(problems(error)) from None
