"""crmlens on Apache Spark (``pyspark``): per-partition states with ``DataFrame.mapInArrow``,
a tree reduction of the state bytes, the final step on the driver.

    from pyspark.sql import SparkSession
    import crmlens.spark as cs
    spark = SparkSession.builder.master("local[2]").getOrCreate()
    tx = cs.read_lines(spark, "CDNOW_master.txt", partitions=16, load={"delimiter": "whitespace"})
    value = cs.customer_value(tx, customer="customer_id", date="date", amount="dollar_value",
                              calibration_end="1997-09-30")           # crmlens.CustomerValue
    reviews = cs.read_lines(spark, "waimai_10k.csv", partitions=4)
    scores = cs.sentiment(reviews, "review")                          # a Spark DataFrame
    report = cs.profile(cs.read_lines(spark, "telco.csv", partitions=4))  # dict, as ds.profile()

:func:`read_lines` reads a delimited text file as numbered lines cut into contiguous ranges
(``repartitionByRange``); every partition is parsed by crmlens's own loader with the file's
header line, so types, missing values and bad rows are read exactly as the browser package
reads the file, and the partitions' states are combined in file order: the results equal the
browser package's on the same file. A typed DataFrame can be given instead (its Arrow batches
go to crmlens as they are; partition order = Spark's partition ids).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Optional

from . import _native
from ._batch import Lines
from ._profile import ProfileState
from ._value import CustomerSummary, CustomerValue, customer_value as _fit

#: The schema of the per-partition state rows.
STATE_SCHEMA = "part long, state binary"


@dataclass
class LinesFrame:
    """A text file as a Spark DataFrame of numbered lines (``line`` long, ``value`` string)
    without its header line, plus the header and the crmlens load options."""

    df: object
    header: Optional[str]
    load: Optional[dict] = None


def read_lines(spark, path: str, *, partitions: Optional[int] = None, header: bool = True,
               load: Optional[dict] = None) -> LinesFrame:
    """The file at ``path`` as numbered lines in ``partitions`` contiguous ranges (default:
    Spark's own split). ``header=False`` for a file without a header line (then
    ``load={"header": False}`` as for the browser package)."""
    from pyspark.sql import functions as F

    df = spark.read.text(path).withColumn("line", F.monotonically_increasing_id())
    head = None
    if header:
        first = df.orderBy("line").first()
        if first is None:
            raise _native.CrmlensError("the file is empty")
        head = first["value"]
        df = df.where(F.col("line") != first["line"])
    if partitions:
        df = df.repartitionByRange(partitions, "line")
    opts = dict(load or {})
    if not header:
        opts.setdefault("header", False)
    return LinesFrame(df.select("line", "value"), head, opts or None)


def _batches_to_lines(batches):
    """The lines of one partition in file order, and the first line's number."""
    import pyarrow as pa

    tables = [pa.Table.from_batches([b]) for b in batches if b.num_rows]
    if not tables:
        return None, None
    t = pa.concat_tables(tables).sort_by("line")
    return t.column("value"), t.column("line")[0].as_py()


def _summary_partitions(data, columns: dict):
    """Per partition: one row (part, state bytes)."""
    import pyarrow as pa

    if isinstance(data, LinesFrame):
        header, load = data.header, data.load

        def per_partition(batches):
            lines, first = _batches_to_lines(batches)
            if lines is None:
                return
            s = CustomerSummary.update(Lines(lines, header, load), part=first, **columns)
            yield pa.RecordBatch.from_pydict({"part": [first], "state": [s.to_bytes()]},
                                             schema=pa.schema([("part", pa.int64()), ("state", pa.binary())]))

        return data.df.mapInArrow(per_partition, STATE_SCHEMA)

    def per_partition_typed(batches):
        from pyspark import TaskContext

        tables = [pa.Table.from_batches([b]) for b in batches if b.num_rows]
        if not tables:
            return
        part = TaskContext.get().partitionId()
        s = CustomerSummary.update(pa.concat_tables(tables), part=part, **columns)
        yield pa.RecordBatch.from_pydict({"part": [part], "state": [s.to_bytes()]},
                                         schema=pa.schema([("part", pa.int64()), ("state", pa.binary())]))

    return data.mapInArrow(per_partition_typed, STATE_SCHEMA)


def _merge_two(a: bytes, b: bytes) -> bytes:
    return _native.summary_merge([a, b])


def customer_summary(data, *, customer: str, date: str, amount: Optional[str] = None,
                     quantity: Optional[str] = None, price: Optional[str] = None,
                     invoice: Optional[str] = None, depth: int = 2) -> CustomerSummary:
    """The merged customer summary of ``data`` (a :class:`LinesFrame` or a DataFrame): one
    state per partition on the executors, reduced as bytes with ``treeReduce``."""
    cols = dict(customer=customer, date=date, amount=amount, quantity=quantity, price=price,
                invoice=invoice)
    states = _summary_partitions(data, cols).rdd.map(lambda r: bytes(r["state"]))
    if states.isEmpty():
        raise _native.CrmlensError("no rows in the DataFrame")
    return CustomerSummary(states.treeReduce(_merge_two, depth=depth))


