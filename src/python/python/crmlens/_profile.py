"""Profile states: the browser package's ``dataset.profile()`` over partitions.

The profile is two passes over the rows, as in the browser's ``CrmlensPool``: the first pass
(moments, distinct counts, quantile sketches, frequencies, text facets) of every partition,
merged; then every partition's second pass (histograms, outliers, correlations, duplicate-row
hashes), planned from the merged first pass; then the report::

    first = ProfileState.merge([ProfileState.update(b, part=i) for i, b in enumerate(batches)])
    force = first.force_types()     # text input whose partitions typed a column differently
    if force:
        first = ProfileState.merge([ProfileState.update(b, part=i, force=force) for i, b in enumerate(batches)])
    second = ProfileState.merge([first.second_pass(b, part=i) for i, b in enumerate(batches)])
    report = first.finish(second)          # dict: the report dataset.profile() gives

In one process, ``merged.finish()`` with no argument does the rest itself (the force and the
second pass over the batches the states were updated from, which the states keep a reference
to until they are shipped as bytes).

States are bytes (``to_bytes()`` / ``from_bytes()``); a merge is a union of partitions, and the
partitions' states are combined in partition order (``part``: the batch's place in the table),
so the report does not depend on the order the engine merges in. A batch is a pyarrow
``RecordBatch`` / ``Table`` (read by the core's Arrow reader) or :class:`crmlens.Lines`.
"""

from __future__ import annotations

import json
from typing import Iterable, Optional

from . import _native
from ._batch import encode_batch


def _opts(options: Optional[dict]) -> str:
    return json.dumps(options, sort_keys=True) if options else "{}"


