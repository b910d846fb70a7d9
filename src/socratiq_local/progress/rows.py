"""Compact records: a model stored as a JSON array of its fields, in declaration order.

A snapshot holds one record per question of the book (1,700 or more); writing each as an array
instead of an object roughly halves the snapshot, which has to fit in localStorage.
"""

from __future__ import annotations

from typing import Any

from pydantic import (
    BaseModel,
    ConfigDict,
    SerializerFunctionWrapHandler,
    model_serializer,
    model_validator,
)


class Row(BaseModel):
    """A frozen model that serialises as `[field, field, ...]` and validates from either shape."""

    model_config = ConfigDict(frozen=True, extra="forbid", allow_inf_nan=False)

    @model_validator(mode="before")
    @classmethod
    def _from_row(cls, data: Any) -> Any:
        if isinstance(data, list | tuple):
            names = list(cls.model_fields)
            if len(data) != len(names):
                raise ValueError(f"expected {len(names)} values, got {len(data)}")
            return dict(zip(names, data, strict=True))
        return data

    @model_serializer(mode="wrap")
    def _to_row(self, handler: SerializerFunctionWrapHandler) -> list[Any]:
        return list(handler(self).values())
