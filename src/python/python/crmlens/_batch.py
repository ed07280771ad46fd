"""How a batch goes to Rust: an Arrow IPC stream (pyarrow.ipc), plus the header line when the
batch holds lines of a text file."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any, Optional

import pyarrow as pa
import pyarrow.ipc


@dataclass
class Lines:
    """Lines of a delimited text file (``lines``: a pyarrow table/batch of one string column, or
    a list of str) and the file's header line (``None`` for a file without one: then pass
    ``load={"header": False}`` as for the browser package). crmlens parses header + lines with its loader
    (``load``: the package's load options, e.g. ``{"delimiter": "whitespace"}``), with the
    same type inference as ``Dataset.fromCsv`` in the browser."""

    lines: Any
    header: Optional[str]
    load: Optional[dict] = None


def _ipc(table) -> bytes:
    if isinstance(table, pa.RecordBatch):
        table = pa.Table.from_batches([table])
    if not isinstance(table, pa.Table):
        raise TypeError(f"expected a pyarrow RecordBatch or Table, got {type(table).__name__}")
    sink = pa.BufferOutputStream()
    with pa.ipc.new_stream(sink, table.schema) as w:
        w.write_table(table)
    return sink.getvalue().to_pybytes()


def _csv(table) -> bytes:
    import pyarrow.csv
    if isinstance(table, pa.RecordBatch):
        table = pa.Table.from_batches([table])
    sink = pa.BufferOutputStream()
    pyarrow.csv.write_csv(table, sink)
    return sink.getvalue().to_pybytes()


def _lines_bytes(lines) -> bytes:
    if isinstance(lines, (list, tuple)):
        return "\n".join(x if x is not None else "" for x in lines).encode()
    if isinstance(lines, pa.RecordBatch):
        lines = pa.Table.from_batches([lines])
    if isinstance(lines, pa.Table):
        if lines.num_columns != 1:
            raise TypeError(f"Lines: one string column of lines expected, got {lines.num_columns} columns")
        lines = lines.column(0)
    return "\n".join(x if x is not None else "" for x in lines.cast(pa.string()).to_pylist()).encode()


def encode_batch(batch, load: Optional[dict] = None):
    """(kind, bytes, header, load JSON) for the native functions. Lines go as the text of
    the file (header + lines), parsed by the core's loader; a table as an Arrow IPC stream
    when the core has its Arrow reader, else as CSV written by pyarrow."""
    from . import _native
    if isinstance(batch, Lines):
        opts = batch.load if batch.load is not None else load
        return "csv", _lines_bytes(batch.lines), batch.header, json.dumps(opts) if opts else None
    if not _native.ARROW_INPUT:
        return "csv", _csv(batch), None, json.dumps(load) if load else None
    return "arrow", _ipc(batch), None, json.dumps(load) if load else None


def options_json(**kw) -> str:
    """Python keyword options → the package's camelCase JSON (None left out)."""
    def camel(k: str) -> str:
        head, *rest = k.split("_")
        return head + "".join(p[:1].upper() + p[1:] for p in rest)
    return json.dumps({camel(k): v for k, v in kw.items() if v is not None})


def to_arrow(batch, load: Optional[dict] = None):
    """A batch (e.g. :class:`Lines` of a file) read by crmlens's loader, as a ``pyarrow.Table``
    with the types the browser package gives the file (its ``ds.toArrow()``)."""
    from . import _native
    kind, data, header, load_json = encode_batch(batch, load)
    with pa.ipc.open_stream(_native.to_arrow(kind, data, header, load_json)) as r:
        return r.read_all()
