"""Customer value: a mergeable per-customer summary state, then one fit on the merged state."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Iterable, Optional

import pyarrow as pa

from . import _native
from ._batch import encode_batch, options_json


class CustomerSummary:
    """The transactions of one or more batches, summarised per customer (mergeable).

    ``bytes()`` / ``to_bytes()`` give the state to ship between processes;
    ``CustomerSummary.from_bytes`` reads it back (another crmlens version's state is a
    :class:`CrmlensError` with code ``INVALID_STATE``, damaged bytes ``PARSE_ERROR``)."""

    __slots__ = ("_b",)

    def __init__(self, state: bytes):
        self._b = bytes(state)

    @classmethod
    def update(cls, batch, *, customer: str, date: str, amount: Optional[str] = None,
               quantity: Optional[str] = None, price: Optional[str] = None,
               invoice: Optional[str] = None, load: Optional[dict] = None,
               part: Optional[int] = None) -> "CustomerSummary":
        """The summary state of one batch. ``part``: the batch's partition number, its place
        in the file (the engine adapters pass it): merged states are combined in partition
        order, so the result equals reading the whole file at once whatever order the states
        arrive in. Batches without a number come after the numbered ones, in merge order."""
        kind, data, header, load_json = encode_batch(batch, load)
        cols = options_json(customer=customer, date=date, amount=amount, quantity=quantity,
                            price=price, invoice=invoice)
        try:
            return cls(_native.summary_update(kind, data, cols, header, load_json, part))
        except _native.CrmlensError as e:
            e.part = part  # which partition failed (its line numbers count within it)
            raise

    @classmethod
    def from_bytes(cls, state: bytes) -> "CustomerSummary":
        _native.summary_counts(state)  # checks the bytes (version, structure)
        return cls(state)

    @classmethod
    def merge(cls, summaries: Iterable["CustomerSummary"]) -> "CustomerSummary":
        """One state holding every partition of ``summaries`` (any order, any tree of merges;
        a partition number found twice is ``INVALID_STATE``)."""
        return cls(_native.summary_merge([s._b if isinstance(s, CustomerSummary) else bytes(s) for s in summaries]))

    def to_bytes(self) -> bytes:
        return self._b

    def bytes(self) -> bytes:
        return self._b

    @property
    def rows(self) -> dict:
        """``{"load": {...}, "rows": {...}}``: rows read, skipped and repaired by the loader,
        and transaction rows used and left out by reason (summed over merged batches)."""
        c = _native.summary_counts(self._b)
        return {"load": c["load"], "rows": json.loads(c["rows"]), "parts": c["parts"]}

    def __len__(self) -> int:
        return len(self._b)


@dataclass
class CustomerValue:
    """``customers`` (pyarrow.Table, one row per customer), ``model`` and ``cohorts`` (dicts, as
    the JS package's ``customerValue`` returns them), ``load`` (the loader's counts)."""

    customers: pa.Table
    model: dict
    cohorts: dict
    load: dict


def customer_value(summary: CustomerSummary, *, calibration_end: Optional[str] = None,
                   observation_end: Optional[str] = None, time_unit: Optional[str] = None,
                   horizon: Optional[int] = None, discount_rate: Optional[float] = None,
                   penalizer: Optional[float] = None) -> CustomerValue:
    """The package's ``customerValue`` on a (merged) summary: one fit on the driver."""
    opts = options_json(calibration_end=calibration_end, observation_end=observation_end,
                        time_unit=time_unit, horizon=horizon, discount_rate=discount_rate,
                        penalizer=penalizer)
    cols, model, cohorts, load = _native.customer_value(summary.to_bytes(), opts)
    return CustomerValue(pa.table(cols), json.loads(model), json.loads(cohorts), load)
