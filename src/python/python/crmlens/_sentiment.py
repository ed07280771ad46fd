"""Sentiment per row (row-wise: partitions need no merge)."""

from __future__ import annotations

from typing import Optional

import pyarrow as pa

from . import _native
from ._batch import encode_batch, options_json


def sentiment(batch, column: Optional[str] = None, *, language: Optional[str] = None,
              load: Optional[dict] = None) -> pa.Table:
    """A pyarrow.Table, one row per input row: compound, positive, neutral, negative, label
    ('positive' | 'neutral' | 'negative', null for an empty text), language ('en' | 'zh' |
    'mixed' | ...), the scores of the package's ``sentiment()``."""
    kind, data, header, load_json = encode_batch(batch, load)
    cols, _load = _native.sentiment(kind, data, options_json(column=column, language=language), header, load_json)
    return pa.table({
        "compound": pa.array(cols["compound"], pa.float64()),
        "label": pa.array(cols["label"], pa.string()),
        "language": pa.array(cols["language"], pa.string()),
        "positive": pa.array(cols["positive"], pa.float64()),
        "neutral": pa.array(cols["neutral"], pa.float64()),
        "negative": pa.array(cols["negative"], pa.float64()),
    })
