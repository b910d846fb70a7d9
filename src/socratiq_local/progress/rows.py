"""Compact records: a model stored as a JSON array of its fields, in declaration order.

A snapshot holds one record per question of the book (1,700 or more); writing each as an array
instead of an object roughly halves the snapshot, which has to fit in localStorage. The field
types below shorten the values too: a day as a number of days (`20513`, not `"2026-03-01"`),
a flag as 0 or 1, a whole score without ".0". Each still reads the long form, as older
snapshots wrote it.
"""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any

from pydantic import (
    BaseModel,
    BeforeValidator,
    ConfigDict,
    PlainSerializer,
    SerializerFunctionWrapHandler,
    model_serializer,
    model_validator,
)

_EPOCH_DAY = date(1970, 1, 1).toordinal()


def _day_from(value: Any) -> Any:
    if type(value) is int:
        return date.fromordinal(_EPOCH_DAY + value)
    return value


#: A date stored as days since 1970-01-01.
Day = Annotated[
    date,
    BeforeValidator(_day_from),
    PlainSerializer(lambda day: day.toordinal() - _EPOCH_DAY, return_type=int),
]
#: A bool stored as 0 or 1.
Flag = Annotated[bool, PlainSerializer(int, return_type=int)]
#: A float stored without ".0" when it is whole.
Number = Annotated[
    float,
    PlainSerializer(lambda x: int(x) if x.is_integer() else x, return_type=float | int),
]


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
