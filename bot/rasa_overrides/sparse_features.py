"""Sparse features of two featurizers joined side by side without scipy's general block stacking.

DIET and the ResponseSelector join the sparse features of their featurizers
for every message (`Features._combine_sparse_features`, through
`scipy.sparse.hstack`). scipy 1.10 builds an object array of blocks, checks
and converts each one and only then concatenates: for the few small matrices
of one message that overhead was 7.5% of the Rasa server's time under the
benchmark's load (bench/profile.md). Two COO matrices with the same number of
rows are joined here the way scipy's `bmat` joins them, the same arrays with
the same types (a component test compares them with scipy's); anything else
still goes through `scipy.sparse.hstack`.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import scipy.sparse
from rasa.shared.nlu.training_data.features import Features
from scipy.sparse import coo_matrix
from scipy.sparse._sputils import get_index_dtype, upcast


def hstack(left: Any, right: Any) -> Any:
    """`scipy.sparse.hstack([left, right])`, with the two-COO-matrix case done directly."""
    rows = left.shape[0]
    if not (type(left) is coo_matrix and type(right) is coo_matrix) or rows == 0 or rows != right.shape[0]:
        return scipy.sparse.hstack([left, right])
    shape = (rows, left.shape[1] + right.shape[1])
    idx_dtype = get_index_dtype(maxval=max(shape))
    data = np.empty(left.nnz + right.nnz, dtype=upcast(left.dtype, right.dtype))
    row = np.empty(len(data), dtype=idx_dtype)
    col = np.empty(len(data), dtype=idx_dtype)
    start = 0
    for block, column_offset in ((left, 0), (right, left.shape[1])):
        part = slice(start, start + block.nnz)
        data[part] = block.data
        np.add(block.row, 0, out=row[part], dtype=idx_dtype)
        np.add(block.col, column_offset, out=col[part], dtype=idx_dtype)
        start += block.nnz
    return coo_matrix((data, (row, col)), shape=shape)


def _combine_sparse_features(self: Features, additional_features: Features) -> None:
    # Rasa's own method (rasa/shared/nlu/training_data/features.py) with the stacking above.
    if self.features.shape[0] != additional_features.features.shape[0]:
        raise ValueError(
            f"Cannot combine sparse features as sequence dimensions do not "
            f"match: {self.features.shape[0]} != "
            f"{additional_features.features.shape[0]}."
        )
    self.features = hstack(self.features, additional_features.features)
    self._cached_fingerprint = None


def install() -> None:
    """Features of one message are joined with `hstack` above (idempotent)."""
    setattr(Features, "_combine_sparse_features", _combine_sparse_features)  # noqa: B010