class ProfileState:
    """A first-pass (``pass_ == 1``) or second-pass (``pass_ == 2``) profile state."""

    __slots__ = ("_b", "pass_", "_src")

    def __init__(self, state: bytes, pass_: Optional[int] = None, _src: Optional[list] = None):
        b = bytes(state)
        if pass_ is None:
            pass_ = 2 if b[4:8] == b"PRF2" else 1
        # (part, batch, options, load) of the first passes made in this process, for finish().
        self._b, self.pass_, self._src = b, pass_, _src

    def __reduce__(self):
        # Shipped (pickled) as its bytes only: never the batches it was updated from.
        return (ProfileState, (self._b, self.pass_))

    @classmethod
    def update(cls, batch, *, options: Optional[dict] = None, load: Optional[dict] = None,
               part: Optional[int] = None, force: Optional[list] = None) -> "ProfileState":
        """The first pass over one batch. ``options``: the package's profile options
        (``{"topK": 10, ...}``; every partition must use the same); ``part``: the batch's
        partition number; ``force``: the column types decided across partitions
        (:meth:`force_types` of the merged first pass), for text input."""
        kind, data, header, load_json = encode_batch(batch, load)
        try:
            state = _native.profile_first(kind, data, _opts(options), header, load_json, part, force)
            return cls(state, 1, [(part, batch, options, load)])
        except _native.CrmlensError as e:
            e.part = part
            raise

    def second_pass(self, batch, *, load: Optional[dict] = None,
                    part: Optional[int] = None) -> "ProfileState":
        """The second pass over one batch, planned from this merged first pass (which must
        hold every partition)."""
        self._need(1, "second_pass")
        kind, data, header, load_json = encode_batch(batch, load)
        try:
            return ProfileState(_native.profile_second(self._b, kind, data, header, load_json, part), 2)
        except _native.CrmlensError as e:
            e.part = part
            raise

    @classmethod
    def merge(cls, states: Iterable) -> "ProfileState":
        """One state holding every partition of ``states`` (all of one pass)."""
        bs = [s._b if isinstance(s, ProfileState) else bytes(s) for s in states]
        if not bs:
            raise _native.CrmlensError("merge needs at least one state")
        if all(b[4:8] == b"PRF2" for b in bs):
            return cls(_native.profile_merge_second(bs), 2)
        srcs = [getattr(s, "_src", None) for s in states] if isinstance(states, (list, tuple)) else [None]
        src = [x for part in srcs for x in part] if all(p is not None for p in srcs) else None
        return cls(_native.profile_merge(bs), 1, src)

    @classmethod
    def from_bytes(cls, state: bytes) -> "ProfileState":
        """Reads state bytes (another version's state: ``INVALID_STATE``; damaged: ``PARSE_ERROR``)."""
        s = cls(state)
        if s.pass_ == 1:
            _native.profile_counts(s._b)
        else:
            _native.profile_second_parts(s._b)
        return s

    def force_types(self) -> Optional[list]:
        """For a merged first pass of text input (:class:`crmlens.Lines`): ``None`` when the
        partitions' column types merge; else per column the type to read every partition with
        (a column read as numbers in one partition and as text in another, e.g. ids ``00012``
        and ``12``, is read as strings everywhere, as the browser reads the whole file): run
        the first pass again with ``update(..., force=...)``. Typed (Arrow) input never needs it."""
        self._need(1, "force_types")
        return _native.profile_decide(self._b)

    def finish(self, second: Optional["ProfileState"] = None) -> dict:
        """The report of this merged first pass and the merged second pass: a dict, the
        report ``dataset.profile()`` gives in the browser (``memoryBytes`` is the sum of the
        partitions' tables). The loader's counts are in ``report["load"]``. Without
        ``second``, in the process that updated every partition of this state: the force
        (:meth:`force_types`) and the second pass are run here over the same batches; a state
        read from bytes has no batches (``INVALID_STATE``: pass the merged second pass)."""
        self._need(1, "finish")
        if second is None:
            return self._finish_here()
        second._need(2, "finish's argument")
        text, load = _native.profile_finish(self._b, second._b)
        report = json.loads(text)
        report["load"] = load
        return report

    def _finish_here(self) -> dict:
        src = self._src
        if not src:
            e = _native.CrmlensError("finish() without a second pass needs the batches this state was updated "
                                     "from, in this process; a state read from bytes has none: merge the "
                                     "partitions' second_pass() states and call finish(second)")
            e.code = "INVALID_STATE"
            raise e
        first, force = self, self.force_types()
        if force:
            first = ProfileState.merge([ProfileState.update(b, options=o, load=ld, part=p, force=force)
                                        for p, b, o, ld in src])
        second = ProfileState.merge([first.second_pass(b, load=ld, part=p) for p, b, _, ld in src])
        return first.finish(second)

    @property
    def parts(self) -> list:
        if self.pass_ == 1:
            return _native.profile_counts(self._b)["parts"]
        return _native.profile_second_parts(self._b)

    @property
    def load(self) -> dict:
        """Rows read, skipped and repaired by the loader, summed over the partitions."""
        self._need(1, "load")
        return _native.profile_counts(self._b)["load"]

    def _need(self, p: int, what: str):
        if self.pass_ != p:
            raise _native.CrmlensError(f"{what} needs a {'first' if p == 1 else 'second'}-pass profile state")

    def to_bytes(self) -> bytes:
        return self._b

    def bytes(self) -> bytes:
        return self._b

    def __len__(self) -> int:
        return len(self._b)


def profile(batches, *, options: Optional[dict] = None, load: Optional[dict] = None) -> dict:
    """The profile of a table given as a batch or a list of batches (in table order), in this
    process: both passes, then the report."""
    if not isinstance(batches, (list, tuple)):
        batches = [batches]
    first = ProfileState.merge([ProfileState.update(b, options=options, load=load, part=i)
                                for i, b in enumerate(batches)])
    force = first.force_types()
    if force:
        first = ProfileState.merge([ProfileState.update(b, options=options, load=load, part=i, force=force)
                                    for i, b in enumerate(batches)])
    second = ProfileState.merge([first.second_pass(b, load=load, part=i) for i, b in enumerate(batches)])
    return first.finish(second)


def profile_whole(batch, *, options: Optional[dict] = None, load: Optional[dict] = None) -> dict:
    """The profile of one batch read whole (the core's single-table ``profile``)."""
    kind, data, header, load_json = encode_batch(batch, load)
    return json.loads(_native.profile_whole(kind, data, _opts(options), header, load_json))