def customer_value(data, *, customer: str, date: str, amount: Optional[str] = None,
                   quantity: Optional[str] = None, price: Optional[str] = None,
                   invoice: Optional[str] = None, **options) -> CustomerValue:
    """:func:`customer_summary`, then one fit on the driver (``options``: those of
    :func:`crmlens.customer_value`, e.g. ``calibration_end="1997-09-30"``)."""
    s = customer_summary(data, customer=customer, date=date, amount=amount, quantity=quantity,
                         price=price, invoice=invoice)
    return _fit(s, **options)


SENTIMENT_SCHEMA = ("part long, row long, compound double, label string, language string, "
                    "positive double, neutral double, negative double")


def sentiment(data, column: str, *, language: Optional[str] = None):
    """Per row of ``data`` (a :class:`LinesFrame` or a DataFrame), the scores of the package's
    ``sentiment()``: a DataFrame (part, row, compound, label, language, positive, neutral,
    negative), ``part`` being the partition (the first line's number for a LinesFrame) and
    ``row`` the row within it, so ``orderBy("part", "row")`` is the file's order."""
    import pyarrow as pa

    from ._sentiment import sentiment as _sent

    def out(t: "pa.Table", part: int):
        n = t.num_rows
        t = t.add_column(0, "row", pa.array(range(n), pa.int64()))
        t = t.add_column(0, "part", pa.array([part] * n, pa.int64()))
        yield from t.to_batches()

    if isinstance(data, LinesFrame):
        header, load = data.header, data.load

        def per_partition(batches):
            lines, first = _batches_to_lines(batches)
            if lines is None:
                return
            yield from out(_sent(Lines(lines, header, load), column, language=language), first)

        return data.df.mapInArrow(per_partition, SENTIMENT_SCHEMA)

    def per_partition_typed(batches):
        from pyspark import TaskContext

        tables = [pa.Table.from_batches([b]) for b in batches if b.num_rows]
        if not tables:
            return
        t = pa.concat_tables(tables).select([column])
        yield from out(_sent(t, column, language=language), TaskContext.get().partitionId())

    return data.mapInArrow(per_partition_typed, SENTIMENT_SCHEMA)


def _states(data, make):
    """Per partition one row (part, state bytes): ``make(batch, part)`` -> bytes, where batch
    is Lines (a LinesFrame) or a pyarrow Table (a DataFrame)."""
    import pyarrow as pa

    schema = pa.schema([("part", pa.int64()), ("state", pa.binary())])
    if isinstance(data, LinesFrame):
        header, load = data.header, data.load

        def per_partition(batches):
            lines, first = _batches_to_lines(batches)
            if lines is None:
                return
            yield pa.RecordBatch.from_pydict({"part": [first], "state": [make(Lines(lines, header, load), first)]},
                                             schema=schema)

        return data.df.mapInArrow(per_partition, STATE_SCHEMA)

    def per_partition_typed(batches):
        from pyspark import TaskContext

        tables = [pa.Table.from_batches([b]) for b in batches if b.num_rows]
        if not tables:
            return
        part = TaskContext.get().partitionId()
        yield pa.RecordBatch.from_pydict({"part": [part], "state": [make(pa.concat_tables(tables), part)]},
                                         schema=schema)

    return data.mapInArrow(per_partition_typed, STATE_SCHEMA)


def profile(data, *, options: Optional[dict] = None, depth: int = 2) -> dict:
    """The browser package's ``dataset.profile()`` report of ``data`` (a :class:`LinesFrame`
    or a DataFrame): every partition's first pass (``mapInArrow``), reduced as bytes with
    ``treeReduce`` (again, with the column types decided across partitions, when their own
    inference disagreed); the merged first pass broadcast, every partition's second pass planned
    from it, reduced the same way; the report on the driver. The data is persisted for the two
    passes (so both see the same partitions) and unpersisted after."""
    from pyspark import StorageLevel

    df = data.df if isinstance(data, LinesFrame) else data
    df.persist(StorageLevel.MEMORY_AND_DISK)
    try:
        firsts = _states(data, lambda b, part: ProfileState.update(b, options=options, part=part).to_bytes())
        states = firsts.rdd.map(lambda r: bytes(r["state"]))
        if states.isEmpty():
            raise _native.CrmlensError("no rows in the DataFrame")
        merged = states.treeReduce(lambda a, b: _native.profile_merge([a, b]), depth=depth)
        force = ProfileState(merged, 1).force_types()
        if force:  # partitions typed a column differently: read them all with the decided types
            merged = _states(data, lambda b, part: ProfileState.update(b, options=options, part=part, force=force)
                             .to_bytes()).rdd.map(lambda r: bytes(r["state"])).treeReduce(
                lambda a, b: _native.profile_merge([a, b]), depth=depth)
        sc = df.sparkSession.sparkContext
        first = sc.broadcast(merged)
        seconds = _states(data, lambda b, part: ProfileState(first.value, 1).second_pass(b, part=part).to_bytes())
        merged2 = seconds.rdd.map(lambda r: bytes(r["state"])).treeReduce(
            lambda a, b: _native.profile_merge_second([a, b]), depth=depth)
        first.unpersist()
        return ProfileState(merged, 1).finish(ProfileState(merged2, 2))
    finally:
        df.unpersist()
