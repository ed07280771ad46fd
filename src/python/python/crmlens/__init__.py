"""crmlens for Apache Arrow data: the same Rust core as the browser package.

Per batch (a partition) a mergeable state is built and shipped as bytes; states are merged
(in any order) and the final step runs once on the merged state:

    import crmlens
    s = crmlens.CustomerSummary.update(batch, customer="customer_id", date="date", amount="amount")
    merged = crmlens.CustomerSummary.merge([s, crmlens.CustomerSummary.from_bytes(other_bytes)])
    value = crmlens.customer_value(merged, calibration_end="1997-09-30")
    crmlens.sentiment(batch, column="review")          # pyarrow.Table: compound, label, language, ...
    first = crmlens.ProfileState.merge([crmlens.ProfileState.update(b, part=i) for i, b in enumerate(batches)])
    second = crmlens.ProfileState.merge([first.second_pass(b, part=i) for i, b in enumerate(batches)])
    report = first.finish(second)                      # dict: the report dataset.profile() gives

A batch is a ``pyarrow.RecordBatch`` or ``pyarrow.Table`` (read by the core's own Arrow IPC
reader, no CSV detour) or a :class:`Lines` (lines of a delimited text file plus its header
line, parsed by crmlens's own loader exactly as the browser package parses the file: use it for identical results).
Errors are :class:`CrmlensError` with ``.code`` (``PARSE_ERROR``, ``INVALID_STATE``, ...), the
codes of the JS package's errors. Engine adapters: :mod:`crmlens.spark`, :mod:`crmlens.dask`.
"""

from ._batch import Lines, encode_batch, to_arrow
from ._native import SUMMARY_STATE_VERSION, CrmlensError
from ._profile import ProfileState, profile, profile_whole
from ._sentiment import sentiment
from ._value import CustomerSummary, CustomerValue, customer_value

__all__ = [
    "CrmlensError",
    "CustomerSummary",
    "CustomerValue",
    "Lines",
    "ProfileState",
    "customer_value",
    "encode_batch",
    "profile",
    "profile_whole",
    "sentiment",
    "to_arrow",
    "SUMMARY_STATE_VERSION",
]
