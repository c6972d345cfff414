"""Sparse features joined directly give exactly what scipy's `hstack` gives, as Rasa calls it."""

from __future__ import annotations

import numpy as np
import pytest
import scipy.sparse
from rasa.shared.nlu.training_data.features import Features

from bot.rasa_overrides import sparse_features
from bot.rasa_overrides.sparse_features import hstack


def same(mine: scipy.sparse.spmatrix, scipys: scipy.sparse.spmatrix) -> None:
    assert type(mine) is type(scipys) and mine.shape == scipys.shape and mine.dtype == scipys.dtype
    for name in ("data", "row", "col"):
        ours, theirs = getattr(mine, name), getattr(scipys, name)
        assert ours.dtype == theirs.dtype and np.array_equal(ours, theirs), name


@pytest.mark.parametrize("rows", [1, 3, 17])
@pytest.mark.parametrize(
    ("left_type", "right_type"), [(np.float32, np.float32), (np.float32, np.float64), (np.int64, np.float32)]
)
def test_two_coo_matrices_are_joined_as_scipy_joins_them(
    rows: int, left_type: type, right_type: type
) -> None:
    generator = np.random.default_rng(rows)
    for density in (0.0, 0.01, 0.3):
        left = scipy.sparse.random(
            rows, 2000, density=density, format="coo", dtype=left_type, random_state=generator
        )
        right = scipy.sparse.random(
            rows, 40, density=density, format="coo", dtype=right_type, random_state=generator
        )
        same(hstack(left, right), scipy.sparse.hstack([left, right]))


def test_unsorted_and_repeated_entries_stay_as_they_are() -> None:
    left = scipy.sparse.coo_matrix(([1.0, 2.0, 3.0], ([2, 0, 2], [5, 1, 5])), shape=(3, 8))
    right = scipy.sparse.coo_matrix(([4.0], ([1], [0])), shape=(3, 2))
    same(hstack(left, right), scipy.sparse.hstack([left, right]))


def test_other_matrices_go_to_scipy() -> None:
    left = scipy.sparse.random(2, 5, density=0.5, format="csr", random_state=1)
    right = scipy.sparse.random(2, 3, density=0.5, format="coo", random_state=2)
    joined = hstack(left, right)
    assert (joined != scipy.sparse.hstack([left, right])).nnz == 0


def test_rasas_features_combine_through_it(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(Features, "_combine_sparse_features", Features._combine_sparse_features)
    sparse_features.install()
    words = Features(scipy.sparse.coo_matrix(np.eye(3, 4, dtype=np.float32)), "sequence", "text", "words")
    letters = Features(scipy.sparse.coo_matrix(np.ones((3, 2))), "sequence", "text", "letters")
    words.combine_with_features(letters)
    assert words.features.shape == (3, 6) and words.features.toarray()[0].tolist() == [1, 0, 0, 0, 1, 1]
    with pytest.raises(ValueError, match="do not match"):
        words.combine_with_features(Features(scipy.sparse.coo_matrix((2, 2)), "sequence", "text", "x"))
