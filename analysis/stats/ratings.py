"""Reading an experts x items ratings matrix: 0 or NaN means no answer, anything else must
be a scale point; counts per item and scale point."""

from typing import Any

import numpy as np

from .bands import DEFAULT_CUTOFFS
from .options import DEFAULT_POINTS, DEFAULT_THRESHOLD, summary_options


def ratings_array(matrix: Any) -> np.ndarray:
    """``matrix`` as a 2-D numeric array; ``ValueError`` for anything else."""
    arr = np.asarray(matrix)
    if arr.dtype.kind == "O":
        try:
            arr = arr.astype(float)
        except (TypeError, ValueError) as exc:
            raise ValueError(f"ratings must be numbers (0 or empty = no answer): {exc}") from exc
    if arr.dtype.kind not in "iuf":
        raise ValueError(f"ratings must be numbers, got dtype {arr.dtype}")
    if arr.ndim != 2:
        raise ValueError(f"ratings must be a 2-D experts x items matrix, got {arr.ndim}-D")
    return arr


def no_answer_mask(arr: np.ndarray) -> np.ndarray:
    """True where a cell is a blank (0, or NaN in a float array)."""
    return (arr == 0) | np.isnan(arr) if arr.dtype.kind == "f" else arr == 0


def _invalid_rating_error(arr: np.ndarray, points: int) -> ValueError:
    bad = ~(np.isin(arr, np.arange(points + 1)) | no_answer_mask(arr))
    row, col = np.argwhere(bad)[0]
    value = arr[row, col].item()
    return ValueError(
        f"rating {value!r} (expert row {row + 1}, item column {col + 1}) is not a scale point "
        f"1..{points}; 0 or NaN means no answer ({int(bad.sum())} invalid value(s) in all)"
    )


def count_ratings(matrix: Any, *, points: int = DEFAULT_POINTS) -> np.ndarray:
    """Items x points array of answer counts from an experts x items ratings matrix.

    0 and NaN mean "no answer"; any other value outside the whole numbers 1..points raises
    ``ValueError`` naming the first offending cell. Vectorised: one comparison and column
    sum per scale point, no loop per item.
    """
    opts = summary_options(points, DEFAULT_CUTOFFS, DEFAULT_THRESHOLD, "grouped")
    arr = ratings_array(matrix)
    counts = np.empty((arr.shape[1], opts.points), dtype=np.int64)
    for k in range(1, opts.points + 1):
        counts[:, k - 1] = np.count_nonzero(arr == k, axis=0)
    # Every cell is an answer 1..points or a blank: anything else leaves the tally short.
    blanks = np.count_nonzero(arr == 0)
    if arr.dtype.kind == "f":
        blanks += np.count_nonzero(np.isnan(arr))
    if int(counts.sum()) + blanks != arr.size:
        raise _invalid_rating_error(arr, opts.points)
    return counts


def clean_ratings(matrix: Any, points: int) -> np.ndarray:
    """Validated experts x items int matrix with 0 = no answer (not the hot path)."""
    arr = ratings_array(matrix)
    count_ratings(arr, points=points)  # raises on invalid values
    return np.where(no_answer_mask(arr), 0, arr).astype(np.int64)
