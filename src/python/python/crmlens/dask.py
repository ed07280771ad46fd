"""crmlens on Dask (``dask[distributed]``): per-partition states with ``map_partitions``, a
tree reduction of the state bytes, the final step on the client.

    from dask.distributed import Client, LocalCluster
    import crmlens.dask as cd
    client = Client(LocalCluster(n_workers=2, threads_per_worker=1))
    tx = cd.read_lines("CDNOW_master.txt", partitions=16)
    value = cd.customer_value(tx, customer="customer_id", date="date", amount="dollar_value",
                              calibration_end="1997-09-30")           # crmlens.CustomerValue
    scores = cd.sentiment(cd.read_lines("waimai_10k.csv", partitions=4), "review")  # pyarrow.Table
    report = cd.profile(cd.read_lines("telco.csv", partitions=4))                 # dict

:func:`read_lines` gives a ``dask.bag`` of the file's lines (``dask.bag.read_text`` cut by
``blocksize``, or the lines cut into ``partitions`` contiguous pieces) without the header line;
each partition is parsed by crmlens's own loader with the file's header, exactly as the browser
package reads the file, and states are combined in partition (file) order whatever order the
reduction meets them in. A ``dask.dataframe`` can be given instead (its partitions go to
crmlens as Arrow tables; partition order = their index).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import List, Optional

from . import _native
from ._batch import Lines
from ._profile import ProfileState
from ._value import CustomerSummary, CustomerValue, customer_value as _fit


@dataclass
class LinesBag:
    """A text file as a ``dask.bag`` of lines (header line removed), its header and the
    crmlens load options."""

    bag: object
    header: Optional[str]
    load: Optional[dict] = None
    #: The bag still holds the header line (first line of partition 0): dropped there.
    header_in_bag: bool = False

    def partitions(self) -> list:
        """The partitions as delayed lists of lines, header line removed."""
        import dask

        parts = list(self.bag.to_delayed())
        if self.header_in_bag and parts:
            parts[0] = dask.delayed(lambda p: list(p)[1:])(parts[0])
        return parts


def read_lines(path: str, *, partitions: Optional[int] = None, blocksize=None, header: bool = True,
               load: Optional[dict] = None) -> LinesBag:
    """The file at ``path`` as lines: ``blocksize`` (e.g. ``"64MiB"``) reads it in blocks on
    the workers (``dask.bag.read_text``); ``partitions`` reads it here and cuts it into that
    many contiguous pieces (small files, tests)."""
    import dask.bag as db

    if partitions:
        with open(path, encoding="utf-8", newline="") as f:
            lines = f.read().splitlines()
        head = lines.pop(0) if header and lines else None
        n = len(lines)
        pieces = [lines[i * n // partitions:(i + 1) * n // partitions] for i in range(partitions)]
        bag = db.from_sequence(pieces, npartitions=partitions).map_partitions(lambda p: [x for piece in p for x in piece])
    else:
        bag = db.read_text(path, blocksize=blocksize, linedelimiter="\n").map(lambda x: x.rstrip("\r\n"))
        head = bag.take(1, npartitions=-1)[0] if header else None
    opts = dict(load or {})
    if not header:
        opts.setdefault("header", False)
    return LinesBag(bag, head, opts or None, header_in_bag=bool(header and not partitions))


def partition_states(data, **columns) -> list:
    """One delayed :class:`CustomerSummary` bytes per partition of ``data`` (a
    :class:`LinesBag` or a ``dask.dataframe``), numbered by partition."""
    import dask

    cols = dict(columns)
    if isinstance(data, LinesBag):
        header, load = data.header, data.load

        def one(lines, part):
            lines = list(lines)
            if not lines:
                return None
            return CustomerSummary.update(Lines(lines, header, load), part=part, **cols).to_bytes()

        return [dask.delayed(one)(p, i) for i, p in enumerate(data.partitions())]

    def one_frame(pdf, part):
        import pyarrow as pa

        if len(pdf) == 0:
            return None
        return CustomerSummary.update(pa.Table.from_pandas(pdf, preserve_index=False), part=part, **cols).to_bytes()

    return [dask.delayed(one_frame)(p, i) for i, p in enumerate(data.to_delayed())]


def _merge(*states, merge=None):
    got = [s for s in states if s is not None]
    if not got:
        return None
    return got[0] if len(got) == 1 else (merge or _native.summary_merge)(got)


def tree_merge(states: List, split_every: int = 8, merge=None):
    """A tree of delayed merges over ``states`` (any order): ``split_every`` states per merge.
    ``merge``: a list of state bytes -> one (default: customer summary states)."""
    import dask

    level = list(states)
    while len(level) > 1:
        level = [dask.delayed(_merge)(*level[i:i + split_every], merge=merge)
                 for i in range(0, len(level), split_every)]
    return level[0]


def _batches(data) -> list:
    """Per partition a delayed batch for crmlens (Lines or a pyarrow Table; None if empty)."""
    import dask

    if isinstance(data, LinesBag):
        header, load = data.header, data.load
        return [dask.delayed(lambda ls: Lines(list(ls), header, load) if len(ls) else None)(p)
                for p in data.partitions()]

    def table(pdf):
        import pyarrow as pa

        return pa.Table.from_pandas(pdf, preserve_index=False) if len(pdf) else None

    return [dask.delayed(table)(p) for p in data.to_delayed()]


def profile(data, *, options: Optional[dict] = None, split_every: int = 8) -> dict:
    """The browser package's ``dataset.profile()`` report of ``data`` (a :class:`LinesBag` or a
    ``dask.dataframe``), computed on the cluster: every partition's first pass, merged in a
    tree (again, with the column types decided across
    partitions, when their own inference disagreed); every partition's second pass planned from it, merged in a tree; the report here.
    The partitions are read twice (once per pass)."""
    import dask

    def first(batch, part, force=None):
        return None if batch is None else ProfileState.update(batch, options=options, part=part,
                                                              force=force).to_bytes()

    def second(batch, part, merged):
        return None if batch is None else ProfileState(merged, 1).second_pass(batch, part=part).to_bytes()

    batches = _batches(data)
    firsts = [dask.delayed(first)(b, i) for i, b in enumerate(batches)]
    merged = tree_merge(firsts, split_every, _native.profile_merge).compute()
    if merged is None:
        raise _native.CrmlensError("no rows in the data")
    force = ProfileState(merged, 1).force_types()
    if force:  # partitions typed a column differently: read them all with the decided types
        firsts = [dask.delayed(first)(b, i, force) for i, b in enumerate(batches)]
        merged = tree_merge(firsts, split_every, _native.profile_merge).compute()
    seconds = [dask.delayed(second)(b, i, merged) for i, b in enumerate(batches)]
    merged2 = tree_merge(seconds, split_every, _native.profile_merge_second).compute()
    return ProfileState(merged, 1).finish(ProfileState(merged2, 2))


def customer_summary(data, *, customer: str, date: str, amount: Optional[str] = None,
                     quantity: Optional[str] = None, price: Optional[str] = None,
                     invoice: Optional[str] = None, split_every: int = 8) -> CustomerSummary:
    """The merged customer summary of ``data``, computed on the cluster."""
    states = partition_states(data, customer=customer, date=date, amount=amount, quantity=quantity,
                              price=price, invoice=invoice)
    merged = tree_merge(states, split_every).compute()
    if merged is None:
        raise _native.CrmlensError("no rows in the data")
    return CustomerSummary(merged)


def customer_value(data, *, customer: str, date: str, amount: Optional[str] = None,
                   quantity: Optional[str] = None, price: Optional[str] = None,
                   invoice: Optional[str] = None, **options) -> CustomerValue:
    """:func:`customer_summary`, then one fit on the client (``options`` as for
    :func:`crmlens.customer_value`)."""
    s = customer_summary(data, customer=customer, date=date, amount=amount, quantity=quantity,
                         price=price, invoice=invoice)
    return _fit(s, **options)


def sentiment(data, column: str, *, language: Optional[str] = None):
    """Per row of ``data``, the package's ``sentiment()`` scores, computed per partition on the
    cluster and concatenated in partition order: a ``pyarrow.Table`` (part, row, compound,
    label, language, positive, neutral, negative)."""
    import dask
    import pyarrow as pa

    from ._sentiment import sentiment as _sent

    def one(batch, part):
        t = _sent(batch, column, language=language)
        n = t.num_rows
        t = t.add_column(0, "row", pa.array(range(n), pa.int64()))
        return t.add_column(0, "part", pa.array([part] * n, pa.int64()))

    if isinstance(data, LinesBag):
        header, load = data.header, data.load
        parts = [dask.delayed(lambda ls, i: one(Lines(list(ls), header, load), i) if ls else None)(p, i)
                 for i, p in enumerate(data.partitions())]
    else:
        parts = [dask.delayed(lambda pdf, i: one(pa.Table.from_pandas(pdf[[column]], preserve_index=False), i)
                              if len(pdf) else None)(p, i) for i, p in enumerate(data.to_delayed())]
    tables = [t for t in dask.compute(*parts) if t is not None]
    return pa.concat_tables(tables)
